import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobScheduler, nextWeekly } from '../../src/platform/jobs.js';
import { createNeed, createOffer, createOrganisation } from '../factories/offers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { signedInClient, type Client } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

describe.each(DB_MODES)('interests, collaborations and the weekly digest (%s)', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const ids = {} as Record<'sme' | 'lab' | 'offer' | 'need' | 'interest' | 'collaboration', string>;
  let sme: { client: Client; person: { email: string; id: string } };
  let lab: { client: Client; person: { email: string; id: string } };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(mode, { SMTP_URL: smtp.url });
    ids.sme = await createOrganisation(t.app, 'Crema Beauty S.r.l.', { type: 'company', clusterSlug: 'cosmetica', provinceCode: 'CR' });
    ids.lab = await createOrganisation(t.app, 'FermaCos S.r.l.', { type: 'spin_off', provinceCode: 'PV' });
    ids.offer = await createOffer(t.app, ids.lab, { titleEn: 'Natural preservatives from fermentation', descriptionEn: 'Preservation systems for cosmetic creams.', trl: 7 });
    ids.need = await createNeed(t.app, ids.sme, { titleIt: 'Conservanti naturali', descriptionIt: 'Cerchiamo conservanti naturali per creme viso.' });
    sme = await signedInClient(t.app, 'org_admin', { organisationId: ids.sme });
    lab = await signedInClient(t.app, 'org_admin', { organisationId: ids.lab });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const count = async (table: 'interests' | 'collaborations') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('an interest reaches the other organisation; accepting introduces both and starts a collaboration', async () => {
    const sent = await sme.client.sendJson('POST', '/api/v1/interests', { organisationId: ids.sme, offerId: ids.offer, message: 'Vorremmo provare i vostri conservanti nelle nostre creme.' });
    expect(sent.statusCode).toBe(201);
    const notice = await smtp.waitForMail((m) => m.envelope.to.includes(lab.person.email));
    expect(notice.subject).toContain('Crema Beauty S.r.l.');
    expect(notice.text).toContain('Vorremmo provare i vostri conservanti');
    ids.interest = sent.json().id;

    const inbox = await lab.client.get(`/organizzazioni/${ids.lab}/contatti`);
    expect(inbox.body).toContain('Vorremmo provare i vostri conservanti');
    const accepted = await lab.client.postForm(`/organizzazioni/${ids.lab}/interessi/${ids.interest}`, { action: 'accept', note: 'Volentieri' });
    expect(accepted.statusCode).toBe(303);
    const introSme = await smtp.waitForMail((m) => m.envelope.to.includes(sme.person.email) && /Presentazione|Introduction/.test(m.subject ?? ''));
    const introLab = await smtp.waitForMail((m) => m.envelope.to.includes(lab.person.email) && /Presentazione|Introduction/.test(m.subject ?? ''));
    for (const mail of [introSme, introLab]) {
      expect(mail.text).toContain(sme.person.email);
      expect(mail.text).toContain(lab.person.email);
    }
    const collaboration = await t.database.db.selectFrom('collaborations').selectAll().where('interest_id', '=', ids.interest).executeTakeFirstOrThrow();
    expect(collaboration).toMatchObject({ status: 'exploring', initiator_organisation_id: ids.sme, partner_organisation_id: ids.lab });
    ids.collaboration = collaboration.id;
  });

  it('refuses a second interest in the same item, and answering twice, with clear codes and no change', async () => {
    const interests = await count('interests');
    const again = await sme.client.sendJson('POST', '/api/v1/interests?lang=en', { organisationId: ids.sme, offerId: ids.offer, message: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'interest.already_sent', message: 'Your organisation has already expressed interest in this item.' });
    const twice = await lab.client.sendJson('POST', `/api/v1/organisations/${ids.lab}/interests/${ids.interest}/decision`, { action: 'decline' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('interest.already_decided');
    const own = await lab.client.sendJson('POST', '/api/v1/interests', { organisationId: ids.lab, offerId: ids.offer, message: 'Own' });
    expect(own.json().error.code).toBe('interest.own_item');
    const empty = await sme.client.sendJson('POST', '/api/v1/interests', { organisationId: ids.sme, needId: ids.need, message: ' ' });
    expect(empty.json().error.code).toBe('request.invalid');
    expect(await count('interests')).toBe(interests);
    expect(await count('collaborations')).toBe(1);
  });

  it('refuses interest in an archived item', async () => {
    const archived = await createOffer(t.app, ids.lab, { titleEn: 'Old service', descriptionEn: 'No longer offered.' });
    await lab.client.sendJson('DELETE', `/api/v1/offers/${archived}`, {});
    const res = await sme.client.sendJson('POST', '/api/v1/interests', { organisationId: ids.sme, offerId: archived, message: 'Interested' });
    expect(res.statusCode).toBe(404);
  });

  it('moves along the pipeline and counts in the cluster’s figures and pipeline', async () => {
    const forbidden = await sme.client.sendJson('POST', `/api/v1/collaborations/${ids.collaboration}/status`, { status: 'closed_won' });
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.json().error.code).toBe('collaboration.transition_forbidden');
    for (const status of ['agreement', 'project']) {
      const res = await sme.client.sendJson('POST', `/api/v1/collaborations/${ids.collaboration}/status`, { status, note: `to ${status}` });
      expect(res.statusCode).toBe(200);
    }
    const history = (await lab.client.get(`/api/v1/collaborations/${ids.collaboration}`)).json();
    expect(history.history.map((h: { to: string }) => h.to)).toEqual(['exploring', 'agreement', 'project']);

    const manager = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const figures = (await manager.client.get('/api/v1/clusters/cosmetica/collaborations')).json();
    expect(figures.figures).toMatchObject({ interests: 1, accepted: 1, collaborations: 1, projects: 1, won: 0 });
    expect(figures.items[0]).toMatchObject({ status: 'project', initiator: 'Crema Beauty S.r.l.', partner: 'FermaCos S.r.l.' });
    const page = await manager.client.get('/cluster/cosmetica/gestione/collaborazioni');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Natural preservatives from fermentation');
    // A manager of another cluster does not see it.
    const other = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'aerospazio' });
    expect((await other.client.get(`/api/v1/collaborations/${ids.collaboration}`)).statusCode).toBe(403);
  });

  it('reminds the owners once, two weeks before a publication expires', async () => {
    smtp.clear();
    const soon = await createOffer(t.app, ids.lab, { titleEn: 'Challenge tests for cosmetics', descriptionEn: 'Microbiological challenge tests.' });
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await t.database.db.updateTable('technology_offers').set({ expires_on: inTenDays }).where('id', '=', soon).execute();
    expect(await t.app.services.offers.sendRenewalReminders()).toBe(1);
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(lab.person.email) && /rinnovare|renew/i.test(m.subject ?? ''));
    expect(mail.text).toContain('Challenge tests for cosmetics');
    expect(await t.app.services.offers.sendRenewalReminders()).toBe(0);
    // Renewing moves the expiry a year on and re-arms the reminder.
    const renewed = await lab.client.sendJson('PATCH', `/api/v1/offers/${soon}`, { action: 'renew' });
    expect(renewed.json().expiresOn > inTenDays).toBe(true);
  });

  it('sends one weekly digest per organisation and week, across restarts and instances, and respects the opt-out', async () => {
    smtp.clear();
    const db = t.database.db;
    // A new offer that matches the SME's need, published after its last digest.
    const fresh = await createOffer(t.app, ids.lab, { titleEn: 'Natural preservatives for face creams', descriptionEn: 'Fermented preservative blends for cosmetic creams.' });
    // The scheduler runs on a simulated clock (January 2030): date the publication in that week.
    await db.updateTable('technology_offers').set({ published_at: new Date('2030-01-05T10:00:00Z'), expires_on: '2031-01-01' }).where('id', '=', fresh).execute();
    await db.updateTable('technology_offers').set({ expires_on: '2031-01-01' }).where('organisation_id', 'in', [ids.sme, ids.lab]).execute();
    await db.updateTable('technology_needs').set({ expires_on: '2031-01-01' }).where('organisation_id', 'in', [ids.sme, ids.lab]).execute();
    for (const id of [fresh, ids.offer]) await t.app.services.matching.refreshItem('offer', id);
    await t.app.services.matching.refreshItem('need', ids.need);
    const monday = new Date('2030-01-07T07:00:00Z');
    await db.deleteFrom('scheduled_jobs').execute();
    const jobs = () => {
      const scheduler = new JobScheduler(db, { info() {}, error() {} });
      scheduler.register({ name: 'weekly_digest', next: (after) => nextWeekly(after, 8), run: async (now) => void (await t.app.services.collaborations.runWeeklyDigest(now)) });
      return scheduler;
    };
    const first = jobs();
    await first.ensureScheduled(new Date('2030-01-01T10:00:00Z'));
    expect((await db.selectFrom('scheduled_jobs').select('next_run_at').executeTakeFirstOrThrow()).next_run_at.toISOString()).toBe(monday.toISOString());
    expect(await first.tick(new Date('2030-01-06T10:00:00Z'))).toEqual([]);
    // The server was down on Monday morning: the restarted instance runs it late, once.
    const restarted = jobs();
    await restarted.ensureScheduled(new Date('2030-01-07T09:30:00Z'));
    expect(await restarted.tick(new Date('2030-01-07T09:30:00Z'))).toEqual(['weekly_digest']);
    expect(await jobs().tick(new Date('2030-01-07T09:31:00Z'))).toEqual([]);
    // Even a forced rerun of the same week sends nothing twice.
    await t.app.services.collaborations.runWeeklyDigest(new Date('2030-01-08T10:00:00Z'));
    const digests = smtp.messages.filter((m) => m.envelope.to.includes(sme.person.email) && /abbinamenti|matches/.test(m.subject ?? ''));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain('Natural preservatives for face creams');
    expect(digests[0]!.raw.toString('utf8')).toMatch(/^List-Unsubscribe:\s+<http/m);
    const run = await db.selectFrom('digest_runs').selectAll().where('organisation_id', '=', ids.sme).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ week_start: '2030-01-07', status: 'sent', recipients: 1 });

    // Opt-out: next week nothing is sent, and it is recorded as such.
    await sme.client.get(`/organizzazioni/${ids.sme}/contatti`);
    const off = await sme.client.postForm(`/organizzazioni/${ids.sme}/riepilogo`, { enabled: 'no' });
    expect(off.statusCode).toBe(303);
    smtp.clear();
    await t.app.services.collaborations.runWeeklyDigest(new Date('2030-01-14T07:00:00Z'));
    expect(smtp.messages.filter((m) => m.envelope.to.includes(sme.person.email))).toHaveLength(0);
    const opted = await db.selectFrom('digest_runs').select('status').where('organisation_id', '=', ids.sme).where('week_start', '=', '2030-01-14').executeTakeFirstOrThrow();
    expect(opted.status).toBe('opted_out');
  });
});

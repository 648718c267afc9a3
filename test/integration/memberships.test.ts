import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, signedInClient } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { organisationForm, validPartitaIva, wrongCheckDigit } from '../factories/organisations.js';

function link(text: string | undefined, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path}[^\\s]*`).exec(text ?? '');
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  const url = new URL(m[0]);
  return url.pathname + url.search;
}

describe.each(DB_MODES)('membership applications on %s', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let classId: string;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(mode, { SMTP_URL: smtp.url });
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '500' }, { personId: null, label: 'test' });
    classId = (await t.app.services.memberships.classes(clusterId)).find((c) => c.code === 'ordinario')!.id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function apply(email: string, overrides: Record<string, string> = {}, lang: 'it' | 'en' = 'it') {
    const client = new Client(t.app);
    await client.get(`/cluster/cosmetica/aderisci?lang=${lang}`);
    const res = await client.postForm('/cluster/cosmetica/aderisci', {
      ...organisationForm({}, 'org.'),
      displayName: 'Anna Applicant',
      email,
      password: 'la nostra password lunga',
      passwordRepeat: 'la nostra password lunga',
      consent: 'yes',
      motivation: 'Vogliamo collaborare con i laboratori universitari sui conservanti naturali.',
      ...overrides,
    });
    return { client, res };
  }

  it('takes an application from the public, verified by e-mail, to admission and the public directory', async () => {
    const email = `applicant.${mode}@example.org`;
    const name = `Crema Cosmetici ${mode} S.r.l.`;
    const { client, res } = await apply(email, { 'org.legalName': name }, 'en');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Application received');

    const { client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    // Not in the queue until the applicant confirms the address.
    let queue = await manager.get('/cluster/cosmetica/gestione/domande');
    expect(queue.body).not.toContain(name);
    expect(queue.body).toContain('attendono la conferma');

    const verifyMail = await smtp.waitForMail((m) => m.envelope.to.includes(email));
    expect(verifyMail.subject).toBe('Confirm your e-mail address – Clusterhub');
    const verified = await client.get(link(verifyMail.text, '/verifica-email'));
    expect(verified.body).toContain('Your membership application has been passed to the cluster');

    queue = await manager.get('/cluster/cosmetica/gestione/domande');
    expect(queue.body).toContain(name);
    const id = /gestione\/domande\/([0-9a-f-]{36})/.exec(queue.body)![1]!;

    const api = await manager.get('/api/v1/clusters/cosmetica/applications');
    expect(api.json().items.map((i: { id: string }) => i.id)).toContain(id);

    const review = await manager.get(`/cluster/cosmetica/gestione/domande/${id}`);
    expect(review.body).toContain('Vogliamo collaborare');
    // The reviewing manager reads the applicant's restricted data; another cluster's manager does not.
    const orgId = /\/organizzazioni\/([0-9a-f-]{36})/.exec(review.body)![1]!;
    expect((await manager.get(`/api/v1/organisations/${orgId}`)).json()).toMatchObject({ employees: 12, turnoverCents: 150_000_000 });
    const { client: stranger } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'mobilita' });
    expect((await stranger.get(`/api/v1/organisations/${orgId}`)).json()).not.toHaveProperty('employees');
    const admitted = await manager.postForm(`/cluster/cosmetica/gestione/domande/${id}`, { action: 'admit', memberClassId: classId, reason: '' });
    expect(admitted.statusCode).toBe(303);

    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(email) && /Admitted/.test(m.subject ?? ''));
    expect(mail.text).toContain(`${name} has been admitted to Sistema Cosmetico as Ordinary member`);

    const directory = await t.app.inject({ url: '/api/v1/clusters/cosmetica/members?q=Crema%20Cosmetici' });
    expect(directory.json().items.map((o: { name: string }) => o.name)).toContain(name);
    const org = directory.json().items.find((o: { name: string }) => o.name === name);
    expect(org).toMatchObject({ city: 'Crema', provinceCode: 'CR', sizeClass: 'small', atecoCodes: ['20.42'] });
    // Restricted figures never reach the public.
    expect(org).not.toHaveProperty('employees');
    expect(org).not.toHaveProperty('turnoverCents');

    const events = await t.database.db.selectFrom('membership_events').select(['action', 'to_status']).where('membership_id', '=', id).orderBy('at').execute();
    expect(events.map((e) => e.action)).toEqual(['apply', 'admit']);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['membership.applied', 'membership.admit']));
  });

  it('refuses an application with wrong identifiers, field by field, and writes nothing', async () => {
    const email = `bad.${mode}@example.org`;
    const { res } = await apply(email, {
      'org.vatNumber': wrongCheckDigit(validPartitaIva()),
      'org.atecoCodes': '99.99',
      'org.comuneIstat': '999999',
      'org.taxCode': 'RSSMRA80A01H501X',
      motivation: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('la partita IVA non è valida (cifra di controllo errata)');
    expect(res.body).toContain('il codice ATECO «99.99» non esiste nella classificazione ATECO 2025');
    expect(res.body).toContain('il codice ISTAT del comune «999999» non esiste');
    expect(res.body).toContain('il codice fiscale non è valido');
    expect(res.body).toContain('href="#f-motivation"');
    const person = await t.database.db.selectFrom('people').select('id').where('email', '=', email).execute();
    expect(person).toHaveLength(0);
  });

  it('refuses a duplicate P.IVA with a link to the existing organisation', async () => {
    const vat = validPartitaIva();
    const first = await apply(`dup1.${mode}@example.org`, { 'org.vatNumber': vat, 'org.legalName': 'Prima S.r.l.' });
    expect(first.res.statusCode).toBe(200);
    const existing = await t.database.db.selectFrom('organisations').select('id').where('vat_number', '=', vat).executeTakeFirstOrThrow();
    const second = await apply(`dup2.${mode}@example.org`, { 'org.vatNumber': vat, 'org.legalName': 'Seconda S.r.l.' });
    expect(second.res.statusCode).toBe(400);
    expect(second.res.body).toContain('esiste già un’organizzazione con questa partita IVA: Prima S.r.l.');
    expect(await t.database.db.selectFrom('organisations').select('id').where('vat_number', '=', vat).execute()).toEqual([existing]);
  });

  it('refuses transitions the lifecycle forbids, with a stable code, and changes nothing', async () => {
    const { client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const lumson = await t.database.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select(['m.id', 'm.status'])
      .where('o.external_ref', '=', 'seed:lumson')
      .executeTakeFirstOrThrow();
    expect(lumson.status).toBe('admitted');
    const res = await manager.sendJson('POST', `/api/v1/memberships/${lumson.id}/transitions`, { action: 'admit', memberClass: 'ordinario' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('membership.transition_forbidden');
    const noReason = await manager.sendJson('POST', `/api/v1/memberships/${lumson.id}/transitions`, { action: 'suspend' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields).toEqual([{ in: 'body', field: 'reason', message: 'è obbligatorio' }]);
    const after = await t.database.db.selectFrom('memberships').select('status').where('id', '=', lumson.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('admitted');

    const suspended = await manager.sendJson('POST', `/api/v1/memberships/${lumson.id}/transitions`, { action: 'suspend', reason: 'Quota non versata' });
    expect(suspended.json()).toEqual({ from: 'admitted', to: 'suspended' });
    const reinstated = await manager.sendJson('POST', `/api/v1/memberships/${lumson.id}/transitions`, { action: 'reinstate' });
    expect(reinstated.json()).toEqual({ from: 'suspended', to: 'admitted' });
  });

  it('lets only the cluster’s managers decide: another cluster’s manager and the public are refused', async () => {
    const lumson = await t.database.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select(['m.id'])
      .where('o.external_ref', '=', 'seed:ancorotti-cosmetics')
      .executeTakeFirstOrThrow();
    const { client: other } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'aerospazio' });
    const res = await other.sendJson('POST', `/api/v1/memberships/${lumson.id}/transitions`, { action: 'end', reason: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.forbidden');
    const page = await other.get('/cluster/cosmetica/gestione/domande');
    expect(page.statusCode).toBe(403);
    const anonymous = await t.app.inject({ url: '/cluster/cosmetica/gestione/domande' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/accedi?next=%2Fcluster%2Fcosmetica%2Fgestione%2Fdomande');
  });

  it('lists the seeded founding members in the public directory with their class', async () => {
    const res = await t.app.inject({ url: '/api/v1/clusters/cosmetica/members?pageSize=100' });
    const names = res.json().items.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Politecnico di Milano', 'REI Reindustria Innovazione', 'Lumson S.p.A.']));
    expect(names).not.toContain('ITS Academy Nuove Tecnologie della Vita «Giulio Natta»'); // a partner, not a member
    const polimi = res.json().items.find((o: { name: string }) => o.name === 'Politecnico di Milano');
    expect(polimi.clusters).toEqual([{ slug: 'cosmetica', name: 'Sistema Cosmetico', memberClass: 'Socio fondatore' }]);
  });

  it('filters the network directory by type and province, and pages it', async () => {
    const universities = (await t.app.inject({ url: '/api/v1/organisations?type=university' })).json();
    expect(universities.items.every((o: { type: string }) => o.type === 'university')).toBe(true);
    expect(universities.total).toBe(3);
    const cremona = (await t.app.inject({ url: '/api/v1/organisations?province=CR' })).json();
    expect(cremona.items.every((o: { provinceCode: string }) => o.provinceCode === 'CR')).toBe(true);
    const page = (await t.app.inject({ url: '/api/v1/organisations?pageSize=2&page=2' })).json();
    expect(page.items).toHaveLength(2);
    expect(page.page).toBe(2);
    const bad = await t.app.inject({ url: '/api/v1/organisations?province=Cremona' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('province');
  });
});

describe.each(DB_MODES)('organisation profiles on %s', (mode) => {
  let t: TestApp;
  let lumsonId: string;
  let regiId: string;
  beforeAll(async () => {
    t = await createTestApp(mode);
    lumsonId = (await t.database.db.selectFrom('organisations').select('id').where('external_ref', '=', 'seed:lumson').executeTakeFirstOrThrow()).id;
    regiId = (await t.database.db.selectFrom('organisations').select('id').where('external_ref', '=', 'seed:regi').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets an organisation admin edit its profile, audited with before and after', async () => {
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: lumsonId });
    await client.get(`/organizzazioni/${lumsonId}/modifica`);
    const res = await client.postForm(`/organizzazioni/${lumsonId}/modifica`, organisationForm({ legalName: 'Lumson S.p.A.', comuneIstat: '019035' }));
    expect(res.statusCode).toBe(303);
    const page = await client.get(`/organizzazioni/${lumsonId}?saved=1`);
    expect(page.body).toContain('Profilo salvato');
    expect(page.body).toContain('data-testid="private-data"');
    const audit = await t.database.db.selectFrom('audit_log').select(['before', 'after']).where('entity_id', '=', lumsonId).where('action', '=', 'organisation.updated').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ city: 'Crema', province_code: 'CR' });
    expect(audit.before).toMatchObject({ city: null });
  });

  it('refuses another organisation’s edit URL and changes nothing', async () => {
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: lumsonId });
    const page = await client.get(`/organizzazioni/${regiId}/modifica`);
    expect(page.statusCode).toBe(403);
    await client.get(`/organizzazioni/${lumsonId}/modifica`);
    const post = await client.postForm(`/organizzazioni/${regiId}/modifica`, organisationForm({ legalName: 'Taken over' }));
    expect(post.statusCode).toBe(403);
    const api = await client.sendJson('PATCH', `/api/v1/organisations/${regiId}`, { legalName: 'Taken over' });
    expect(api.statusCode).toBe(403);
    const regi = await t.database.db.selectFrom('organisations').select('legal_name').where('id', '=', regiId).executeTakeFirstOrThrow();
    expect(regi.legal_name).toBe('Regi S.r.l.');
  });

  it('shows restricted fields only to the organisation, its managers and the Region', async () => {
    await t.database.db.updateTable('organisations').set({ employees: 42, email: 'info@regi.example.org' }).where('id', '=', regiId).execute();
    const anonymous = (await t.app.inject({ url: `/api/v1/organisations/${regiId}` })).json();
    expect(anonymous).not.toHaveProperty('employees');
    expect(anonymous).not.toHaveProperty('email');
    const { client: outsider } = await signedInClient(t.app, 'org_admin', { organisationId: lumsonId });
    expect((await outsider.get(`/api/v1/organisations/${regiId}`)).json()).not.toHaveProperty('employees');
    const { client: member } = await signedInClient(t.app, 'org_member', { organisationId: regiId });
    expect((await member.get(`/api/v1/organisations/${regiId}`)).json()).toMatchObject({ employees: 42, email: 'info@regi.example.org' });
    const { client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    expect((await manager.get(`/api/v1/organisations/${regiId}`)).json()).toMatchObject({ employees: 42 });
    const { client: otherManager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'mobilita' });
    expect((await otherManager.get(`/api/v1/organisations/${regiId}`)).json()).not.toHaveProperty('employees');
  });

  it('accepts a real PNG logo and refuses an SVG, a disguised file and an oversized one', async () => {
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: lumsonId });
    await client.get(`/organizzazioni/${lumsonId}/modifica`);
    const upload = async (filename: string, contentType: string, data: Buffer) => {
      const boundary = '----clusterhub-test';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrfToken}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return client.request({ method: 'POST', url: `/organizzazioni/${lumsonId}/logo`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    };
    // 1×1 transparent PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const ok = await upload('logo.png', 'image/png', png);
    expect(ok.statusCode).toBe(303);
    const logo = await t.app.inject({ url: `/organizzazioni/${lumsonId}/logo` });
    expect(logo.headers['content-type']).toBe('image/png');

    const svg = await upload('logo.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    expect(svg.statusCode).toBe(400);
    expect(svg.body).toContain('il logo deve essere un’immagine PNG, JPEG o WebP (SVG non ammesso)');
    const disguised = await upload('logo.png', 'image/png', Buffer.from('%PDF-1.4 not an image at all'));
    expect(disguised.statusCode).toBe(400);
    const big = await upload('big.png', 'image/png', Buffer.concat([png, Buffer.alloc(1024 * 1024)]));
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('il logo può pesare al massimo 1 MB');
    // The stored logo is still the PNG.
    expect((await t.app.inject({ url: `/organizzazioni/${lumsonId}/logo` })).rawPayload.equals(png)).toBe(true);
  });

  it('computes the SME class from the figures and shows it next to the declared one', async () => {
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: regiId });
    await client.get(`/organizzazioni/${regiId}/modifica`);
    await client.postForm(`/organizzazioni/${regiId}/modifica`, organisationForm({ legalName: 'Regi S.r.l.', employees: '60', turnover: '8.000.000', balanceSheet: '5000000', sizeClassDeclared: 'small' }));
    const api = (await client.get(`/api/v1/organisations/${regiId}`)).json();
    expect(api).toMatchObject({ sizeClass: 'medium', sizeClassDeclared: 'small' });
  });
});

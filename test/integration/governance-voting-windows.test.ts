import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationInputFromForm } from '../../src/features/organisations/routes.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { addRules, convene, dayFromNow, writtenProcedureSetting, type BoardMember, type WrittenProcedureSetting } from '../factories/governance.js';
import { organisationForm } from '../factories/organisations.js';
import type { TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, createPerson } from '../support/session.js';
import type { TestSmtpServer } from '../support/smtp.js';

const ACTOR = { personId: null, label: 'test' };

// Online votes (written procedure) with a window close by themselves: the close_voting_windows job,
// and the pages before they show a motion, settle them through the same path as a manual close.
describe.each(DB_MODES)('voting windows that close by themselves on %s', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  /** A second instance of the application on the same database, as behind a load balancer. */
  let second: FastifyInstance;
  let clusterId: string;
  let classId: string;
  let members: BoardMember[];
  let holders: Client[];

  async function application(name: string) {
    const person = await createPerson(t.app, null);
    const principal: Principal = { personId: person.id, email: person.email, displayName: 'Applicant', lang: 'it', grants: [], sessionHash: '' };
    const result = await t.app.services.memberships.apply(
      { clusterSlug: 'cosmetica', organisation: organisationInputFromForm(organisationForm({ legalName: name })), motivation: 'Formulazioni naturali.', lang: 'it' },
      principal,
      ACTOR,
    );
    return { ...result, email: person.email };
  }

  /** A motion on a new meeting, its online vote open until the day after tomorrow at 18:00. */
  async function motionWithWindow(type: 'ordinary' | 'admission' = 'ordinary', memberships: { membershipId: string; memberClassId: string }[] = []) {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const motionId = await t.app.services.governance.addMotion(clusterId, meetingId, { agendaItemId, type, title: `Procedura scritta ${type}`, text: 'Il Consiglio delibera per iscritto.', memberships }, ACTOR);
    await t.app.services.governance.openVoting(clusterId, motionId, { closesDate: dayFromNow(2), closesTime: '18:00' }, ACTOR);
    return { meetingId, motionId };
  }

  let setting: WrittenProcedureSetting;
  const vote = (i: number, motionId: string, choice: 'for' | 'against' | 'abstain') => setting.vote(i, motionId, choice);
  const endWindow = (motionId: string) => setting.endWindow(motionId);

  async function auditOf(entityId: string, action: string) {
    return t.database.db.selectFrom('audit_log').select(['actor_label', 'actor_person_id']).where('entity_id', '=', entityId).where('action', '=', action).execute();
  }

  beforeAll(async () => {
    setting = await writtenProcedureSetting(mode, { voting: 3, nonVoting: 0 }, async (app, cluster) => {
      await app.services.memberships.addClass(cluster, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, ACTOR);
    });
    ({ t, smtp, second, clusterId, members, holders } = setting);
    classId = (await t.app.services.memberships.classes(clusterId)).find((c) => c.code === 'ordinario')!.id;
  });
  afterAll(async () => {
    await setting?.close();
  });

  it('refuses to open a vote that no statute rules could count', async () => {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const motionId = await t.app.services.governance.addMotion(clusterId, meetingId, { agendaItemId, type: 'ordinary', title: 'Senza regole', text: 'Testo' }, ACTOR);
    await expect(t.app.services.governance.openVoting(clusterId, motionId, { closesDate: dayFromNow(2), closesTime: '18:00' }, ACTOR)).rejects.toMatchObject({ code: 'governance.no_rules' });
    expect((await t.app.services.governance.motion(clusterId, motionId)).status).toBe('draft');
    await addRules(t.app, clusterId, { managerMayAdmit: false });
  });

  it('settles each ended vote exactly once when two instances run at the same time', async () => {
    const admitted = await application('Bergamo Cosmesi Naturale S.r.l.');
    const pending = await application('Varese Packaging Sostenibile S.r.l.');
    const passes = await motionWithWindow('admission', [{ membershipId: admitted.membershipId, memberClassId: classId }]);
    const fails = await motionWithWindow();
    const lapses = await motionWithWindow('admission', [{ membershipId: pending.membershipId, memberClassId: classId }]);
    const stillOpen = await motionWithWindow();
    for (const [i, c] of (['for', 'for'] as const).entries()) expect((await vote(i, passes.motionId, c)).statusCode).toBe(201);
    for (const [i, c] of (['for', 'against', 'against'] as const).entries()) expect((await vote(i, fails.motionId, c)).statusCode).toBe(201);
    expect((await vote(0, lapses.motionId, 'for')).statusCode).toBe(201);
    expect((await vote(0, stillOpen.motionId, 'for')).statusCode).toBe(201);
    for (const m of [passes, fails, lapses]) await endWindow(m.motionId);

    // After the window nobody votes any more, even before the job has run.
    const late = await vote(2, lapses.motionId, 'for');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('governance.voting_closed');

    smtp.clear();
    const runs = await Promise.all([t.app, second, t.app, second].map((app) => app.services.governance.closeEndedVotes()));
    for (const r of runs) expect(r.failed).toEqual([]);
    expect(runs.flatMap((r) => r.decided).sort()).toEqual([passes.motionId, fails.motionId].sort());
    expect(runs.flatMap((r) => r.lapsed)).toEqual([lapses.motionId]);

    const status = async (id: string) => (await t.app.services.governance.motion(clusterId, id)).status;
    expect(await status(passes.motionId)).toBe('decided');
    expect(await status(fails.motionId)).toBe('decided');
    expect(await status(lapses.motionId)).toBe('lapsed');
    expect(await status(stillOpen.motionId)).toBe('voting');

    // One outcome each, computed with the rules in force on the meeting's day, by the system.
    const outcomes = await t.database.db.selectFrom('board_motion_outcomes').selectAll().where('motion_id', 'in', [passes.motionId, fails.motionId, lapses.motionId]).execute();
    expect(outcomes).toHaveLength(2);
    expect(outcomes.find((o) => o.motion_id === passes.motionId)).toMatchObject({ result: 'passed', votes_for: 2, votes_against: 0, present_seats: 2, quorum_required: 2, decided_by: null });
    expect(outcomes.find((o) => o.motion_id === fails.motionId)).toMatchObject({ result: 'rejected', votes_for: 1, votes_against: 2, present_seats: 3 });
    const inForce = await t.app.services.governance.rulesOn(clusterId, dayFromNow(7));
    for (const o of outcomes) expect(o.rule_version_id).toBe(inForce!.version.id);
    for (const id of [passes.motionId, fails.motionId]) expect(await auditOf(id, 'governance.outcome_recorded')).toEqual([{ actor_label: 'system', actor_person_id: null }]);
    expect(await auditOf(lapses.motionId, 'governance.voting_lapsed')).toEqual([{ actor_label: 'system', actor_person_id: null }]);
    expect(await auditOf(lapses.motionId, 'governance.outcome_recorded')).toEqual([]);

    // The admission moved in the same transaction, once; the applicant heard once.
    const membership = async (id: string) => t.database.db.selectFrom('memberships').select(['status', 'member_class_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await membership(admitted.membershipId)).toEqual({ status: 'admitted', member_class_id: classId });
    expect(await auditOf(admitted.membershipId, 'membership.admit')).toEqual([{ actor_label: 'system', actor_person_id: null }]);
    const events = await t.database.db.selectFrom('membership_events').select('reason').where('membership_id', '=', admitted.membershipId).where('action', '=', 'admit').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toContain(`[motion ${passes.motionId}]`);
    await smtp.waitForMail((m) => m.envelope.to.includes(admitted.email));
    expect(smtp.messages.filter((m) => m.envelope.to.includes(admitted.email))).toHaveLength(1);
    // The lapsed admission decided nothing: the application waits, and may go to a new motion.
    expect((await membership(pending.membershipId)).status).not.toMatch(/admitted|rejected/);
    expect(smtp.messages.filter((m) => m.envelope.to.includes(pending.email))).toHaveLength(0);
    const again = await motionWithWindow('admission', [{ membershipId: pending.membershipId, memberClassId: classId }]);
    expect(await status(again.motionId)).toBe('voting');

    // Idempotent: running again, on either instance, changes nothing.
    const rerun = await Promise.all([t.app.services.governance.closeEndedVotes(), second.services.governance.closeEndedVotes()]);
    expect(rerun.flatMap((r) => [...r.decided, ...r.lapsed, ...r.failed])).toEqual([]);
    expect(await auditOf(passes.motionId, 'governance.outcome_recorded')).toHaveLength(1);
    // The stored outcomes re-derive from the stored votes and rules.
    for (const c of await t.app.services.governance.rederive(clusterId)) expect(c.derived, c.motionId).toEqual(c.stored);
  });

  it('runs as the close_voting_windows job, on one instance at a time', async () => {
    const { motionId } = await motionWithWindow();
    for (const i of [0, 1]) expect((await vote(i, motionId, 'for')).statusCode).toBe(201);
    await endWindow(motionId);
    const db = t.database.db;
    const now = new Date();
    const [a, b] = [t.app.services.jobs, second.services.jobs];
    await Promise.all([a.ensureScheduled(now), b.ensureScheduled(now)]);
    await db.updateTable('scheduled_jobs').set({ next_run_at: new Date(now.getTime() - 1000), locked_until: null }).where('name', '=', 'close_voting_windows').execute();
    const ran = await Promise.all([a.tick(now), b.tick(now)]);
    expect(ran.flat()).toEqual(['close_voting_windows']);
    expect((await t.app.services.governance.motion(clusterId, motionId)).status).toBe('decided');
    const row = await db.selectFrom('scheduled_jobs').selectAll().where('name', '=', 'close_voting_windows').executeTakeFirstOrThrow();
    expect(row.last_error).toBeNull();
    expect(row.next_run_at.getTime()).toBeGreaterThan(now.getTime());
    expect(row.next_run_at.getTime() - now.getTime()).toBeLessThanOrEqual(60_000);
  });

  it('shows an ended vote as closed as soon as a page or the API shows it, without waiting for the job', async () => {
    const decided = await motionWithWindow();
    for (const i of [0, 1]) expect((await vote(i, decided.motionId, 'for')).statusCode).toBe(201);
    const lapsed = await motionWithWindow('ordinary');
    await endWindow(decided.motionId);
    await endWindow(lapsed.motionId);
    const base = (m: { meetingId: string; motionId: string }) => `/cluster/cosmetica/consiglio/riunioni/${m.meetingId}/mozioni/${m.motionId}`;
    const page: LightMyRequestResponse = await holders[2]!.get(base(decided));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="outcome"');
    expect(page.body).toContain('Approvata con 2 favorevoli, 0 contrari e 0 astenuti.');
    expect(page.body).not.toContain(`action="${base(decided)}/voto"`);
    expect(await auditOf(decided.motionId, 'governance.outcome_recorded')).toEqual([{ actor_label: 'system', actor_person_id: null }]);
    // Without a vote, no quorum: the motion lapsed, in both languages.
    const api = await holders[2]!.get(`/api/v1/clusters/cosmetica/meetings/${lapsed.meetingId}`);
    expect(api.json().motions.find((m: { id: string }) => m.id === lapsed.motionId)).toMatchObject({ status: 'lapsed', outcome: null });
    const it = await holders[2]!.get(base(lapsed));
    expect(it.body).toContain('data-testid="lapsed"');
    expect(it.body).toContain('Mozione decaduta: quorum non raggiunto');
    const en = await holders[2]!.get(`${base(lapsed)}?lang=en`);
    expect(en.body).toContain('Motion lapsed: no quorum');
    const meeting = await holders[2]!.get(`/cluster/cosmetica/consiglio/riunioni/${lapsed.meetingId}?lang=it`);
    expect(meeting.body).toContain('Decaduta');
  });
});

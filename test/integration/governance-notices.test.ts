import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/platform/dates.js';
import { addRules, convene, dayFromNow, writtenProcedureSetting, type BoardMember, type WrittenProcedureSetting } from '../factories/governance.js';
import type { TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, signedInClient } from '../support/session.js';
import type { ReceivedMail, TestSmtpServer } from '../support/smtp.js';

const ACTOR = { personId: null, label: 'test' };

// A written procedure (an online vote with a window) is announced to the voting holders when it
// opens, and its outcome (or its lapse) to the whole board when it ends: each mail once, in the
// holder's language, however many times and by whom the vote is closed.
describe.each(DB_MODES)('mails of the written procedure on %s', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  /** A second instance of the application on the same database, as behind a load balancer. */
  let second: FastifyInstance;
  let clusterId: string;
  let clusterName: string;
  let members: BoardMember[];
  let holders: Client[];
  let manager: Client;

  const to = (m: BoardMember) => (mail: ReceivedMail) => mail.envelope.to.includes(m.email);
  const mailsTo = (m: BoardMember, subject: string) => smtp.messages.filter((x) => to(m)(x) && (x.subject ?? '').includes(subject));
  const motionPath = (meetingId: string, motionId: string) => `/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni/${motionId}`;
  let setting: WrittenProcedureSetting;
  const vote = (i: number, motionId: string, choice: 'for' | 'against' | 'abstain') => setting.vote(i, motionId, choice);
  const endWindow = (motionId: string) => setting.endWindow(motionId);

  async function motion(title: string, window = true) {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const motionId = await t.app.services.governance.addMotion(clusterId, meetingId, { agendaItemId, type: 'ordinary', title, text: `Il Consiglio delibera su: ${title}.` }, ACTOR);
    await t.app.services.governance.openVoting(clusterId, motionId, window ? { closesDate: dayFromNow(2), closesTime: '18:00' } : { closesDate: '', closesTime: '' }, ACTOR);
    return { meetingId, motionId };
  }

  async function row(motionId: string) {
    return t.database.db.selectFrom('board_motions').select(['voting_opens_at', 'voting_closes_at', 'status']).where('id', '=', motionId).executeTakeFirstOrThrow();
  }

  beforeAll(async () => {
    setting = await writtenProcedureSetting(mode, { voting: 3, nonVoting: 1 }, (app, cluster) => addRules(app, cluster).then(() => undefined));
    ({ t, smtp, second, clusterId, members, holders } = setting);
    clusterName = (await t.app.services.clusters.getById(clusterId)).cluster.short_name;
    // The second holder reads English.
    await t.database.db.updateTable('people').set({ preferred_lang: 'en' }).where('id', '=', members[1]!.id).execute();
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
  });
  afterAll(async () => {
    await setting?.close();
  });

  it('tells each voting holder, in their language, when a written procedure opens: the motion, the window and the link', async () => {
    smtp.clear();
    const { meetingId, motionId } = await motion('Quota associativa 2027');
    const { voting_opens_at: opens, voting_closes_at: closes } = await row(motionId);
    const link = `${t.config.baseUrl}${motionPath(meetingId, motionId)}`;

    const italian = mailsTo(members[0]!, 'Votazione online');
    expect(italian).toHaveLength(1);
    const mail = italian[0]!;
    expect(mail.subject).toBe(`Votazione online: «Quota associativa 2027» – Consiglio Direttivo di ${clusterName}`);
    expect(mail.text).toContain('Gentile Persona');
    expect(mail.text).toContain('Il Consiglio delibera su: Quota associativa 2027.');
    expect(mail.text).toContain(`Si vota dal ${formatDateTime(opens!, 'it')} al ${formatDateTime(closes!, 'it')} (ora italiana).`);
    expect(formatDateTime(closes!, 'it')).toContain('alle ore 18:00');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);

    const english = mailsTo(members[1]!, 'Online vote');
    expect(english).toHaveLength(1);
    expect(english[0]!.subject).toBe(`Online vote: “Quota associativa 2027” – board of ${clusterName}`);
    expect(english[0]!.text).toContain(`Voting is open from ${formatDateTime(opens!, 'en')} to ${formatDateTime(closes!, 'en')} (Italian time).`);
    expect(english[0]!.text).toContain(link);
    expect(mailsTo(members[1]!, 'Votazione online')).toHaveLength(0);

    expect(mailsTo(members[2]!, 'Votazione online')).toHaveLength(1);
    // The non-voting seat has no vote to cast: no mail (the convocation came, as always).
    expect(mailsTo(members[3]!, 'Votazione online')).toHaveLength(0);
    expect(mailsTo(members[3]!, 'Convocazione')).toHaveLength(1);
    // Opening again is refused and mails nobody.
    const count = smtp.messages.length;
    await expect(t.app.services.governance.openVoting(clusterId, motionId, { closesDate: dayFromNow(3), closesTime: '18:00' }, ACTOR)).rejects.toMatchObject({ code: 'governance.motion_state' });
    expect(smtp.messages).toHaveLength(count);
  });

  it('mails nobody for a vote in the meeting (no window), opened or closed', async () => {
    smtp.clear();
    const { motionId } = await motion('Voto in riunione', false);
    expect((await vote(0, motionId, 'for')).statusCode).toBe(201);
    expect((await vote(1, motionId, 'for')).statusCode).toBe(201);
    await t.app.services.governance.closeVoting(clusterId, motionId, ACTOR);
    expect((await row(motionId)).status).toBe('decided');
    // Only the convocation of its meeting.
    expect(smtp.messages.map((m) => m.subject).filter((s) => !s?.startsWith('Convocazione') && !s?.startsWith('Board of'))).toEqual([]);
  });

  it('sends the outcome, or the lapse, to the whole board once, however many times the window is closed', async () => {
    const passes = await motion('Bilancio consuntivo');
    const lapses = await motion('Regolamento interno');
    for (const i of [0, 1]) expect((await vote(i, passes.motionId, 'for')).statusCode).toBe(201);
    await endWindow(passes.motionId);
    await endWindow(lapses.motionId);
    smtp.clear();

    // The job on two instances at once, twice each: every motion is settled once.
    const runs = await Promise.all([t.app, second, t.app, second].map((app) => app.services.governance.closeEndedVotes()));
    expect(runs.flatMap((r) => r.decided)).toEqual([passes.motionId]);
    expect(runs.flatMap((r) => r.lapsed)).toEqual([lapses.motionId]);
    const { voting_closes_at: closedAt } = await row(passes.motionId);
    const { voting_closes_at: lapsedAt } = await row(lapses.motionId);

    for (const m of [members[0]!, members[2]!, members[3]!]) {
      const decided = mailsTo(m, 'Esito della votazione');
      expect(decided, m.email).toHaveLength(1);
      expect(decided[0]!.subject).toBe(`Esito della votazione «Bilancio consuntivo»: Approvata – Consiglio Direttivo di ${clusterName}`);
      expect(decided[0]!.text).toContain(`si è chiusa il ${formatDateTime(closedAt!, 'it')} (ora italiana).`);
      expect(decided[0]!.text).toContain('Approvata con 2 favorevoli, 0 contrari e 0 astenuti.');
      expect(decided[0]!.text).toContain(`${t.config.baseUrl}${motionPath(passes.meetingId, passes.motionId)}`);
      const lapsed = mailsTo(m, 'Mozione decaduta');
      expect(lapsed, m.email).toHaveLength(1);
      expect(lapsed[0]!.subject).toBe(`Mozione decaduta: «Regolamento interno» – Consiglio Direttivo di ${clusterName}`);
      expect(lapsed[0]!.text).toContain(`si è chiusa il ${formatDateTime(lapsedAt!, 'it')} (ora italiana) senza il quorum: posti presenti o rappresentati 0, necessari 2.`);
    }
    expect(mailsTo(members[1]!, 'Result of the vote on “Bilancio consuntivo”: Passed')).toHaveLength(1);
    expect(mailsTo(members[1]!, 'Motion lapsed: “Regolamento interno”')).toHaveLength(1);
    expect(mailsTo(members[1]!, 'Passed')[0]!.text).toContain('Passed with 2 for, 0 against and 0 abstentions.');
    const total = smtp.messages.length;
    expect(total).toBe(2 * members.length);

    // Nothing more: the job again (as a scheduled run), a manual close, the pages that settle on read.
    await Promise.all([t.app.services.governance.closeEndedVotes(), second.services.governance.closeEndedVotes()]);
    const now = new Date();
    await t.app.services.jobs.ensureScheduled(now);
    await t.database.db.updateTable('scheduled_jobs').set({ next_run_at: new Date(now.getTime() - 1000), locked_until: null }).where('name', '=', 'close_voting_windows').execute();
    expect(await t.app.services.jobs.tick(now)).toEqual(['close_voting_windows']);
    await expect(t.app.services.governance.closeVoting(clusterId, passes.motionId, ACTOR)).rejects.toMatchObject({ code: 'governance.motion_state' });
    const closeAgain = await manager.postForm(`${motionPath(passes.meetingId, passes.motionId)}/chiudi`, {});
    expect(closeAgain.statusCode).toBe(409);
    for (const m of [passes, lapses]) expect((await holders[0]!.get(motionPath(m.meetingId, m.motionId))).statusCode).toBe(200);
    expect(smtp.messages).toHaveLength(total);
  });

  it('sends the outcome once when an officer closes the written procedure before its end', async () => {
    const early = await motion('Chiusura anticipata');
    for (const i of [0, 1, 2]) expect((await vote(i, early.motionId, 'for')).statusCode).toBe(201);
    smtp.clear();
    const [a, b] = await Promise.allSettled([
      manager.postForm(`${motionPath(early.meetingId, early.motionId)}/chiudi`, {}),
      second.services.governance.closeVoting(clusterId, early.motionId, ACTOR),
    ]);
    // One of the two closes it, the other finds it closed.
    const firstClosed = a.status === 'fulfilled' && a.value.statusCode === 303;
    const secondClosed = b.status === 'fulfilled';
    expect(Number(firstClosed) + Number(secondClosed)).toBe(1);
    for (const m of members) expect(smtp.messages.filter(to(m)), m.email).toHaveLength(1);
    expect(mailsTo(members[0]!, 'Esito della votazione')[0]!.text).toContain('Approvata con 3 favorevoli, 0 contrari e 0 astenuti.');
  });

  it('words the vote on the motion page by its state, in both languages', async () => {
    const page = async (m: { meetingId: string; motionId: string }, lang: 'it' | 'en') => {
      const res = await holders[0]!.get(`${motionPath(m.meetingId, m.motionId)}?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      return /data-testid="voting-window">([^<]*)</.exec(res.body)?.[1];
    };
    const open = await motion('Pagina aperta');
    const { voting_opens_at: opens, voting_closes_at: closes } = await row(open.motionId);
    const span = (lang: 'it' | 'en') => ({ from: formatDateTime(opens!, lang), to: formatDateTime(closes!, lang) });
    expect(await page(open, 'it')).toBe(`Votazione aperta dal ${span('it').from} al ${span('it').to}`);
    expect(await page(open, 'en')).toBe(`Voting open from ${span('en').from} to ${span('en').to}`);

    const decided = await motion('Pagina decisa');
    for (const i of [0, 1]) expect((await vote(i, decided.motionId, 'against')).statusCode).toBe(201);
    await endWindow(decided.motionId);
    const lapsed = await motion('Pagina decaduta');
    await endWindow(lapsed.motionId);
    // The page settles both on read; then it says how each ended.
    const settledText = await page(decided, 'it');
    const d = await row(decided.motionId);
    const window = (r: typeof d, lang: 'it' | 'en') => ({ from: formatDateTime(r.voting_opens_at!, lang), to: formatDateTime(r.voting_closes_at!, lang) });
    expect(settledText).toBe(`Votazione dal ${window(d, 'it').from} al ${window(d, 'it').to}, chiusa: mozione respinta`);
    expect(await page(decided, 'en')).toBe(`Voting from ${window(d, 'en').from} to ${window(d, 'en').to}, closed: motion rejected`);
    expect((await row(decided.motionId)).status).toBe('decided');
    const lapsedText = await page(lapsed, 'it');
    const l = await row(lapsed.motionId);
    expect(lapsedText).toBe(`Votazione dal ${window(l, 'it').from} al ${window(l, 'it').to}, chiusa senza quorum: mozione decaduta`);
    expect(await page(lapsed, 'en')).toBe(`Voting from ${window(l, 'en').from} to ${window(l, 'en').to}, closed without a quorum: motion lapsed`);
    expect((await row(lapsed.motionId)).status).toBe('lapsed');
    for (const m of [decided, lapsed]) {
      const body = (await holders[0]!.get(motionPath(m.meetingId, m.motionId))).body;
      expect(body).not.toContain('Votazione aperta');
    }
  });
});

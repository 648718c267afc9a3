import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationInputFromForm } from '../../src/features/organisations/routes.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { addRules, buildBoard, convene, dayFromNow, TINY_PDF, uploadDocument, type BoardMember } from '../factories/governance.js';
import { organisationForm } from '../factories/organisations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, createPerson, signedInClient } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const ACTOR = { personId: null, label: 'test' };
const REGION: Principal = { personId: '00000000-0000-4000-8000-000000000001', email: 'region@example.org', displayName: 'Region', lang: 'it', grants: [{ role: 'region_admin', clusterId: null, organisationId: null }], sessionHash: '' };

/** The stable code of a refusal, from a JSON error or an HTML page. */
function codeOf(res: LightMyRequestResponse): string | undefined {
  if (res.headers['content-type']?.toString().startsWith('application/json')) return res.json().error?.code;
  return /data-error-code="([^"]+)"/.exec(res.body)?.[1];
}

describe.each(DB_MODES)('the board (Consiglio Direttivo) on %s', (mode) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let clusterId: string;
  let members: BoardMember[];
  let holders: Client[];
  let manager: Client;
  let classId: string;
  let publicBefore: LightMyRequestResponse;
  let publicPageBefore: LightMyRequestResponse;

  /** Everything that a refused request must leave as it was. */
  async function snapshot() {
    const db = t.database.db;
    const count = async (table: 'board_votes' | 'board_meetings' | 'board_motions' | 'board_motion_outcomes' | 'board_seat_holdings' | 'board_documents' | 'audit_log' | 'board_attendance' | 'board_seats') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const memberships = await db.selectFrom('memberships').select(['id', 'status']).orderBy('id').execute();
    const minutes = await db.selectFrom('board_minutes').select(['id', 'body', 'status', 'revision']).orderBy('id').execute();
    return {
      votes: await count('board_votes'),
      meetings: await count('board_meetings'),
      motions: await count('board_motions'),
      outcomes: await count('board_motion_outcomes'),
      holdings: await count('board_seat_holdings'),
      seats: await count('board_seats'),
      documents: await count('board_documents'),
      attendance: await count('board_attendance'),
      audit: await count('audit_log'),
      memberships,
      minutes,
    };
  }

  async function expectRefused(res: LightMyRequestResponse, status: number, code: string, before: Awaited<ReturnType<typeof snapshot>>) {
    expect(res.statusCode, res.body.slice(0, 400)).toBe(status);
    expect(codeOf(res)).toBe(code);
    expect(await snapshot()).toEqual(before);
  }

  /** A verified application to the cosmetics cluster from a new organisation. */
  async function application(name: string) {
    const person = await createPerson(t.app, null);
    const principal: Principal = { personId: person.id, email: person.email, displayName: 'Applicant', lang: 'en', grants: [], sessionHash: '' };
    const result = await t.app.services.memberships.apply(
      { clusterSlug: 'cosmetica', organisation: organisationInputFromForm(organisationForm({ legalName: name })), motivation: 'Formulazioni naturali.', lang: 'en' },
      principal,
      ACTOR,
    );
    return { ...result, email: person.email };
  }

  async function openMotion(type: 'ordinary' | 'admission' = 'ordinary', memberships: { membershipId: string; memberClassId: string }[] = []) {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    const motionId = await t.app.services.governance.addMotion(clusterId, meetingId, { agendaItemId, type, title: `Mozione ${type}`, text: 'Il Consiglio delibera.', memberships }, ACTOR);
    await t.app.services.governance.openVoting(clusterId, motionId, { closesDate: '', closesTime: '' }, ACTOR);
    return { meetingId, agendaItemId, motionId };
  }

  const vote = (client: Client, motionId: string, choice: string, seatId?: string) =>
    client.sendJson('POST', `/api/v1/clusters/cosmetica/motions/${motionId}/votes`, { choice, ...(seatId ? { seatId } : {}) });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(mode, { SMTP_URL: smtp.url });
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    publicBefore = await t.app.inject({ url: '/api/v1/clusters/cosmetica/board' });
    publicPageBefore = await t.app.inject({ url: '/cluster/cosmetica/consiglio' });
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, ACTOR);
    classId = (await t.app.services.memberships.classes(clusterId)).find((c) => c.code === 'ordinario')!.id;
    await addRules(t.app, clusterId);
    ({ members } = await buildBoard(t.app, 'cosmetica', { voting: 3, nonVoting: 1 }));
    holders = [];
    for (const m of members) {
      const c = new Client(t.app);
      await c.signIn(m.email, m.password);
      holders.push(c);
    }
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('shows the seeded cosmetics board honestly: in office since 16 January 2026, no invented members', async () => {
    expect(publicBefore.statusCode).toBe(200);
    expect(publicBefore.json()).toMatchObject({ inOfficeSince: '2026-01-16', membersPublished: false, seats: [] });
    expect(publicPageBefore.body).toContain('In carica dal 16 gennaio 2026');
    expect(publicPageBefore.body).toContain('data-testid="board-empty"');
    // Once holders are appointed, the public page lists them (and only what is public).
    const after = (await t.app.inject({ url: '/api/v1/clusters/cosmetica/board' })).json();
    expect(after.membersPublished).toBe(true);
    expect(after.seats.filter((s: { holder: unknown }) => s.holder)).toHaveLength(4);
    expect(JSON.stringify(after)).not.toContain('@example.org');
  });

  it('convenes a meeting and mails every holder an iCalendar invitation', async () => {
    smtp.clear();
    const res = await manager.postForm('/cluster/cosmetica/consiglio/riunioni', {
      title: 'Consiglio di dicembre',
      date: dayFromNow(10),
      time: '15:00',
      endTime: '17:00',
      place: 'Crema',
      videoUrl: '',
      agenda: '1. Ammissioni\n2. Bilancio preventivo',
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const mail = await smtp.waitForMail((m) => m.envelope.to.includes(members[0]!.email));
    expect(mail.subject).toContain('Convocazione del Consiglio Direttivo di Sistema Cosmetico');
    const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    const text = ics?.content.toString() ?? '';
    expect(text).toContain('METHOD:REQUEST');
    expect(text).toContain('SUMMARY:Consiglio Direttivo di Sistema Cosmetico: Consiglio di dicembre');
    // 15:00 in Rome in December is 14:00 UTC.
    expect(text).toMatch(/DTSTART:\d{8}T140000Z/);
    for (const m of members) await smtp.waitForMail((x) => x.envelope.to.includes(m.email));
    const page = await holders[2]!.get(res.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bilancio preventivo');
    expect(page.body).toContain('data-testid="quorum"');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'governance.meeting_convened').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses a convocation in the past, in Italian and English, and changes nothing', async () => {
    const before = await snapshot();
    const form = { title: 'Nel passato', date: dayFromNow(-1), time: '10:00', endTime: '11:00', place: 'Crema', agenda: 'Punto' };
    const it = await manager.postForm('/cluster/cosmetica/consiglio/riunioni', form);
    await expectRefused(it, 400, 'governance.convocation_in_past', before);
    expect(it.body).toContain('La riunione non può essere convocata nel passato.');
    const en = await manager.postForm('/cluster/cosmetica/consiglio/riunioni?lang=en', form);
    await expectRefused(en, 400, 'governance.convocation_in_past', before);
    expect(en.body).toContain('A meeting cannot be convened in the past.');
  });

  it('counts concurrent casts of the same seat once', async () => {
    const { motionId } = await openMotion();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => vote(holders[0]!, motionId, i % 2 ? 'for' : 'against')));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('governance.already_voted');
    const votes = await t.database.db.selectFrom('board_votes').selectAll().where('motion_id', '=', motionId).execute();
    expect(votes).toHaveLength(1);
  });

  it('refuses a second vote, a non-voting seat, a non-holder and a vote after the close, with stable codes', async () => {
    const { motionId, meetingId } = await openMotion();
    expect((await vote(holders[0]!, motionId, 'for')).statusCode).toBe(201);
    expect((await vote(holders[1]!, motionId, 'for')).statusCode).toBe(201);

    const { client: boardGrantOnly } = await signedInClient(t.app, 'board_member', { clusterSlug: 'cosmetica' });
    let before = await snapshot();
    await expectRefused(await vote(holders[0]!, motionId, 'against'), 409, 'governance.already_voted', before);
    await expectRefused(await vote(holders[3]!, motionId, 'for'), 409, 'governance.seat_not_voting', before);
    // A board grant without a seat (term over, or never appointed) is refused at the door.
    await expectRefused(await vote(boardGrantOnly, motionId, 'for'), 403, 'auth.forbidden', before);
    await expectRefused(await vote(manager, motionId, 'for'), 403, 'governance.not_a_holder', before);
    // A holder may not vote for another seat whose proxy they do not carry.
    await expectRefused(await vote(holders[0]!, motionId, 'for', members[2]!.seatId), 403, 'governance.not_a_holder', before);
    const en = await manager.request({ method: 'POST', url: `/api/v1/clusters/cosmetica/motions/${motionId}/votes?lang=en`, payload: { choice: 'for' }, headers: { 'x-csrf-token': manager.csrfToken } });
    expect(en.json().error.message).toBe('You do not hold a voting seat at this meeting, nor carry a proxy for one.');

    const closed = await manager.postForm(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni/${motionId}/chiudi`, {});
    expect(closed.statusCode).toBe(303);
    before = await snapshot();
    await expectRefused(await vote(holders[2]!, motionId, 'against'), 409, 'governance.voting_closed', before);
    const page = await holders[2]!.postForm(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni/${motionId}/voto`, { choice: 'against' });
    await expectRefused(page, 409, 'governance.voting_closed', before);
    expect(page.body).toContain('La votazione su questa mozione è chiusa');
  });

  it('refuses to compute an outcome without quorum and leaves the vote open', async () => {
    const { motionId, meetingId } = await openMotion();
    expect((await vote(holders[0]!, motionId, 'for')).statusCode).toBe(201);
    const before = await snapshot();
    const res = await manager.postForm(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni/${motionId}/chiudi?lang=it`, {});
    await expectRefused(res, 409, 'governance.no_quorum', before);
    expect(res.body).toContain('Quorum non raggiunto: posti con diritto di voto presenti o rappresentati 1, ne servono 2.');
    expect((await t.app.services.governance.motion(clusterId, motionId)).status).toBe('voting');
  });

  it('refuses the vote of a holder whose organisation is suspended', async () => {
    const { motionId } = await openMotion();
    const orgId = (await t.database.db.selectFrom('board_seat_holdings').select('organisation_id').where('id', '=', members[2]!.holdingId).executeTakeFirstOrThrow()).organisation_id;
    const membership = await t.database.db.selectFrom('memberships').select('id').where('organisation_id', '=', orgId).where('cluster_id', '=', clusterId).executeTakeFirstOrThrow();
    await t.app.services.memberships.transition({ membershipId: membership.id, action: 'suspend', reason: 'Quota non versata' }, REGION, ACTOR);
    try {
      const before = await snapshot();
      await expectRefused(await vote(holders[2]!, motionId, 'for'), 409, 'governance.holder_suspended', before);
    } finally {
      await t.app.services.memberships.transition({ membershipId: membership.id, action: 'reinstate' }, REGION, ACTOR);
    }
  });

  it('refuses overlapping terms, a second seat for one person and a full constituency', async () => {
    const orgId = (await t.app.services.memberships.admittedOrganisations(clusterId))[5]!.id;
    const newcomer = await createPerson(t.app, null);
    let before = await snapshot();
    const overlap = await manager.postForm(`/cluster/cosmetica/gestione/consiglio/seggi/${members[1]!.seatId}/titolari`, {
      email: newcomer.email,
      organisationId: orgId,
      role: 'member',
      termStart: '2027-01-01',
      termEnd: '2030-01-01',
    });
    await expectRefused(overlap, 409, 'governance.terms_overlap', before);
    const constituency = (await t.database.db.selectFrom('board_seats').select('constituency_id').where('id', '=', members[0]!.seatId).executeTakeFirstOrThrow()).constituency_id;
    const full = await manager.postForm('/cluster/cosmetica/gestione/consiglio/seggi', { constituencyId: constituency, voting: 'yes' });
    await expectRefused(full, 409, 'governance.constituency_full', before);
    // A new constituency with a free seat: the holder of another seat cannot take it too.
    const other = await t.app.services.governance.addConstituency(clusterId, { code: 'universita', nameIt: 'Università e ricerca', nameEn: 'Universities and research', maxSeats: '1' }, ACTOR);
    const seat = await t.app.services.governance.addSeat(clusterId, { constituencyId: other, voting: true }, ACTOR);
    before = await snapshot();
    const twice = await manager.postForm(`/cluster/cosmetica/gestione/consiglio/seggi/${seat}/titolari`, { email: members[0]!.email, organisationId: orgId, role: 'member', termStart: '2026-06-01', termEnd: '2027-06-01' });
    await expectRefused(twice, 409, 'governance.person_has_seat', before);
    // An organisation that is not an admitted member (nor the coordinator) cannot be represented.
    const applicant = await application('Non Ancora Socia S.r.l.');
    const notMember = await manager.postForm(`/cluster/cosmetica/gestione/consiglio/seggi/${seat}/titolari`, { email: newcomer.email, organisationId: applicant.organisationId, role: 'member', termStart: '2026-06-01', termEnd: '2027-06-01' });
    await expectRefused(notMember, 409, 'governance.holder_not_member', await snapshot());
    // The database refuses an overlap written around the service as well.
    await expect(
      t.database.db
        .insertInto('board_seat_holdings')
        .values({ seat_id: members[0]!.seatId, cluster_id: clusterId, person_id: newcomer.id, organisation_id: orgId, role: 'member', term_start: '2027-01-01', term_end: '2027-12-31' })
        .execute(),
    ).rejects.toThrow(/overlap/);
  });

  it('refuses a motion on a closed meeting', async () => {
    const { meetingId, agendaItemId } = await convene(t.app, clusterId);
    await t.app.services.governance.closeMeeting(clusterId, meetingId, ACTOR);
    const before = await snapshot();
    const res = await manager.postForm(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni`, { agendaItemId, type: 'ordinary', title: 'Tardiva', text: 'Testo' });
    await expectRefused(res, 409, 'governance.meeting_closed', before);
  });

  it('refuses an oversized or non-PDF attachment and keeps a real PDF', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    const upload = (name: string, data: Buffer) => uploadDocument(manager, 'cosmetica', meetingId, name, data);
    /** The files under DATA_DIR/documents (the default storage). */
    const files = () => {
      const root = path.join(t.config.dataDir, 'documents');
      return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];
    };
    expect(t.app.services.governance.documents.storage.kind).toBe('disk');
    await manager.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}`);
    const before = await snapshot();
    const filesBefore = files();
    await expectRefused(await upload('finto.pdf', Buffer.from('<html>not a pdf</html>')), 415, 'governance.document_not_pdf', before);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    await expectRefused(await upload('grande.pdf', big), 413, 'governance.document_too_large', before);
    expect(files()).toEqual(filesBefore);
    const pdf = TINY_PDF;
    const ok = await upload('Relazione «bilancio».pdf', pdf);
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
    const doc = await t.database.db.selectFrom('board_documents').selectAll().where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ filename: 'Relazione «bilancio».pdf', size_bytes: pdf.length, mime: 'application/pdf' });
    expect(files()).toEqual([...filesBefore, path.join(t.config.dataDir, 'documents', doc.storage_key)]);
    const download = await holders[3]!.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await new Client(t.app).get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`)).statusCode).toBe(303);
    // A file lost behind the application's back is a 404, as in an S3 bucket.
    fs.rmSync(path.join(t.config.dataDir, 'documents', doc.storage_key));
    expect((await holders[3]!.get(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/documenti/${doc.id}`)).statusCode).toBe(404);
  });

  it('admits applicants by a board motion in one transaction, notifies them, and blocks the manager’s direct decision', async () => {
    const first = await application('Lodi Cosmesi S.r.l.');
    const second = await application('Monza Packaging S.r.l.');
    // The rules in force give admissions to the board: a manager's direct admission is refused.
    const direct = await manager.sendJson('POST', `/api/v1/memberships/${first.membershipId}/transitions`, { action: 'admit', memberClass: 'ordinario' });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().error.code).toBe('membership.decision_by_board');
    const { motionId, meetingId } = await openMotion('admission', [
      { membershipId: first.membershipId, memberClassId: classId },
      { membershipId: second.membershipId, memberClassId: classId },
    ]);
    expect((await vote(holders[0]!, motionId, 'for')).statusCode).toBe(201);
    expect((await vote(holders[1]!, motionId, 'for')).statusCode).toBe(201);
    expect((await vote(holders[2]!, motionId, 'abstain')).statusCode).toBe(201);
    smtp.clear();
    const closed = await manager.postForm(`/cluster/cosmetica/consiglio/riunioni/${meetingId}/mozioni/${motionId}/chiudi`, {});
    expect(closed.statusCode, closed.body.slice(0, 400)).toBe(303);
    const outcome = await t.database.db.selectFrom('board_motion_outcomes').selectAll().where('motion_id', '=', motionId).executeTakeFirstOrThrow();
    expect(outcome).toMatchObject({ result: 'passed', votes_for: 2, votes_against: 0, abstentions: 1, voting_seats: 3, present_seats: 3, quorum_required: 2, majority: 'simple', required_for: 2 });
    for (const a of [first, second]) {
      const m = await t.database.db.selectFrom('memberships').select(['status', 'member_class_id']).where('id', '=', a.membershipId).executeTakeFirstOrThrow();
      expect(m).toEqual({ status: 'admitted', member_class_id: classId });
      const event = await t.database.db.selectFrom('membership_events').select(['action', 'reason']).where('membership_id', '=', a.membershipId).where('action', '=', 'admit').executeTakeFirstOrThrow();
      expect(event.reason).toContain(`[motion ${motionId}]`);
      const mail = await smtp.waitForMail((x) => x.envelope.to.includes(a.email));
      expect(mail.subject).toContain('Ammessa');
    }
    const directory = (await t.app.inject({ url: '/api/v1/clusters/cosmetica/members?q=Lodi%20Cosmesi' })).json();
    expect(directory.items.map((o: { name: string }) => o.name)).toContain('Lodi Cosmesi S.r.l.');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', 'in', [motionId, first.membershipId]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['governance.motion_created', 'governance.voting_opened', 'governance.outcome_recorded', 'membership.admit']));
    // A motion that fails rejects its applications, with the motion as the reason.
    const third = await application('Cremona Lab S.r.l.');
    const failing = await openMotion('admission', [{ membershipId: third.membershipId, memberClassId: classId }]);
    for (const [i, c] of (['against', 'against', 'for'] as const).entries()) expect((await vote(holders[i]!, failing.motionId, c)).statusCode).toBe(201);
    await t.app.services.governance.closeVoting(clusterId, failing.motionId, ACTOR);
    expect((await t.database.db.selectFrom('memberships').select('status').where('id', '=', third.membershipId).executeTakeFirstOrThrow()).status).toBe('rejected');
  });

  it('records attendance with proxies within the statute’s limit', async () => {
    const { meetingId, motionId } = await openMotion();
    const base = `/cluster/cosmetica/consiglio/riunioni/${meetingId}`;
    const ok = await manager.postForm(`${base}/presenze`, { [`att.${members[0]!.seatId}`]: 'present', [`att.${members[1]!.seatId}`]: 'proxy', [`proxy.${members[1]!.seatId}`]: members[0]!.seatId });
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
    const before = await snapshot();
    const over = await manager.postForm(`${base}/presenze`, { [`att.${members[2]!.seatId}`]: 'proxy', [`proxy.${members[2]!.seatId}`]: members[0]!.seatId });
    await expectRefused(over, 409, 'governance.proxy_limit', before);
    // The delegate votes for the represented seat; the represented holder no longer can.
    expect((await vote(holders[0]!, motionId, 'for', members[1]!.seatId)).statusCode).toBe(201);
    expect((await vote(holders[0]!, motionId, 'for')).statusCode).toBe(201);
    await expectRefused(await vote(holders[1]!, motionId, 'against'), 409, 'governance.absent', await snapshot());
    const outcome = await t.app.services.governance.closeVoting(clusterId, motionId, ACTOR);
    expect(outcome).toMatchObject({ result: 'passed', votes_for: 2, present_seats: 2 });
  });

  it('drafts minutes from the meeting, approves them, then refuses any change (service and database)', async () => {
    const { meetingId } = await openMotion();
    const base = `/cluster/cosmetica/consiglio/riunioni/${meetingId}`;
    expect((await holders[1]!.postForm(`${base}/verbale`, {})).statusCode).toBe(303);
    const minutes = await t.database.db.selectFrom('board_minutes').selectAll().where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    expect(minutes.body).toContain('Verbale della riunione del Consiglio Direttivo di Sistema Cosmetico');
    expect(minutes.body).toContain('Quorum:');
    expect((await holders[1]!.postForm(`${base}/verbale/${minutes.id}`, { body: `${minutes.body}\nIntegrazione.` })).statusCode).toBe(303);
    // An ordinary holder cannot edit.
    expect((await holders[2]!.postForm(`${base}/verbale/${minutes.id}`, { body: 'x' })).statusCode).toBe(403);
    expect((await manager.postForm(`${base}/verbale/${minutes.id}/approva`, {})).statusCode).toBe(303);
    const before = await snapshot();
    const edit = await holders[1]!.postForm(`${base}/verbale/${minutes.id}`, { body: 'Riscritto' });
    await expectRefused(edit, 409, 'governance.minutes_approved', before);
    await expect(t.database.db.updateTable('board_minutes').set({ body: 'Riscritto' }).where('id', '=', minutes.id).execute()).rejects.toThrow(/immutable/);
    await expect(t.database.db.deleteFrom('board_minutes').where('id', '=', minutes.id).execute()).rejects.toThrow(/immutable/);
    const page = await holders[3]!.get(`${base}/verbale`);
    expect(page.body).not.toContain(`action="${base}/verbale/${minutes.id}"`);
    expect(page.body).toContain('data-testid="minutes-status"');
    const amend = await manager.postForm(`${base}/verbale/${minutes.id}/rettifica`, { amendment: 'Al punto 1 si legga «bilancio preventivo».' });
    expect(amend.statusCode).toBe(303);
    const amendment = await t.database.db.selectFrom('board_minutes').selectAll().where('amends_id', '=', minutes.id).executeTakeFirstOrThrow();
    expect(amendment).toMatchObject({ kind: 'amendment', status: 'draft' });
    const pdf = await holders[3]!.get(`${base}/verbale.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('approves minutes through a later minutes-approval motion', async () => {
    const earlier = await convene(t.app, clusterId);
    const minutesId = await t.app.services.governance.draftMinutes(clusterId, earlier.meetingId, 'it', ACTOR);
    const { meetingId, agendaItemId } = await convene(t.app, clusterId, 14);
    const motionId = await t.app.services.governance.addMotion(clusterId, meetingId, { agendaItemId, type: 'minutes_approval', title: 'Approvazione del verbale', text: 'Si approva.', minutesId }, ACTOR);
    await t.app.services.governance.openVoting(clusterId, motionId, { closesDate: '', closesTime: '' }, ACTOR);
    for (const i of [0, 1]) expect((await vote(holders[i]!, motionId, 'for')).statusCode).toBe(201);
    await t.app.services.governance.closeVoting(clusterId, motionId, ACTOR);
    const minutes = await t.database.db.selectFrom('board_minutes').selectAll().where('id', '=', minutesId).executeTakeFirstOrThrow();
    expect(minutes).toMatchObject({ status: 'approved', approved_by_motion_id: motionId });
  });

  it('serves a private calendar feed that stops working once revoked', async () => {
    const res = await holders[0]!.postForm('/consiglio/calendario', {});
    const url = /data-testid="feed-url"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="feed-url"/.exec(res.body)!;
    const path = new URL((url[1] ?? url[2])!).pathname;
    const feed = await t.app.inject({ url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body).toContain('BEGIN:VEVENT');
    expect(feed.body).toContain('Consiglio di dicembre');
    const stored = await t.database.db.selectFrom('calendar_feed_tokens').select('token_hash').where('person_id', '=', members[0]!.id).execute();
    expect(stored.every((s) => !path.includes(s.token_hash))).toBe(true);
    // A new address replaces the previous one, which stops working at once.
    const rotated = await holders[0]!.postForm('/consiglio/calendario', {});
    const next = /data-testid="feed-url"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="feed-url"/.exec(rotated.body)!;
    const nextPath = new URL((next[1] ?? next[2])!).pathname;
    expect(nextPath).not.toBe(path);
    expect((await t.app.inject({ url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ url: nextPath })).statusCode).toBe(200);
    expect((await holders[0]!.postForm('/consiglio/calendario/revoca', {})).statusCode).toBe(303);
    const revoked = await t.app.inject({ url: nextPath });
    expect(revoked.statusCode).toBe(404);
    expect(revoked.headers['content-type']).not.toContain('text/calendar');
  });

  it('mails a change and a cancellation with the same calendar event (same UID, higher SEQUENCE)', async () => {
    const { meetingId } = await convene(t.app, clusterId, 20);
    const base = `/cluster/cosmetica/consiglio/riunioni/${meetingId}`;
    const uidOf = (ics: string) => /^UID:(.+)$/m.exec(ics)?.[1]?.trim();
    const icsOf = (mail: Awaited<ReturnType<typeof smtp.waitForMail>>) => mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!.content.toString();
    const convened = icsOf(await smtp.waitForMail((m) => m.envelope.to.includes(members[1]!.email) && icsOf(m).includes(meetingId)));
    smtp.clear();
    await manager.get(base);
    const moved = await manager.postForm(`${base}/modifica`, {
      'change.title': 'Riunione ordinaria (spostata)',
      'change.date': dayFromNow(21),
      'change.time': '16:00',
      'change.endTime': '18:00',
      'change.place': 'Crema, sala consiliare',
      'change.videoUrl': '',
    });
    expect(moved.statusCode, moved.body.slice(0, 300)).toBe(303);
    const update = await smtp.waitForMail((m) => m.envelope.to.includes(members[1]!.email));
    expect(update.subject).toContain('Aggiornamento: Consiglio Direttivo di Sistema Cosmetico');
    const updated = icsOf(update);
    expect(updated).toContain('METHOD:REQUEST');
    expect(updated).toContain('SEQUENCE:1');
    expect(updated).toContain('LOCATION:Crema\\, sala consiliare');
    expect(uidOf(updated)).toBe(uidOf(convened));
    smtp.clear();
    expect((await manager.postForm(`${base}/annulla`, {})).statusCode).toBe(303);
    const cancellation = await smtp.waitForMail((m) => m.envelope.to.includes(members[1]!.email));
    expect(cancellation.subject).toContain('Annullata');
    const cancelled = icsOf(cancellation);
    expect(cancelled).toContain('METHOD:CANCEL');
    expect(cancelled).toContain('SEQUENCE:2');
    expect(uidOf(cancelled)).toBe(uidOf(convened));
    // A cancelled meeting takes no change any more.
    const before = await snapshot();
    const late = await manager.postForm(`${base}/punti`, { itemTitle: 'Tardivo', itemDescription: '' });
    await expectRefused(late, 409, 'governance.meeting_closed', before);
  });

  it('lets a manager publish a public summary of a meeting, shown on the public board page', async () => {
    const { meetingId } = await convene(t.app, clusterId);
    const base = `/cluster/cosmetica/consiglio/riunioni/${meetingId}`;
    const summary = 'Il Consiglio ha ammesso due nuovi soci e approvato il bilancio preventivo.';
    // The board's officers run the meeting, but only a manager (or the Region) speaks to the public.
    await holders[0]!.get(`${base}/verbale`);
    expect((await holders[0]!.postForm(`${base}/sintesi`, { summary: 'Anticipazione' })).statusCode).toBe(403);
    await manager.get(`${base}/verbale`);
    expect((await manager.postForm(`${base}/sintesi`, { summary })).statusCode).toBe(303);
    const api = (await t.app.inject({ url: '/api/v1/clusters/cosmetica/board' })).json();
    expect(api.summaries).toContainEqual({ meetingTitle: 'Riunione ordinaria', date: dayFromNow(7), summary });
    const page = await t.app.inject({ url: '/cluster/cosmetica/consiglio' });
    expect(page.body).toContain(summary);
    // The minutes themselves stay private.
    expect((await new Client(t.app).get(`${base}/verbale`)).statusCode).toBe(303);
    // Withdrawing it (an empty summary) takes it off the public page.
    expect((await manager.postForm(`${base}/sintesi`, { summary: '' })).statusCode).toBe(303);
    expect((await t.app.inject({ url: '/cluster/cosmetica/consiglio' })).body).not.toContain(summary);
  });

  it('re-derives every stored outcome from the stored votes, attendance and the rules in force', async () => {
    const checks = await t.app.services.governance.rederive(clusterId);
    expect(checks.length).toBeGreaterThanOrEqual(4);
    for (const c of checks) {
      expect(c.derived, `motion ${c.motionId}`).toEqual(c.stored);
      expect(c.ruleVersionOk).toBe(true);
    }
    // Votes and outcomes are never rewritten.
    await expect(t.database.db.updateTable('board_votes').set({ choice: 'against' }).execute()).rejects.toThrow(/never changed/);
    await expect(t.database.db.updateTable('board_motion_outcomes').set({ result: 'rejected' }).execute()).rejects.toThrow(/never changed/);
    // A new rule version cannot reach back before a decided meeting.
    await expect(addRules(t.app, clusterId, { validFrom: '2026-06-01' })).rejects.toMatchObject({ code: 'governance.rules_retroactive' });
  });

  it('keeps the audit trail of every step', async () => {
    const actions = (await t.database.db.selectFrom('audit_log').select('action').distinct().where('action', 'like', 'governance.%').execute()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'governance.rules_versioned',
        'governance.constituency_created',
        'governance.seat_created',
        'governance.holder_appointed',
        'governance.meeting_convened',
        'governance.attendance_recorded',
        'governance.motion_created',
        'governance.voting_opened',
        'governance.vote_cast',
        'governance.outcome_recorded',
        'governance.minutes_drafted',
        'governance.minutes_edited',
        'governance.minutes_approved',
        'governance.amendment_created',
        'governance.document_added',
        'governance.meeting_updated',
        'governance.meeting_cancelled',
        'governance.summary_published',
        'governance.calendar_token_created',
        'governance.calendar_token_revoked',
      ]),
    );
    void sql;
  });
});

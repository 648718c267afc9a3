import { sql, type Kysely, type Transaction } from 'kysely';
import type { AttendanceStatus, BoardRole, DB, MotionType, VoteChoice } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

/** SQL of the governance feature; nothing outside the feature imports it. */
export class GovernanceRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Serialise changes to one cluster's board (seats, holders) across connections. */
  async lockBoard(trx: Transaction<DB>, clusterId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`board:${clusterId}`}))`.execute(trx);
  }

  board(clusterId: string) {
    return this.db.selectFrom('boards').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
  }

  constituencies(clusterId: string, conn: Conn = this.db) {
    return conn.selectFrom('board_constituencies').selectAll().where('cluster_id', '=', clusterId).orderBy('position').orderBy('name_it').execute();
  }

  findConstituency(clusterId: string, id: string, conn: Conn = this.db) {
    return conn.selectFrom('board_constituencies').selectAll().where('cluster_id', '=', clusterId).where('id', '=', id).executeTakeFirst();
  }

  findConstituencyByCode(clusterId: string, code: string, conn: Conn = this.db) {
    return conn.selectFrom('board_constituencies').selectAll().where('cluster_id', '=', clusterId).where('code', '=', code).executeTakeFirst();
  }

  countSeats(constituencyId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_seats')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('constituency_id', '=', constituencyId)
      .where('abolished_at', 'is', null)
      .executeTakeFirstOrThrow();
  }

  findSeat(clusterId: string, seatId: string, conn: Conn = this.db) {
    return conn.selectFrom('board_seats').selectAll().where('cluster_id', '=', clusterId).where('id', '=', seatId).executeTakeFirst();
  }

  /**
   * Every seat of the cluster that exists on `day`, with its constituency and the holder in office
   * that day (if any), the holder's person and organisation.
   */
  seatsOn(clusterId: string, day: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_seats as s')
      .innerJoin('board_constituencies as c', 'c.id', 's.constituency_id')
      .leftJoin('board_seat_holdings as h', (join) =>
        join
          .onRef('h.seat_id', '=', 's.id')
          .on('h.term_start', '<=', day)
          .on(sql<string>`coalesce(h.ended_on, h.term_end)`, '>=', day),
      )
      .leftJoin('people as p', 'p.id', 'h.person_id')
      .leftJoin('organisations as o', 'o.id', 'h.organisation_id')
      .select([
        's.id as seat_id',
        's.voting',
        's.position',
        'c.id as constituency_id',
        'c.code as constituency_code',
        'c.name_it as constituency_it',
        'c.name_en as constituency_en',
        'h.id as holding_id',
        'h.role',
        'h.term_start',
        'h.term_end',
        'h.ended_on',
        'h.person_id',
        'h.organisation_id',
        'p.display_name as person_name',
        'p.email as person_email',
        'p.preferred_lang as person_lang',
        'o.legal_name as organisation_name',
      ])
      .where('s.cluster_id', '=', clusterId)
      .where((eb) => eb.or([eb('s.abolished_at', 'is', null), eb(sql<string>`(s.abolished_at AT TIME ZONE 'Europe/Rome')::date`, '>', day)]))
      .orderBy('c.position')
      .orderBy('s.position')
      .orderBy('s.created_at')
      .execute();
  }

  /** The full history of holders, newest terms first. */
  holdings(clusterId: string) {
    return this.db
      .selectFrom('board_seat_holdings as h')
      .innerJoin('board_seats as s', 's.id', 'h.seat_id')
      .innerJoin('board_constituencies as c', 'c.id', 's.constituency_id')
      .innerJoin('people as p', 'p.id', 'h.person_id')
      .innerJoin('organisations as o', 'o.id', 'h.organisation_id')
      .select([
        'h.id',
        'h.seat_id',
        's.position as seat_position',
        'c.name_it as constituency_it',
        'c.name_en as constituency_en',
        'h.role',
        'h.term_start',
        'h.term_end',
        'h.ended_on',
        'h.end_reason',
        'p.display_name as person_name',
        'o.legal_name as organisation_name',
        'h.organisation_id',
      ])
      .where('h.cluster_id', '=', clusterId)
      .orderBy('h.term_start', 'desc')
      .orderBy('c.position')
      .execute();
  }

  findHolding(clusterId: string, id: string, conn: Conn = this.db) {
    return conn.selectFrom('board_seat_holdings').selectAll().where('cluster_id', '=', clusterId).where('id', '=', id).executeTakeFirst();
  }

  /** Holdings overlapping [start, end] on the seat, or of the person in the cluster. */
  overlapping(conn: Conn, values: { clusterId: string; seatId: string; personId: string; start: string; end: string; excludeId?: string }) {
    return conn
      .selectFrom('board_seat_holdings')
      .select(['id', 'seat_id', 'person_id'])
      .where((eb) => eb.or([eb('seat_id', '=', values.seatId), eb.and([eb('person_id', '=', values.personId), eb('cluster_id', '=', values.clusterId)])]))
      .where('term_start', '<=', values.end)
      .where(sql<string>`coalesce(ended_on, term_end)`, '>=', values.start)
      .$if(!!values.excludeId, (qb) => qb.where('id', '<>', values.excludeId!))
      .execute();
  }

  /** A person's holding in office on a day in a cluster. */
  holdingOf(clusterId: string, personId: string, day: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_seat_holdings as h')
      .innerJoin('board_seats as s', 's.id', 'h.seat_id')
      .select(['h.id', 'h.seat_id', 'h.role', 'h.organisation_id', 's.voting'])
      .where('h.cluster_id', '=', clusterId)
      .where('h.person_id', '=', personId)
      .where('h.term_start', '<=', day)
      .where(sql<string>`coalesce(h.ended_on, h.term_end)`, '>=', day)
      .executeTakeFirst();
  }

  /** Whether the person holds, or will hold, any seat of the cluster from `day` on. */
  async holdsFrom(clusterId: string, personId: string, day: string, conn: Conn = this.db): Promise<boolean> {
    const row = await conn
      .selectFrom('board_seat_holdings')
      .select('id')
      .where('cluster_id', '=', clusterId)
      .where('person_id', '=', personId)
      .where(sql<string>`coalesce(ended_on, term_end)`, '>=', day)
      .executeTakeFirst();
    return !!row;
  }

  personByEmail(email: string) {
    return this.db
      .selectFrom('people')
      .select(['id', 'email', 'display_name'])
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  /** The board_member grant that opens the board's pages; kept in step with the seats held. */
  async grantBoardMember(conn: Conn, personId: string, clusterId: string, grantedBy: string | null) {
    await sql`
      INSERT INTO role_grants (person_id, role, cluster_id, granted_by)
      SELECT ${personId}, 'board_member', ${clusterId}, ${grantedBy}
      WHERE NOT EXISTS (SELECT 1 FROM role_grants WHERE person_id = ${personId} AND role = 'board_member' AND cluster_id = ${clusterId})
    `.execute(conn);
  }

  async revokeBoardMember(conn: Conn, personId: string, clusterId: string) {
    await conn.deleteFrom('role_grants').where('person_id', '=', personId).where('role', '=', 'board_member').where('cluster_id', '=', clusterId).execute();
  }

  // --- statute rules -------------------------------------------------------------------------

  ruleVersions(clusterId: string, conn: Conn = this.db) {
    return conn.selectFrom('statute_rule_versions').selectAll().where('cluster_id', '=', clusterId).orderBy('valid_from', 'desc').execute();
  }

  ruleVersion(id: string, conn: Conn = this.db) {
    return conn.selectFrom('statute_rule_versions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The latest day of a meeting of the cluster with a decided motion (a rule change must come after it). */
  async lastDecisionDay(clusterId: string, conn: Conn = this.db): Promise<string | null> {
    const row = await conn
      .selectFrom('board_motion_outcomes as x')
      .innerJoin('board_motions as m', 'm.id', 'x.motion_id')
      .innerJoin('board_meetings as g', 'g.id', 'm.meeting_id')
      .select(sql<string>`max((g.starts_at AT TIME ZONE 'Europe/Rome')::date)::text`.as('day'))
      .where('m.cluster_id', '=', clusterId)
      .executeTakeFirst();
    return row?.day ?? null;
  }

  // --- meetings ------------------------------------------------------------------------------

  meetings(clusterId: string) {
    return this.db
      .selectFrom('board_meetings as g')
      .select([
        'g.id',
        'g.title',
        'g.starts_at',
        'g.ends_at',
        'g.place',
        'g.video_url',
        'g.status',
        (eb) => eb.selectFrom('board_motions as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.meeting_id', '=', 'g.id').as('motions'),
        (eb) => eb.selectFrom('board_minutes as x').select('x.status').whereRef('x.meeting_id', '=', 'g.id').where('x.kind', '=', 'minutes').limit(1).as('minutes_status'),
      ])
      .where('g.cluster_id', '=', clusterId)
      .orderBy('g.starts_at', 'desc')
      .execute();
  }

  findMeeting(id: string, conn: Conn = this.db) {
    return conn.selectFrom('board_meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockMeeting(trx: Transaction<DB>, id: string) {
    return trx.selectFrom('board_meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  agenda(meetingId: string, conn: Conn = this.db) {
    return conn.selectFrom('board_agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
  }

  documents(meetingId: string) {
    return this.db.selectFrom('board_documents').selectAll().where('meeting_id', '=', meetingId).orderBy('uploaded_at').execute();
  }

  findDocument(meetingId: string, id: string) {
    return this.db.selectFrom('board_documents').selectAll().where('meeting_id', '=', meetingId).where('id', '=', id).executeTakeFirst();
  }

  attendance(meetingId: string, conn: Conn = this.db) {
    return conn.selectFrom('board_attendance').selectAll().where('meeting_id', '=', meetingId).orderBy('recorded_at').execute();
  }

  async upsertAttendance(
    conn: Conn,
    values: { meetingId: string; seatId: string; holdingId: string; status: AttendanceStatus; proxySeatId: string | null; via: 'in_person' | 'online' | 'secretary'; recordedBy: string | null },
  ) {
    await conn
      .insertInto('board_attendance')
      .values({
        meeting_id: values.meetingId,
        seat_id: values.seatId,
        holding_id: values.holdingId,
        status: values.status,
        proxy_seat_id: values.proxySeatId,
        via: values.via,
        recorded_by: values.recordedBy,
      })
      .onConflict((oc) =>
        oc.columns(['meeting_id', 'seat_id']).doUpdateSet({
          holding_id: values.holdingId,
          status: values.status,
          proxy_seat_id: values.proxySeatId,
          via: values.via,
          recorded_by: values.recordedBy,
          recorded_at: new Date(),
        }),
      )
      .execute();
  }

  /** Record online presence unless the secretary already recorded something for the seat. */
  async markPresentOnline(conn: Conn, values: { meetingId: string; seatId: string; holdingId: string; personId: string }) {
    await conn
      .insertInto('board_attendance')
      .values({ meeting_id: values.meetingId, seat_id: values.seatId, holding_id: values.holdingId, status: 'present', proxy_seat_id: null, via: 'online', recorded_by: values.personId })
      .onConflict((oc) => oc.columns(['meeting_id', 'seat_id']).doNothing())
      .execute();
  }

  // --- motions and votes ---------------------------------------------------------------------

  motions(meetingId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_motions as m')
      .leftJoin('board_motion_outcomes as x', 'x.motion_id', 'm.id')
      .selectAll('m')
      .select([
        'x.result',
        'x.votes_for',
        'x.votes_against',
        'x.abstentions',
        'x.voting_seats',
        'x.present_seats',
        'x.quorum_required',
        'x.majority',
        'x.base',
        'x.required_for',
        'x.decided_at',
        'x.rule_version_id',
        (eb) => eb.selectFrom('board_votes as v').select((e) => e.fn.countAll<number>().as('n')).whereRef('v.motion_id', '=', 'm.id').as('votes_cast'),
      ])
      .where('m.meeting_id', '=', meetingId)
      .orderBy('m.created_at')
      .execute();
  }

  findMotion(id: string, conn: Conn = this.db) {
    return conn.selectFrom('board_motions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Lock the motion against a concurrent close (votes share the lock, closing takes it alone). */
  /** Motions still open for a vote whose online window ended by `now`, oldest first (partial index). */
  endedVotes(now: Date, scope: { clusterId?: string | undefined; meetingId?: string | undefined } = {}) {
    let q = this.db
      .selectFrom('board_motions')
      .select(['id', 'cluster_id', 'meeting_id', 'voting_closes_at'])
      .where('status', '=', 'voting')
      .where('voting_closes_at', 'is not', null)
      .where('voting_closes_at', '<=', now);
    if (scope.clusterId) q = q.where('cluster_id', '=', scope.clusterId);
    if (scope.meetingId) q = q.where('meeting_id', '=', scope.meetingId);
    return q.orderBy('voting_closes_at').orderBy('id').limit(500).execute();
  }

  lockMotion(trx: Transaction<DB>, id: string, mode: 'share' | 'update') {
    const q = trx.selectFrom('board_motions').selectAll().where('id', '=', id);
    return (mode === 'share' ? q.forShare() : q.forUpdate()).executeTakeFirst();
  }

  outcome(motionId: string, conn: Conn = this.db) {
    return conn.selectFrom('board_motion_outcomes').selectAll().where('motion_id', '=', motionId).executeTakeFirst();
  }

  /** Every stored outcome of a cluster with its motion and meeting (for re-derivation). */
  outcomes(clusterId: string) {
    return this.db
      .selectFrom('board_motion_outcomes as x')
      .innerJoin('board_motions as m', 'm.id', 'x.motion_id')
      .innerJoin('board_meetings as g', 'g.id', 'm.meeting_id')
      .selectAll('x')
      .select(['m.type', 'g.starts_at', 'g.cluster_id'])
      .where('m.cluster_id', '=', clusterId)
      .execute();
  }

  motionMemberships(motionId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_motion_memberships as bm')
      .innerJoin('memberships as ms', 'ms.id', 'bm.membership_id')
      .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
      .innerJoin('member_classes as k', 'k.id', 'bm.member_class_id')
      .select(['bm.membership_id', 'bm.member_class_id', 'ms.status', 'ms.organisation_id', 'o.legal_name', 'k.name_it as class_it', 'k.name_en as class_en'])
      .where('bm.motion_id', '=', motionId)
      .orderBy('o.legal_name')
      .execute();
  }

  /** Applications already named by an undecided admission motion (not to be put twice). */
  async membershipsInOpenMotions(membershipIds: string[], conn: Conn = this.db): Promise<string[]> {
    if (membershipIds.length === 0) return [];
    const rows = await conn
      .selectFrom('board_motion_memberships as bm')
      .innerJoin('board_motions as m', 'm.id', 'bm.motion_id')
      .select('bm.membership_id')
      .where('bm.membership_id', 'in', membershipIds)
      .where('m.status', 'in', ['draft', 'voting'])
      .execute();
    return rows.map((r) => r.membership_id);
  }

  votes(motionId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_votes as v')
      .leftJoin('people as p', 'p.id', 'v.cast_by')
      .select(['v.id', 'v.seat_id', 'v.holding_id', 'v.choice', 'v.via', 'v.cast_at', 'v.cast_by', 'p.display_name as cast_by_name'])
      .where('v.motion_id', '=', motionId)
      .orderBy('v.cast_at')
      .execute();
  }

  /** Insert a vote unless the seat has voted; returns false when it had (the UNIQUE constraint decides). */
  async insertVote(conn: Conn, values: { motionId: string; seatId: string; holdingId: string; choice: VoteChoice; via: 'online' | 'proxy' | 'secretary'; castBy: string | null }): Promise<string | null> {
    const row = await conn
      .insertInto('board_votes')
      .values({ motion_id: values.motionId, seat_id: values.seatId, holding_id: values.holdingId, choice: values.choice, via: values.via, cast_by: values.castBy })
      .onConflict((oc) => oc.columns(['motion_id', 'seat_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  insertMotion(
    conn: Conn,
    values: { meetingId: string; agendaItemId: string; clusterId: string; type: MotionType; title: string; text: string; minutesId: string | null; createdBy: string | null },
  ) {
    return conn
      .insertInto('board_motions')
      .values({
        meeting_id: values.meetingId,
        agenda_item_id: values.agendaItemId,
        cluster_id: values.clusterId,
        type: values.type,
        title: values.title,
        text: values.text,
        status: 'draft',
        minutes_id: values.minutesId,
        created_by: values.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  // --- minutes -------------------------------------------------------------------------------

  minutesOf(meetingId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('board_minutes as x')
      .leftJoin('people as p', 'p.id', 'x.approved_by')
      .selectAll('x')
      .select('p.display_name as approved_by_name')
      .where('x.meeting_id', '=', meetingId)
      .orderBy('x.created_at')
      .execute();
  }

  findMinutes(id: string, conn: Conn = this.db) {
    return conn.selectFrom('board_minutes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockMinutes(trx: Transaction<DB>, id: string) {
    return trx.selectFrom('board_minutes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Draft minutes of the cluster's meetings, for a minutes-approval motion. */
  draftMinutes(clusterId: string) {
    return this.db
      .selectFrom('board_minutes as x')
      .innerJoin('board_meetings as g', 'g.id', 'x.meeting_id')
      .select(['x.id', 'x.kind', 'g.title', 'g.starts_at'])
      .where('g.cluster_id', '=', clusterId)
      .where('x.status', '=', 'draft')
      .orderBy('g.starts_at')
      .execute();
  }

  publicSummaries(clusterId: string) {
    return this.db
      .selectFrom('board_meetings')
      .select(['id', 'title', 'starts_at', 'public_summary', 'summary_published_at'])
      .where('cluster_id', '=', clusterId)
      .where('public_summary', 'is not', null)
      .orderBy('starts_at', 'desc')
      .limit(20)
      .execute();
  }

  // --- people to write to ---------------------------------------------------------------------

  managers(clusterId: string) {
    return this.db
      .selectFrom('role_grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['p.id', 'p.email', 'p.display_name', 'p.preferred_lang'])
      .where('g.role', '=', 'cluster_manager')
      .where('g.cluster_id', '=', clusterId)
      .where('p.deleted_at', 'is', null)
      .where('p.email_verified_at', 'is not', null)
      .execute();
  }

  // --- calendar feed ---------------------------------------------------------------------------

  activeFeedToken(personId: string) {
    return this.db.selectFrom('calendar_feed_tokens').selectAll().where('person_id', '=', personId).where('revoked_at', 'is', null).executeTakeFirst();
  }

  findFeedToken(hash: string) {
    return this.db
      .selectFrom('calendar_feed_tokens as t')
      .innerJoin('people as p', 'p.id', 't.person_id')
      .select(['t.id', 't.person_id', 't.revoked_at', 'p.deleted_at', 'p.display_name'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
  }

  /** Meetings of the clusters where the person holds (or held) a seat or is a manager, recent and upcoming. */
  feedMeetings(personId: string, since: Date) {
    return this.db
      .selectFrom('board_meetings as g')
      .innerJoin('clusters as c', 'c.id', 'g.cluster_id')
      .select(['g.id', 'g.title', 'g.starts_at', 'g.ends_at', 'g.place', 'g.video_url', 'g.status', 'g.sequence', 'g.updated_at', 'c.slug', 'c.short_name'])
      .where('g.starts_at', '>=', since)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('board_seat_holdings as h')
              .select('h.id')
              .whereRef('h.cluster_id', '=', 'g.cluster_id')
              .where('h.person_id', '=', personId)
              .where(sql<boolean>`h.term_start <= (g.starts_at AT TIME ZONE 'Europe/Rome')::date`)
              .where(sql<boolean>`coalesce(h.ended_on, h.term_end) >= (g.starts_at AT TIME ZONE 'Europe/Rome')::date`),
          ),
          eb.exists(
            eb
              .selectFrom('role_grants as r')
              .select('r.id')
              .where('r.person_id', '=', personId)
              .where('r.role', '=', 'cluster_manager')
              .whereRef('r.cluster_id', '=', 'g.cluster_id'),
          ),
        ]),
      )
      .orderBy('g.starts_at')
      .limit(500)
      .execute();
  }
}

export type SeatOnDay = Awaited<ReturnType<GovernanceRepository['seatsOn']>>[number];
export type MotionRow = Awaited<ReturnType<GovernanceRepository['motions']>>[number];
export type HoldingRole = BoardRole;

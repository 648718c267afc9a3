import { sql, type Kysely, type Transaction } from 'kysely';
import type { CollaborationStatus, DB } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

export class CollaborationRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** An interest with both organisations and the item's titles. */
  findInterest(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('interests as i')
      .innerJoin('organisations as f', 'f.id', 'i.from_organisation_id')
      .innerJoin('organisations as t', 't.id', 'i.to_organisation_id')
      .leftJoin('technology_offers as o', 'o.id', 'i.offer_id')
      .leftJoin('technology_needs as n', 'n.id', 'i.need_id')
      .leftJoin('people as p', 'p.id', 'i.created_by')
      .selectAll('i')
      .select([
        'f.legal_name as from_name',
        't.legal_name as to_name',
        'o.title_it as offer_title_it',
        'o.title_en as offer_title_en',
        'n.title_it as need_title_it',
        'n.title_en as need_title_en',
        'p.display_name as sender_name',
        'p.email as sender_email',
      ])
      .where('i.id', '=', id)
      .executeTakeFirst();
  }

  openInterest(fromOrganisationId: string, subject: { offerId?: string | null; needId?: string | null }, conn: Conn = this.db) {
    let q = conn.selectFrom('interests').select(['id', 'status']).where('from_organisation_id', '=', fromOrganisationId).where('status', 'in', ['sent', 'accepted']);
    q = subject.offerId ? q.where('offer_id', '=', subject.offerId) : q.where('offer_id', 'is', null);
    q = subject.needId ? q.where('need_id', '=', subject.needId) : q.where('need_id', 'is', null);
    return q.executeTakeFirst();
  }

  /** Interests an organisation received or sent, newest first. */
  interestsOf(organisationId: string) {
    return this.db
      .selectFrom('interests as i')
      .innerJoin('organisations as f', 'f.id', 'i.from_organisation_id')
      .innerJoin('organisations as t', 't.id', 'i.to_organisation_id')
      .leftJoin('technology_offers as o', 'o.id', 'i.offer_id')
      .leftJoin('technology_needs as n', 'n.id', 'i.need_id')
      .leftJoin('collaborations as c', 'c.interest_id', 'i.id')
      .selectAll('i')
      .select([
        'f.legal_name as from_name',
        't.legal_name as to_name',
        'o.title_it as offer_title_it',
        'o.title_en as offer_title_en',
        'n.title_it as need_title_it',
        'n.title_en as need_title_en',
        'c.id as collaboration_id',
        'c.status as collaboration_status',
      ])
      .where((eb) => eb.or([eb('i.from_organisation_id', '=', organisationId), eb('i.to_organisation_id', '=', organisationId)]))
      .orderBy('i.created_at', 'desc')
      .limit(200)
      .execute();
  }

  findCollaboration(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('collaborations as c')
      .innerJoin('organisations as a', 'a.id', 'c.initiator_organisation_id')
      .innerJoin('organisations as b', 'b.id', 'c.partner_organisation_id')
      .selectAll('c')
      .select(['a.legal_name as initiator_name', 'b.legal_name as partner_name'])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  clustersOfCollaboration(id: string) {
    return this.db.selectFrom('collaboration_clusters').select('cluster_id').where('collaboration_id', '=', id).execute();
  }

  events(collaborationId: string) {
    return this.db
      .selectFrom('collaboration_events as e')
      .leftJoin('people as p', 'p.id', 'e.actor_person_id')
      .select(['e.from_status', 'e.to_status', 'e.note', 'e.at', 'p.display_name as actor_name'])
      .where('e.collaboration_id', '=', collaborationId)
      .orderBy('e.at')
      .execute();
  }

  async addEvent(conn: Conn, values: { collaborationId: string; from: CollaborationStatus | null; to: CollaborationStatus; note: string | null; actorId: string | null }) {
    await conn
      .insertInto('collaboration_events')
      .values({ collaboration_id: values.collaborationId, from_status: values.from, to_status: values.to, note: values.note, actor_person_id: values.actorId })
      .execute();
  }

  /** Collaborations counted for a cluster, with both parties, newest activity first. */
  pipeline(clusterId: string) {
    return this.db
      .selectFrom('collaborations as c')
      .innerJoin('collaboration_clusters as cc', 'cc.collaboration_id', 'c.id')
      .innerJoin('organisations as a', 'a.id', 'c.initiator_organisation_id')
      .innerJoin('organisations as b', 'b.id', 'c.partner_organisation_id')
      .select(['c.id', 'c.title', 'c.status', 'c.created_at', 'c.updated_at', 'c.closed_at', 'a.legal_name as initiator_name', 'b.legal_name as partner_name', 'a.id as initiator_id', 'b.id as partner_id'])
      .where('cc.cluster_id', '=', clusterId)
      .orderBy('c.updated_at', 'desc')
      .execute();
  }

  /** The cluster's matchmaking figures: interests involving its members and collaborations by status. */
  async figures(clusterId: string) {
    const interests = await sql<{ sent: number; accepted: number; declined: number }>`
      SELECT count(*)::int AS sent,
             count(*) FILTER (WHERE i.status = 'accepted')::int AS accepted,
             count(*) FILTER (WHERE i.status = 'declined')::int AS declined
      FROM interests i
      WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.cluster_id = ${clusterId} AND m.status = 'admitted'
                    AND m.organisation_id IN (i.from_organisation_id, i.to_organisation_id))
    `.execute(this.db);
    const byStatus = await this.db
      .selectFrom('collaborations as c')
      .innerJoin('collaboration_clusters as cc', 'cc.collaboration_id', 'c.id')
      .select(['c.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('cc.cluster_id', '=', clusterId)
      .groupBy('c.status')
      .execute();
    return { interests: interests.rows[0] ?? { sent: 0, accepted: 0, declined: 0 }, byStatus: byStatus.map((r) => ({ status: r.status, n: Number(r.n) })) };
  }

  admins(organisationId: string) {
    return this.db
      .selectFrom('role_grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['p.id', 'p.email', 'p.display_name', 'p.preferred_lang'])
      .where('g.role', '=', 'org_admin')
      .where('g.organisation_id', '=', organisationId)
      .where('p.deleted_at', 'is', null)
      .where('p.email', 'is not', null)
      .execute();
  }

  organisationContact(id: string) {
    return this.db.selectFrom('organisations').select(['id', 'legal_name', 'email', 'website', 'city', 'province_code']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  // Weekly digest

  /** Organisations with at least one active offer or need: the ones a digest can say something to. */
  async digestCandidates(): Promise<string[]> {
    const rows = await sql<{ organisation_id: string }>`
      SELECT DISTINCT organisation_id FROM (
        SELECT organisation_id FROM technology_offers WHERE status = 'published' AND (expires_on IS NULL OR expires_on >= current_date)
        UNION
        SELECT organisation_id FROM technology_needs WHERE status = 'published' AND (expires_on IS NULL OR expires_on >= current_date)
      ) x`.execute(this.db);
    return rows.rows.map((r) => r.organisation_id);
  }

  async optedOut(organisationId: string): Promise<boolean> {
    const row = await this.db.selectFrom('digest_preferences').select('opted_out').where('organisation_id', '=', organisationId).executeTakeFirst();
    return row?.opted_out ?? false;
  }

  async setOptOut(organisationId: string, optedOut: boolean, personId: string | null) {
    await this.db
      .insertInto('digest_preferences')
      .values({ organisation_id: organisationId, opted_out: optedOut, updated_by: personId })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ opted_out: optedOut, updated_by: personId, updated_at: new Date() }))
      .execute();
  }

  /** Claim an organisation's digest for a week: true when this caller must send it. */
  async claimDigest(organisationId: string, week: string, now: Date): Promise<{ claimed: boolean; coveredFrom: Date | null }> {
    const last = await this.db
      .selectFrom('digest_runs')
      .select('covered_until')
      .where('organisation_id', '=', organisationId)
      .where('status', 'in', ['sent', 'empty', 'opted_out'])
      .orderBy('week_start', 'desc')
      .executeTakeFirst();
    const inserted = await this.db
      .insertInto('digest_runs')
      .values({ organisation_id: organisationId, week_start: week, status: 'pending', covered_from: last?.covered_until ?? null, covered_until: now })
      .onConflict((oc) => oc.columns(['organisation_id', 'week_start']).doNothing())
      .returning('covered_from')
      .executeTakeFirst();
    if (inserted) return { claimed: true, coveredFrom: inserted.covered_from };
    // A run that crashed while pending (or failed) is taken over once it is stale.
    const retaken = await this.db
      .updateTable('digest_runs')
      .set({ status: 'pending', created_at: now })
      .where('organisation_id', '=', organisationId)
      .where('week_start', '=', week)
      .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('created_at', '<', new Date(now.getTime() - 15 * 60_000))])]))
      .returning('covered_from')
      .executeTakeFirst();
    return retaken ? { claimed: true, coveredFrom: retaken.covered_from } : { claimed: false, coveredFrom: null };
  }

  async finishDigest(organisationId: string, week: string, status: 'sent' | 'empty' | 'opted_out' | 'failed', items: number, recipients: number) {
    await this.db
      .updateTable('digest_runs')
      .set({ status, items, recipients, finished_at: new Date() })
      .where('organisation_id', '=', organisationId)
      .where('week_start', '=', week)
      .execute();
  }

  digestRuns(organisationId: string) {
    return this.db.selectFrom('digest_runs').selectAll().where('organisation_id', '=', organisationId).orderBy('week_start', 'desc').limit(10).execute();
  }
}

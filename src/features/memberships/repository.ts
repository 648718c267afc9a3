import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, MembershipStatus } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

export class MembershipRepository {
  constructor(private readonly db: Kysely<DB>) {}

  classes(clusterId: string, conn: Conn = this.db) {
    return conn.selectFrom('member_classes').selectAll().where('cluster_id', '=', clusterId).orderBy('position').orderBy('name_it').execute();
  }

  findClass(clusterId: string, idOrCode: string, conn: Conn = this.db) {
    return conn
      .selectFrom('member_classes')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .where((eb) =>
        /^[0-9a-f-]{36}$/i.test(idOrCode) ? eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]) : eb('code', '=', idOrCode),
      )
      .executeTakeFirst();
  }

  /** The membership with the organisation, the applicant and the class: one row for the review page. */
  findDetailed(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .innerJoin('clusters as c', 'c.id', 'm.cluster_id')
      .leftJoin('people as p', 'p.id', 'm.applicant_person_id')
      .leftJoin('member_classes as k', 'k.id', 'm.member_class_id')
      .selectAll('m')
      .select([
        'o.legal_name',
        'o.type as organisation_type',
        'o.vat_number',
        'o.city',
        'o.province_code',
        'c.slug as cluster_slug',
        'c.short_name as cluster_name',
        'p.email as applicant_email',
        'p.display_name as applicant_name',
        'p.preferred_lang as applicant_lang',
        'k.name_it as class_it',
        'k.name_en as class_en',
      ])
      .where('m.id', '=', id)
      .executeTakeFirst();
  }

  lockForUpdate(id: string, conn: Conn) {
    return conn.selectFrom('memberships').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  openFor(clusterId: string, organisationId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('memberships')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .where('organisation_id', '=', organisationId)
      .where('status', 'in', ['applied', 'under_review', 'admitted', 'suspended'])
      .executeTakeFirst();
  }

  /** Verified applications waiting for a decision, oldest first. */
  queue(clusterId: string) {
    return this.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select(['m.id', 'm.status', 'm.applied_at', 'm.application_verified_at', 'o.legal_name', 'o.type', 'o.city', 'o.province_code'])
      .where('m.cluster_id', '=', clusterId)
      .where('m.status', 'in', ['applied', 'under_review'])
      .where('m.application_verified_at', 'is not', null)
      .orderBy('m.applied_at')
      .execute();
  }

  /** Applications whose applicant has not confirmed the address yet (shown apart, not decidable). */
  countUnverified(clusterId: string) {
    return this.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('cluster_id', '=', clusterId)
      .where('status', '=', 'applied')
      .where('application_verified_at', 'is', null)
      .executeTakeFirstOrThrow();
  }

  events(membershipId: string) {
    return this.db
      .selectFrom('membership_events as e')
      .leftJoin('people as p', 'p.id', 'e.actor_person_id')
      .select(['e.action', 'e.from_status', 'e.to_status', 'e.reason', 'e.at', 'p.display_name as actor_name'])
      .where('e.membership_id', '=', membershipId)
      .orderBy('e.at')
      .execute();
  }

  async addEvent(
    conn: Conn,
    values: { membershipId: string; action: string; from: MembershipStatus | null; to: MembershipStatus; reason: string | null; actorId: string | null },
  ) {
    await conn
      .insertInto('membership_events')
      .values({
        membership_id: values.membershipId,
        action: values.action,
        from_status: values.from,
        to_status: values.to,
        reason: values.reason,
        actor_person_id: values.actorId,
      })
      .execute();
  }

  /** Mark the applications of a person as confirmed; returns how many moved on. */
  async markVerified(personId: string) {
    const rows = await this.db
      .updateTable('memberships')
      .set({ application_verified_at: sql`now()`, updated_at: sql`now()` })
      .where('applicant_person_id', '=', personId)
      .where('status', '=', 'applied')
      .where('application_verified_at', 'is', null)
      .returning(['id', 'cluster_id'])
      .execute();
    return rows;
  }

  clustersOfOrganisation(organisationId: string) {
    return this.db
      .selectFrom('memberships')
      .select('cluster_id')
      .where('organisation_id', '=', organisationId)
      .where('status', 'in', ['admitted', 'suspended'])
      .execute();
  }

  /** Admitted and suspended members of a cluster with their class, for exports. */
  members(clusterId: string) {
    return this.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .leftJoin('member_classes as k', 'k.id', 'm.member_class_id')
      .select([
        'm.external_ref',
        'm.status',
        'm.admitted_at',
        'k.code as class_code',
        'o.legal_name',
        'o.short_name',
        'o.type',
        'o.vat_number',
        'o.tax_code',
        'o.ateco_codes',
        'o.country_code',
        'o.comune_istat',
        'o.city',
        'o.province_code',
        'o.address',
        'o.postcode',
        'o.pec',
        'o.email',
        'o.website',
        'o.employees',
        'o.turnover_cents',
        'o.balance_sheet_cents',
        'o.size_class_declared',
        'o.size_class_computed',
        'o.description_it',
        'o.description_en',
      ])
      .where('m.cluster_id', '=', clusterId)
      .where('m.status', 'in', ['admitted', 'suspended'])
      .orderBy(sql`lower(o.legal_name)`)
      .execute();
  }

  /** Organisations admitted in a cluster, by name (e.g. to choose whom a board member represents). */
  admittedOrganisations(clusterId: string) {
    return this.db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select(['o.id', 'o.legal_name'])
      .where('m.cluster_id', '=', clusterId)
      .where('m.status', '=', 'admitted')
      .orderBy(sql`lower(o.legal_name)`)
      .execute();
  }

  managersOf(clusterId: string) {
    return this.db
      .selectFrom('role_grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['p.email', 'p.display_name', 'p.preferred_lang'])
      .where('g.role', '=', 'cluster_manager')
      .where('g.cluster_id', '=', clusterId)
      .where('p.deleted_at', 'is', null)
      .execute();
  }
}

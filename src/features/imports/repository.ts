import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Actor } from '../../platform/audit.js';
import type { OrganisationValues } from '../organisations/validation.js';

type Conn = Kysely<DB> | Transaction<DB>;

/**
 * Rows per statement. 500 rows of ~25 columns stay far below PostgreSQL's 65,535 bind parameters
 * while keeping the number of round trips for 10,000 rows at a few dozen.
 */
export const CHUNK = 500;

/** The profile columns an import writes (never the logo or timestamps). */
export const ORGANISATION_FIELDS = [
  'legal_name',
  'short_name',
  'type',
  'vat_number',
  'tax_code',
  'ateco_codes',
  'employees',
  'turnover_cents',
  'balance_sheet_cents',
  'size_class_declared',
  'size_class_computed',
  'country_code',
  'comune_istat',
  'city',
  'province_code',
  'address',
  'postcode',
  'pec',
  'email',
  'website',
  'description_it',
  'description_en',
] as const satisfies readonly (keyof OrganisationValues)[];

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type ExistingOrganisation = Awaited<ReturnType<ImportRepository['organisationsByRef']>>[number];
export type ExistingMembership = Awaited<ReturnType<ImportRepository['membershipsOf']>>[number];

export interface NewMembership {
  organisation_id: string;
  member_class_id: string;
  external_ref: string;
  admitted_at: Date;
}

export interface MembershipUpdate {
  id: string;
  status: MembershipStatus;
  member_class_id: string;
  external_ref: string;
  admitted_at: Date | null;
}

export interface NewEvent {
  membership_id: string;
  from_status: MembershipStatus | null;
  to_status: MembershipStatus;
}

export interface AuditRow {
  action: string;
  entityType: string;
  entityId: string | null;
  clusterId: string | null;
  organisationId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Set-based reads and writes for member imports. An import writes organisations and memberships
 * thousands at a time, which the row-at-a-time methods of those features cannot do in seconds;
 * the rules stay those of the organisation validation and the membership lifecycle.
 */
export class ImportRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** One import at a time per cluster: the second waits for the first to commit. */
  async lockCluster(conn: Transaction<DB>, clusterId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`import:${clusterId}`}))`.execute(conn);
  }

  /** One array parameter rather than thousands of bind parameters: one short statement to plan. */
  organisationsByRef(refs: readonly string[], conn: Conn = this.db) {
    return conn
      .selectFrom('organisations')
      .select(['id', 'external_ref', ...ORGANISATION_FIELDS])
      .where(sql<boolean>`external_ref = ANY(${[...refs]}::text[])`)
      .execute();
  }

  organisationsByVat(vats: readonly string[], conn: Conn = this.db) {
    return conn
      .selectFrom('organisations')
      .select(['id', 'legal_name', 'vat_number'])
      .where(sql<boolean>`vat_number = ANY(${[...vats]}::text[])`)
      .execute();
  }

  /** Every membership of the cluster, open or closed (a closed one may still hold a reference). */
  membershipsOf(clusterId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('memberships')
      .select(['id', 'organisation_id', 'status', 'member_class_id', 'external_ref', 'admitted_at'])
      .where('cluster_id', '=', clusterId)
      .execute();
  }

  /** Insert new organisations and update changed ones (matched by external_ref); returns their ids. */
  async upsertOrganisations(conn: Transaction<DB>, rows: (OrganisationValues & { external_ref: string })[]) {
    const ids = new Map<string, string>();
    for (const part of chunks(rows)) {
      const result = await conn
        .insertInto('organisations')
        .values(part.map((r) => ({ external_ref: r.external_ref, ...pickFields(r) })))
        .onConflict((oc) =>
          oc.column('external_ref').doUpdateSet((eb) => {
            const set: Record<string, unknown> = { updated_at: sql`now()` };
            for (const f of ORGANISATION_FIELDS) set[f] = eb.ref(`excluded.${f}`);
            return set as never;
          }),
        )
        .returning(['id', 'external_ref'])
        .execute();
      for (const r of result) ids.set(r.external_ref!, r.id);
    }
    return ids;
  }

  async insertMemberships(conn: Transaction<DB>, clusterId: string, rows: NewMembership[]) {
    const ids = new Map<string, string>();
    for (const part of chunks(rows)) {
      const result = await conn
        .insertInto('memberships')
        .values(
          part.map((r) => ({
            cluster_id: clusterId,
            organisation_id: r.organisation_id,
            member_class_id: r.member_class_id,
            status: 'admitted' as const,
            external_ref: r.external_ref,
            applied_at: r.admitted_at,
            admitted_at: r.admitted_at,
            application_verified_at: r.admitted_at,
          })),
        )
        .returning(['id', 'organisation_id'])
        .execute();
      for (const r of result) ids.set(r.organisation_id, r.id);
    }
    return ids;
  }

  async updateMemberships(conn: Transaction<DB>, rows: MembershipUpdate[]) {
    for (const part of chunks(rows)) {
      const values = sql.join(
        part.map((r) => sql`(${r.id}, ${r.status}, ${r.member_class_id}, ${r.external_ref}, ${r.admitted_at?.toISOString() ?? null})`),
      );
      await sql`
        UPDATE memberships AS m
        SET status = v.status,
            member_class_id = v.member_class_id::uuid,
            external_ref = v.external_ref,
            admitted_at = coalesce(v.admitted_at::timestamptz, m.admitted_at),
            updated_at = now()
        FROM (VALUES ${values}) AS v(id, status, member_class_id, external_ref, admitted_at)
        WHERE m.id = v.id::uuid`.execute(conn);
    }
  }

  /** Take references away from memberships that no longer carry them (e.g. a membership that ended). */
  async releaseRefs(conn: Transaction<DB>, membershipIds: string[]) {
    for (const part of chunks(membershipIds)) {
      await conn.updateTable('memberships').set({ external_ref: null }).where('id', 'in', part).execute();
    }
  }

  async insertEvents(conn: Transaction<DB>, rows: NewEvent[], reason: string, actorId: string | null) {
    for (const part of chunks(rows)) {
      await conn
        .insertInto('membership_events')
        .values(part.map((r) => ({ membership_id: r.membership_id, action: 'import', from_status: r.from_status, to_status: r.to_status, reason, actor_person_id: actorId })))
        .execute();
    }
  }

  /** Audit entries in bulk: the same columns as platform/audit.ts writes one at a time. */
  async insertAudit(conn: Transaction<DB>, actor: Actor, rows: AuditRow[]) {
    for (const part of chunks(rows)) {
      await conn
        .insertInto('audit_log')
        .values(
          part.map((e) => ({
            actor_person_id: actor.personId,
            actor_label: actor.label,
            action: e.action,
            entity_type: e.entityType,
            entity_id: e.entityId,
            cluster_id: e.clusterId,
            organisation_id: e.organisationId,
            before: e.before === undefined ? null : JSON.stringify(e.before),
            after: e.after === undefined ? null : JSON.stringify(e.after),
            request_id: actor.requestId ?? null,
          })),
        )
        .execute();
    }
  }
}

function pickFields(values: OrganisationValues) {
  const out: Record<string, unknown> = {};
  for (const f of ORGANISATION_FIELDS) out[f] = values[f];
  return out as Pick<OrganisationValues, (typeof ORGANISATION_FIELDS)[number]>;
}

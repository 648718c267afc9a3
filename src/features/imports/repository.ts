import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, MembershipStatus } from '../../db/schema.js';
import type { Actor } from '../../platform/audit.js';
import type { OrganisationValues } from '../organisations/validation.js';

type Conn = Kysely<DB> | Transaction<DB>;

/**
 * Rows per statement. Every write sends its rows as one JSON document (`json_to_recordset`), so a
 * statement carries a handful of bind parameters whatever its number of rows (PostgreSQL allows
 * 65,535 per statement); the chunk only bounds the size of one message (audit entries are ~1 KB).
 */
export const CHUNK = 1_000;

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

/** The columns of a new organisation row: its id, the import's reference, the profile. */
const ORGANISATION_COLUMNS = ['id', 'external_ref', ...ORGANISATION_FIELDS] as const;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The write statements of one import, queued on the transaction's connection and run one after the
 * other in the order of `send`, while the caller goes on validating and building the next ones: on
 * PostgreSQL the server and Node work at the same time, on two cores. At most `depth` statements are
 * outstanding (the one running included, their JSON held in memory); `send` waits while that many are.
 *
 * The first statement that fails is kept in `failure` and nothing after it is sent (the transaction
 * is aborted); the caller decides what it means (a file found wrong meanwhile is reported as such,
 * otherwise `flush` throws it). Before any rollback the caller must `abandon` the pipeline: a
 * statement still queued would otherwise run after the ROLLBACK, outside the transaction.
 */
export class StatementPipeline {
  private last: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly waiting: (() => void)[] = [];
  private abandoned = false;
  failure: { error: unknown } | undefined;

  constructor(
    private readonly conn: Transaction<DB>,
    private readonly depth = 8,
  ) {}

  async send(statement: RawBuilder<unknown>): Promise<void> {
    if (this.failure || this.abandoned) return;
    this.queued++;
    this.last = this.last.then(async () => {
      try {
        if (!this.failure && !this.abandoned) await statement.execute(this.conn);
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.queued--;
        this.waiting.shift()?.();
      }
    });
    while (this.queued > this.depth) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Wait for every queued statement; throw the first failure. */
  async flush(): Promise<void> {
    await this.last;
    if (this.failure) throw this.failure.error;
  }

  /** Send nothing more (what is queued is dropped) and wait for the statement running, if any. */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.last;
  }
}

export type ExistingOrganisation = Awaited<ReturnType<ImportRepository['organisationsByRef']>>[number];
export type ExistingMembership = Awaited<ReturnType<ImportRepository['membershipsOf']>>[number];

export interface NewMembership {
  id: string;
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
 * the rules stay those of the organisation validation and the membership lifecycle. Reads take all
 * the file's references (or P.IVAs) in one array parameter; writes take a chunk of rows as one JSON
 * document, through a StatementPipeline.
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

  /** Insert new organisations (their ids chosen by the caller), a chunk of rows per statement. */
  async insertOrganisations(out: StatementPipeline, rows: readonly (OrganisationValues & { id: string; external_ref: string })[]) {
    const columns = sql.join(ORGANISATION_COLUMNS.map((c) => sql.ref(c)));
    for (const part of chunks(rows)) {
      await out.send(sql`INSERT INTO organisations (${columns}) SELECT ${columns} FROM ${jsonRows(part, ORGANISATION_TYPES)}`);
    }
  }

  /** Write every profile field of these organisations (the caller knows which changed). */
  async updateOrganisations(out: StatementPipeline, rows: readonly (OrganisationValues & { id: string })[]) {
    const set = sql.join(ORGANISATION_FIELDS.map((f) => sql`${sql.ref(f)} = r.${sql.ref(f)}`));
    for (const part of chunks(rows)) {
      await out.send(sql`UPDATE organisations AS o SET ${set}, updated_at = now() FROM ${jsonRows(part, ORGANISATION_TYPES)} WHERE o.id = r.id`);
    }
  }

  /** Admitted memberships, their ids chosen by the caller. */
  async insertMemberships(out: StatementPipeline, clusterId: string, rows: readonly NewMembership[]) {
    for (const part of chunks(rows)) {
      await out.send(sql`
        INSERT INTO memberships (id, cluster_id, organisation_id, member_class_id, status, external_ref, applied_at, admitted_at, application_verified_at)
        SELECT r.id, ${clusterId}::uuid, r.organisation_id, r.member_class_id, 'admitted', r.external_ref, r.admitted_at, r.admitted_at, r.admitted_at
        FROM ${jsonRows(part, { id: 'uuid', organisation_id: 'uuid', member_class_id: 'uuid', external_ref: 'text', admitted_at: 'timestamptz' })}`);
    }
  }

  async updateMemberships(out: StatementPipeline, rows: readonly MembershipUpdate[]) {
    for (const part of chunks(rows)) {
      await out.send(sql`
        UPDATE memberships AS m
        SET status = r.status,
            member_class_id = r.member_class_id,
            external_ref = r.external_ref,
            admitted_at = coalesce(r.admitted_at, m.admitted_at),
            updated_at = now()
        FROM ${jsonRows(part, { id: 'uuid', status: 'text', member_class_id: 'uuid', external_ref: 'text', admitted_at: 'timestamptz' })}
        WHERE m.id = r.id`);
    }
  }

  /** Take references away from memberships that no longer carry them (e.g. a membership that ended). */
  async releaseRefs(out: StatementPipeline, membershipIds: readonly string[]) {
    for (const part of chunks(membershipIds)) {
      await out.send(sql`UPDATE memberships SET external_ref = NULL WHERE id = ANY(${part}::uuid[])`);
    }
  }

  async insertEvents(out: StatementPipeline, rows: readonly NewEvent[], reason: string, actorId: string | null) {
    for (const part of chunks(rows)) {
      // Ids made here, as for organisations and memberships: gen_random_uuid() per row costs ~5 µs in PGlite.
      await out.send(sql`
        INSERT INTO membership_events (id, membership_id, action, from_status, to_status, reason, actor_person_id)
        SELECT r.id, r.membership_id, 'import', r.from_status, r.to_status, ${reason}, ${actorId}::uuid
        FROM ${jsonRows(part.map((e) => ({ id: randomUUID(), ...e })), { id: 'uuid', membership_id: 'uuid', from_status: 'text', to_status: 'text' })}`);
    }
  }

  /**
   * Audit entries in bulk: the same columns as platform/audit.ts writes one at a time, in this order.
   * Read as jsonb, so that each entry's before/after is parsed once, straight into its column.
   */
  async insertAudit(out: StatementPipeline, actor: Actor, rows: readonly AuditRow[]) {
    for (const part of chunks(rows)) {
      // An absent before/after (undefined, left out by JSON.stringify) reads as NULL.
      await out.send(sql`
        INSERT INTO audit_log (actor_person_id, actor_label, action, entity_type, entity_id, cluster_id, organisation_id, before, after, request_id)
        SELECT ${actor.personId}::uuid, ${actor.label}, r.action, r."entityType", r."entityId", r."clusterId", r."organisationId", r.before, r.after, ${actor.requestId ?? null}
        FROM ${jsonRows(part, { action: 'text', entityType: 'text', entityId: 'text', clusterId: 'uuid', organisationId: 'uuid', before: 'jsonb', after: 'jsonb' }, 'jsonb')}`);
    }
  }
}

/** SQL type of each column an import writes to organisations. */
const ORGANISATION_TYPES: Record<(typeof ORGANISATION_COLUMNS)[number], string> = {
  id: 'uuid',
  external_ref: 'text',
  legal_name: 'text',
  short_name: 'text',
  type: 'text',
  vat_number: 'text',
  tax_code: 'text',
  ateco_codes: 'text[]',
  employees: 'integer',
  turnover_cents: 'bigint',
  balance_sheet_cents: 'bigint',
  size_class_declared: 'text',
  size_class_computed: 'text',
  country_code: 'text',
  comune_istat: 'text',
  city: 'text',
  province_code: 'text',
  address: 'text',
  postcode: 'text',
  pec: 'text',
  email: 'text',
  website: 'text',
  description_it: 'text',
  description_en: 'text',
};

/**
 * `json_to_recordset($1::json) AS r(column type, ...)`: rows sent as one JSON document, read back as
 * a relation with these columns (keys of the objects not named here are ignored; a JSON array fills
 * an array column; a JSON null is NULL; a Date travels as its ISO instant). As `jsonb` when the rows
 * carry jsonb columns: the document is parsed once and each value lands in its column as it is.
 */
function jsonRows(rows: readonly object[], columns: Readonly<Record<string, string>>, as: 'json' | 'jsonb' = 'json') {
  const definitions = sql.join(Object.entries(columns).map(([name, type]) => sql`${sql.ref(name)} ${sql.raw(type)}`));
  const expand = as === 'json' ? sql`json_to_recordset` : sql`jsonb_to_recordset`;
  return sql`${expand}(${JSON.stringify(rows)}::${sql.raw(as)}) AS r(${definitions})`;
}

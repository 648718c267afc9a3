import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { TIME_ZONE } from '../../platform/dates.js';

/** Whose entries: the whole log (the Region), or what concerns one cluster (its managers). */
export type AuditScope = { kind: 'all' } | { kind: 'cluster'; clusterId: string };

export interface AuditQuery {
  /** Entries whose action starts with this text (`membership.` or `membership.admit`). */
  actionPrefix?: string | undefined;
  entityType?: string | undefined;
  /** First and last calendar day (yyyy-mm-dd, both included), as days in Europe/Rome. */
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset cursor: only entries with a smaller id (older). */
  beforeId?: number | undefined;
  limit: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_person_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  cluster_id: string | null;
  cluster_slug: string | null;
  cluster_name: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

/** `%`, `_` and `\` are LIKE wildcards / escape: match them literally. */
function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQL over audit_log; only the audit feature imports it. */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Newest first, keyset-paginated on id. */
  list(scope: AuditScope, query: AuditQuery): Promise<AuditRow[]> {
    let q = this.db
      .selectFrom('audit_log as a')
      .leftJoin('clusters as c', 'c.id', 'a.cluster_id')
      .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select([
        'a.id',
        'a.at',
        'a.actor_person_id',
        'a.actor_label',
        'a.action',
        'a.entity_type',
        'a.entity_id',
        'a.cluster_id',
        'c.slug as cluster_slug',
        'c.short_name as cluster_name',
        'a.organisation_id',
        'o.legal_name as organisation_name',
        'a.before',
        'a.after',
        'a.request_id',
      ]);
    if (scope.kind === 'cluster') {
      const clusterId = scope.clusterId;
      // The cluster's own entries, and entries about an organisation that has (or had) a membership
      // in it — unless they belong to another cluster (another cluster's decisions stay private).
      q = q.where((eb) =>
        eb.or([
          eb('a.cluster_id', '=', clusterId),
          eb.and([
            eb('a.cluster_id', 'is', null),
            eb(
              'a.organisation_id',
              'in',
              eb.selectFrom('memberships as m').select('m.organisation_id').where('m.cluster_id', '=', clusterId),
            ),
          ]),
        ]),
      );
    }
    if (query.actionPrefix) q = q.where(sql<boolean>`a.action LIKE ${likePrefix(query.actionPrefix)}`);
    if (query.entityType) q = q.where('a.entity_type', '=', query.entityType);
    // Calendar days in Europe/Rome, turned into instants by PostgreSQL (daylight saving included).
    if (query.from) q = q.where(sql<boolean>`a.at >= (${query.from}::date)::timestamp AT TIME ZONE ${TIME_ZONE}`);
    if (query.to) q = q.where(sql<boolean>`a.at < (${query.to}::date + 1)::timestamp AT TIME ZONE ${TIME_ZONE}`);
    if (query.beforeId !== undefined) q = q.where('a.id', '<', query.beforeId);
    return q.orderBy('a.id', 'desc').limit(query.limit).execute() as Promise<AuditRow[]>;
  }

  /** The entity types present in the log, for the filter. */
  async entityTypes(): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('entity_type').distinct().orderBy('entity_type').execute();
    return rows.map((r) => r.entity_type);
  }
}

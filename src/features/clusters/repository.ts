import { sql, type Kysely } from 'kysely';
import type { ClusterRole, ClusterRow, DB, OrganisationType, RecognitionStep, RecognitionStepRow } from '../../db/schema.js';
import { RECOGNITION_STEPS } from '../../db/schema.js';

export interface ClusterWithStatus extends ClusterRow {
  status: RecognitionStep | null;
  status_since: string | null;
}

export interface ClusterOrganisationLink {
  role: ClusterRole;
  organisation_id: string;
  legal_name: string;
  short_name: string | null;
  type: OrganisationType;
  website: string | null;
  city: string | null;
  province_code: string | null;
}

const STEP_ORDER = sql.raw(`ARRAY[${RECOGNITION_STEPS.map((s) => `'${s}'`).join(',')}]::text[]`);

/** SQL access for the cluster registry; only the clusters feature imports it. */
export class ClusterRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private withStatus() {
    // The current status is the latest recognition step (lifecycle order breaks same-day ties).
    return this.db
      .selectFrom('clusters as c')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('cluster_recognition_steps as s')
            .select(['s.step', 's.occurred_on'])
            .whereRef('s.cluster_id', '=', 'c.id')
            .orderBy('s.occurred_on', 'desc')
            .orderBy(sql`array_position(${STEP_ORDER}, s.step)`, 'desc')
            .limit(1)
            .as('cur'),
        (join) => join.onTrue(),
      )
      .selectAll('c')
      .select([sql<RecognitionStep | null>`cur.step`.as('status'), sql<string | null>`cur.occurred_on`.as('status_since')]);
  }

  async list(filter: { status?: RecognitionStep | undefined; limit: number; offset: number }) {
    let query = this.withStatus();
    if (filter.status) query = query.where(sql<RecognitionStep>`cur.step`, '=', filter.status);
    const rows = await query
      .select(sql<number>`count(*) over ()`.as('total'))
      .orderBy('c.number')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return rows as (ClusterWithStatus & { total: number })[];
  }

  async countAll(filter: { status?: RecognitionStep | undefined }): Promise<number> {
    let query = this.withStatus();
    if (filter.status) query = query.where(sql<RecognitionStep>`cur.step`, '=', filter.status);
    const row = await this.db
      .selectFrom(query.as('q'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findBySlug(slug: string): Promise<ClusterWithStatus | undefined> {
    return (await this.withStatus().where('c.slug', '=', slug).executeTakeFirst()) as ClusterWithStatus | undefined;
  }

  async findById(id: string): Promise<ClusterWithStatus | undefined> {
    return (await this.withStatus().where('c.id', '=', id).executeTakeFirst()) as ClusterWithStatus | undefined;
  }

  async steps(clusterId: string): Promise<RecognitionStepRow[]> {
    return this.db
      .selectFrom('cluster_recognition_steps')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .orderBy('occurred_on')
      .orderBy(sql`array_position(${STEP_ORDER}, step)`)
      .execute();
  }

  async organisations(clusterId: string): Promise<ClusterOrganisationLink[]> {
    return this.db
      .selectFrom('cluster_organisation_roles as r')
      .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select([
        'r.role',
        'o.id as organisation_id',
        'o.legal_name',
        'o.short_name',
        'o.type',
        'o.website',
        'o.city',
        'o.province_code',
      ])
      .where('r.cluster_id', '=', clusterId)
      .orderBy('o.legal_name')
      .execute();
  }
}

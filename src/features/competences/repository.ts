import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

/** SQL of the competence map; only this feature imports it. */
export class CompetenceRepository {
  constructor(private readonly db: Kysely<DB>) {}

  areas(clusterId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('competence_areas as a')
      .leftJoin('network_concepts as n', 'n.id', 'a.concept_id')
      .select([
        'a.id', 'a.cluster_id', 'a.code', 'a.parent_id', 'a.label_it', 'a.label_en', 'a.synonyms_it', 'a.synonyms_en', 'a.concept_id',
        'a.position', 'a.retired_at', 'a.created_at', 'a.updated_at', 'n.code as concept_code', 'n.label_it as concept_label_it', 'n.label_en as concept_label_en',
      ])
      .where('a.cluster_id', '=', clusterId)
      .orderBy('a.position')
      .orderBy('a.code')
      .execute();
  }

  /** Every area of every cluster (for pickers), with its cluster. */
  allAreas() {
    return this.db
      .selectFrom('competence_areas as a')
      .innerJoin('clusters as c', 'c.id', 'a.cluster_id')
      .select(['a.id', 'a.cluster_id', 'c.slug', 'c.short_name', 'c.number', 'a.code', 'a.parent_id', 'a.label_it', 'a.label_en', 'a.position', 'a.retired_at'])
      .orderBy('c.number')
      .orderBy('a.position')
      .orderBy('a.code')
      .execute();
  }

  areaByCode(clusterId: string, code: string, conn: Conn = this.db) {
    return conn.selectFrom('competence_areas').selectAll().where('cluster_id', '=', clusterId).where('code', '=', code).executeTakeFirst();
  }

  areasByIds(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('competence_areas as a')
      .innerJoin('clusters as c', 'c.id', 'a.cluster_id')
      .select(['a.id', 'a.code', 'c.slug', 'c.short_name', 'a.label_it', 'a.label_en', 'a.retired_at'])
      .where('a.id', 'in', ids)
      .execute();
  }

  /** Organisations declaring one of these areas (to re-index them after a taxonomy change). */
  async organisationsDeclaring(conn: Conn, areaIds: string[]): Promise<{ organisations: string[]; people: string[] }> {
    if (areaIds.length === 0) return { organisations: [], people: [] };
    const [orgs, facilities, people] = await Promise.all([
      conn.selectFrom('organisation_competences').select('organisation_id').distinct().where('area_id', 'in', areaIds).execute(),
      conn.selectFrom('facilities').select('organisation_id').distinct().where(sql<boolean>`area_ids && ${areaIds}::uuid[]`).execute(),
      conn.selectFrom('person_expertise').select('person_id').where(sql<boolean>`area_ids && ${areaIds}::uuid[]`).execute(),
    ]);
    return {
      organisations: [...new Set([...orgs, ...facilities].map((r) => r.organisation_id))],
      people: people.map((p) => p.person_id),
    };
  }

  concepts(conn: Conn = this.db) {
    return conn.selectFrom('network_concepts').selectAll().orderBy('code').execute();
  }

  conceptByCode(code: string, conn: Conn = this.db) {
    return conn.selectFrom('network_concepts').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** Areas of all clusters mapped to each concept. */
  conceptAreas() {
    return this.db
      .selectFrom('competence_areas as a')
      .innerJoin('clusters as c', 'c.id', 'a.cluster_id')
      .select(['a.concept_id', 'a.code', 'c.slug', 'c.short_name', 'a.label_it', 'a.label_en'])
      .where('a.concept_id', 'is not', null)
      .execute();
  }

  competences(organisationId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('organisation_competences as oc')
      .leftJoin('competence_areas as a', 'a.id', 'oc.area_id')
      .leftJoin('clusters as c', 'c.id', 'a.cluster_id')
      .select([
        'oc.id', 'oc.organisation_id', 'oc.area_id', 'oc.level', 'oc.description_it', 'oc.description_en', 'oc.created_at', 'oc.updated_at',
        'a.code', 'a.label_it', 'a.label_en', 'a.retired_at', 'c.slug as cluster_slug', 'c.short_name as cluster_name',
      ])
      .where('oc.organisation_id', '=', organisationId)
      .orderBy(sql`CASE oc.level WHEN 'core' THEN 0 WHEN 'experienced' THEN 1 ELSE 2 END`)
      .orderBy('c.number')
      .orderBy('a.code')
      .orderBy('oc.created_at')
      .execute();
  }

  facilities(organisationId: string, conn: Conn = this.db) {
    return conn.selectFrom('facilities').selectAll().where('organisation_id', '=', organisationId).orderBy('name').execute();
  }

  facility(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('facilities as f')
      .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
      .selectAll('f')
      .select(['o.legal_name as organisation_name'])
      .where('f.id', '=', id)
      .executeTakeFirst();
  }

  expertise(personId: string, conn: Conn = this.db) {
    return conn
      .selectFrom('person_expertise as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .leftJoin('organisations as o', 'o.id', 'e.organisation_id')
      .selectAll('e')
      .select(['p.display_name', 'p.deleted_at', 'o.legal_name as organisation_name'])
      .where('e.person_id', '=', personId)
      .executeTakeFirst();
  }

  /** The organisations a person belongs to (role grants), for the affiliation picker. */
  affiliations(personId: string) {
    return this.db
      .selectFrom('role_grants as g')
      .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
      .select(['o.id', 'o.legal_name'])
      .distinct()
      .where('g.person_id', '=', personId)
      .where('g.role', 'in', ['org_admin', 'org_member'])
      .orderBy('o.legal_name')
      .execute();
  }

  /** Clusters where these organisations are admitted members. */
  async admittedClusters(organisationIds: string[]): Promise<string[]> {
    if (organisationIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('memberships')
      .select('cluster_id')
      .distinct()
      .where('organisation_id', 'in', organisationIds)
      .where('status', '=', 'admitted')
      .execute();
    return rows.map((r) => r.cluster_id);
  }

  /**
   * For the coverage view: every declaration of an area of this cluster's taxonomy, with whether
   * the declaring organisation is an admitted member of the cluster.
   */
  declarationsForCluster(clusterId: string) {
    return this.db
      .selectFrom('organisation_competences as oc')
      .innerJoin('competence_areas as a', 'a.id', 'oc.area_id')
      .select([
        'oc.organisation_id', 'oc.area_id', 'oc.level',
        sql<boolean>`EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = oc.organisation_id AND m.cluster_id = ${clusterId}::uuid AND m.status = 'admitted')`.as('member'),
        sql<boolean>`EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = oc.organisation_id AND m.status = 'admitted')`.as('in_network'),
      ])
      .where('a.cluster_id', '=', clusterId)
      .execute();
  }

  async memberCount(clusterId: string): Promise<number> {
    const row = await this.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.count<number>('organisation_id').distinct().as('n'))
      .where('cluster_id', '=', clusterId)
      .where('status', '=', 'admitted')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

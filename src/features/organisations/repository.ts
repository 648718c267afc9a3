import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, OrganisationType, SizeClass } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

export interface DirectoryFilter {
  clusterId?: string | undefined;
  type?: OrganisationType | undefined;
  province?: string | undefined;
  size?: SizeClass | undefined;
  q?: string | undefined;
  sort: 'name' | 'newest';
  limit: number;
  offset: number;
}

/** Columns of the organisation row that pages and the API may read (never the logo bytes). */
export const ORGANISATION_COLUMNS = [
  'o.id',
  'o.external_ref',
  'o.legal_name',
  'o.short_name',
  'o.type',
  'o.website',
  'o.city',
  'o.province_code',
  'o.country_code',
  'o.comune_istat',
  'o.address',
  'o.postcode',
  'o.vat_number',
  'o.tax_code',
  'o.ateco_codes',
  'o.employees',
  'o.turnover_cents',
  'o.balance_sheet_cents',
  'o.size_class_declared',
  'o.size_class_computed',
  'o.pec',
  'o.email',
  'o.description_it',
  'o.description_en',
  'o.logo_mime',
  'o.logo_updated_at',
  'o.created_at',
  'o.updated_at',
] as const;

export class OrganisationRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string, conn: Conn = this.db) {
    return conn.selectFrom('organisations as o').select(ORGANISATION_COLUMNS).where('o.id', '=', id).executeTakeFirst();
  }

  findByVat(vat: string, conn: Conn = this.db) {
    return conn.selectFrom('organisations').select(['id', 'legal_name']).where('vat_number', '=', vat).executeTakeFirst();
  }

  findByExternalRef(ref: string, conn: Conn = this.db) {
    return conn.selectFrom('organisations as o').select(ORGANISATION_COLUMNS).where('o.external_ref', '=', ref).executeTakeFirst();
  }

  async exists(id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst());
  }

  logo(id: string) {
    return this.db.selectFrom('organisations').select(['logo', 'logo_mime', 'logo_updated_at']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Organisations that are admitted members of at least one cluster (or of the given one), with
   * filters, a page and the total. Suspended, ended and pending memberships are not listed.
   * The window count and the sort run over the ids alone (the `page` CTE); only the page's rows are
   * read in full — carrying every match's profile (descriptions too) through them was most of the cost.
   */
  async directory(filter: DirectoryFilter) {
    let matches = this.db
      .selectFrom('organisations as o')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('memberships as m')
            .select('m.id')
            .whereRef('m.organisation_id', '=', 'o.id')
            .where('m.status', '=', 'admitted')
            .$if(!!filter.clusterId, (q) => q.where('m.cluster_id', '=', filter.clusterId!)),
        ),
      );
    if (filter.type) matches = matches.where('o.type', '=', filter.type);
    if (filter.province) matches = matches.where('o.province_code', '=', filter.province);
    if (filter.size) matches = matches.where(sql`coalesce(o.size_class_computed, o.size_class_declared)`, '=', filter.size);
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      matches = matches.where((eb) =>
        eb.or([
          eb(sql`ch_unaccent(lower(o.legal_name))`, 'like', sql`ch_unaccent(lower(${like}))`),
          eb(sql`ch_unaccent(lower(coalesce(o.short_name, '')))`, 'like', sql`ch_unaccent(lower(${like}))`),
        ]),
      );
    }
    // The matches are materialised first, so they are planned without the page's LIMIT: with the
    // LIMIT in sight (and a window count the planner takes for streaming) PostgreSQL walked every
    // organisation in name order and probed its memberships, 3.3 s at 200,000 organisations,
    // instead of joining the cluster's admitted memberships once (0.1 s). The count and the top-N
    // sort then run over the matched ids and their sort key alone.
    const newest = filter.sort === 'newest';
    const matched = matches.select(['o.id', (newest ? sql<unknown>`o.created_at` : sql<unknown>`lower(o.legal_name)`).as('sort_key')]);
    return this.db
      .with((cte) => cte('matched').materialized(), () => matched)
      .with('page', (db) =>
        db
          .selectFrom('matched')
          .select(['matched.id', 'matched.sort_key', sql<number>`count(*) over ()`.as('total')])
          .orderBy('matched.sort_key', newest ? 'desc' : 'asc')
          .orderBy('matched.id')
          .limit(filter.limit)
          .offset(filter.offset),
      )
      .selectFrom('page')
      .innerJoin('organisations as o', 'o.id', 'page.id')
      .select(ORGANISATION_COLUMNS)
      .select('page.total')
      .orderBy('page.sort_key', newest ? 'desc' : 'asc')
      .orderBy('page.id')
      .execute();
  }

  /** The clusters an organisation belongs to (admitted or suspended), for pages and access. */
  clusterLinks(organisationId: string) {
    return this.clusterLinksFor([organisationId]);
  }

  /** Cluster links of many organisations in one query (directory pages: no N+1). */
  clusterLinksFor(organisationIds: string[]) {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('memberships as m')
      .innerJoin('clusters as c', 'c.id', 'm.cluster_id')
      .leftJoin('member_classes as k', 'k.id', 'm.member_class_id')
      .select(['m.organisation_id', 'c.id as cluster_id', 'c.slug', 'c.short_name', 'c.name_it', 'c.name_en', 'm.status', 'm.admitted_at', 'k.name_it as class_it', 'k.name_en as class_en'])
      .where('m.organisation_id', 'in', organisationIds)
      .where('m.status', 'in', ['admitted', 'suspended'])
      .orderBy('c.number')
      .execute();
  }

  /** Clusters where the organisation has an application waiting (its managers review its data). */
  async applicationClusterIds(organisationId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .select('cluster_id')
      .where('organisation_id', '=', organisationId)
      .where('status', 'in', ['applied', 'under_review'])
      .execute();
    return rows.map((r) => r.cluster_id);
  }

  rolesInClusters(organisationId: string) {
    return this.db
      .selectFrom('cluster_organisation_roles as r')
      .innerJoin('clusters as c', 'c.id', 'r.cluster_id')
      .select(['c.slug', 'c.short_name', 'r.role'])
      .where('r.organisation_id', '=', organisationId)
      .execute();
  }

  people(organisationId: string) {
    return this.db
      .selectFrom('role_grants as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .select(['p.id', 'p.display_name', 'p.email', 'g.role'])
      .where('g.organisation_id', '=', organisationId)
      .where('p.deleted_at', 'is', null)
      .orderBy('p.display_name')
      .execute();
  }
}

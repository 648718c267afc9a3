import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ItemStatus, TechnologyNeedRow, TechnologyOfferRow } from '../../db/schema.js';

type Conn = Kysely<DB> | Transaction<DB>;

export type ItemKind = 'offer' | 'need';
export const ITEM_TABLE = { offer: 'technology_offers', need: 'technology_needs' } as const;
export const AUDIENCE_TABLE = { offer: 'technology_offer_clusters', need: 'technology_need_clusters' } as const;
export const AUDIENCE_COLUMN = { offer: 'offer_id', need: 'need_id' } as const;

/** Who is looking: organisations and clusters the viewer belongs to or manages. */
export interface Viewer {
  personId: string | null;
  organisationIds: string[];
  /** Organisations the viewer administers (their people see drafts; administrators edit). */
  adminOf: string[];
  /** Clusters where one of the viewer's organisations is admitted, plus the clusters they manage. */
  clusterIds: string[];
  /** Clusters the viewer manages (curation: they see their members' drafts). */
  managedClusterIds: string[];
  region: boolean;
}

export const ANONYMOUS: Viewer = { personId: null, organisationIds: [], adminOf: [], clusterIds: [], managedClusterIds: [], region: false };

export interface ItemFilter {
  q?: string | undefined;
  organisationId?: string | undefined;
  /** Only published, unexpired items unless the viewer edits the organisation. */
  includeInactive?: boolean;
  limit: number;
  offset: number;
}

export type ItemRow = (TechnologyOfferRow | TechnologyNeedRow) & { organisation_name: string; organisation_external_ref: string | null; organisation_type: string };

export class OfferRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findOffer(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('technology_offers as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .selectAll('i')
      .select(['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type'])
      .where('i.id', '=', id)
      .executeTakeFirst();
  }

  findNeed(id: string, conn: Conn = this.db) {
    return conn
      .selectFrom('technology_needs as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .selectAll('i')
      .select(['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type'])
      .where('i.id', '=', id)
      .executeTakeFirst();
  }

  offersByIds(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('technology_offers as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .selectAll('i')
      .select(['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type', 'o.province_code', 'o.country_code'])
      .where('i.id', 'in', ids)
      .execute();
  }

  needsByIds(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('technology_needs as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .selectAll('i')
      .select(['o.legal_name as organisation_name', 'o.external_ref as organisation_external_ref', 'o.type as organisation_type', 'o.province_code', 'o.country_code'])
      .where('i.id', 'in', ids)
      .execute();
  }

  findOfferByExternalRef(ref: string, conn: Conn = this.db) {
    return conn.selectFrom('technology_offers').select(['id', 'organisation_id']).where('external_ref', '=', ref).executeTakeFirst();
  }

  /** Clusters chosen for items with visibility `clusters`. */
  async audienceOf(kind: ItemKind, ids: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows =
      kind === 'offer'
        ? await this.db.selectFrom('technology_offer_clusters').select(['offer_id as item_id', 'cluster_id']).where('offer_id', 'in', ids).execute()
        : await this.db.selectFrom('technology_need_clusters').select(['need_id as item_id', 'cluster_id']).where('need_id', 'in', ids).execute();
    for (const r of rows) map.set(r.item_id, [...(map.get(r.item_id) ?? []), r.cluster_id]);
    return map;
  }

  async setAudience(conn: Conn, kind: ItemKind, id: string, clusterIds: string[]): Promise<void> {
    if (kind === 'offer') {
      await conn.deleteFrom('technology_offer_clusters').where('offer_id', '=', id).execute();
      if (clusterIds.length > 0) await conn.insertInto('technology_offer_clusters').values(clusterIds.map((cluster_id) => ({ offer_id: id, cluster_id }))).execute();
    } else {
      await conn.deleteFrom('technology_need_clusters').where('need_id', '=', id).execute();
      if (clusterIds.length > 0) await conn.insertInto('technology_need_clusters').values(clusterIds.map((cluster_id) => ({ need_id: id, cluster_id }))).execute();
    }
  }

  /** Admitted clusters of organisations, for the `members` visibility. */
  async clustersOf(organisationIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (organisationIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('memberships')
      .select(['organisation_id', 'cluster_id'])
      .where('organisation_id', 'in', [...new Set(organisationIds)])
      .where('status', '=', 'admitted')
      .execute();
    for (const r of rows) map.set(r.organisation_id, [...(map.get(r.organisation_id) ?? []), r.cluster_id]);
    return map;
  }

  /**
   * Items the viewer may see, newest first: published and unexpired (the viewer's own and those
   * of clusters they manage also when draft or archived, with `includeInactive`), and public, or
   * shared with one of the viewer's clusters.
   */
  async list(kind: ItemKind, viewer: Viewer, filter: ItemFilter) {
    const table = kind === 'offer' ? 'technology_offers' : 'technology_needs';
    const audience = AUDIENCE_TABLE[kind];
    const column = AUDIENCE_COLUMN[kind];
    const clusters = viewer.clusterIds.length > 0 ? viewer.clusterIds : ['00000000-0000-0000-0000-000000000000'];
    const orgs = viewer.organisationIds.length > 0 ? viewer.organisationIds : ['00000000-0000-0000-0000-000000000000'];
    const managed = viewer.managedClusterIds.length > 0 ? viewer.managedClusterIds : ['00000000-0000-0000-0000-000000000000'];
    let query = this.db
      .selectFrom(`${table} as i` as 'technology_offers as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .select(['i.id'])
      .select(sql<number>`count(*) over ()`.as('total'));
    const editable = sql<boolean>`(${viewer.region} OR i.organisation_id = ANY(${orgs}::uuid[]) OR EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = i.organisation_id AND m.status IN ('admitted', 'suspended') AND m.cluster_id = ANY(${managed}::uuid[])))`;
    const active = sql<boolean>`(i.status = 'published' AND (i.expires_on IS NULL OR i.expires_on >= current_date))`;
    query = query.where(filter.includeInactive ? sql<boolean>`(${active} OR ${editable})` : active);
    if (!viewer.region) {
      query = query.where(
        sql<boolean>`(i.visibility = 'public' OR i.organisation_id = ANY(${orgs}::uuid[])
          OR (i.visibility = 'members' AND EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = i.organisation_id AND m.status = 'admitted' AND m.cluster_id = ANY(${clusters}::uuid[])))
          OR (i.visibility = 'clusters' AND EXISTS (SELECT 1 FROM ${sql.table(audience)} a WHERE a.${sql.ref(column)} = i.id AND a.cluster_id = ANY(${clusters}::uuid[]))))`,
      );
    }
    if (filter.organisationId) query = query.where('i.organisation_id', '=', filter.organisationId);
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(
        sql<boolean>`ch_unaccent(lower(coalesce(i.title_it, '') || ' ' || coalesce(i.title_en, '') || ' ' || o.legal_name)) LIKE ch_unaccent(lower(${like}))`,
      );
    }
    const rows = await query
      .orderBy(sql`coalesce(i.published_at, i.created_at)`, 'desc')
      .orderBy('i.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute();
    return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
  }

  async setStatus(conn: Conn, kind: ItemKind, id: string, values: { status: ItemStatus; published_at?: Date | null; archived_at?: Date | null; expires_on?: string | null; renewal_reminded_at?: Date | null }) {
    const table = kind === 'offer' ? 'technology_offers' : 'technology_needs';
    await conn
      .updateTable(table as 'technology_offers')
      .set({ ...values, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Published items expiring between today and `until` whose owners were not reminded yet. */
  expiringSoon(kind: ItemKind, until: string) {
    const table = kind === 'offer' ? 'technology_offers' : 'technology_needs';
    return this.db
      .selectFrom(`${table} as i` as 'technology_offers as i')
      .select(['i.id', 'i.organisation_id', 'i.title_it', 'i.title_en', 'i.expires_on'])
      .where('i.status', '=', 'published')
      .where('i.renewal_reminded_at', 'is', null)
      .where('i.expires_on', 'is not', null)
      .where(sql<boolean>`i.expires_on >= current_date AND i.expires_on <= ${until}::date`)
      .execute();
  }

  async markReminded(kind: ItemKind, id: string) {
    const table = kind === 'offer' ? 'technology_offers' : 'technology_needs';
    await this.db.updateTable(table as 'technology_offers').set({ renewal_reminded_at: new Date() }).where('id', '=', id).execute();
  }

  adminsOf(organisationId: string) {
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

  clusterIdsBySlug(slugs: string[], conn: Conn = this.db) {
    if (slugs.length === 0) return Promise.resolve([]);
    return conn.selectFrom('clusters').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  }

  clusterSlugs(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('clusters').select(['id', 'slug', 'short_name']).where('id', 'in', ids).execute();
  }
}

import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, SearchKind } from '../../db/schema.js';
import type { DocumentRow, SourceCompetence, SourceExpertise, SourceFacility, SourceOrganisation } from './indexer.js';
import type { TokenAnalysis } from './query.js';
import type { TaxonomyRows } from './taxonomy.js';

type Conn = Kysely<DB> | Transaction<DB>;

/**
 * SQL of the search feature. The search documents are a read model: to build them this
 * repository reads the tables of the features they are made from (organisations, memberships,
 * competences, people), read-only; it writes only the search tables (decision record 005).
 */

/** Who is searching, as far as visibility goes. */
export type VisibilityScope =
  | { kind: 'anonymous' }
  | { kind: 'region_admin'; personId: string }
  | { kind: 'person'; personId: string; orgIds: string[]; memberClusterIds: string[]; managedClusterIds: string[] };

export interface SearchFilters {
  clusterId?: string | undefined;
  type?: string | undefined;
  province?: string | undefined;
  size?: string | undefined;
  competence?: string | undefined;
  kind?: SearchKind | undefined;
}

export type FacetName = 'cluster' | 'type' | 'province' | 'size' | 'competence' | 'kind';
export const FACET_NAMES: FacetName[] = ['kind', 'cluster', 'type', 'province', 'size', 'competence'];

export interface SearchSqlParams {
  /** null: browse (no words), in name order. */
  tsquery: string | null;
  /** The query's own words, for ranking (short: ranking reads every candidate's tsvector). */
  rankQuery?: string | null;
  /** Unaccented query for trigram matching on names (null: not used). */
  trigram: string | null;
  areaKeys: string[];
  scope: VisibilityScope;
  filters: SearchFilters;
  cursor: { score: number; id: string } | { sortKey: string; id: string } | null;
  limit: number;
  /** Also count facets (skipped for the map and for pages after the first when cached). */
  facets: boolean;
}

export interface SearchSqlResult {
  total: number;
  page: { id: string; kind: SearchKind; score: number; sort_key: string; payload: unknown }[];
  facets: Record<FacetName, [string, number][]>;
}

const NIL = '00000000-0000-0000-0000-000000000000';

/** How many filtered matches are scored at most (the total and the facets always count them all). */
export const RANK_CAP = 500;

function uuidArray(ids: string[]): RawBuilder<unknown> {
  return sql`${ids.length > 0 ? ids : [NIL]}::uuid[]`;
}

function visibility(scope: VisibilityScope): RawBuilder<unknown> {
  switch (scope.kind) {
    case 'anonymous':
      return sql`(d.listed AND d.visibility = 'public')`;
    case 'region_admin':
      // The Region curates everything but a person's private expertise.
      return sql`(NOT (d.kind = 'person' AND d.visibility = 'private') OR d.person_id = ${scope.personId}::uuid)`;
    case 'person': {
      const members = uuidArray(scope.memberClusterIds);
      const managed = uuidArray(scope.managedClusterIds);
      return sql`(
        (d.listed AND (
          d.visibility = 'public'
          OR (d.visibility = 'members' AND (d.cluster_ids && ${members} OR d.cluster_ids && ${managed}))
          OR (d.visibility = 'private' AND d.kind <> 'person' AND d.cluster_ids && ${managed})
        ))
        OR (d.organisation_id = ANY(${uuidArray(scope.orgIds)}) AND NOT (d.kind = 'person' AND d.visibility = 'private'))
        OR d.person_id = ${scope.personId}::uuid
      )`;
    }
  }
}

function filterSql(filters: SearchFilters, except: FacetName | null): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`TRUE`];
  if (filters.clusterId !== undefined && except !== 'cluster') parts.push(sql`${filters.clusterId}::uuid = ANY(m.cluster_ids)`);
  if (filters.type !== undefined && except !== 'type') parts.push(sql`m.org_type = ${filters.type}`);
  if (filters.province !== undefined && except !== 'province') parts.push(sql`m.province_code = ${filters.province}`);
  if (filters.size !== undefined && except !== 'size') parts.push(sql`m.size_class = ${filters.size}`);
  if (filters.competence !== undefined && except !== 'competence') parts.push(sql`m.area_keys @> ARRAY[${filters.competence}]::text[]`);
  if (filters.kind !== undefined && except !== 'kind') parts.push(sql`m.kind = ${filters.kind}`);
  return sql.join(parts, sql` AND `);
}

function facetSql(name: FacetName, filters: SearchFilters): RawBuilder<unknown> {
  const where = filterSql(filters, name);
  const agg = (from: RawBuilder<unknown>, value: RawBuilder<unknown>) =>
    sql`(SELECT coalesce(json_agg(json_build_array(f.v, f.n) ORDER BY f.n DESC, f.v), '[]'::json) FROM (SELECT ${value} AS v, count(*)::int AS n FROM ${from} WHERE ${where} AND ${value} IS NOT NULL GROUP BY 1) f)`;
  switch (name) {
    case 'cluster':
      return agg(sql`m CROSS JOIN LATERAL unnest(m.cluster_ids) AS u(v)`, sql`u.v::text`);
    case 'competence':
      return agg(sql`m CROSS JOIN LATERAL unnest(m.area_top) AS u(v)`, sql`u.v`);
    case 'type':
      return agg(sql`m`, sql`m.org_type`);
    case 'province':
      return agg(sql`m`, sql`m.province_code`);
    case 'size':
      return agg(sql`m`, sql`m.size_class`);
    case 'kind':
      return agg(sql`m`, sql`m.kind`);
  }
}

export class SearchRepository {
  constructor(private readonly db: Kysely<DB>) {}

  // ---------------------------------------------------------------- the query side

  async search(p: SearchSqlParams): Promise<SearchSqlResult> {
    const result = await this.searchSql(p).execute(this.db);
    const row = result.rows[0]!;
    const facetValues = {} as Record<FacetName, [string, number][]>;
    for (const name of FACET_NAMES) facetValues[name] = (p.facets ? (row[`f_${name}`] as [string, number][]) : []) ?? [];
    return { total: Number(row.total), page: row.page as SearchSqlResult['page'], facets: facetValues };
  }

  /** The plan of a search, as PostgreSQL runs it (for the decision record and the benchmark). */
  async explain(p: SearchSqlParams): Promise<string> {
    const rows = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS OFF) ${this.searchSql(p)}`.execute(this.db);
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  private searchSql(p: SearchSqlParams) {
    const vis = visibility(p.scope);
    const browse = p.tsquery === null;
    const score = browse
      ? sql`0::float8`
      : sql`round((ts_rank(d.tsv, ${p.rankQuery ?? p.tsquery}::tsquery, 1)
          + CASE WHEN d.area_keys && ${p.areaKeys}::text[] THEN 0.25 ELSE 0 END
          ${p.trigram ? sql`+ CASE WHEN ${p.trigram} <% d.trgm_text THEN word_similarity(${p.trigram}, d.trgm_text) * 0.5 ELSE 0 END` : sql``})::numeric, 6)::float8`;
    // Candidates come from the GIN indexes alone (words, then names by trigrams), one index per
    // branch so the planner cannot fall back to scanning every listed document; visibility and
    // scoring then touch the candidates only.
    const candidates = sql`SELECT search_candidates(${p.tsquery}::tsquery, ${p.trigram}::text) AS id`;
    const where = filterSql(p.filters, null);
    let cursor: RawBuilder<unknown> = sql`TRUE`;
    if (p.cursor && 'score' in p.cursor) cursor = sql`(m.score, m.id) < (${p.cursor.score}::float8, ${p.cursor.id}::uuid)`;
    if (p.cursor && 'sortKey' in p.cursor) cursor = sql`(m.sort_key, m.id) > (${p.cursor.sortKey}, ${p.cursor.id}::uuid)`;
    const order = browse ? sql`m.sort_key, m.id` : sql`m.score DESC, m.id DESC`;
    const facets = p.facets
      ? sql.join(FACET_NAMES.map((name) => sql`${facetSql(name, p.filters)} AS ${sql.ref(`f_${name}`)}`), sql`, `)
      : sql`NULL AS f_none`;
    return sql<Record<string, unknown>>`
      WITH m AS MATERIALIZED (
        SELECT d.id, d.kind, d.org_type, d.province_code, d.size_class, d.cluster_ids, d.area_keys, d.area_top, d.sort_key
        FROM search_documents d
        WHERE ${browse ? sql`TRUE` : sql`d.id IN (${candidates})`} AND ${vis}
      ),
      -- Ranking reads each document's tsvector: only the documents that pass every filter, and at
      -- most RANK_CAP of them, those declaring the areas the query named first.
      r AS MATERIALIZED (${
        browse
          ? sql`SELECT m.id, m.kind, m.sort_key, 0::float8 AS score FROM m WHERE ${where}`
          : sql`SELECT m.id, m.kind, m.sort_key, ${score} AS score
            FROM (SELECT m.* FROM m WHERE ${where} ORDER BY (m.area_keys && ${p.areaKeys}::text[]) DESC, m.id LIMIT ${RANK_CAP}) m
            JOIN search_documents d ON d.id = m.id`
      })
      SELECT
        (SELECT count(*)::int FROM m WHERE ${where}) AS total,
        (SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'score', x.score, 'sort_key', x.sort_key,
             'payload', (SELECT d.payload FROM search_documents d WHERE d.id = x.id)) ORDER BY x.rn), '[]'::json)
           FROM (
             SELECT m.id, m.kind, m.score, m.sort_key, row_number() OVER (ORDER BY ${order}) AS rn
             FROM r m
             WHERE ${cursor}
             ORDER BY ${order}
             LIMIT ${p.limit + 1}
           ) x) AS page,
        ${facets}
    `;
  }

  /** Organisations listed outside Lombardy (or abroad), for the map's list. */
  async outside(scope: VisibilityScope, filters: SearchFilters, lombardy: string[], limit: number) {
    const where = filterSql(filters, null);
    const rows = await sql<{ id: string; payload: unknown; total: number }>`
      WITH m AS (
        SELECT d.* FROM search_documents d
        WHERE d.kind = 'organisation' AND ${visibility(scope)}
          AND (d.country_code <> 'IT' OR (d.province_code IS NOT NULL AND NOT (d.province_code = ANY(${lombardy}::text[]))))
      )
      SELECT m.id, m.payload, count(*) OVER ()::int AS total FROM m WHERE ${where} ORDER BY m.sort_key, m.id LIMIT ${limit}
    `.execute(this.db);
    return { items: rows.rows, total: rows.rows[0]?.total ?? 0 };
  }

  /** Clusters where the caller's organisations are admitted members. */
  async memberClusterIds(orgIds: string[]): Promise<string[]> {
    if (orgIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('memberships')
      .select('cluster_id')
      .distinct()
      .where('organisation_id', 'in', orgIds)
      .where('status', '=', 'admitted')
      .execute();
    return rows.map((r) => r.cluster_id);
  }

  /** Italian and English stems and dictionary status of each query word, with typo corrections. */
  async analyseTokens(tokens: string[]): Promise<TokenAnalysis[]> {
    if (tokens.length === 0) return [];
    const base = await sql<{ tok: string; it: string[]; en: string[]; known: boolean }>`
      SELECT t.tok,
        coalesce((SELECT array_agg(l.lexeme) FROM unnest(to_tsvector('ch_italian', t.tok)) l), '{}') AS it,
        coalesce((SELECT array_agg(l.lexeme) FROM unnest(to_tsvector('ch_english', t.tok)) l), '{}') AS en,
        EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.word = t.tok) AS known
      FROM unnest(${tokens}::text[]) AS t(tok)
    `.execute(this.db);
    const unknown = base.rows.filter((r) => !r.known && r.tok.length >= 4 && !/^\d+$/.test(r.tok)).map((r) => r.tok);
    const corrections = new Map<string, { word: string; stems: string[] }[]>();
    if (unknown.length > 0) {
      const fixes = await sql<{ tok: string; word: string; stems: string[] }>`
        SELECT t.tok, c.word,
          coalesce((SELECT array_agg(DISTINCT l.lexeme) FROM unnest(to_tsvector('ch_italian', c.word) || to_tsvector('ch_english', c.word)) l), '{}') AS stems
        FROM unnest(${unknown}::text[]) AS t(tok)
        CROSS JOIN LATERAL (
          SELECT v.word, similarity(v.word, t.tok) AS sim
          FROM search_vocabulary v
          WHERE v.word % t.tok
          ORDER BY sim DESC, v.word
          LIMIT 3
        ) c
        WHERE c.sim >= 0.3
        ORDER BY t.tok, c.sim DESC, c.word
      `.execute(this.db);
      for (const f of fixes.rows) corrections.set(f.tok, [...(corrections.get(f.tok) ?? []), { word: f.word, stems: f.stems }]);
    }
    const byToken = new Map(base.rows.map((r) => [r.tok, r]));
    return tokens.map((token) => {
      const r = byToken.get(token);
      return { token, it: r?.it ?? [], en: r?.en ?? [], corrections: corrections.get(token) ?? [] };
    });
  }

  /** Stems of words in both configurations (for the taxonomy's synonym index). */
  async stemWords(words: string[]): Promise<Map<string, string[]>> {
    const rows = await sql<{ w: string; stems: string[] }>`
      SELECT t.w, coalesce((SELECT array_agg(DISTINCT l.lexeme) FROM unnest(to_tsvector('ch_italian', t.w) || to_tsvector('ch_english', t.w)) l), '{}') AS stems
      FROM unnest(${words}::text[]) AS t(w)
    `.execute(this.db);
    return new Map(rows.rows.map((r) => [r.w, r.stems]));
  }

  async loadTaxonomy(): Promise<TaxonomyRows> {
    const [areas, clusters] = await Promise.all([
      this.db
        .selectFrom('competence_areas as a')
        .innerJoin('clusters as c', 'c.id', 'a.cluster_id')
        .leftJoin('network_concepts as n', 'n.id', 'a.concept_id')
        .select([
          'a.id', 'a.code', 'a.cluster_id', 'c.slug', 'a.label_it', 'a.label_en', 'a.synonyms_it', 'a.synonyms_en', 'a.parent_id',
          'a.retired_at', 'a.position', 'n.code as concept_code', 'n.label_it as concept_it', 'n.label_en as concept_en',
        ])
        .execute(),
      this.db.selectFrom('clusters').select(['id', 'slug', 'short_name', 'number']).execute(),
    ]);
    return {
      clusters: clusters.map((c) => ({ id: c.id, slug: c.slug, name: c.short_name, number: c.number })),
      areas: areas.map((a) => ({
        id: a.id,
        key: `${a.slug}:${a.code}`,
        code: a.code,
        clusterId: a.cluster_id,
        clusterSlug: a.slug,
        labelIt: a.label_it,
        labelEn: a.label_en,
        synonymsIt: a.synonyms_it,
        synonymsEn: a.synonyms_en,
        parentId: a.parent_id,
        retired: a.retired_at !== null,
        conceptCode: a.concept_code,
        conceptLabelIt: a.concept_it,
        conceptLabelEn: a.concept_en,
        position: a.position,
      })),
    };
  }

  // ---------------------------------------------------------------- versions and the queue

  async state(): Promise<{ version: number; taxonomyVersion: number; pending: boolean }> {
    const row = await sql<{ version: number; taxonomy_version: number; pending: boolean }>`
      SELECT version, taxonomy_version, EXISTS (SELECT 1 FROM search_reindex_queue) AS pending FROM search_state WHERE id = 1
    `.execute(this.db);
    const r = row.rows[0];
    return { version: Number(r?.version ?? 0), taxonomyVersion: Number(r?.taxonomy_version ?? 0), pending: !!r?.pending };
  }

  async bump(conn: Conn, taxonomy = false): Promise<number> {
    const row = await conn
      .updateTable('search_state')
      .set((eb) => ({
        version: eb('version', '+', 1),
        ...(taxonomy ? { taxonomy_version: eb('taxonomy_version', '+', 1) } : {}),
      }))
      .where('id', '=', 1)
      .returning('version')
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }

  async enqueue(conn: Conn, kind: 'organisation' | 'person', ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await conn
      .insertInto('search_reindex_queue')
      .values(ids.map((id) => ({ kind, entity_id: id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Take up to `limit` queued entities (another instance never takes the same ones). */
  async takeQueued(conn: Conn, limit: number): Promise<{ kind: 'organisation' | 'person'; entity_id: string }[]> {
    const rows = await sql<{ kind: 'organisation' | 'person'; entity_id: string }>`
      DELETE FROM search_reindex_queue q
      WHERE (q.kind, q.entity_id) IN (SELECT kind, entity_id FROM search_reindex_queue ORDER BY queued_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING q.kind, q.entity_id
    `.execute(conn);
    return rows.rows;
  }

  // ---------------------------------------------------------------- sources of documents

  async organisations(conn: Conn, ids: string[]): Promise<SourceOrganisation[]> {
    if (ids.length === 0) return [];
    const [orgs, links] = await Promise.all([
      conn
        .selectFrom('organisations')
        .select([
          'id', 'legal_name', 'short_name', 'type', 'city', 'province_code', 'country_code', 'description_it', 'description_en',
          sql<string | null>`coalesce(size_class_computed, size_class_declared)`.as('size_class'),
        ])
        .where('id', 'in', ids)
        .execute(),
      conn.selectFrom('memberships').select(['organisation_id', 'cluster_id']).where('organisation_id', 'in', ids).where('status', '=', 'admitted').execute(),
    ]);
    const clusters = new Map<string, string[]>();
    for (const l of links) clusters.set(l.organisation_id, [...(clusters.get(l.organisation_id) ?? []), l.cluster_id]);
    return orgs.map((o) => ({ ...o, size_class: o.size_class as SourceOrganisation['size_class'], cluster_ids: clusters.get(o.id) ?? [] }));
  }

  competencesOf(conn: Conn, orgIds: string[]): Promise<SourceCompetence[]> {
    if (orgIds.length === 0) return Promise.resolve([]);
    return conn
      .selectFrom('organisation_competences')
      .select(['organisation_id', 'area_id', 'level', 'description_it', 'description_en'])
      .where('organisation_id', 'in', orgIds)
      .orderBy('created_at')
      .execute();
  }

  facilitiesOf(conn: Conn, orgIds: string[]): Promise<SourceFacility[]> {
    if (orgIds.length === 0) return Promise.resolve([]);
    return conn
      .selectFrom('facilities')
      .select([
        'id', 'organisation_id', 'name', 'type', 'description_it', 'description_en', 'accreditations', 'access_conditions_it',
        'access_conditions_en', 'city', 'province_code', 'country_code', 'area_ids', 'visibility',
      ])
      .where('organisation_id', 'in', orgIds)
      .orderBy('name')
      .execute();
  }

  async expertsOfOrganisations(conn: Conn, orgIds: string[]): Promise<string[]> {
    if (orgIds.length === 0) return [];
    const rows = await conn.selectFrom('person_expertise').select('person_id').where('organisation_id', 'in', orgIds).execute();
    return rows.map((r) => r.person_id);
  }

  /** Opted-in people, with their organisation only while they still belong to it. */
  async expertise(conn: Conn, personIds: string[]): Promise<SourceExpertise[]> {
    if (personIds.length === 0) return [];
    const rows = await conn
      .selectFrom('person_expertise as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select([
        'e.person_id', 'p.display_name', 'e.headline', 'e.summary_it', 'e.summary_en', 'e.keywords', 'e.area_ids', 'e.orcid', 'e.visibility',
        sql<string | null>`CASE WHEN EXISTS (
          SELECT 1 FROM role_grants g WHERE g.person_id = e.person_id AND g.organisation_id = e.organisation_id AND g.role IN ('org_admin', 'org_member')
        ) THEN e.organisation_id END`.as('organisation_id'),
      ])
      .where('e.person_id', 'in', personIds)
      .where('p.deleted_at', 'is', null)
      .execute();
    return rows;
  }

  async allOrganisationIds(): Promise<string[]> {
    return (await this.db.selectFrom('organisations').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  async allExpertIds(): Promise<string[]> {
    return (await this.db.selectFrom('person_expertise').select('person_id').where('organisation_id', 'is', null).execute()).map((r) => r.person_id);
  }

  // ---------------------------------------------------------------- writing documents

  /**
   * Replace the documents of these organisations and people: upsert `docs`, delete the ones of
   * the same owners that no longer exist (a facility removed, an expertise withdrawn).
   */
  async writeDocuments(conn: Conn, docs: DocumentRow[], owners: { organisationIds: string[]; personIds: string[] }, words: string[]): Promise<void> {
    const keep = docs.map((d) => d.id);
    if (owners.organisationIds.length > 0) {
      await conn
        .deleteFrom('search_documents')
        .where('organisation_id', 'in', owners.organisationIds)
        .where('kind', 'in', ['organisation', 'facility'])
        .$if(keep.length > 0, (q) => q.where('id', 'not in', keep))
        .execute();
    }
    if (owners.personIds.length > 0) {
      await conn
        .deleteFrom('search_documents')
        .where('person_id', 'in', owners.personIds)
        .$if(keep.length > 0, (q) => q.where('id', 'not in', keep))
        .execute();
    }
    for (let i = 0; i < docs.length; i += 400) {
      const batch = docs.slice(i, i + 400);
      const tsv = (text: string, weight: 'A' | 'B' | 'C' | 'D') =>
        sql`setweight(to_tsvector('ch_italian', ${text}) || to_tsvector('ch_english', ${text}), ${weight}::"char")`;
      await conn
        .insertInto('search_documents')
        .values(
          batch.map((d) => ({
            id: d.id,
            kind: d.kind,
            organisation_id: d.organisation_id,
            person_id: d.person_id,
            title: d.title,
            sort_key: d.sort_key,
            org_type: d.org_type,
            province_code: d.province_code,
            country_code: d.country_code,
            size_class: d.size_class,
            cluster_ids: sql`${uuidArrayLiteral(d.cluster_ids)}::uuid[]`,
            listed: d.listed,
            area_keys: sql`${d.area_keys}::text[]`,
            area_top: sql`${d.area_top}::text[]`,
            visibility: d.visibility,
            tsv: sql`${tsv(d.text.A, 'A')} || ${tsv(d.text.B, 'B')} || ${tsv(d.text.C, 'C')} || ${tsv(d.text.D, 'D')}`,
            trgm_text: d.trgm_text,
            payload: JSON.stringify(d.payload),
            updated_at: new Date(),
          })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            organisation_id: eb.ref('excluded.organisation_id'),
            person_id: eb.ref('excluded.person_id'),
            title: eb.ref('excluded.title'),
            sort_key: eb.ref('excluded.sort_key'),
            org_type: eb.ref('excluded.org_type'),
            province_code: eb.ref('excluded.province_code'),
            country_code: eb.ref('excluded.country_code'),
            size_class: eb.ref('excluded.size_class'),
            cluster_ids: eb.ref('excluded.cluster_ids'),
            listed: eb.ref('excluded.listed'),
            area_keys: eb.ref('excluded.area_keys'),
            area_top: eb.ref('excluded.area_top'),
            visibility: eb.ref('excluded.visibility'),
            tsv: eb.ref('excluded.tsv'),
            trgm_text: eb.ref('excluded.trgm_text'),
            payload: eb.ref('excluded.payload'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    await this.addWords(conn, words);
  }

  async analyse(): Promise<void> {
    await sql`ANALYZE search_documents`.execute(this.db);
    await sql`ANALYZE search_vocabulary`.execute(this.db);
  }

  async addWords(conn: Conn, words: string[]): Promise<void> {
    for (let i = 0; i < words.length; i += 5000) {
      const batch = words.slice(i, i + 5000);
      await sql`INSERT INTO search_vocabulary (word) SELECT unnest(${batch}::text[]) ON CONFLICT DO NOTHING`.execute(conn);
    }
  }

  async deleteDocumentsOf(conn: Conn, organisationIds: string[]): Promise<void> {
    if (organisationIds.length === 0) return;
    await conn.deleteFrom('search_documents').where('organisation_id', 'in', organisationIds).where('kind', '<>', 'person').execute();
  }
}

/** pg sends a JS array as an array literal; an empty one needs the explicit form. */
function uuidArrayLiteral(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

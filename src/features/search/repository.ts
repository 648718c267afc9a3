import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB, SearchKind } from '../../db/schema.js';
import type { DocumentRow, SourceCompetence, SourceExpertise, SourceFacility, SourceOffer, SourceOrganisation } from './indexer.js';
import type { TokenAnalysis } from './query.js';
import { correctable, rankCorrections } from './text.js';
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
  | { kind: 'person'; personId: string; orgIds: string[]; managedClusterIds: string[] };

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
  /** The facets to count (the total is always counted). */
  facets: readonly FacetName[];
  /** Count everything, however many (the map): no bound, never approximate. */
  exact?: boolean;
}

export interface SearchSqlResult {
  total: number;
  page: { id: string; kind: SearchKind; score: number; sort_key: string; payload: unknown }[];
  facets: Record<FacetName, [string, number][]>;
  /**
   * More documents matched than were read (COUNT_CAP): the facet counts (and the total, see
   * totalApproximate) are those of the documents read, so each is a lower bound of the true number.
   */
  approximate: boolean;
  /**
   * The total is a lower bound. With words and filters, the documents passing the filters are read
   * under a bound of their own: their total can be exact while the facets, counted over the
   * documents with the words, are not.
   */
  totalApproximate: boolean;
}

const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * How many documents a search reads at most: it ranks them, counts its total and facets over them
 * and pages through them. Beyond it the counts are lower bounds and the result says so
 * (`approximate`); the results are the best of those read. With words and filters, when more
 * documents have the words, as many again of those passing the filters are read (search_matches);
 * on a large table (read in hash ranges) the two sets share the bound, half each.
 */
export const COUNT_CAP = 1000;

/**
 * The bound of a search with words on a large table: one that search_matches reads in hash ranges
 * (at least 16 bounds of documents). Every document read costs the same (its row, its rank, its
 * facts, its count): at the Europe scale a broad search spent ~9 µs per document read, and read
 * 1,000 of them whatever it matched. The results are the best of those read either way.
 */
export const LARGE_COUNT_CAP = 600;

type Alias = 'd' | 'm';

function uuidArray(ids: string[]): RawBuilder<unknown> {
  return sql`${ids.length > 0 ? ids : [NIL]}::uuid[]`;
}

/** Everything this scope may see (column references through `a`, a document row). */
function visibility(scope: VisibilityScope, a: Alias = 'd'): RawBuilder<unknown> {
  const d = sql.raw(a);
  switch (scope.kind) {
    case 'anonymous':
      return sql`(${d}.listed AND ${d}.visibility = 'public')`;
    case 'region_admin':
      // The Region curates everything but a person's private expertise.
      return sql`(NOT (${d}.kind = 'person' AND ${d}.visibility = 'private') OR ${d}.person_id = ${scope.personId}::uuid)`;
    case 'person': {
      // The clusters where the person's organisations are admitted: an InitPlan, computed once.
      const members = sql`(SELECT coalesce(array_agg(ms.cluster_id), '{}')::uuid[] FROM memberships ms WHERE ms.organisation_id = ANY(${uuidArray(scope.orgIds)}) AND ms.status = 'admitted')`;
      const managed = uuidArray(scope.managedClusterIds);
      return sql`(
        (${d}.listed AND (
          ${d}.visibility = 'public'
          OR (${d}.visibility = 'members' AND (${d}.cluster_ids && ${members} OR ${d}.cluster_ids && ${managed}))
          OR (${d}.visibility = 'private' AND ${d}.kind <> 'person' AND ${d}.cluster_ids && ${managed})
        ))
        OR (${d}.organisation_id = ANY(${uuidArray(scope.orgIds)}) AND NOT (${d}.kind = 'person' AND ${d}.visibility = 'private'))
        OR ${d}.person_id = ${scope.personId}::uuid
      )`;
    }
  }
}

/**
 * The pre-counted audience a scope sees all of (search_facet_counts), and what it sees beyond
 * it (null: nothing): the public for visitors and people, the Region for its administrators.
 */
function audienceOf(scope: VisibilityScope): { audience: 'public' | 'region'; extra: RawBuilder<unknown> | null } {
  switch (scope.kind) {
    case 'anonymous':
      return { audience: 'public', extra: null };
    case 'region_admin':
      return { audience: 'region', extra: sql`(d.kind = 'person' AND d.visibility = 'private' AND d.person_id = ${scope.personId}::uuid)` };
    case 'person':
      return { audience: 'public', extra: sql`(NOT (d.listed AND d.visibility = 'public') AND ${visibility(scope)})` };
  }
}

function filterSql(filters: SearchFilters, except: FacetName | null, a: Alias = 'm'): RawBuilder<unknown> {
  const m = sql.raw(a);
  const parts: RawBuilder<unknown>[] = [sql`TRUE`];
  // Containment (not = ANY) so that the GIN index on cluster_ids can answer it.
  if (filters.clusterId !== undefined && except !== 'cluster') parts.push(sql`${m}.cluster_ids @> ARRAY[${filters.clusterId}]::uuid[]`);
  if (filters.type !== undefined && except !== 'type') parts.push(sql`${m}.org_type = ${filters.type}`);
  if (filters.province !== undefined && except !== 'province') parts.push(sql`${m}.province_code = ${filters.province}`);
  if (filters.size !== undefined && except !== 'size') parts.push(sql`${m}.size_class = ${filters.size}`);
  if (filters.competence !== undefined && except !== 'competence') parts.push(sql`${m}.area_keys @> ARRAY[${filters.competence}]::text[]`);
  if (filters.kind !== undefined && except !== 'kind') parts.push(sql`${m}.kind = ${filters.kind}`);
  return sql.join(parts, sql` AND `);
}

/** A count the result needs: the total ('#') or a facet, over the matches with every filter but its own. */
interface CountSet {
  facet: FacetName | '#';
  /** The filter left out (the facet's own, when set). */
  except: FacetName | null;
}

function isFiltered(filters: SearchFilters, name: FacetName): boolean {
  const key = name === 'cluster' ? 'clusterId' : name;
  return filters[key as keyof SearchFilters] !== undefined;
}

function countSets(filters: SearchFilters, facets: readonly FacetName[]): CountSet[] {
  return [{ facet: '#', except: null }, ...facets.map((f) => ({ facet: f, except: isFiltered(filters, f) ? f : null }))];
}

/** Filters other than the kind that a set applies (the pre-counted table holds at most one). */
function otherFilters(filters: SearchFilters, except: FacetName | null): [FacetName, string][] {
  const out: [FacetName, string][] = [];
  for (const name of FACET_NAMES) {
    if (name === 'kind' || name === except || !isFiltered(filters, name)) continue;
    const value = name === 'cluster' ? filters.clusterId! : (filters[name as keyof SearchFilters] as string);
    out.push([name, value]);
  }
  return out;
}

/** The bit of each filter in a row's mask of the filters it passes. */
const FILTER_BIT: Record<FacetName, number> = { kind: 1, cluster: 2, type: 4, province: 8, size: 16, competence: 32 };

/**
 * What counting needs of each matching document, as one text value (rows `;`, fields `,`, list
 * items ` `: the values are codes, ids and slugs): kind, type, province, size, clusters, top areas,
 * and a mask of the active filters it passes. Counted in JavaScript: in SQL, seven passes over
 * the matches cost more than the query itself.
 */
function factsSql(source: string, filters: SearchFilters): RawBuilder<unknown> {
  const bits = FACET_NAMES.filter((name) => isFiltered(filters, name)).map(
    (name) => sql`CASE WHEN ${filterSql(only(filters, name), null)} THEN ${sql.lit(FILTER_BIT[name])} ELSE 0 END`,
  );
  const mask = bits.length > 0 ? sql.join(bits, sql` + `) : sql`0`;
  return sql`(SELECT string_agg(concat_ws(',', m.kind, coalesce(m.org_type, ''), coalesce(m.province_code, ''), coalesce(m.size_class, ''), array_to_string(m.cluster_ids, ' '), array_to_string(m.area_top, ' '), ${mask}), ';') FROM ${sql.raw(source)} m)`;
}

/** Just one of the filters. */
function only(filters: SearchFilters, name: FacetName): SearchFilters {
  const key = name === 'cluster' ? 'clusterId' : name;
  return { [key]: filters[key as keyof SearchFilters] } as SearchFilters;
}

/** Count `sets` over the facts of the matching documents (see factsSql). */
function countFacts(facts: string | null, sets: CountSet[], filters: SearchFilters): CountRows {
  if (!facts) return [];
  const active = FACET_NAMES.filter((name) => isFiltered(filters, name)).reduce((m, name) => m | FILTER_BIT[name], 0);
  const required = sets.map((set) => active & ~(set.except ? FILTER_BIT[set.except] : 0));
  const field: Record<CountSet['facet'], number> = { '#': -1, kind: 0, type: 1, province: 2, size: 3, cluster: 4, competence: 5 };
  // Each field is counted as it comes (a list of clusters or areas as one string: documents
  // share a handful of combinations); lists are split once per distinct combination at the end.
  const counts = sets.map(() => new Map<string, number>());
  const at = sets.map((set) => field[set.facet]);
  // One pass over the text, by offsets: seven fields per document, separated by ',' and
  // documents by ';' (no value holds either). Only the fields a set counts become strings.
  const starts = new Array<number>(7);
  for (let pos = 0; pos < facts.length; ) {
    let end = facts.indexOf(';', pos);
    if (end < 0) end = facts.length;
    starts[0] = pos;
    for (let k = 1; k < 7; k += 1) starts[k] = facts.indexOf(',', starts[k - 1]!) + 1;
    const mask = Number(facts.slice(starts[6], end));
    for (let i = 0; i < sets.length; i += 1) {
      if ((mask & required[i]!) !== required[i]) continue;
      const map = counts[i]!;
      const k = at[i]!;
      if (k < 0) {
        map.set('', (map.get('') ?? 0) + 1);
        continue;
      }
      if (starts[k + 1]! - 1 === starts[k]) continue; // empty
      const value = facts.slice(starts[k], starts[k + 1]! - 1);
      map.set(value, (map.get(value) ?? 0) + 1);
    }
    pos = end + 1;
  }
  return sets.flatMap((set, i) => {
    if (at[i]! < 4) return [...counts[i]!].map(([value, n]) => [set.facet, value, n] as [string, string, number]);
    const single = new Map<string, number>();
    for (const [list, n] of counts[i]!) for (const v of list.split(' ')) if (v) single.set(v, (single.get(v) ?? 0) + n);
    return [...single].map(([value, n]) => [set.facet, value, n] as [string, string, number]);
  });
}

/** The columns filters and facets read. */
const DOC_COLUMNS = sql.raw('d.id, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids, d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key');

type CountRows = [string, string, number][];

function addCounts(into: Map<string, Map<string, number>>, rows: CountRows): void {
  for (const [facet, value, n] of rows) {
    const values = into.get(facet) ?? new Map<string, number>();
    values.set(value, (values.get(value) ?? 0) + n);
    into.set(facet, values);
  }
}

function toResult(counts: Map<string, Map<string, number>>, facets: readonly FacetName[]): { total: number; facets: Record<FacetName, [string, number][]> } {
  const out = {} as Record<FacetName, [string, number][]>;
  for (const name of FACET_NAMES) {
    const values = facets.includes(name) ? [...(counts.get(name) ?? new Map<string, number>())] : [];
    out[name] = values.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  return { total: counts.get('#')?.get('') ?? 0, facets: out };
}

/** Dictionary words read per unknown query word (most trigrams in common), and corrections kept of them. */
const CORRECTION_CANDIDATES = 8;
const CORRECTIONS_KEPT = 3;

export class SearchRepository {
  /** See COUNT_CAP (smaller in tests, to see the approximate counts). */
  readonly countCap: number;
  /** See LARGE_COUNT_CAP; never above countCap. */
  readonly largeCountCap: number;
  /** The documents the table holds, as the planner's statistics say (read with the state). */
  private documents = -1;

  constructor(
    private readonly db: Kysely<DB>,
    options: { countCap?: number; largeCountCap?: number } = {},
  ) {
    this.countCap = options.countCap ?? COUNT_CAP;
    this.largeCountCap = Math.min(options.largeCountCap ?? LARGE_COUNT_CAP, this.countCap);
  }

  /**
   * The bound of a search with words: smaller on a table search_matches reads in hash ranges (the
   * rule it applies to the bound it is given, from the same statistics; LARGE_COUNT_CAP).
   */
  wordsBound(): number {
    return this.documents >= 16 * (this.countCap + 1) ? this.largeCountCap : this.countCap;
  }

  // ---------------------------------------------------------------- the query side

  async search(p: SearchSqlParams): Promise<SearchSqlResult> {
    return p.tsquery === null && p.trigram === null ? this.browse(p) : this.query(p);
  }

  /** The plans of a search, as PostgreSQL runs them (for the decision record and the benchmark). */
  async explain(p: SearchSqlParams): Promise<string> {
    const statements = p.tsquery === null && p.trigram === null ? this.browseSql(p).statements : [this.querySql(p)];
    const plans: string[] = [];
    for (const statement of statements) {
      const rows = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS OFF) ${statement}`.execute(this.db);
      plans.push(rows.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans.join('\n\n');
  }

  /** Words: candidates from the GIN indexes (bounded), then visibility, counts and a bounded ranking. */
  private async query(p: SearchSqlParams): Promise<SearchSqlResult> {
    const cap = this.wordsBound();
    const row = (await this.querySql(p, cap).execute(this.db)).rows[0]!;
    const counts = new Map<string, Map<string, number>>();
    addCounts(counts, countFacts(row.facts as string | null, countSets(p.filters, p.facets), p.filters));
    // On a large table with filters each set had half the bound (search_matches, 2026-11-27T0000).
    const bound = row.halved ? Math.floor(cap / 2) : cap;
    const approximate = !p.exact && Number(row.read) > bound;
    // Past the bound with filters, the documents passing them were read apart (search_matches).
    const totalApproximate = approximate && (!FACET_NAMES.some((name) => isFiltered(p.filters, name)) || Number(row.read_filtered) > bound);
    return { ...toResult(counts, p.facets), page: row.page as SearchSqlResult['page'], approximate, totalApproximate };
  }

  private querySql(p: SearchSqlParams, bound = this.wordsBound()) {
    const f = p.filters;
    const cap = p.exact ? 2_147_483_647 : bound + 1;
    // Ranked where they are found (search_matches): the query's own words, a bonus for declaring an
    // area the query named, and for a name close to the query.
    const score = sql`(m.rank::float8 + CASE WHEN m.area_keys && ${p.areaKeys}::text[] THEN 0.25 ELSE 0 END + m.name_similarity::float8 * 0.5)`;
    let cursor: RawBuilder<unknown> = sql`TRUE`;
    if (p.cursor && 'score' in p.cursor) cursor = sql`(x.score, x.id) < (${p.cursor.score}::float8, ${p.cursor.id}::uuid)`;
    return sql<Record<string, unknown>>`
      WITH c AS MATERIALIZED (
        SELECT * FROM search_matches(${p.tsquery}::tsquery, ${p.trigram}::text, ${cap}::int, ${p.rankQuery ?? p.tsquery}::tsquery,
          ${f.kind ?? null}::text, ${f.clusterId ?? null}::uuid, ${f.type ?? null}::text, ${f.province ?? null}::text, ${f.size ?? null}::text, ${f.competence ?? null}::text)
      ),
      m AS MATERIALIZED (${
        // With filters a document can be in both sets (ranked alike; only a name found adds its similarity).
        FACET_NAMES.some((name) => isFiltered(f, name))
          ? sql`SELECT DISTINCT ON (d.id) * FROM c d WHERE ${visibility(p.scope)} ORDER BY d.id, d.rank + d.name_similarity DESC`
          : sql`SELECT * FROM c d WHERE ${visibility(p.scope)}`
      })
      SELECT
        (SELECT count(*)::int FROM c WHERE c.source IN ('w', 'hw')) AS read,
        (SELECT count(*)::int FROM c WHERE c.source IN ('f', 'hf')) AS read_filtered,
        EXISTS (SELECT FROM c WHERE c.source IN ('hw', 'hf')) AS halved,
        ${factsSql('m', p.filters)} AS facts,
        (SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'score', x.score, 'sort_key', x.sort_key,
             'payload', (SELECT d.payload FROM search_documents d WHERE d.id = x.id)) ORDER BY x.score DESC, x.id DESC), '[]'::json)
           FROM (
             SELECT x.* FROM (SELECT m.id, m.kind, m.sort_key, ${score} AS score FROM m WHERE ${filterSql(p.filters, null)}) x
             WHERE ${cursor} ORDER BY x.score DESC, x.id DESC LIMIT ${p.limit + 1}
           ) x) AS page
    `;
  }

  /**
   * Browsing (no words): the page in name order from the index, and the counts from the
   * pre-counted table wherever a count applies at most one filter besides the kind (plus what
   * this scope sees beyond that audience); the other counts over the matching documents, bounded.
   */
  private async browse(p: SearchSqlParams): Promise<SearchSqlResult> {
    const { statements, summarised, scanned } = this.browseSql(p);
    const results = await Promise.all(statements.map((s) => s.execute(this.db)));
    const row = results[0]!.rows[0]!;
    const counts = new Map<string, Map<string, number>>();
    if (summarised.length > 0) {
      const summary = results[1]!.rows as { ffacet: string; fvalue: string; kind: string; facet: string; value: string; n: number }[];
      for (const set of summarised) {
        const [filter] = otherFilters(p.filters, set.except);
        const kind = set.except === 'kind' ? undefined : p.filters.kind;
        const facet = set.facet === 'kind' ? '#' : set.facet;
        const rows: CountRows = [];
        for (const s of summary) {
          if (s.ffacet !== (filter?.[0] ?? '') || s.fvalue !== (filter?.[1] ?? '') || s.facet !== facet) continue;
          if (kind !== undefined && s.kind !== kind) continue;
          rows.push([set.facet, set.facet === 'kind' ? s.kind : s.value, s.n]);
        }
        addCounts(counts, rows);
      }
    }
    addCounts(counts, countFacts((row.extra_facts as string | null) ?? null, summarised, p.filters));
    addCounts(counts, countFacts((row.scan_facts as string | null) ?? null, scanned, p.filters));
    const approximate = !p.exact && (Number(row.extra_read ?? 0) > this.countCap || (scanned.length > 0 && Number(row.scan_read ?? 0) > this.countCap));
    return { ...toResult(counts, p.facets), page: row.page as SearchSqlResult['page'], approximate, totalApproximate: approximate };
  }

  private browseSql(p: SearchSqlParams) {
    const { audience, extra } = audienceOf(p.scope);
    const sets = countSets(p.filters, p.facets);
    const summarised = sets.filter((s) => otherFilters(p.filters, s.except).length <= 1);
    const scanned = sets.filter((s) => !summarised.includes(s));
    const cap = p.exact ? null : this.countCap + 1;
    const limit = cap === null ? sql`` : sql`LIMIT ${cap}`;
    const anyOf = (list: CountSet[]) => sql`(${sql.join(list.map((s) => sql`(${filterSql(p.filters, s.except, 'd')})`), sql` OR `)})`;
    let cursor: RawBuilder<unknown> = sql`TRUE`;
    if (p.cursor && 'sortKey' in p.cursor) cursor = sql`(d.sort_key, d.id) > (${p.cursor.sortKey}, ${p.cursor.id}::uuid)`;
    const main = sql<Record<string, unknown>>`
      WITH ${sql.join(
        [
          // What this scope sees beyond the pre-counted audience, for the pre-counted sets.
          ...(summarised.length > 0 && extra ? [sql`x AS MATERIALIZED (SELECT ${DOC_COLUMNS} FROM search_documents d WHERE ${extra} AND ${anyOf(summarised)} ${limit})`] : []),
          // Everything it sees, for the sets with two filters or more.
          ...(scanned.length > 0 ? [sql`s AS MATERIALIZED (SELECT ${DOC_COLUMNS} FROM search_documents d WHERE ${visibility(p.scope)} AND ${anyOf(scanned)} ${limit})`] : []),
          sql`pg AS (
            SELECT d.id, d.kind, 0::float8 AS score, d.sort_key, d.payload FROM search_documents d
            WHERE ${visibility(p.scope)} AND ${filterSql(p.filters, null, 'd')} AND ${cursor}
            ORDER BY d.sort_key, d.id LIMIT ${p.limit + 1}
          )`,
        ],
        sql`, `,
      )}
      SELECT
        ${summarised.length > 0 && extra ? sql`(SELECT count(*)::int FROM x) AS extra_read, ${factsSql('x', p.filters)} AS extra_facts,` : sql``}
        ${scanned.length > 0 ? sql`(SELECT count(*)::int FROM s) AS scan_read, ${factsSql('s', p.filters)} AS scan_facts,` : sql``}
        (SELECT coalesce(json_agg(json_build_object('id', pg.id, 'kind', pg.kind, 'score', pg.score, 'sort_key', pg.sort_key, 'payload', pg.payload)
           ORDER BY pg.sort_key, pg.id), '[]'::json) FROM pg) AS page
    `;
    const statements: RawBuilder<Record<string, unknown>>[] = [main];
    if (summarised.length > 0) {
      const keys = [...new Set(summarised.map((s) => JSON.stringify(otherFilters(p.filters, s.except)[0] ?? ['', ''])))].map((k) => JSON.parse(k) as [string, string]);
      statements.push(sql<Record<string, unknown>>`
        SELECT c.ffacet, c.fvalue, c.kind, c.facet, c.value, c.n FROM search_facet_counts c
        WHERE c.audience = ${audience} AND c.n > 0
          AND (${sql.join(keys.map(([f, v]) => sql`(c.ffacet = ${f} AND c.fvalue = ${v})`), sql` OR `)})
          ${p.filters.kind !== undefined && !summarised.some((s) => s.except === 'kind') ? sql`AND c.kind = ${p.filters.kind}` : sql``}
      `);
    }
    return { statements, summarised, scanned };
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
    const unknown = base.rows.filter((r) => !r.known && correctable(r.tok)).map((r) => r.tok);
    const corrections = new Map<string, { word: string; stems: string[] }[]>();
    if (unknown.length > 0) {
      // The dictionary words most like each one by trigrams, then the fewest edits away first.
      const fixes = await sql<{ tok: string; word: string; similarity: number; stems: string[] }>`
        SELECT t.tok, c.word, c.sim::float8 AS similarity,
          coalesce((SELECT array_agg(DISTINCT l.lexeme) FROM unnest(to_tsvector('ch_italian', c.word) || to_tsvector('ch_english', c.word)) l), '{}') AS stems
        FROM unnest(${unknown}::text[]) AS t(tok)
        CROSS JOIN LATERAL (
          SELECT v.word, similarity(v.word, t.tok) AS sim
          FROM search_vocabulary v
          WHERE v.word % t.tok
          ORDER BY sim DESC, v.word
          LIMIT ${CORRECTION_CANDIDATES}
        ) c
        WHERE c.sim >= 0.3
      `.execute(this.db);
      const candidates = new Map<string, { word: string; similarity: number; stems: string[] }[]>();
      for (const f of fixes.rows) {
        const list = candidates.get(f.tok);
        if (list) list.push(f);
        else candidates.set(f.tok, [f]);
      }
      for (const [tok, list] of candidates) {
        corrections.set(tok, rankCorrections(tok, list).slice(0, CORRECTIONS_KEPT).map((f) => ({ word: f.word, stems: f.stems })));
      }
    }
    const byToken = new Map(base.rows.map((r) => [r.tok, r]));
    return tokens.map((token) => {
      const r = byToken.get(token);
      return { token, it: r?.it ?? [], en: r?.en ?? [], known: r?.known ?? false, corrections: corrections.get(token) ?? [] };
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
    const row = await sql<{ version: number; taxonomy_version: number; pending: boolean; documents: number }>`
      SELECT version, taxonomy_version, EXISTS (SELECT 1 FROM search_reindex_queue) AS pending,
             (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'search_documents'::regclass) AS documents
      FROM search_state WHERE id = 1
    `.execute(this.db);
    const r = row.rows[0];
    this.documents = Number(r?.documents ?? -1);
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

  /** Published, public, unexpired technology offers of these organisations (the offers feature's table, read-only). */
  offersOf(conn: Conn, orgIds: string[]): Promise<SourceOffer[]> {
    if (orgIds.length === 0) return Promise.resolve([]);
    return conn
      .selectFrom('technology_offers')
      .select(['organisation_id', 'title_it', 'title_en', 'summary_it', 'summary_en', 'description_it', 'description_en', 'tags', 'categories'])
      .where('organisation_id', 'in', orgIds)
      .where('status', '=', 'published')
      .where('visibility', '=', 'public')
      .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', sql<string>`current_date`)]))
      .orderBy('published_at')
      .orderBy('id')
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

  /** Of these documents, those the scope may see. */
  async visibleIds(ids: string[], scope: VisibilityScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await sql<{ id: string }>`SELECT d.id FROM search_documents d WHERE d.id = ANY(${uuidArray(ids)}) AND ${visibility(scope)}`.execute(this.db);
    return new Set(rows.rows.map((r) => r.id));
  }

  async analyse(): Promise<void> {
    await sql`ANALYZE search_documents`.execute(this.db);
    await sql`ANALYZE search_facet_counts`.execute(this.db);
    await sql`ANALYZE search_vocabulary`.execute(this.db);
  }

  async addWords(conn: Conn, words: string[]): Promise<void> {
    for (let i = 0; i < words.length; i += 5000) {
      const batch = words.slice(i, i + 5000);
      await sql`INSERT INTO search_vocabulary (word) SELECT unnest(${batch}::text[]) ON CONFLICT DO NOTHING`.execute(conn);
    }
  }

  /** Defer the facet counts' upkeep to the end of this transaction's bulk work (then `rebuildFacetCounts`). */
  async deferFacetCounts(conn: Conn): Promise<void> {
    await sql`SELECT set_config('clusterhub.search_facets', 'deferred', true)`.execute(conn);
  }

  /** Count the facets from scratch (after a bulk rebuild). */
  async rebuildFacetCounts(conn: Conn): Promise<void> {
    await sql`SELECT search_facet_counts_rebuild()`.execute(conn);
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

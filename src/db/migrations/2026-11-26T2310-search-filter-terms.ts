import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// A search's filters, applied before the candidate bound. Until now search_matches read the first
// `cap` documents with the words, whatever the filters, and the filters were applied to those: at
// the Europe scale "packaging riciclabile" in the cosmetics cluster found none of the cluster's
// members among the 2,001 documents read, and answered "at least 0". Each document's words now
// also hold one term per value it can be filtered by (`~k.` kind, `~t.` type, `~p.` province,
// `~s.` size, `~c.` cluster, `~a.` area, never a word: words are letters and digits), so the words
// and the filters are one GIN query (the index intersects the filter's posting list with the
// words'). The documents with the words are read under the bound as before (the facets count over
// them, every filter but their own); when they reach the bound and there are filters, the
// documents with the words and every filter are read too, under the bound of their own (the
// results and their total), `source` 'w' and 'f'. Otherwise the first set holds every document
// that passes the filters: at the region scale a search reads one set, as before. The words are
// read in hash ranges as in 2026-11-26T2300.

const SIGNATURE_ARGS = `q tsquery, names text, cap integer, rq tsquery,
                                   f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text`;

const RETURNS_BEFORE = `RETURNS TABLE (id uuid, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text, province_code text,
                   size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[], sort_key text,
                   rank real, name_similarity real)`;

const RETURNS = `RETURNS TABLE (id uuid, source text, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text,
                   province_code text, size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[],
                   sort_key text, rank real, name_similarity real)`;

/** What the words' indexes hold: the words, and a term per value the document can be filtered by. */
const WORDS = (a: string) => {
  const c = a ? `${a}.` : '';
  return `search_words(${c}tsv, ${c}kind, ${c}org_type, ${c}province_code, ${c}size_class, ${c}cluster_ids, ${c}area_keys)`;
};
/** What they held before (2026-11-26T2300), for down. */
const TSV = (a: string) => `${a}.tsv`;

const SHARDS = ['< 4', 'BETWEEN 4 AND 7', 'BETWEEN 8 AND 15', 'BETWEEN 16 AND 31', 'BETWEEN 32 AND 63', 'BETWEEN 64 AND 127', '>= 128'];

const COLUMNS = `d.id, false AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
                d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, 0::real AS name_similarity`;

/**
 * The documents matching `query`, at most `bound`, less those in `exclude` (the names found): the
 * first hash range, then the others in order when the first one predicts a broad query, otherwise
 * the index over all documents less the first range (2026-11-26T2300).
 */
function sharded(query: string, bound: string, exclude: string, words = WORDS): string {
  return `(
         WITH s0 AS MATERIALIZED (
           SELECT ${COLUMNS} FROM search_documents d
           WHERE ${query} IS NOT NULL AND (uuid_hash(d.id) & 255) ${SHARDS[0]} AND ${words('d')} @@ ${query} AND ${exclude}
           LIMIT ${bound}
         ),
         broad AS (SELECT count(*) * 64 >= ${bound} AS yes FROM s0)
         SELECT * FROM s0
         UNION ALL
         SELECT ${COLUMNS} FROM (
           ${SHARDS.slice(1).map((s) => `SELECT * FROM search_documents s WHERE (uuid_hash(s.id) & 255) ${s} AND ${words('s')} @@ ${query}`).join('\n           UNION ALL ')}
         ) d WHERE ${query} IS NOT NULL AND (SELECT yes FROM broad) AND ${exclude}
         UNION ALL
         SELECT ${COLUMNS} FROM search_documents d
         WHERE ${query} IS NOT NULL AND NOT (SELECT yes FROM broad) AND ${words('d')} @@ ${query} AND NOT ((uuid_hash(d.id) & 255) ${SHARDS[0]}) AND ${exclude}
         LIMIT ${bound})`;
}

/** The same documents from the index over all documents only. */
function whole(query: string, bound: string, exclude: string, words = WORDS): string {
  return `(SELECT ${COLUMNS} FROM search_documents d WHERE ${query} IS NOT NULL AND ${words('d')} @@ ${query} AND ${exclude} LIMIT ${bound})`;
}

const PASSES = `(f_kind IS NULL OR w.kind = f_kind) AND (f_cluster IS NULL OR w.cluster_ids @> ARRAY[f_cluster])
                   AND (f_type IS NULL OR w.org_type = f_type) AND (f_province IS NULL OR w.province_code = f_province)
                   AND (f_size IS NULL OR w.size_class = f_size) AND (f_competence IS NULL OR w.area_keys @> ARRAY[f_competence])`;

const NAMES = `
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(cap, 200)
      )`;

const NOT_NAMED = 'd.id NOT IN (SELECT n.id FROM n)';

/** `source`, ranked when it passes the filters (or always). */
function ranked(source: string, from: string, always = false): string {
  return `
      SELECT x.id, '${source}', x.by_name, x.kind, x.organisation_id, x.person_id, x.org_type, x.province_code, x.size_class, x.cluster_ids,
             x.listed, x.visibility, x.area_keys, x.area_top, x.sort_key,
             CASE WHEN rq IS NOT NULL ${always ? '' : `AND ${PASSES.replaceAll('w.', 'x.')}`} THEN ts_rank(x.tsv, rq, 1) ELSE 0 END::real,
             x.name_similarity
      FROM ${from} x`;
}

const WORDS_BOUND = 'greatest(cap - (SELECT count(*) FROM n), 0)';

// The names found and the documents with the words, under the bound ('w'). On a table of fewer
// than 16 bounds of documents a broad query is rare and the hash ranges would only add probes
// (~1 ms a query on PGlite at the region scale: each of them is opened at every call, read or not);
// `SET clusterhub.search_ranges = on | off` overrides the choice.
const SMALL = `${NAMES}${ranked('w', `(SELECT * FROM n UNION ALL SELECT * FROM ${whole('q', WORDS_BOUND, NOT_NAMED)} y)`)}`;
const LARGE = `${NAMES}${ranked('w', `(SELECT * FROM n UNION ALL SELECT * FROM ${sharded('q', WORDS_BOUND, NOT_NAMED)} y)`)}`;
// The documents with the words and the filters ('f'): read only when the first set reached the
// bound (otherwise it holds every document that passes the filters). A document may be in both.
const FILTERED_SMALL = ranked('f', whole('qf', 'cap', 'TRUE'), true);
const FILTERED_LARGE = ranked('f', sharded('qf', 'cap', 'TRUE'), true);

const BODY = `
    DECLARE
      qf tsquery := CASE WHEN q IS NOT NULL THEN q && search_filter_query(f_kind, f_cluster, f_type, f_province, f_size, f_competence) END;
      -- reltuples is -1 before the first ANALYZE: small. The setting chooses for a benchmark or a test.
      small boolean := CASE current_setting('clusterhub.search_ranges', true) WHEN 'on' THEN false WHEN 'off' THEN true
        ELSE (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'search_documents'::regclass) < 16.0 * cap END;
      found_w bigint;
    BEGIN
      IF small THEN
        RETURN QUERY ${SMALL};
      ELSE
        RETURN QUERY ${LARGE};
      END IF;
      GET DIAGNOSTICS found_w = ROW_COUNT;
      IF qf IS NOT NULL AND found_w >= cap THEN
        IF small THEN
          RETURN QUERY ${FILTERED_SMALL};
        ELSE
          RETURN QUERY ${FILTERED_LARGE};
        END IF;
      END IF;
    END`;

/** For down: the statement of 2026-11-26T2300 (its first range bounded by the words' bound instead of `cap`: the same kind of rows). */
const STATEMENT_BEFORE = `
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(cap, 200)
      ),
      w AS (
        SELECT * FROM n
        UNION ALL
        SELECT * FROM ${sharded('q', WORDS_BOUND, NOT_NAMED, TSV)} x
      )
      SELECT w.id, w.by_name, w.kind, w.organisation_id, w.person_id, w.org_type, w.province_code, w.size_class, w.cluster_ids, w.listed,
             w.visibility, w.area_keys, w.area_top, w.sort_key,
             CASE WHEN rq IS NOT NULL AND ${PASSES} THEN ts_rank(w.tsv, rq, 1) ELSE 0 END::real,
             w.name_similarity
      FROM w`;

const INDEX_NAMES = ['search_documents_tsv_idx', ...SHARDS.map((_, i) => `search_documents_tsv_s${i}_idx`)];

/** The eight indexes over the words (2026-11-26T2300) over `expression` instead (built anew). */
async function indexWords(db: Kysely<any>, expression: string): Promise<void> {
  await sql.raw(`DROP INDEX ${INDEX_NAMES.join(', ')}`).execute(db);
  await sql.raw(`CREATE INDEX ${INDEX_NAMES[0]} ON search_documents USING gin ((${expression})) WITH (fastupdate = off)`).execute(db);
  for (const [i, shard] of SHARDS.entries()) {
    await sql
      .raw(`CREATE INDEX ${INDEX_NAMES[i + 1]} ON search_documents USING gin ((${expression})) WITH (fastupdate = off) WHERE (uuid_hash(id) & 255) ${shard}`)
      .execute(db);
  }
}

/** search_matches anew (its columns change: CREATE OR REPLACE cannot), with `returns` and a PL/pgSQL `body`. */
async function replaceMatches(db: Kysely<any>, returns: string, body: string): Promise<void> {
  await sql.raw(`DROP FUNCTION search_matches(${SIGNATURE_ARGS})`).execute(db);
  // The output columns share their names with the table's: column references mean the columns.
  await sql
    .raw(`
    CREATE FUNCTION search_matches(${SIGNATURE_ARGS})
    ${returns}
    LANGUAGE plpgsql STABLE ROWS 500 SET enable_seqscan = off AS $$
    #variable_conflict use_column
    ${body}
    $$
  `)
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION search_filter_terms(kind text, org_type text, province text, size text, clusters uuid[], areas text[])
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT array_to_tsvector(
        array_remove(ARRAY['~k.' || kind, '~t.' || org_type, '~p.' || province, '~s.' || size], NULL)
        || ARRAY(SELECT '~c.' || c FROM unnest(clusters) c)
        || ARRAY(SELECT '~a.' || a FROM unnest(areas) a))
    $$`.execute(db);
  // Every filter given, as one query of terms (each quoted: the values are codes, but a quote or a
  // backslash must not change the query); NULL without a filter.
  await sql`
    CREATE FUNCTION search_filter_query(f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text)
    RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT nullif(array_to_string(ARRAY(
        SELECT '''' || replace(replace(t, '\\', '\\\\'), '''', '''''') || ''''
        FROM unnest(ARRAY['~k.' || f_kind, '~c.' || f_cluster::text, '~t.' || f_type, '~p.' || f_province, '~s.' || f_size, '~a.' || f_competence]) t
        WHERE t IS NOT NULL), ' & '), '')::tsquery
    $$`.execute(db);
  // Index builds run with only pg_catalog on the search path (PostgreSQL 17, PGlite): qualified.
  const schema = (await sql<{ s: string }>`SELECT quote_ident(current_schema()) AS s`.execute(db)).rows[0]!.s;
  await sql
    .raw(`
    CREATE FUNCTION search_words(tsv tsvector, kind text, org_type text, province text, size text, clusters uuid[], areas text[])
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT tsv || ${schema}.search_filter_terms(kind, org_type, province, size, clusters, areas) $$`)
    .execute(db);
  // An index over an expression: no document is rewritten, their words (and ranks) stay as they are.
  await indexWords(db, WORDS(''));
  await replaceMatches(db, RETURNS, BODY);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceMatches(db, RETURNS_BEFORE, `BEGIN RETURN QUERY ${STATEMENT_BEFORE}; END`);
  await indexWords(db, 'tsv');
  await sql`DROP FUNCTION search_words(tsvector, text, text, text, text, uuid[], text[])`.execute(db);
  await sql`DROP FUNCTION search_filter_query(text, uuid, text, text, text, text)`.execute(db);
  await sql`DROP FUNCTION search_filter_terms(text, text, text, text, uuid[], text[])`.execute(db);
}

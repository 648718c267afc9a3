import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The hash ranges of the words' index (2026-11-26T2300) grew by doubling: 1/64, 1/64, 1/32, 1/16,
// 1/8, 1/4 and 1/2 of the documents. A GIN bitmap cannot stop early, so the last range a broad
// search opens is read whole even when it needs a few of its documents: on average a quarter of
// the words' postings a search read, and up to half, were read for nothing. Beyond the first
// sixteenth each range now adds a third to two thirds of what comes before it (ends at 4, 8, 16,
// 24, 40, 64, 96, 128, 192 and 256 of the hash's 256 values): ten ranges instead of seven, the
// same documents in all (each still in exactly one range), so the indexes together are about the
// size they were and a write still updates one of them. On the Europe data the benchmark's searches
// read a quarter fewer postings (docs/decisions/005-search.md, "Finer ranges"). The first three
// ranges and their indexes stay; the statement is that of 2026-11-27T0000, reading the new ranges.

/** Shard predicates over `uuid_hash(id) & 255`, before and after. */
const BEFORE = ['< 4', 'BETWEEN 4 AND 7', 'BETWEEN 8 AND 15', 'BETWEEN 16 AND 31', 'BETWEEN 32 AND 63', 'BETWEEN 64 AND 127', '>= 128'];
const AFTER = [
  '< 4', 'BETWEEN 4 AND 7', 'BETWEEN 8 AND 15', 'BETWEEN 16 AND 23', 'BETWEEN 24 AND 39',
  'BETWEEN 40 AND 63', 'BETWEEN 64 AND 95', 'BETWEEN 96 AND 127', 'BETWEEN 128 AND 191', '>= 192',
];
/** The ranges both lists share (their indexes are kept). */
const KEPT = 3;

const WORDS = (a: string) => `search_words(${a}.tsv, ${a}.kind, ${a}.org_type, ${a}.province_code, ${a}.size_class, ${a}.cluster_ids, ${a}.area_keys)`;

const COLUMNS = `d.id, false AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
                d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, 0::real AS name_similarity`;

/** The documents matching `query`, at most `bound`, less `exclude`: the hash ranges (2026-11-26T2300). */
function sharded(shards: readonly string[], query: string, bound: string, exclude: string): string {
  return `(
         WITH s0 AS MATERIALIZED (
           SELECT ${COLUMNS} FROM search_documents d
           WHERE ${query} IS NOT NULL AND (uuid_hash(d.id) & 255) ${shards[0]} AND ${WORDS('d')} @@ ${query} AND ${exclude}
           LIMIT ${bound}
         ),
         broad AS (SELECT count(*) * 64 >= ${bound} AS yes FROM s0)
         SELECT * FROM s0
         UNION ALL
         SELECT ${COLUMNS} FROM (
           ${shards.slice(1).map((s) => `SELECT * FROM search_documents s WHERE (uuid_hash(s.id) & 255) ${s} AND ${WORDS('s')} @@ ${query}`).join('\n           UNION ALL ')}
         ) d WHERE ${query} IS NOT NULL AND (SELECT yes FROM broad) AND ${exclude}
         UNION ALL
         SELECT ${COLUMNS} FROM search_documents d
         WHERE ${query} IS NOT NULL AND NOT (SELECT yes FROM broad) AND ${WORDS('d')} @@ ${query} AND NOT ((uuid_hash(d.id) & 255) ${shards[0]}) AND ${exclude}
         LIMIT ${bound})`;
}

/** The same documents from the index over all documents only. */
function whole(query: string, bound: string, exclude: string): string {
  return `(SELECT ${COLUMNS} FROM search_documents d WHERE ${query} IS NOT NULL AND ${WORDS('d')} @@ ${query} AND ${exclude} LIMIT ${bound})`;
}

const PASSES = `(f_kind IS NULL OR x.kind = f_kind) AND (f_cluster IS NULL OR x.cluster_ids @> ARRAY[f_cluster])
                   AND (f_type IS NULL OR x.org_type = f_type) AND (f_province IS NULL OR x.province_code = f_province)
                   AND (f_size IS NULL OR x.size_class = f_size) AND (f_competence IS NULL OR x.area_keys @> ARRAY[f_competence])`;

const NAMES = `
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(w_cap, 200)
      )`;

const NOT_NAMED = 'd.id NOT IN (SELECT n.id FROM n)';

/** Rows of `from` as the function returns them, `source` naming the set; ranked when they pass the filters (or always). */
function ranked(source: string, from: string, always = false): string {
  return `
      SELECT x.id, ${source}, x.by_name, x.kind, x.organisation_id, x.person_id, x.org_type, x.province_code, x.size_class, x.cluster_ids,
             x.listed, x.visibility, x.area_keys, x.area_top, x.sort_key,
             CASE WHEN rq IS NOT NULL ${always ? '' : `AND ${PASSES}`} THEN ts_rank(x.tsv, rq, 1) ELSE 0 END::real,
             x.name_similarity
      FROM ${from} x`;
}

const WORDS_BOUND = 'greatest(w_cap - (SELECT count(*) FROM n), 0)';

/** The body of 2026-11-27T0000 (the bound halved on a large table when filters are given), reading `shards`. */
function body(shards: readonly string[]): string {
  return `
    DECLARE
      qf tsquery := CASE WHEN q IS NOT NULL THEN q && search_filter_query(f_kind, f_cluster, f_type, f_province, f_size, f_competence) END;
      -- reltuples is -1 before the first ANALYZE: small. The setting chooses for a benchmark or a test.
      small boolean := CASE current_setting('clusterhub.search_ranges', true) WHEN 'on' THEN false WHEN 'off' THEN true
        ELSE (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'search_documents'::regclass) < 16.0 * cap END;
      halved boolean := NOT small AND qf IS NOT NULL;
      w_cap integer := CASE WHEN halved THEN (cap + 1) / 2 ELSE cap END;
      f_cap integer := CASE WHEN halved THEN (cap + 1) / 2 ELSE cap END;
      w_source text := CASE WHEN halved THEN 'hw' ELSE 'w' END;
      f_source text := CASE WHEN halved THEN 'hf' ELSE 'f' END;
      found_w bigint;
    BEGIN
      IF small THEN
        RETURN QUERY ${NAMES}${ranked('w_source', `(SELECT * FROM n UNION ALL SELECT * FROM ${whole('q', WORDS_BOUND, NOT_NAMED)} y)`)};
      ELSE
        RETURN QUERY ${NAMES}${ranked('w_source', `(SELECT * FROM n UNION ALL SELECT * FROM ${sharded(shards, 'q', WORDS_BOUND, NOT_NAMED)} y)`)};
      END IF;
      GET DIAGNOSTICS found_w = ROW_COUNT;
      -- Below its bound the first set holds every document that passes the filters.
      IF qf IS NOT NULL AND found_w >= w_cap THEN
        IF small THEN
          RETURN QUERY ${ranked('f_source', whole('qf', 'f_cap', 'TRUE'), true)};
        ELSE
          RETURN QUERY ${ranked('f_source', sharded(shards, 'qf', 'f_cap', 'TRUE'), true)};
        END IF;
      END IF;
    END`;
}

async function replaceBody(db: Kysely<any>, shards: readonly string[]): Promise<void> {
  // The output columns share their names with the table's: column references mean the columns.
  await sql
    .raw(`
    CREATE OR REPLACE FUNCTION search_matches(q tsquery, names text, cap integer, rq tsquery,
                                              f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text)
    RETURNS TABLE (id uuid, source text, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text,
                   province_code text, size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[],
                   sort_key text, rank real, name_similarity real)
    LANGUAGE plpgsql STABLE ROWS 500 SET enable_seqscan = off AS $$
    #variable_conflict use_column
    ${body(shards)}
    $$
  `)
    .execute(db);
}

/** The range indexes past the kept ones become those of `to` (named by position, as in 2026-11-26T2300). */
async function reindexRanges(db: Kysely<any>, from: readonly string[], to: readonly string[]): Promise<void> {
  const words = 'search_words(tsv, kind, org_type, province_code, size_class, cluster_ids, area_keys)';
  for (let i = KEPT; i < from.length; i++) await sql.raw(`DROP INDEX search_documents_tsv_s${i}_idx`).execute(db);
  for (let i = KEPT; i < to.length; i++) {
    await sql
      .raw(`CREATE INDEX search_documents_tsv_s${i}_idx ON search_documents USING gin ((${words})) WITH (fastupdate = off) WHERE (uuid_hash(id) & 255) ${to[i]}`)
      .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await reindexRanges(db, BEFORE, AFTER);
  await replaceBody(db, AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  await reindexRanges(db, AFTER, BEFORE);
  await replaceBody(db, BEFORE);
}

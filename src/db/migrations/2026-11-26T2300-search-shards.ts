import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Seven partial GIN indexes over the words, each holding the documents of one range of a hash of
// their id, of growing size (1/64, 1/64, 1/32, 1/16, 1/8, 1/4 and 1/2 of them), beside the index
// over all of them. search_matches first reads the smallest range: when its matches, scaled up,
// reach the candidate bound, the query is a broad one and it reads the other ranges in order,
// stopping at the bound, so it never builds the bitmap of its words' posting lists over the whole
// table (a GIN bitmap cannot stop early; at the Europe scale that bitmap was most of a broad
// query's time). Otherwise it reads the index over all documents (less those of the first range),
// as before: one probe instead of seven, which on PGlite at the region scale costs ~0.6 ms less
// per query. The ranges are a uniform sample, so the documents read under the bound are no more
// arbitrary than the heap order they were read in before. Everything else is the statement of
// 2026-11-26T1800.

const SIGNATURE = `search_matches(q tsquery, names text, cap integer, rq tsquery,
                                   f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text)`;

const RETURNS = `RETURNS TABLE (id uuid, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text, province_code text,
                   size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[], sort_key text,
                   rank real, name_similarity real)`;

/** Shard predicates over `uuid_hash(id) & 255` (stable: hash indexes rely on it across upgrades). */
const SHARDS = ['< 4', 'BETWEEN 4 AND 7', 'BETWEEN 8 AND 15', 'BETWEEN 16 AND 31', 'BETWEEN 32 AND 63', 'BETWEEN 64 AND 127', '>= 128'];

const COLUMNS = `d.id, false AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
                d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, 0::real AS name_similarity`;

function statement(words: string): string {
  return `
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(cap, 200)
      ),
      w AS (
        SELECT * FROM n
        UNION ALL
        (${words}
         LIMIT greatest(cap - (SELECT count(*) FROM n), 0))
      )
      SELECT w.id, w.by_name, w.kind, w.organisation_id, w.person_id, w.org_type, w.province_code, w.size_class, w.cluster_ids, w.listed,
             w.visibility, w.area_keys, w.area_top, w.sort_key,
             CASE WHEN rq IS NOT NULL
                   AND (f_kind IS NULL OR w.kind = f_kind) AND (f_cluster IS NULL OR w.cluster_ids @> ARRAY[f_cluster])
                   AND (f_type IS NULL OR w.org_type = f_type) AND (f_province IS NULL OR w.province_code = f_province)
                   AND (f_size IS NULL OR w.size_class = f_size) AND (f_competence IS NULL OR w.area_keys @> ARRAY[f_competence])
                  THEN ts_rank(w.tsv, rq, 1) ELSE 0 END::real,
             w.name_similarity
      FROM w`;
}

const FIRST = `(uuid_hash(s.id) & 255) ${SHARDS[0]}`;

const SHARDED = statement(`
         WITH s0 AS MATERIALIZED (
           SELECT ${COLUMNS.replaceAll('d.', 's.')} FROM search_documents s
           WHERE q IS NOT NULL AND ${FIRST} AND s.tsv @@ q AND s.id NOT IN (SELECT n.id FROM n) LIMIT cap
         ),
         broad AS (SELECT count(*) * 64 >= cap AS yes FROM s0)
         SELECT * FROM s0
         UNION ALL
         SELECT ${COLUMNS} FROM (
           ${SHARDS.slice(1).map((s) => `SELECT * FROM search_documents s WHERE (uuid_hash(s.id) & 255) ${s} AND s.tsv @@ q`).join('\n           UNION ALL ')}
         ) d WHERE q IS NOT NULL AND (SELECT yes FROM broad) AND d.id NOT IN (SELECT n.id FROM n)
         UNION ALL
         SELECT ${COLUMNS} FROM search_documents d
         WHERE q IS NOT NULL AND NOT (SELECT yes FROM broad) AND d.tsv @@ q AND NOT ((uuid_hash(d.id) & 255) ${SHARDS[0]}) AND d.id NOT IN (SELECT n.id FROM n)`);

const WHOLE = statement(`SELECT ${COLUMNS}
         FROM search_documents d WHERE q IS NOT NULL AND d.tsv @@ q AND d.id NOT IN (SELECT n.id FROM n)`);

async function replaceFunction(db: Kysely<any>, body: string): Promise<void> {
  // The output columns share their names with the table's: column references mean the columns.
  await sql
    .raw(`
    CREATE OR REPLACE FUNCTION ${SIGNATURE}
    ${RETURNS}
    LANGUAGE plpgsql STABLE ROWS 500 SET enable_seqscan = off AS $$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY ${body};
    END
    $$
  `)
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const [i, shard] of SHARDS.entries()) {
    await sql
      .raw(`CREATE INDEX search_documents_tsv_s${i}_idx ON search_documents USING gin (tsv) WITH (fastupdate = off) WHERE (uuid_hash(id) & 255) ${shard}`)
      .execute(db);
  }
  await replaceFunction(db, SHARDED);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceFunction(db, WHOLE);
  for (const i of SHARDS.keys()) await sql.raw(`DROP INDEX search_documents_tsv_s${i}_idx`).execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// search_matches in PL/pgSQL instead of SQL, with the same statement and the same rows. A SQL
// function that cannot be inlined (this one has a SET clause, and returns a table) plans its
// statement again at every call; PL/pgSQL prepares it once per connection and, after five
// calls, keeps a generic plan (the GIN indexes with the candidate bound; the parameters only
// change which index entries are read). At the region scale the statement took ~2.4 ms at the
// median instead of ~5 ms on PostgreSQL (decision 007). The statement is the one of
// 2026-11-26T1200 (the trigram branch reads at most 200 names).

const SIGNATURE = `search_matches(q tsquery, names text, cap integer, rq tsquery,
                                   f_kind text, f_cluster uuid, f_type text, f_province text, f_size text, f_competence text)`;

const RETURNS = `RETURNS TABLE (id uuid, by_name boolean, kind text, organisation_id uuid, person_id uuid, org_type text, province_code text,
                   size_class text, cluster_ids uuid[], listed boolean, visibility text, area_keys text[], area_top text[], sort_key text,
                   rank real, name_similarity real)`;

const STATEMENT = `
      WITH n AS MATERIALIZED (
        SELECT d.id, true AS by_name, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids,
               d.listed, d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, word_similarity(names, d.trgm_text) AS name_similarity
        FROM search_documents d WHERE names IS NOT NULL AND names <% d.trgm_text LIMIT least(cap, 200)
      ),
      w AS (
        SELECT * FROM n
        UNION ALL
        (SELECT d.id, false, d.kind, d.organisation_id, d.person_id, d.org_type, d.province_code, d.size_class, d.cluster_ids, d.listed,
                d.visibility, d.area_keys, d.area_top, d.sort_key, d.tsv, 0::real
         FROM search_documents d WHERE q IS NOT NULL AND d.tsv @@ q AND d.id NOT IN (SELECT n.id FROM n)
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

export async function up(db: Kysely<any>): Promise<void> {
  // The output columns share their names with the table's: column references mean the columns.
  await sql
    .raw(`
    CREATE OR REPLACE FUNCTION ${SIGNATURE}
    ${RETURNS}
    LANGUAGE plpgsql STABLE ROWS 500 SET enable_seqscan = off AS $$
    #variable_conflict use_column
    BEGIN
      RETURN QUERY ${STATEMENT};
    END
    $$
  `)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`
    CREATE OR REPLACE FUNCTION ${SIGNATURE}
    ${RETURNS}
    LANGUAGE sql STABLE ROWS 500 SET enable_seqscan = off AS $$${STATEMENT}
    $$
  `)
    .execute(db);
}

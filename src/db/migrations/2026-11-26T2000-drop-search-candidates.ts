import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// search_candidates (2026-11-25T1400) has not been called since search_matches (2026-11-25T1710)
// took the candidates, their facts and their ranking into one statement. Dropped; down restores it
// as it was.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS search_candidates(tsquery, text)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION search_candidates(q tsquery, names text) RETURNS SETOF uuid
    LANGUAGE sql STABLE ROWS 200 SET enable_seqscan = off
    AS $$
      SELECT id FROM search_documents WHERE tsv @@ q
      UNION
      SELECT id FROM search_documents WHERE names IS NOT NULL AND names <% trgm_text
    $$
  `.execute(db);
}

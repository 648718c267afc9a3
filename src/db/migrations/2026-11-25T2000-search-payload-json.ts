import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// What a search result shows (`search_documents.payload`) is written whole by the indexer and only
// ever read whole, to be sent out as JSON: no SQL operator looks inside it. As `jsonb` every page
// of results converted its 21 payloads back to text (~0.5 ms of the ~8 ms of a search on PGlite,
// a third of the cost of reading the page); as `json` the stored text goes out as it is.
// docs/decisions/005-search.md, "Over HTTP, signed in".

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE search_documents ALTER COLUMN payload TYPE json USING payload::json`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE search_documents ALTER COLUMN payload TYPE jsonb USING payload::jsonb`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// The matcher checks at every start that each offer, need and profile has a current document
// (`staleDocuments`, `staleProfileOwners`, `deleteOrphanProfiles`). Those anti-joins read only
// keys, the analyser version and the owner, but without these indexes each read the whole of
// match_documents (wide rows: payload and meta) and search_documents: ~8,000 pages, about 0.5 s of
// a cold start on the embedded database at region scale. Covering indexes let them read the
// indexes alone (the tables are vacuumed after a build, so the visibility map is set).
// docs/decisions/007-performance.md, "Cold start".

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX match_documents_freshness_idx ON match_documents (kind, item_id) INCLUDE (analyzer_version, organisation_id)`.execute(db);
  await sql`CREATE INDEX search_documents_owner_idx ON search_documents (id) INCLUDE (organisation_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX search_documents_owner_idx`.execute(db);
  await sql`DROP INDEX match_documents_freshness_idx`.execute(db);
}

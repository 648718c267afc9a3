import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// A bulk load (after `clusterhub generate`) drops some secondary indexes and builds them again at
// the end (src/db/deferred-indexes.ts). Each dropped index is written here in the transaction that
// drops it and removed when it is built again, so a load that is killed half-way leaves a list
// the next start works off instead of a schema silently missing its indexes.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE deferred_indexes (
      name text PRIMARY KEY,
      -- The statement that builds it again (pg_get_indexdef, with IF NOT EXISTS).
      definition text NOT NULL,
      deferred_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE deferred_indexes`.execute(db);
}

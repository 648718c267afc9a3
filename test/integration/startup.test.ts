import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { migrateToLatest, pendingMigrations } from '../../src/db/migrate.js';
import { seedAll } from '../../src/db/seed/seed.js';
import { createTestDatabase, DB_MODES, type TestDatabase } from '../support/database.js';

// What every start does before it listens, kept cheap when there is nothing to do
// (docs/decisions/007-performance.md, "Cold start and memory").
describe.each(DB_MODES)('start-up checks (%s)', (mode) => {
  let database: TestDatabase;
  let queries: string[] = [];
  let counted: Kysely<DB>;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    await seedAll(database.db);
    // The same database, with every query recorded.
    counted = database.db.withPlugin({
      transformQuery: (args) => {
        queries.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('finds an up-to-date schema with two small queries, without the migrator', async () => {
    queries = [];
    expect(await migrateToLatest(counted)).toEqual([]);
    expect(await pendingMigrations(counted)).toEqual([]);
    expect(queries).toHaveLength(4);
  });

  it('finds an already seeded database with one query', async () => {
    queries = [];
    expect(await seedAll(counted)).toEqual([]);
    expect(queries).toHaveLength(1);
  });

  it('still refuses a database that applied a migration this version does not know', async () => {
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('2999-01-01T0000-from-the-future', now()::text)`.execute(database.db);
    try {
      await expect(migrateToLatest(database.db)).rejects.toThrow(/2999-01-01T0000-from-the-future/);
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = '2999-01-01T0000-from-the-future'`.execute(database.db);
    }
  });

  it('still reports a migration that is pending', async () => {
    // Forget the last applied migration: the quick check must not take the database for up to date.
    const { rows } = await sql<{ name: string }>`SELECT max(name) AS name FROM kysely_migration`.execute(database.db);
    const last = rows[0]!.name;
    await sql`DELETE FROM kysely_migration WHERE name = ${last}`.execute(database.db);
    try {
      expect(await pendingMigrations(database.db)).toEqual([last]);
    } finally {
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${last}, now()::text)`.execute(database.db);
    }
  });
  it('applies an earlier migration a database lacks after later ones (branches landing out of order)', async () => {
    const name = '2026-11-25T1820-search-queue-statement-triggers';
    const migration = await import('../../src/db/migrations/2026-11-25T1820-search-queue-statement-triggers.js');
    await migration.down(database.db);
    await sql`DELETE FROM kysely_migration WHERE name = ${name}`.execute(database.db);
    expect(await pendingMigrations(database.db)).toEqual([name]);
    const late: string[][] = [];
    expect(await migrateToLatest(database.db, { onOutOfOrder: (names) => late.push(names) })).toEqual([name]);
    expect(late).toEqual([[name]]);
    expect(await pendingMigrations(database.db)).toEqual([]);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'organisations_search_queue_insert'`.execute(database.db);
    expect(rows[0]!.n).toBe(1);
  });
});

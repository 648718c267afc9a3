import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseMode } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The database modes integration tests run on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const DB_MODES: DatabaseMode[] = process.env.DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];

export interface TestDatabase extends Database {
  /** Connection string of the fresh PostgreSQL database (postgresql mode only). */
  url: string | undefined;
}

/**
 * A fresh, migrated, empty database for one test file: in-memory PGlite, or a new database on the
 * PostgreSQL server of DATABASE_URL (dropped on close), so test files never share data.
 */
export async function createTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  if (mode === 'pglite') {
    const database = await openDatabase({ dataDir: null });
    await migrateToLatest(database.db);
    return { ...database, url: undefined };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is required for postgresql tests');
  const name = `clusterhub_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrateToLatest(database.db);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely, Migration } from 'kysely';
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

/**
 * Run `check` on the database as it was before migration `from`: that migration's down and every
 * later one's (the latest first), then up again in order, whatever `check` does. For tests of a
 * migration's down once later migrations changed the same objects.
 */
export async function withMigrationsUndone(db: Kysely<any>, from: string, check: () => Promise<void>): Promise<void> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/db/migrations');
  // The files the migrator reads (src/db/migrate.ts).
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .map((f) => f.slice(0, -3))
    .sort()
    .filter((n) => n >= from);
  if (names[0] !== from) throw new Error(`no migration ${from}`);
  const modules = await Promise.all(names.map(async (n) => (await import(pathToFileURL(path.join(dir, `${n}.ts`)).href)) as Migration));
  for (const m of [...modules].reverse()) await m.down!(db);
  try {
    await check();
  } finally {
    for (const m of modules) await m.up(db);
  }
}

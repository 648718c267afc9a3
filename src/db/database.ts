import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, sql, type KyselyConfig } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock.js';
import { pglitePoolConfig } from './pglite-connection.js';
import type { DB } from './schema.js';

// `date` stays an ISO string (no time-zone shift); bigint counts become numbers (they stay < 2^53).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DatabaseMode = 'pglite' | 'postgresql';

/**
 * PGlite's shared buffers live in its WebAssembly memory, which is zeroed when PostgreSQL starts
 * and never handed back to the system: with PostgreSQL's default (128 MB) they were about 120 MiB
 * of the server's resident memory. A page that is not in them is read from the data directory,
 * i.e. from the operating system's page cache: a copy, not a disk read. At region scale the
 * benchmark's queries are no slower with 32 MB (docs/decisions/007-performance.md).
 */
export const PGLITE_SHARED_BUFFERS = '32MB';

export interface Database {
  readonly db: Kysely<DB>;
  readonly mode: DatabaseMode;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Directory owned by this process for the embedded database; `null` keeps it in memory. */
  dataDir?: string | null;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Kysely's query log hook (tests count queries per page with it). */
  log?: KyselyConfig['log'];
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection can be closed by the server (restart, failover, a dropped database): the pool
    // discards it and opens another on demand. Without a listener node-postgres would crash the process.
    pool.on('error', (error) => {
      console.error(`PostgreSQL closed an idle connection: ${error.message}`);
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    try {
      await sql`SELECT 1`.execute(db);
    } catch (error) {
      await db.destroy();
      throw new Error(`Cannot connect to PostgreSQL (DATABASE_URL): ${(error as Error).message}`, { cause: error });
    }
    return { db, mode: 'postgresql', close: () => db.destroy() };
  }

  let lock: DataDirLock | undefined;
  if (options.dataDir) lock = acquireDataDirLock(options.dataDir);
  try {
    const pglite = await PGlite.create(options.dataDir ? path.join(options.dataDir, 'pgdata') : 'memory://', {
      extensions: { unaccent, pg_trgm },
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    const pool = new pg.Pool(pglitePoolConfig(pglite) as unknown as pg.PoolConfig);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    return {
      db,
      mode: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The migration files in src/db/migrations (or dist/db/migrations once built), sorted. */
async function migrationFiles(): Promise<string[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'));
  return files.sort();
}

/** Loads every migration module. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of await migrationFiles()) {
      const module = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

/**
 * Whether the database has applied exactly the migrations on disk, read with two small queries.
 * Kysely's Migrator introspects every table and loads every migration module before it finds out
 * there is nothing to do: about 0.6 s of a cold start on PGlite (docs/decisions/007-performance.md).
 * Anything else (a fresh database, pending or unknown migrations) is left to the Migrator.
 */
async function upToDate(db: Kysely<any>): Promise<boolean> {
  const names = (await migrationFiles()).map((f) => f.replace(/\.(ts|js)$/, ''));
  const applied = await appliedNames(db);
  return applied.length === names.length && applied.every((name, i) => name === names[i]);
}

export class MigrationError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * Migrations written on parallel branches can land in an order other than their names: a database
 * that already applied a later one still takes an earlier one it lacks, instead of refusing to
 * start. Every migration is written to apply on top of any of the others of its generation.
 */
function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
}

export interface MigrateOptions {
  /** Told the names this run applied that sort before a migration the database already had. */
  onOutOfOrder?: (names: string[]) => void;
}

export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<string[]> {
  if (await upToDate(db)) return [];
  const before = await appliedNames(db);
  const { error, results }: MigrationResultSet = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Migration ${failed} failed: ${(error as Error).message}`, error);
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const latest = before.at(-1);
  const late = latest ? applied.filter((name) => name < latest) : [];
  if (late.length > 0) options.onOutOfOrder?.(late);
  return applied;
}

/** The names the database has applied, sorted (none when it has no migration table yet). */
async function appliedNames(db: Kysely<any>): Promise<string[]> {
  // The Migrator's table, unqualified as it uses it (resolved through search_path).
  const { rows: table } = await sql<{ exists: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS "exists"`.execute(db);
  if (!table[0]?.exists) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
  return rows.map((r) => r.name).sort();
}

/** Names of the migrations not yet applied to this database. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  if (await upToDate(db)) return [];
  return (await migrator(db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

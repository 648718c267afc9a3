#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { DataDirLockedError } from './db/lock.js';
import { migrateToLatest } from './db/migrate.js';
import { seedAll } from './db/seed/seed.js';
import type { Role } from './db/schema.js';
import { normaliseEmail } from './features/accounts/service.js';
import type { Actor } from './platform/audit.js';
import { fieldMessage, FormError } from './platform/field-errors.js';

const USAGE = `Usage: clusterhub <command>

Commands:
  migrate   Apply pending database migrations and seed the cluster registry.
            With DATABASE_URL: PostgreSQL. Without: the embedded database in DATA_DIR
            (refused while the server runs on it).
  create-admin --email E --name "N" [--password-stdin]
            Create a Region administrator (a verified account). With --password-stdin the
            password is read from standard input; otherwise a strong one is generated and
            printed once.
  grant --email E --role cluster_manager|board_member|region_admin [--cluster SLUG]
            Give an existing account a role; --cluster is required for cluster_manager and
            board_member.
  generate --scale cluster|region|europe [--seed N]
            Fill an EMPTY database (only the seeded registry) with deterministic synthetic data
            for benchmarks and demos: cluster = 150 organisations, region = 5,000 organisations
            and 20,000 people, europe = 200,000 organisations and offers (PostgreSQL only).
            Refuses a database that holds real data. Prints a checksum of the data.
  import knowledge-share FILE [--skip-invalid]
            Import a Knowledge Share export of university spin-offs (JSON): per entry a
            spin-off organisation linked to its owner universities and one public technology
            offer, both with externalRef ks:<id>. Running it again updates, never duplicates.
            Malformed entries are reported by id and nothing is imported, unless
            --skip-invalid imports the valid ones.
  help      Show this help.

Commands that write refuse to run on the embedded database while the server holds DATA_DIR.`;

/** Who acts in the audit log when an administrator runs a command on the server. */
const CLI_ACTOR: Actor = { personId: null, label: 'cli' };

const GRANTABLE_ROLES = ['cluster_manager', 'board_member', 'region_admin'] as const satisfies readonly Role[];
type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** A command line that cannot be run: the message and the usage, exit code 2. */
class UsageError extends Error {}

function parseOptions<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required.`);
  return value.trim();
}

/** The whole of standard input, without the final line break (echo and here-strings add one). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * Boot the same application the server runs (same wiring, migrations, lock on the data dir)
 * without listening, run `task` on it, and close it.
 */
async function withApp<T>(config: Config, task: (app: FastifyInstance) => Promise<T>): Promise<T> {
  // Loaded on demand: `migrate` and `help` do not need the web application.
  const { buildApp } = await import('./app.js');
  const app = await buildApp({ config, logger: false });
  try {
    await app.ready();
    return await task(app);
  } finally {
    await app.close();
  }
}

function reportFormError(error: FormError): void {
  for (const problem of error.problems) console.error(`--${problem.field}: ${fieldMessage('en', problem.code, problem.params)}`);
}

async function createAdmin(args: string[], config: Config): Promise<number> {
  const values = parseOptions(args, { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
  const email = normaliseEmail(required(values.email, 'email'));
  const displayName = required(values.name, 'name');
  if (displayName.length > 120) throw new UsageError('--name may have at most 120 characters.');
  const generated = !values['password-stdin'];
  // Read before opening the database, so the data directory is not held while waiting for input.
  const password = generated ? randomBytes(24).toString('base64url') : await readStdin();
  return withApp(config, async (app) => {
    if (await app.services.accounts.repo.findByEmail(email)) {
      console.error(`An account with e-mail ${email} already exists; to make it a Region administrator run:\n  clusterhub grant --email ${email} --role region_admin`);
      return 1;
    }
    try {
      await app.services.accounts.createWithRole({ email, displayName, password, role: 'region_admin' }, CLI_ACTOR);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      reportFormError(error);
      return 1;
    }
    console.log(`Region administrator ${email} created.`);
    if (generated) console.log(`Password (shown only now, keep it safe): ${password}`);
    return 0;
  });
}

async function grant(args: string[], config: Config): Promise<number> {
  const values = parseOptions(args, { email: { type: 'string' }, role: { type: 'string' }, cluster: { type: 'string' } });
  const email = normaliseEmail(required(values.email, 'email'));
  const role = required(values.role, 'role');
  if (!(GRANTABLE_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${GRANTABLE_ROLES.join(', ')}.`);
  const clusterSlug = typeof values.cluster === 'string' ? values.cluster.trim() : '';
  if (role === 'region_admin' && clusterSlug) throw new UsageError('--cluster does not apply to region_admin (the Region administers every cluster).');
  if (role !== 'region_admin' && !clusterSlug) throw new UsageError(`--cluster is required for ${role}.`);
  return withApp(config, async (app) => {
    const clusterId = clusterSlug ? await app.services.clusters.idBySlug(clusterSlug) : null;
    if (clusterSlug && !clusterId) {
      console.error(`No cluster with slug "${clusterSlug}".`);
      return 1;
    }
    if (!(await app.services.accounts.repo.findByEmail(email))) {
      console.error(`No account with e-mail ${email}. The person registers on the site first (or use create-admin for a Region administrator).`);
      return 1;
    }
    await app.services.accounts.grantRole({ email, role: role as GrantableRole, clusterId }, CLI_ACTOR);
    console.log(`${email} is now ${role}${clusterSlug ? ` of ${clusterSlug}` : ''}.`);
    return 0;
  });
}

async function generateCommand(args: string[], config: Config): Promise<number> {
  const values = parseOptions(args, { scale: { type: 'string' }, seed: { type: 'string' } });
  const { SCALE_NAMES, GenerateRefusedError, dataChecksum, generate } = await import('./db/seed/generate.js');
  const { rebuildDerivedData } = await import('./db/seed/generate-hooks.js');
  const scale = required(values.scale, 'scale');
  if (!(SCALE_NAMES as string[]).includes(scale)) throw new UsageError(`--scale must be one of ${SCALE_NAMES.join(', ')}.`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) throw new UsageError('--seed must be an integer between 0 and 1000000.');
  if (scale === 'europe' && !config.databaseUrl) {
    console.error('The europe scale needs PostgreSQL (set DATABASE_URL): the embedded database is meant for one region.');
    return 1;
  }
  return withApp(config, async (app) => {
    try {
      await generate(app.database.db, { scale: scale as 'cluster', seed, log: (line) => console.log(line) });
    } catch (error) {
      if (!(error instanceof GenerateRefusedError)) throw error;
      console.error(error.message);
      return 1;
    }
    await rebuildDerivedData(app.services as unknown as Record<string, unknown>, app.database, (line) => console.log(line));
    console.log(`checksum ${await dataChecksum(app.database.db)}`);
    return 0;
  });
}

async function importCommand(args: string[], config: Config): Promise<number> {
  const [format, ...rest] = args;
  if (format !== 'knowledge-share') throw new UsageError(`Unknown import format "${format ?? ''}": the formats are knowledge-share.`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { 'skip-invalid': { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('import knowledge-share needs exactly one FILE.');
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    console.error(`Cannot read ${file} as JSON: ${(error as Error).message}`);
    return 1;
  }
  const { importKnowledgeShare } = await import('./features/offers/importer.js');
  return withApp(config, async (app) => {
    const report = await importKnowledgeShare(data, { offers: app.services.offers, organisations: app.services.organisations }, CLI_ACTOR, { skipInvalid: parsed.values['skip-invalid'] === true });
    for (const problem of report.problems) console.error(`entry ${problem.id}: ${problem.messages.join('; ')}`);
    if (report.aborted) {
      console.error(`${report.problems.length} malformed entr${report.problems.length === 1 ? 'y' : 'ies'}: nothing imported. Fix the file or run again with --skip-invalid.`);
      return 1;
    }
    console.log(
      `Knowledge Share: ${report.entries} entries` +
        `${report.problems.length > 0 ? `, ${report.problems.length} skipped` : ''}; ` +
        `spin-offs ${report.organisations.created} created, ${report.organisations.existing} already present; ` +
        `universities ${report.universities.created} created, ${report.universities.existing} already present; ` +
        `offers ${report.offers.created} created, ${report.offers.updated} updated.`,
    );
    return 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrateToLatest(database.db, {
          onOutOfOrder: (names) => console.warn(`Applied migrations older than ones this database already had (a branch landed late): ${names.join(', ')}.`),
        });
        const seeded = (await seedAll(database.db)).length > 0;
        console.log(
          `${database.mode}: ${applied.length === 0 ? 'schema already up to date' : `applied ${applied.join(', ')}`}` +
            `${seeded ? '; cluster registry seeded' : ''}.`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'create-admin':
      return createAdmin(argv.slice(1), config);
    case 'import':
      return importCommand(argv.slice(1), config);
    case 'grant':
      return grant(argv.slice(1), config);
    case 'generate':
      return generateCommand(argv.slice(1), config);
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);

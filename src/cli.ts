#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DataDirLockedError } from './db/lock.js';
import { migrateToLatest } from './db/migrate.js';
import { seedFoundingMemberships, seedRegistry } from './db/seed/seed.js';

const USAGE = `Usage: clusterhub <command>

Commands:
  migrate   Apply pending database migrations and seed the cluster registry.
            With DATABASE_URL: PostgreSQL. Without: the embedded database in DATA_DIR
            (refused while the server runs on it).
  help      Show this help.`;

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
        const applied = await migrateToLatest(database.db);
        const seeded = await seedRegistry(database.db);
        await seedFoundingMemberships(database.db);
        console.log(
          `${database.mode}: ${applied.length === 0 ? 'schema already up to date' : `applied ${applied.join(', ')}`}` +
            `${seeded ? '; cluster registry seeded' : ''}.`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);

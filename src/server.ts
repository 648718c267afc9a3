// First: V8 settings that must hold before the application's code runs.
import './platform/v8-tuning.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DataDirLockedError } from './db/lock.js';

// Listen and shut down gracefully; nothing else.
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// Open the database (and take the data directory's lock) while the application's modules load:
// much of PGlite's opening is waiting for WebAssembly and files (docs/decisions/007-performance.md).
const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
opening.catch(() => {}); // reported below, through buildApp

let app;
try {
  const { buildApp } = await import('./app.js');
  app = await buildApp({ config, opening });
} catch (error) {
  if (error instanceof DataDirLockedError || (error as Error).message.includes('PostgreSQL')) {
    console.error((error as Error).message);
    process.exit(1);
  }
  throw error;
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error({ err: error }, 'cannot listen');
  await app.close();
  process.exit(1);
}

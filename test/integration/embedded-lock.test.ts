import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { FastifyInstance } from 'fastify';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

async function runProcess(script: string, args: string[], env: Record<string, string>) {
  try {
    // Vitest puts Vite's BASE_URL ('/') into process.env: pass on only what a shell would have.
    const { BASE_URL: _vite, ...inherited } = process.env;
    const { stdout, stderr } = await run(TSX, [script, ...args], {
      env: { ...inherited, ...env, DATABASE_URL: '' },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('embedded data directory owned by one process', () => {
  let dataDir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-owner-'));
    app = await buildApp({ config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), logger: false });
    await app.ready();
    await app.database.db.updateTable('clusters').set({ short_name: 'Cosmesi (edited)' }).where('slug', '=', 'cosmetica').execute();
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server on the same directory with a clear message', async () => {
    const result = await runProcess('src/server.ts', [], { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The data directory ${dataDir} is in use by another Clusterhub process (pid ${process.pid})`);
  });

  it('refuses the migrate command while the server runs', async () => {
    const result = await runProcess('src/cli.ts', ['migrate'], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is in use by another Clusterhub process');
  });

  it('keeps the data of the owner intact', async () => {
    const row = await app.database.db
      .selectFrom('clusters')
      .select('short_name')
      .where('slug', '=', 'cosmetica')
      .executeTakeFirstOrThrow();
    expect(row.short_name).toBe('Cosmesi (edited)');
  });

  it('lets the next process in once the owner has shut down, with the committed writes', async () => {
    await app.close();
    const reopened = await buildApp({ config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), logger: false });
    try {
      const { rows } = await sql<{ short_name: string }>`SELECT short_name FROM clusters WHERE slug = 'cosmetica'`.execute(
        reopened.database.db,
      );
      expect(rows[0]?.short_name).toBe('Cosmesi (edited)');
    } finally {
      await reopened.close();
    }
  });
});

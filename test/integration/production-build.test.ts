import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The production build (`npm run build`: src/ bundled by esbuild, scripts/build.mjs) is what
 * `npm start`, the `clusterhub` command and the benchmark run. Everything else tests src/ through
 * tsx, so this checks what bundling could break: files found from a module's own location
 * (migrations, public/, bootstrap-italia), lazily imported chunks, the CLI's #! line.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-build-test-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the production build', () => {
  it('builds dist/ whose CLI migrates and whose server starts and answers', { timeout: 120_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1' };
    delete env.DATABASE_URL;
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);

    const cli = path.join(root, 'dist', 'cli.js');
    expect(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Dependencies are bundled, not loaded one module at a time (the point of the build).
    expect(fs.readFileSync(path.join(root, 'dist', 'server.js'), 'utf8')).not.toMatch(/from "fastify"/);
    const help = spawnSync(process.execPath, [cli, '--help'], { cwd: root, env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: clusterhub');
    // Migrations are read from dist/migrations: a fresh database gets all of them.
    const migrations = fs.readdirSync(path.join(root, 'src', 'db', 'migrations')).filter((f) => f.endsWith('.ts') && !f.includes('.test.'));
    const migrate = spawnSync(process.execPath, [cli, 'migrate'], { cwd: root, env, encoding: 'utf8' });
    expect(migrate.status, migrate.stderr).toBe(0);
    for (const file of migrations) expect(migrate.stdout).toContain(file.replace(/\.ts$/, ''));

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawn(process.execPath, [path.join(root, 'dist', 'server.js')], {
      cwd: os.tmpdir(), // files are found from the bundle's location, not the working directory
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URL: base },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      let health: Response | null = null;
      for (let i = 0; i < 300 && server.exitCode === null; i++) {
        health = await fetch(`${base}/healthz`).catch(() => null);
        if (health) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status, stderr).toBe(200);
      expect(await health!.json()).toEqual({ status: 'ok', database: 'pglite' });
      for (const url of ['/', '/organizzazioni', '/api/v1/clusters', '/api/openapi.json', '/static/app/app.css', '/static/bi/css/bootstrap-italia.min.css']) {
        const res = await fetch(`${base}${url}`);
        expect(res.status, url).toBe(200);
        await res.arrayBuffer();
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)));
    }
    expect(server.exitCode, stderr).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Keeps the benchmark suite from rotting: `npm run bench -- --quick` at cluster scale on PGlite
 * must produce a complete results file. Timings are never asserted (they do not gate the tests).
 * The bench picks free ports and a temporary data directory; results go to a temporary folder.
 */
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-bench-test-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the benchmark suite', () => {
  it('runs in quick mode at cluster scale and writes a complete results file', { timeout: 180_000 }, () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const env = { ...process.env };
    // Build only when a source file is newer than the bundle (the build alone takes 15–30 s here).
    const newest = (dir: string): number =>
      Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
    const bundle = path.join(root, 'dist', 'server.js');
    const fresh = fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs > newest(path.join(root, 'src'));
    delete env.DATABASE_URL; // one mode is enough here; CI's PostgreSQL run covers the other code path
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench', 'run.ts'), '--quick', '--scale', 'cluster', '--modes', 'pglite', '--out', out, '--import-rows', '200', '--skip-eval', '--requests', '150', ...(fresh ? ['--no-build'] : [])],
      { cwd: root, env, encoding: 'utf8', timeout: 170_000 },
    );
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    const files = fs.readdirSync(out);
    const json = files.find((f) => /^\d{4}-\d{2}-\d{2}-cluster-pglite-quick\.json$/.test(f));
    expect(json, files.join(', ')).toBeDefined();
    expect(files.some((f) => f.endsWith('-cluster-quick.md'))).toBe(true);
    const result = JSON.parse(fs.readFileSync(path.join(out, json!), 'utf8'));
    expect(result).toMatchObject({ scale: 'cluster', mode: 'pglite', quick: true });
    expect(result.machine).toEqual(expect.objectContaining({ cpu: expect.any(String), cores: expect.any(Number), memoryGiB: expect.any(Number), node: process.version }));
    expect(result.ceiling.reqPerSec).toBeGreaterThan(0);
    expect(result.coldStartMs).toBeGreaterThan(0);
    expect(result.rssAfterLoadMiB).toBeGreaterThan(0);
    expect(result.generation.checksum).toMatch(/^[0-9a-f]{32}$/);
    expect(result.import).toEqual(expect.objectContaining({ available: true, rowsPerSec: expect.any(Number) }));
    expect(result.matchingQuality).toEqual(expect.objectContaining({ available: false }));
    const names = result.scenarios.map((s: { name: string }) => s.name);
    for (const name of ['home page', 'cluster page', 'organisation page', 'member directory with filters', 'signed-in page (member directory)']) {
      expect(names).toContain(name);
    }
    for (const s of result.scenarios.filter((x: { available: boolean }) => x.available)) {
      expect(s, s.name).toEqual(expect.objectContaining({ reqPerSec: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number), ratioToCeiling: expect.any(Number) }));
      expect(s.non2xx, s.name).toBe(0);
      // The server's own CPU per request, read from /proc (Linux, where CI runs).
      if (process.platform === 'linux') {
        expect(s.serverCpuMsPerRequest, s.name).toBeGreaterThan(0);
        expect(s.capacityRatioToCeiling, s.name).toBeGreaterThan(0);
      }
    }
    if (process.platform === 'linux') expect(result.ceiling.serverCapacity).toBeGreaterThan(0);
    expect(result.targets.length).toBeGreaterThanOrEqual(6);
  });
});

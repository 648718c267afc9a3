/**
 * Matchmaking latency at scale, measured at the service (server-side, no HTTP, no response cache):
 * the needs of bench/matchmaking/needs.json (Italian and English, as companies write them) are
 * matched many times against the offers of an existing database, and p50/p95 are printed, with
 * the time and memory it took to get ready.
 *
 *   DATABASE_URL=postgres://…/db npx tsx bench/match-scale.ts [--runs 5] [--corpus PATH] [--stored 20]
 *
 * Meant for a database filled once with `clusterhub generate --scale europe` (200,000 offers) and
 * reused: it never creates or drops anything but, with --corpus, imports the Knowledge Share
 * spin-offs (idempotent) so the needs have real answers among the synthetic offers. The first run
 * after a load or a new analyser builds the match documents (timed: "Ready in"). --stored N also
 * times the matches of N stored needs (offers and profiles, as GET /api/v1/needs/{id}/matches).
 * Times are wall times at the service; the app's own CPU time is printed too (the database's is
 * not in it), with the load average, since the machine may be shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { importKnowledgeShare } from '../src/features/offers/importer.js';
import { ANONYMOUS } from '../src/features/offers/repository.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '5' },
    corpus: { type: 'string' },
    stored: { type: 'string', default: '20' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to a database filled with `clusterhub generate` (it is read, never dropped).');
  process.exit(1);
}

const needs = (JSON.parse(fs.readFileSync(path.join(here, 'matchmaking/needs.json'), 'utf8')) as { needs: { id: string; lang: 'it' | 'en'; text: string }[] }).needs;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-match-scale-'));
const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: url }), database, logger: false });
await app.ready();
const { matching, offers, organisations } = app.services;
try {
  if (args.corpus) {
    const t = performance.now();
    const report = await importKnowledgeShare(JSON.parse(fs.readFileSync(String(args.corpus), 'utf8')), { offers, organisations }, { personId: null, label: 'bench' });
    console.log(`Knowledge Share corpus: ${report.offers.created} offers created, ${report.offers.updated} updated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const counts = await database.db
    .selectFrom('technology_offers')
    .select((eb) => [eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  const before = process.memoryUsage();
  let t0 = performance.now();
  await matching.ready();
  const ready = performance.now() - t0;
  global.gc?.();
  const after = process.memoryUsage();
  console.log(`\n${counts.n} published offers. Ready in ${(ready / 1000).toFixed(1)} s (documents missing or outdated built, statistics taken); RSS ${mb(before.rss)} → ${mb(after.rss)}, heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}`);
  const sizes = await sql<{ relation: string; rows: number; bytes: number }>`
    SELECT c.relname AS relation, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
    FROM pg_class c WHERE c.relname IN ('match_documents', 'match_postings', 'match_features', 'search_documents') ORDER BY c.relname
  `.execute(database.db);
  for (const r of sizes.rows) console.log(`  ${r.relation.padEnd(18)} ${String(r.rows).padStart(11)} rows  ${mb(Number(r.bytes))} with indexes`);
  const kinds = await sql<{ kind: string; n: number }>`SELECT kind, count(*)::int AS n FROM match_documents WHERE active GROUP BY kind ORDER BY kind`.execute(database.db);
  console.log(`  active match documents: ${kinds.rows.map((k) => `${k.n} ${k.kind}`).join(', ')}`);

  const runs = Number(args.runs);
  const times: Record<'it' | 'en', number[]> = { it: [], en: [] };
  const cpu: number[] = [];
  let empty = 0;
  const loadBefore = os.loadavg()[0]!;
  for (let round = 0; round <= runs; round++) {
    for (const need of needs) {
      t0 = performance.now();
      const c0 = process.cpuUsage();
      const { results } = await matching.matchText({ text: need.text, limit: 10 }, ANONYMOUS, 'it');
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (round > 0) {
        times[need.lang].push(ms);
        cpu.push((c.user + c.system) / 1000);
      }
      if (round === 0 && results.length === 0) empty++;
    }
  }
  const all = [...times.it, ...times.en].sort((a, b) => a - b);
  const line = (label: string, list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return `${label.padEnd(16)} n=${String(sorted.length).padStart(4)}  p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  max ${sorted[sorted.length - 1]!.toFixed(1)} ms`;
  };
  console.log(`\nmatchText (POST /api/v1/match), ${runs} rounds after one warm-up round, ${empty} needs without results (load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores):`);
  console.log(line('all needs', all));
  console.log(line('Italian needs', times.it));
  console.log(line('English needs', times.en));
  console.log(line('app CPU (no db)', cpu));

  const stored = Number(args.stored);
  if (stored > 0) {
    const ids = await database.db.selectFrom('technology_needs').select('id').where('status', '=', 'published').orderBy('id').limit(stored).execute();
    const storedTimes: number[] = [];
    let orgResults = 0;
    for (let round = 0; round <= 2; round++) {
      for (const { id } of ids) {
        t0 = performance.now();
        const { results, organisations: profiles } = await matching.matchesFor('need', id, ANONYMOUS, 'it', { limit: 10 });
        const ms = performance.now() - t0;
        if (round > 0) storedTimes.push(ms);
        if (round === 0 && results.length > 0 && (profiles?.length ?? 0) > 0) orgResults++;
      }
    }
    console.log(`\nmatchesFor (GET /api/v1/needs/{id}/matches: offers and organisations), ${ids.length} stored needs × 2 rounds, ${orgResults} with both kinds of results:`);
    console.log(line('stored needs', storedTimes));
  }
  const end = process.memoryUsage();
  console.log(`\nRSS at the end ${mb(end.rss)}, heap ${mb(end.heapUsed)}`);
} finally {
  await app.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

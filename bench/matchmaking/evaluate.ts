/**
 * Matchmaking quality and speed on the real Knowledge Share corpus.
 *
 *   npm run eval:matching [-- --corpus PATH] [--ablation] [--latency N]
 *
 * Boots the application on an in-memory PGlite database, imports the corpus with the real
 * importer, sends every need of needs.json to POST /api/v1/match (app.inject) and prints nDCG@10,
 * P@5 and MRR for the tuning and held-out halves, overall, per language and per cluster field.
 * --ablation adds the same figures for each part of the matcher switched on in turn; --latency N
 * repeats the needs N times and prints the server-side latency of POST /api/v1/match (wall time, and
 * the process's CPU time, which includes the embedded database's work and is less disturbed by
 * other loads on the machine); --bounds P,F,D sets the candidate search's postings per feature,
 * query features and documents re-ranked (src/features/matching/service.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from '../../src/features/matching/engine.js';
import { importKnowledgeShare } from '../../src/features/offers/importer.js';
import { ndcgAt, precisionAt, reciprocalRank, type Judgements } from './metrics.js';

interface Need {
  id: string;
  lang: 'it' | 'en';
  field: string;
  split: 'tune' | 'heldout';
  text: string;
  judgements: Judgements;
  /** Written after the matcher was frozen (a stricter held-out check). */
  blind?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.resolve(here, '../../../shared/data/knowledge-share-spinoffs.json') },
    needs: { type: 'string', default: path.join(here, 'needs.json') },
    ablation: { type: 'boolean', default: false },
    latency: { type: 'string', default: '5' },
    bounds: { type: 'string' },
    'per-need': { type: 'boolean', default: false },
  },
});

const needs = (JSON.parse(fs.readFileSync(values.needs!, 'utf8')) as { needs: Need[] }).needs;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-eval-'));
const database = await openDatabase({ dataDir: null });
const durations: number[] = [];
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir }), database, logger: false });
const cpu: number[] = [];
const cpuAtStart = new WeakMap<object, NodeJS.CpuUsage>();
app.addHook('onRequest', async (request) => {
  if (request.url === '/api/v1/match') cpuAtStart.set(request, process.cpuUsage());
});
app.addHook('onResponse', async (request, reply) => {
  if (request.url !== '/api/v1/match') return;
  durations.push(reply.elapsedTime);
  const used = process.cpuUsage(cpuAtStart.get(request));
  cpu.push((used.user + used.system) / 1000);
});
await app.ready();
const boundsVariants = (values.bounds ?? '').split(';').filter(Boolean).map((v) => {
  const [perFeature, features, documents] = v.split(',').map(Number);
  return { perFeature: perFeature!, features: features!, documents: documents! };
});
if (boundsVariants.length === 1) {
  app.services.matching.bounds = boundsVariants[0]!;
  console.log(`Candidate bounds: ${values.bounds} (postings per feature, query features, documents re-ranked).`);
}

const started = performance.now();
const report = await importKnowledgeShare(JSON.parse(fs.readFileSync(values.corpus!, 'utf8')), { offers: app.services.offers, organisations: app.services.organisations }, { personId: null, label: 'eval' });
console.log(`Imported ${report.offers.created} offers from ${values.corpus} in ${((performance.now() - started) / 1000).toFixed(1)} s (${report.problems.length} problems).`);

async function rank(need: Need, lang?: 'it' | 'en'): Promise<string[]> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/match', payload: { text: need.text, limit: 10, ...(lang ? { lang } : {}) } });
  if (res.statusCode !== 200) throw new Error(`match failed for ${need.id}: ${res.statusCode} ${res.body}`);
  return (res.json() as { results: { offer: { externalRef: string | null } }[] }).results.map((r) => (r.offer.externalRef ?? '').replace(/^ks:/, ''));
}

type Row = { ndcg: number; p5: number; mrr: number };
async function evaluate(): Promise<Map<string, { need: Need; row: Row }>> {
  const out = new Map<string, { need: Need; row: Row }>();
  for (const need of needs) {
    const ranked = await rank(need);
    out.set(need.id, { need, row: { ndcg: ndcgAt(ranked, need.judgements, 10), p5: precisionAt(ranked, need.judgements, 5), mrr: reciprocalRank(ranked, need.judgements) } });
  }
  return out;
}

function mean(rows: Row[]): Row {
  const n = Math.max(rows.length, 1);
  return { ndcg: rows.reduce((s, r) => s + r.ndcg, 0) / n, p5: rows.reduce((s, r) => s + r.p5, 0) / n, mrr: rows.reduce((s, r) => s + r.mrr, 0) / n };
}

const fmt = (r: Row) => `${r.ndcg.toFixed(3)}  ${r.p5.toFixed(3)}  ${r.mrr.toFixed(3)}`;

function table(results: Map<string, { need: Need; row: Row }>) {
  const all = [...results.values()];
  const groups: [string, (n: Need) => boolean][] = [
    ['overall', () => true],
    ['Italian needs', (n) => n.lang === 'it'],
    ['English needs', (n) => n.lang === 'en'],
    ['blind Italian needs', (n) => n.blind === true],
    ...[...new Set(needs.map((n) => n.field))].map((f) => [`field ${f}`, (n: Need) => n.field === f] as [string, (n: Need) => boolean]),
  ];
  console.log(`${'group'.padEnd(32)} ${'tuning half (n)'.padEnd(27)} ${'held-out half (n)'.padEnd(27)} all (n)`);
  console.log(`${''.padEnd(32)} ${'nDCG@10 P@5    MRR'.padEnd(27)} ${'nDCG@10 P@5    MRR'.padEnd(27)} nDCG@10 P@5    MRR`);
  for (const [label, keep] of groups) {
    const cells = (['tune', 'heldout', 'all'] as const).map((split) => {
      const rows = all.filter((r) => keep(r.need) && (split === 'all' || r.need.split === split)).map((r) => r.row);
      return rows.length === 0 ? '—'.padEnd(27) : `${fmt(mean(rows))} (${rows.length})`.padEnd(27);
    });
    console.log(`${label.padEnd(32)} ${cells.join(' ')}`);
  }
}

console.log('\nFinal matcher (POST /api/v1/match, limit 10)');
const final = await evaluate();
table(final);
if (values['per-need']) for (const { need, row } of final.values()) console.log(`need ${need.id} ${need.lang} ${need.split} nDCG@10 ${row.ndcg.toFixed(3)}`);

if (values.ablation) {
  const variants: [string, EngineConfig][] = [
    ['plain BM25 (stems, no translation)', { ...DEFAULT_ENGINE_CONFIG, weights: { stems: 1, concepts: 0, cognates: 0, fuzzy: 0 }, translate: { other: 0, same: 0 } }],
    ['+ lexicon translation of the query', { ...DEFAULT_ENGINE_CONFIG, weights: { stems: 1, concepts: 0, cognates: 0, fuzzy: 0 } }],
    ['+ concept ranker', { ...DEFAULT_ENGINE_CONFIG, weights: { stems: 1, concepts: 1, cognates: 0, fuzzy: 0 } }],
    ['+ cognate ranker', { ...DEFAULT_ENGINE_CONFIG, weights: { stems: 1, concepts: 1, cognates: DEFAULT_ENGINE_CONFIG.weights.cognates, fuzzy: 0 } }],
    ['+ fuzzy (trigram) ranker = final', DEFAULT_ENGINE_CONFIG],
    ['final with RRF instead of CombSUM', { ...DEFAULT_ENGINE_CONFIG, fusion: 'rrf' }],
    ['concepts + cognates only (no stems)', { ...DEFAULT_ENGINE_CONFIG, weights: { stems: 0, concepts: 1, cognates: 0.5, fuzzy: 0.3 } }],
  ];
  console.log('\nAblation (nDCG@10 / P@5 / MRR): tuning half | held-out half, each overall · Italian · English');
  for (const [label, config] of variants) {
    app.services.matching.reconfigure(config);
    const results = [...(await evaluate()).values()];
    const cell = (split: string, lang?: string) => fmt(mean(results.filter((r) => r.need.split === split && (!lang || r.need.lang === lang)).map((r) => r.row)));
    console.log(`${label.padEnd(38)} tune ${cell('tune')} · it ${cell('tune', 'it')} · en ${cell('tune', 'en')} | held-out ${cell('heldout')} · it ${cell('heldout', 'it')} · en ${cell('heldout', 'en')}`);
  }
  app.services.matching.reconfigure(DEFAULT_ENGINE_CONFIG);
}

if (boundsVariants.length > 1) {
  console.log('\nCandidate bounds (postings per feature, query features, documents re-ranked): nDCG@10 held-out overall · Italian | all; CPU p50 / p95 of POST /api/v1/match');
  for (const bounds of boundsVariants) {
    app.services.matching.bounds = bounds;
    const results = [...(await evaluate()).values()];
    cpu.length = 0;
    for (const need of needs) await rank(need);
    const sorted = [...cpu].sort((a, b) => a - b);
    const held = (lang?: string) => mean(results.filter((r) => r.need.split === 'heldout' && (!lang || r.need.lang === lang)).map((r) => r.row)).ndcg.toFixed(3);
    console.log(`${`${bounds.perFeature},${bounds.features},${bounds.documents}`.padEnd(14)} ${held()} · ${held('it')} | ${mean(results.map((r) => r.row)).ndcg.toFixed(3)};  ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} / ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(1)} ms`);
  }
}

const rounds = Number(values.latency);
if (rounds > 0) {
  durations.length = 0;
  cpu.length = 0;
  for (let i = 0; i < rounds; i++) for (const need of needs) await rank(need);
  const q = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  };
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`\nPOST /api/v1/match server-side latency over ${durations.length} requests on ${await app.services.matching.count('offer')} offers (load average ${load} on ${os.cpus().length} cores):`);
  console.log(`  wall p50 ${q(durations, 0.5).toFixed(1)} ms, p95 ${q(durations, 0.95).toFixed(1)} ms, max ${q(durations, 1).toFixed(1)} ms; CPU p50 ${q(cpu, 0.5).toFixed(1)} ms, p95 ${q(cpu, 0.95).toFixed(1)} ms`);
}

await app.close();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });

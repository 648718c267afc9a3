/**
 * Search latency at scale, measured at the service (server-side, no HTTP): synthetic members with
 * competences, facilities and experts are written in bulk, the search documents are built once,
 * then several Italian and English queries (with and without facets) run many times each and the
 * p50/p95 are printed, uncached (every query hits the database) and cached (anonymous repeats).
 *
 *   npx tsx bench/search-scale.ts [--orgs 5000] [--runs 60] [--seed 7] [--modes pglite,postgresql] [--explain]
 *                                 [--keep NAME] [--repeat N]
 *
 * Always on an in-memory PGlite; also on PostgreSQL when DATABASE_URL is set (in a database of its
 * own, created and dropped here). Small on purpose: the benchmark suite (bench/run.ts) measures
 * the whole server over HTTP.
 *
 * --keep NAME keeps the data for the next run: on PostgreSQL the database NAME, on PGlite the
 * folder NAME (under the system temp folder unless absolute). When it already holds documents the
 * generation and the rebuild are skipped (pending migrations still apply): the Europe scale takes
 * minutes to build, so build it once. --repeat N measures N times and prints the median of the
 * p50s and p95s (the development machines are shared: single runs are noisy).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedRegistry } from '../src/db/seed/seed.js';
import { COSMETICS_TAXONOMY } from '../src/db/seed/taxonomy-data.js';
import { seedCosmeticsTaxonomy } from '../src/db/seed/taxonomy.js';
import { SearchService, type SearchInput } from '../src/features/search/service.js';
import type { Principal } from '../src/platform/auth/principal.js';
import { LOMBARDY_PROVINCES } from '../src/platform/identifiers/index.js';

const { values: args } = parseArgs({
  strict: false,
  options: {
    orgs: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '60' },
    seed: { type: 'string', default: '7' },
    explain: { type: 'boolean', default: false },
    modes: { type: 'string', default: 'pglite,postgresql' },
    keep: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const ORGS = Number(args.orgs ?? 5000);
const RUNS = Number(args.runs ?? 60);
const REPEAT = Math.max(1, Number(args.repeat ?? 1));

/** A small deterministic PRNG (mulberry32), so every run builds the same network. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAVES = COSMETICS_TAXONOMY.flatMap((top) => (top.children ?? []).map((c) => ({ ...c, top: top.code })));
const FIRST = ['Alfa', 'Beta', 'Nova', 'Verde', 'Lario', 'Adda', 'Serio', 'Oglio', 'Brianza', 'Ticino', 'Mincio', 'Orobica', 'Insubria', 'Padana', 'Bergamina', 'Lomellina'];
const SECOND = ['Cosmetici', 'Laboratori', 'Formulazioni', 'Packaging', 'Chimica', 'Bioscience', 'Beauty', 'Tech', 'Ricerca', 'Industrie', 'Pack', 'Lab'];
const FORMS = ['S.r.l.', 'S.p.A.', 'S.r.l.s.', 'Società Benefit S.r.l.', 'Ltd', 'GmbH'];
const TYPES = ['company', 'company', 'company', 'company', 'company', 'spin_off', 'university', 'research_centre', 'association', 'its_academy'] as const;
const SIZES = ['micro', 'micro', 'small', 'small', 'medium', 'large'] as const;
/** Members per province, roughly as the district is spread (Milano first, Crema/Lodi strong). */
const PROVINCE_WEIGHTS: Record<string, number> = { MI: 30, MB: 10, BG: 10, BS: 9, CR: 9, LO: 7, VA: 6, CO: 5, PV: 5, LC: 3, MN: 3, SO: 1 };
const FILLER_IT = ['Azienda specializzata in', 'Da trent’anni lavoriamo su', 'Offriamo ai marchi', 'Il nostro laboratorio sviluppa', 'Ricerca applicata su'];
const FILLER_EN = ['A company specialised in', 'We work on', 'We offer brands', 'Our lab develops', 'Applied research on'];
const ACCREDITATIONS = ['ISO 17025', 'ISO 22716', 'ISO 9001', 'GLP', 'COSMOS'];

interface Generated {
  orgs: number;
  competences: number;
  facilities: number;
  experts: number;
}

export async function generate(db: Database['db'], seed: number): Promise<Generated> {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const provinces = Object.entries(PROVINCE_WEIGHTS).flatMap(([p, w]) => Array<string>(w).fill(p));
  const cosmetica = (await db.selectFrom('clusters').select('id').where('slug', '=', 'cosmetica').executeTakeFirstOrThrow()).id;
  const others = (await db.selectFrom('clusters').select('id').where('slug', '<>', 'cosmetica').execute()).map((c) => c.id);
  const areas = await db.selectFrom('competence_areas').select(['id', 'code']).execute();
  const areaId = new Map(areas.map((a) => [a.code, a.id]));

  const orgRows: Record<string, unknown>[] = [];
  const memberships: { cluster_id: string; organisation_id: string }[] = [];
  const competences: { organisation_id: string; area_id: string; level: string }[] = [];
  const facilities: Record<string, unknown>[] = [];
  const experts: { id: string; name: string; org: string; keywords: string[]; areas: string[]; visibility: string }[] = [];
  const uuid = () => {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 1) b[i] = Math.floor(r() * 256);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  for (let i = 0; i < ORGS; i += 1) {
    const id = uuid();
    const mine = Array.from({ length: 2 + Math.floor(r() * 5) }, () => pick(LEAVES));
    const words = (lang: 'it' | 'en') =>
      mine
        .slice(0, 3)
        .map((a) => (lang === 'it' ? pick([a.it, ...(a.synIt ?? [])]) : pick([a.en, ...(a.synEn ?? [])])).toLowerCase())
        .join(', ');
    const lang = r();
    const outside = r() < 0.06;
    const abroad = r() < 0.02;
    orgRows.push({
      id,
      external_ref: `bench:${seed}:${i}`,
      legal_name: `${pick(FIRST)} ${pick(SECOND)} ${i} ${pick(FORMS)}`,
      type: pick(TYPES),
      city: abroad ? 'Lyon' : outside ? 'Torino' : null,
      province_code: abroad ? null : outside ? 'TO' : pick(provinces),
      country_code: abroad ? 'FR' : 'IT',
      size_class_declared: pick(SIZES),
      description_it: lang < 0.7 ? `${pick(FILLER_IT)} ${words('it')}.` : null,
      description_en: lang > 0.5 ? `${pick(FILLER_EN)} ${words('en')}.` : null,
    });
    const first = r() < 0.8 ? cosmetica : pick(others);
    memberships.push({ cluster_id: first, organisation_id: id });
    const second = pick(others);
    if (r() < 0.15 && second !== first) memberships.push({ cluster_id: second, organisation_id: id });
    for (const a of new Set(mine.map((m) => m.code))) competences.push({ organisation_id: id, area_id: areaId.get(a)!, level: pick(['core', 'core', 'experienced', 'emerging']) });
    if (r() < 0.2) {
      const a = pick(LEAVES);
      facilities.push({
        id: uuid(),
        organisation_id: id,
        name: `${pick(['Laboratorio', 'Impianto pilota', 'Centro prove'])} ${a.it.toLowerCase()} ${i}`,
        type: pick(['laboratory', 'pilot_plant', 'instrument', 'testing_service']),
        description_en: `Facility for ${a.en.toLowerCase()}.`,
        accreditations: r() < 0.5 ? [pick(ACCREDITATIONS)] : [],
        area_ids: [areaId.get(a.code)!],
        visibility: pick(['public', 'public', 'members', 'private']),
      });
    }
    if (r() < 0.4) {
      experts.push({ id: uuid(), name: `Esperta ${i}`, org: id, keywords: mine.slice(0, 2).map((m) => m.en.toLowerCase()), areas: [areaId.get(mine[0]!.code)!], visibility: pick(['public', 'members', 'private']) });
    }
  }
  const batches = <T>(rows: T[], n = 1000) => Array.from({ length: Math.ceil(rows.length / n) }, (_, k) => rows.slice(k * n, k * n + n));
  for (const b of batches(orgRows)) await db.insertInto('organisations').values(b as never).execute();
  for (const b of batches(memberships)) await db.insertInto('memberships').values(b.map((m) => ({ ...m, status: 'admitted' as const, admitted_at: new Date() }))).execute();
  for (const b of batches(competences)) await db.insertInto('organisation_competences').values(b as never).execute();
  for (const b of batches(facilities)) await db.insertInto('facilities').values(b as never).execute();
  for (const b of batches(experts)) {
    await db.insertInto('people').values(b.map((e) => ({ id: e.id, display_name: e.name }))).execute();
    await db.insertInto('role_grants').values(b.map((e) => ({ person_id: e.id, role: 'org_member' as const, organisation_id: e.org }))).execute();
    await db
      .insertInto('person_expertise')
      .values(b.map((e) => ({ person_id: e.id, organisation_id: e.org, keywords: e.keywords, area_ids: e.areas, visibility: e.visibility as 'public', opted_in_at: new Date(), updated_at: new Date() })))
      .execute();
  }
  // The documents are rebuilt below in one pass: what the triggers queued is already covered.
  await sql`DELETE FROM search_reindex_queue`.execute(db);
  return { orgs: orgRows.length, competences: competences.length, facilities: facilities.length, experts: experts.length };
}

const QUERIES: { label: string; input: Omit<SearchInput, 'lang'>; lang: 'it' | 'en' }[] = [
  { label: 'IT conservanti naturali', input: { q: 'conservanti naturali' }, lang: 'it' },
  { label: 'EN natural preservatives', input: { q: 'natural preservatives' }, lang: 'en' },
  { label: 'IT typo conservante natrale', input: { q: 'conservante natrale' }, lang: 'it' },
  { label: 'IT packaging riciclabile + CR', input: { q: 'packaging riciclabile', province: 'CR' }, lang: 'it' },
  { label: 'EN challenge test + facility', input: { q: 'challenge test', kind: 'facility' }, lang: 'en' },
  { label: 'IT produzione conto terzi + small', input: { q: 'produzione conto terzi', size: 'small' }, lang: 'it' },
  { label: 'EN skin care serums', input: { q: 'skin care serums' }, lang: 'en' },
  { label: 'IT valutazione sicurezza + cosmetica', input: { q: 'valutazione della sicurezza', cluster: 'cosmetica' }, lang: 'it' },
  { label: 'EN ISO 17025', input: { q: 'ISO 17025' }, lang: 'en' },
  { label: 'browse + competence MPA', input: { competence: 'cosmetica:MPA' }, lang: 'it' },
  { label: 'browse all (no words)', input: {}, lang: 'it' },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * CPU time (ms) spent on searching so far: this process (the service, and PGlite, which runs in
 * it) plus, on PostgreSQL, the server processes of this database. On a machine shared with other
 * work, wall time measures the queue for the CPU as much as the search; CPU time per query is
 * what the search costs, and close to its latency on an idle machine.
 */
let cpuNow: () => Promise<number> = async () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function useServerCpu(db: Database['db']): void {
  const ticks = (pid: number) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
    } catch {
      return 0;
    }
  };
  cpuNow = async () => {
    const u = process.cpuUsage();
    const pids = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
    const server = pids.rows.reduce((sum, r) => sum + ticks(r.pid), 0) * 10;
    return (u.user + u.system) / 1000 + server;
  };
}

async function measure(search: SearchService, principal: Principal | null): Promise<{ label: string; total: number; approximate: boolean; p50: number; p95: number; cpu: number }[]> {
  const out = [];
  for (const q of QUERIES) {
    const times: number[] = [];
    let total = 0;
    let approximate = false;
    let cpu0 = 0;
    for (let i = 0; i < RUNS + 5; i += 1) {
      if (i === 5) cpu0 = await cpuNow();
      const t0 = performance.now();
      const result = await search.search({ ...q.input, lang: q.lang }, principal);
      const ms = performance.now() - t0;
      total = result.total;
      approximate = result.approximate ?? false;
      if (i >= 5) times.push(ms);
    }
    const cpu = ((await cpuNow()) - cpu0) / RUNS;
    times.sort((a, b) => a - b);
    out.push({ label: q.label, total, approximate, p50: percentile(times, 50), p95: percentile(times, 95), cpu });
  }
  return out;
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** Per query, the median of the p50s and of the p95s over several measurements. */
function medianOf(runs: Measured[]): Measured {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)]!;
  };
  return runs[0]!.map((first, i) => ({
    ...first,
    p50: median(runs.map((r) => r[i]!.p50)),
    p95: median(runs.map((r) => r[i]!.p95)),
    cpu: median(runs.map((r) => r[i]!.cpu)),
  }));
}

async function run(mode: 'pglite' | 'postgresql', url?: string, dataDir?: string): Promise<void> {
  const database = await openDatabase({ dataDir: dataDir ?? null, databaseUrl: url });
  try {
    await migrateToLatest(database.db);
    const existing = await database.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let counts: Generated | null = null;
    let generated = 0;
    let built = 0;
    // No result cache: every query below reaches the database (the cached case is measured apart).
    const search = new SearchService(database.db, { cacheSize: 0, syncIntervalMs: 60_000 });
    if (mode === 'postgresql') useServerCpu(database.db);
    if (Number(existing.n) === 0) {
      await seedRegistry(database.db);
      await seedCosmeticsTaxonomy(database.db);
      let t0 = performance.now();
      counts = await generate(database.db, Number(args.seed));
      generated = performance.now() - t0;
      t0 = performance.now();
      await search.rebuildAll();
      built = performance.now() - t0;
    } else {
      await search.sync(true);
    }
    const docs = await database.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const orgs = await database.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(
      counts
        ? `\n## ${mode}: ${counts.orgs} organisations, ${counts.competences} competences, ${counts.facilities} facilities, ${counts.experts} experts → ${docs.n} search documents`
        : `\n## ${mode}: ${orgs.n} organisations → ${docs.n} search documents (kept from an earlier run)`,
    );
    if (counts) console.log(`generated in ${(generated / 1000).toFixed(1)} s, documents built in ${(built / 1000).toFixed(1)} s`);
    console.log(`${RUNS} runs per query after 5 warm-up runs${REPEAT > 1 ? `, measured ${REPEAT} times: medians of the p50s and p95s` : ''}\n`);
    const member: Principal = { personId: '00000000-0000-4000-8000-000000000001', email: 'bench@example.org', displayName: 'Bench', lang: 'it', grants: [], sessionHash: '' };
    const region: Principal = { ...member, grants: [{ role: 'region_admin', clusterId: null, organisationId: null }] };
    const cachedService = new SearchService(database.db, { syncIntervalMs: 60_000 });
    const rounds: { anonymous: Measured; signedIn: Measured; region: Measured; cached: Measured }[] = [];
    for (let i = 0; i < REPEAT; i += 1) {
      rounds.push({
        anonymous: await measure(search, null),
        signedIn: await measure(search, member),
        region: await measure(search, region),
        cached: await measure(cachedService, null),
      });
    }
    const anonymous = medianOf(rounds.map((r) => r.anonymous));
    const signedIn = medianOf(rounds.map((r) => r.signedIn));
    const regionAdmin = medianOf(rounds.map((r) => r.region));
    const cached = medianOf(rounds.map((r) => r.cached));
    const n = (r: Measured[number]) => `${r.approximate ? '≥ ' : ''}${r.total}`;
    const loadavg = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`load average at the end: ${loadavg} (${os.cpus().length} cores); CPU = CPU time per query, ms (client${mode === 'postgresql' ? ' + server' : ', PGlite included'})\n`);
    console.log('| query | results (anonymous / Region) | anonymous p50 / p95 (CPU) ms | signed-in member p50 / p95 (CPU) | Region admin p50 / p95 (CPU) | anonymous, cached p50 / p95 |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const cell = (r: Measured[number]) => `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} (${r.cpu.toFixed(1)})`;
    anonymous.forEach((a, i) => {
      const c = cached[i]!;
      console.log(`| ${a.label} | ${n(a)} / ${n(regionAdmin[i]!)} | ${cell(a)} | ${cell(signedIn[i]!)} | ${cell(regionAdmin[i]!)} | ${c.p50.toFixed(2)} / ${c.p95.toFixed(2)} |`);
    });
    const all = (rows: Measured) => rows.map((r) => r.p95).sort((a, b) => a - b);
    console.log(
      `\nworst p95 uncached: anonymous ${Math.max(...all(anonymous)).toFixed(1)} ms, signed-in ${Math.max(...all(signedIn)).toFixed(1)} ms, Region ${Math.max(...all(regionAdmin)).toFixed(1)} ms; median of the p95s ${percentile(all(anonymous), 50).toFixed(1)} ms`,
    );
    if (args.explain) {
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ANALYZE SELECT id FROM search_documents d WHERE d.tsv @@ ('conserv' | 'preserv')::tsquery AND d.listed AND d.visibility = 'public'`.execute(database.db);
      console.log(`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const modes = String(args.modes).split(',');
  const keep = typeof args.keep === 'string' && args.keep ? args.keep : null;
  if (modes.includes('pglite')) {
    const dir = keep ? (path.isAbsolute(keep) ? keep : path.join(os.tmpdir(), keep)) : undefined;
    if (dir) fs.mkdirSync(dir, { recursive: true });
    await run('pglite', undefined, dir);
  }
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl && modes.includes('postgresql')) {
    const name = keep ?? `clusterhub_bench_${randomBytes(5).toString('hex')}`;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('--keep: a PostgreSQL database name (lower case, digits, _)');
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
    if (!exists) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      await run('postgresql', url.toString());
    } finally {
      if (!keep) {
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      }
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

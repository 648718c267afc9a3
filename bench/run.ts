/**
 * The benchmark suite (`npm run bench`, `npm run bench -- --quick`). For each database mode
 * (PGlite; PostgreSQL too when DATABASE_URL is set) it builds nothing twice, generates the data
 * with the real CLI, starts the real server (`node dist/server.js`, production, logging at warn) as
 * a child process, and drives it over loopback with autocannon from another process (bench/load.mjs)
 * for fixed request counts. In the same run it measures the ceiling (a Fastify hello-world), the
 * cold start, RSS after load, CSV import rows/s and matchmaking quality. Results:
 * bench/results/<date>-<scale>-<mode>.json and a Markdown table (<date>-<scale>.md).
 *
 *   npx tsx bench/run.ts [--quick] [--scale cluster|region|europe] [--seed N] [--modes pglite,postgresql]
 *                        [--out DIR] [--no-build] [--skip-import] [--import-rows N] [--skip-eval] [--update-readme]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'string' },
    seed: { type: 'string', default: '1' },
    modes: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
    'no-build': { type: 'boolean', default: false },
    'skip-import': { type: 'boolean', default: false },
    'import-rows': { type: 'string' },
    /** Requests per scenario (default 5,000, 40,000 for cached reads and the ceiling; 300 with --quick). */
    requests: { type: 'string' },
    'skip-eval': { type: 'boolean', default: false },
    'update-readme': { type: 'boolean', default: false },
    /** Rebuild the Markdown table (and README) from result files already written, run nothing. */
    'report-only': { type: 'string' },
  },
  strict: true,
});

const QUICK = args.quick!;
const SCALE = args.scale ?? (QUICK ? 'cluster' : 'region');
const SEED = Number(args.seed);
const MODES = (args.modes ?? (process.env.DATABASE_URL ? 'pglite,postgresql' : 'pglite')).split(',').filter(Boolean);
if (!['cluster', 'region', 'europe'].includes(SCALE)) throw new Error(`--scale must be cluster, region or europe`);
if (MODES.includes('postgresql') && !process.env.DATABASE_URL) throw new Error('the postgresql mode needs DATABASE_URL');
/** Requests per scenario: fixed counts, so two runs do the same work. */
const AMOUNT = args.requests ? Number(args.requests) : QUICK ? 300 : 5000;
// Latency at c=1 after the same routes' throughput scenario (a server in service has run its code
// paths before): measured cold, the first ~300 searches paid the JIT's warm-up, 6.9 ms of server
// CPU each against 3.7 ms after 1,500 (PostgreSQL, region). 600 requests: 30 above the p95.
const LATENCY_AMOUNT = Math.min(AMOUNT, QUICK ? 100 : 600);
// Cached reads and the ceiling answer 10,000–40,000 requests a second: 5,000 of them are a quarter
// of a second, mostly JIT warm-up and connection set-up (measured on one machine: the hello-world
// at 10,407 req/s over 5,000 requests, 38,503 over 40,000). They get enough requests for a steady state.
const CACHED_AMOUNT = args.requests ? AMOUNT : QUICK ? 300 : 40_000;
const CONNECTIONS = 10;
/** Server starts per mode for the cold start (median reported; quick runs: one). */
const COLD_STARTS = QUICK ? 1 : 3;

const children = new Set<ChildProcess>();
function cleanup() {
  for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGTERM');
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { cleanup(); process.exit(130); });

function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

// ------------------------------------------------------------------ helpers

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

function run(command: string, argv: string[], env: NodeJS.ProcessEnv, input?: string): { code: number; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(command, argv, { cwd: ROOT, env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const why = r.error ? `${r.error.message}\n` : r.signal ? `killed by ${r.signal}\n` : '';
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: why + (r.stderr ?? ''), ms: performance.now() - started };
}

function must(result: ReturnType<typeof run>, what: string) {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}):\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-2000)}`);
  return result;
}

/** Stop a server (SIGTERM, then SIGKILL after 5 s) and wait for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    const within = (ms: number) => Promise.race([exited, new Promise((r) => setTimeout(r, ms).unref())]);
    child.kill('SIGTERM');
    await within(5000);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await within(5000);
    }
  }
  children.delete(child);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer from ${url} in ${timeoutMs} ms`);
}

function rssOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
}

/**
 * CPU time (ms) a process has used so far, all its threads: the nanoseconds on a CPU of each thread
 * (/proc/<pid>/task/<tid>/schedstat), else user + system clock ticks of 10 ms (/proc/<pid>/stat);
 * null where there is no /proc. A thread that ended between two readings is not counted.
 */
function cpuMsOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
    if (ns > 0) return ns / 1e6;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface LoadResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * The server's own cost: CPU ms per request (warm-up included in both counts), and what one core
   * answers at that cost (req per CPU-second). With the load generator on the same cores, a server
   * that answers faster than the generator can ask shows the generator's limit in req/s; its
   * capacity shows its own (null where /proc is not there).
   */
  serverCpuMsPerRequest: number | null;
  serverCapacity: number | null;
  /** Share of the run's wall time the server was on a CPU (1 = one core busy throughout). */
  serverBusy: number | null;
}

/**
 * What every request of the load says it accepts, as browsers (Chromium sends `gzip, deflate, br,
 * zstd`) and the usual HTTP clients (Node's fetch, Python's requests: `gzip, deflate`) do: the
 * answers are then compressed as users receive them. A client that asks for no encoding gets the
 * whole body (decision 007 has both measures).
 */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br';

function load(url: string, requests: LoadRequest[], amount: number, connections: number, serverPid?: number): LoadResult {
  const withEncoding = (headers: Record<string, string> | undefined) => (ACCEPT_ENCODING ? { 'accept-encoding': ACCEPT_ENCODING, ...headers } : headers);
  const spec = {
    url, amount, connections, warmup: Math.max(20, Math.round(amount / 10)),
    requests: requests.map((r) => ({ method: r.method ?? 'GET', ...r, headers: withEncoding(r.headers) })),
  };
  const cpuBefore = cpuMsOf(serverPid);
  const r = must(run(process.execPath, [path.join(ROOT, 'bench', 'load.mjs'), JSON.stringify(spec)], process.env), 'autocannon');
  const cpuAfter = cpuMsOf(serverPid);
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<LoadResult, 'serverCpuMsPerRequest' | 'serverCapacity' | 'serverBusy'>;
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const perRequest = cpuMs === null || cpuMs <= 0 ? null : cpuMs / (result.requests + spec.warmup);
  return {
    ...result,
    serverCpuMsPerRequest: perRequest === null ? null : Math.round(perRequest * 10_000) / 10_000,
    serverCapacity: perRequest === null ? null : Math.round(1000 / perRequest),
    // Over the whole load process (warm-up and start included), so a lower bound of the busy share.
    serverBusy: cpuMs === null ? null : Math.round((cpuMs / r.ms) * 100) / 100,
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// ------------------------------------------------------------------ run-wide measurements

function measureImport(): Record<string, unknown> {
  if (args['skip-import']) return { available: false, reason: 'skipped (--skip-import)' };
  const script = path.join(ROOT, 'bench', 'import-10k.ts');
  if (!fs.existsSync(script)) return { available: false, reason: 'bench/import-10k.ts not found' };
  const rows = args['import-rows'] ? Number(args['import-rows']) : QUICK ? 1000 : 10_000;
  // In each database mode of the run: PGlite in memory, or a fresh database on the PostgreSQL server.
  const once = (mode: string): Record<string, unknown> => {
    const { DATABASE_URL, ...env } = process.env;
    const r = run(process.execPath, ['--import', 'tsx', script, String(rows)], { ...env, ...(mode === 'postgresql' ? { DATABASE_URL } : {}), NODE_ENV: 'test' });
    if (r.code !== 0) return { available: false, reason: `import benchmark failed: ${r.stderr.slice(-500)}` };
    const steps: Record<string, number> = {};
    const cpuSteps: Record<string, number> = {};
    for (const line of r.stdout.split('\n')) {
      const m = /^(.+?)\s+([\d.]+) s\s+([\d,]+) rows\/s(?:.*?([\d,]+) rows\/cpu-s)?/.exec(line);
      if (m) steps[m[1]!.trim()] = Number(m[3]!.replace(/,/g, ''));
      if (m?.[4]) cpuSteps[m[1]!.trim()] = Number(m[4].replace(/,/g, ''));
    }
    return {
      available: true,
      rows,
      rowsPerSec: steps['commit CSV (all new)'] ?? null,
      previewRowsPerSec: steps['preview CSV (all new)'] ?? null,
      endToEndRowsPerSec: steps['preview + commit CSV (all new)'] ?? null,
      // Rows per CPU second (this process, plus the PostgreSQL server's): the rate on an idle machine.
      cpuRowsPerSec: cpuSteps['commit CSV (all new)'] ?? null,
      steps,
      cpuSteps,
    };
  };
  const byMode = Object.fromEntries(MODES.map((mode) => [mode, once(mode)]));
  // The first mode's figures at the top level, as before.
  return { ...byMode[MODES[0]!], byMode };
}

interface ImportFigures {
  available?: boolean;
  rows?: number;
  rowsPerSec?: number;
  endToEndRowsPerSec?: number;
  cpuRowsPerSec?: number;
}

/** The import figures of one database mode (older results files hold one set, for PGlite). */
function importOf(runWide: { import?: unknown }, mode: string): ImportFigures {
  const imp = (runWide.import ?? {}) as ImportFigures & { byMode?: Record<string, ImportFigures> };
  return imp.byMode?.[mode] ?? imp;
}

function measureMatchingQuality(): Record<string, unknown> {
  if (args['skip-eval']) return { available: false, reason: 'skipped (--skip-eval)' };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.['eval:matching']) return { available: false, reason: 'not available (no eval:matching script)' };
  const r = run('npm', ['run', '-s', 'eval:matching'], process.env);
  return { available: r.code === 0, exitCode: r.code, output: (r.stdout || r.stderr).trim().slice(-4000) };
}

// ------------------------------------------------------------------ one mode

interface Scenario {
  name: string;
  requests: LoadRequest[];
  connections: number;
  amount: number;
  /** Counts for the "anonymous cached reads ≥ 50% of the ceiling" target. */
  anonymousRead?: boolean;
  result?: LoadResult;
  ratio?: number;
  /** The server's capacity (req per CPU-second) as a share of the ceiling's (null: not measurable here). */
  capacityRatio?: number | null;
  available: boolean;
  note?: string;
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/accedi`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error('no CSRF token on /accedi');
  const res = await fetch(`${base}/accedi`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  const jar = new Map(cookies.map((c) => [c.split('=')[0]!, c]));
  for (const c of res.headers.getSetCookie()) jar.set(c.split('=')[0]!, c.split(';')[0]!);
  return [...jar.values()].join('; ');
}

async function runMode(mode: string, ceiling: LoadResult, runWide: Record<string, unknown>) {
  log(`== ${mode}, scale ${SCALE}, seed ${SEED}${QUICK ? ', quick' : ''}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-bench-'));
  let dbName: string | null = null;
  // BASE_URL set explicitly: under Vitest (the bench test) the environment carries Vite's BASE_URL=/.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1' };
  delete env.DATABASE_URL;
  if (mode === 'postgresql') {
    dbName = `clusterhub_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  const cli = (argv: string[], input?: string) => run(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...argv], env, input);
  let server: ChildProcess | null = null;
  try {
    must(cli(['migrate']), 'migrate');
    const gen = must(cli(['generate', '--scale', SCALE, '--seed', String(SEED)]), 'generate');
    const checksum = /checksum ([0-9a-f]{32})/.exec(gen.stdout)?.[1] ?? null;
    log(`generated in ${(gen.ms / 1000).toFixed(1)} s (process included)`);
    const email = 'bench-admin@example.org';
    const password = 'una password lunga per il benchmark';
    must(cli(['create-admin', '--email', email, '--name', 'Bench', '--password-stdin'], password), 'create-admin');

    // Cold start: from spawn to the first answered request. Three starts, the first two stopped
    // again; the median is reported (one start on a shared machine varied by ±30%), and the last
    // server serves the scenarios. Then, from the same spawn, the first answered match: the
    // matcher's warm-up (started at listen, taking turns with requests) is done by then, so no
    // server is stopped in the middle of it and no scenario runs beside it.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let serverErr = '';
    const coldStartsMs: number[] = [];
    const warmStartsMs: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const started = performance.now();
      server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')], {
        cwd: ROOT,
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URL: base },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.add(server);
      server.stderr!.on('data', (d: Buffer) => { serverErr = (serverErr + d.toString()).slice(-5000); });
      await waitFor(`${base}/healthz`, server);
      coldStartsMs.push(Math.round(performance.now() - started));
      const match = await fetch(`${base}/api/v1/match`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Cerchiamo conservanti naturali per una crema viso', lang: 'it', limit: 1 }),
      });
      await match.arrayBuffer();
      warmStartsMs.push(Math.round(performance.now() - started));
      if (i < COLD_STARTS - 1) await stop(server);
    }
    if (!server) throw new Error('no server started');
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const coldStartMs = median(coldStartsMs);
    const warmStartMs = median(warmStartsMs);
    log(`cold start ${coldStartMs} ms (median of ${coldStartsMs.join(', ')}); first match answered ${warmStartMs} ms (${warmStartsMs.join(', ')})`);

    // What to ask for: ids read from the API, as a client would.
    const clusters = (await (await fetch(`${base}/api/v1/clusters`)).json()) as { items: { slug: string }[] };
    const slug = clusters.items.find((c) => c.slug === 'fabbrica-intelligente')?.slug ?? clusters.items[0]!.slug;
    const orgList = (await (await fetch(`${base}/api/v1/organisations?pageSize=50&sort=name`)).json()) as { items: { id: string }[]; total: number };
    const orgIds = orgList.items.map((o) => o.id).slice(0, 20);
    const cookie = await signIn(base, email, password);
    // Which routes exist in this build: the OpenAPI document says (features land one by one).
    const openapi = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
    const searchAvailable = !!openapi.paths?.['/api/v1/search']?.get;
    const matchAvailable = !!openapi.paths?.['/api/v1/match']?.post;

    const searches = [
      'q=conservanti+naturali', 'q=natural+preservatives&lang=en', 'q=robotica+collaborativa&province=MI', 'q=additive+manufacturing&type=company',
      'q=idrogeno+verde&size=small', 'q=diagnostica+molecolare&lang=it', `q=packaging+riciclabile&cluster=cosmetica`, 'q=manutenzione+predittiva&province=BS',
      'q=bioplastiche', 'q=digital+twin&lang=en&type=company', 'q=tracciabilita+filiera&province=CR', 'q=conservante+natrale',
    ].map((qs) => ({ path: `/api/v1/search?${qs}&limit=20` }));
    const matchTexts = [
      { text: 'Cerchiamo conservanti naturali per una linea di creme viso senza parabeni', lang: 'it' },
      { text: 'We need a partner for predictive maintenance of packaging lines with machine learning', lang: 'en' },
      { text: 'Ci serve supporto su idrogeno verde ed elettrolizzatori per uno stabilimento', lang: 'it' },
      { text: 'Looking for biodegradable bioplastics from renewable sources for food packaging', lang: 'en' },
    ].map((b) => ({ method: 'POST', path: '/api/v1/match', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...b, limit: 10 }) }));

    const scenarios: Scenario[] = [
      { name: 'home page', requests: [{ path: '/' }], connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: true },
      { name: 'cluster page', requests: [{ path: `/cluster/${slug}` }], connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: true },
      { name: 'organisation page', requests: orgIds.map((id) => ({ path: `/organizzazioni/${id}` })), connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: orgIds.length > 0 },
      {
        name: 'member directory with filters',
        requests: ['type=company&province=MI', 'province=BG&size=small', 'type=company&sort=newest&page=2', `cluster=${slug}&province=MI`].map((qs) => ({ path: `/organizzazioni?${qs}` })),
        connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: true,
      },
      { name: 'API organisation by id', requests: orgIds.map((id) => ({ path: `/api/v1/organisations/${id}` })), connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: orgIds.length > 0 },
      { name: 'API directory filtered', requests: [{ path: '/api/v1/organisations?type=company&province=MI&pageSize=20' }, { path: '/api/v1/organisations?size=small&sort=newest' }], connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: true },
      { name: 'search (anonymous, IT/EN, facets)', requests: searches, connections: CONNECTIONS, amount: CACHED_AMOUNT, anonymousRead: true, available: searchAvailable, note: searchAvailable ? undefined : 'GET /api/v1/search not available' },
      { name: 'search throughput, uncached (signed in)', requests: searches.map((r) => ({ ...r, headers: { cookie } })), connections: CONNECTIONS, amount: Math.round(AMOUNT / 5), available: searchAvailable },
      { name: 'search latency, uncached (signed in, c=1)', requests: searches.map((r) => ({ ...r, headers: { cookie } })), connections: 1, amount: LATENCY_AMOUNT, available: searchAvailable },
      { name: 'POST /api/v1/match', requests: matchTexts, connections: CONNECTIONS, amount: Math.round(AMOUNT / 5), available: matchAvailable, note: matchAvailable ? undefined : 'POST /api/v1/match not available' },
      { name: 'POST /api/v1/match latency (c=1)', requests: matchTexts, connections: 1, amount: Math.round(LATENCY_AMOUNT / 2), available: matchAvailable },
      { name: 'signed-in page (member directory)', requests: [{ path: `/cluster/${slug}/membri?province=MI`, headers: { cookie } }], connections: CONNECTIONS, amount: Math.round(AMOUNT / 2), available: true },
    ];
    for (const s of scenarios) {
      if (!s.available) {
        log(`${s.name}: not available`);
        continue;
      }
      s.result = load(base, s.requests, s.amount, s.connections, server.pid);
      s.ratio = Math.round((s.result.reqPerSec / ceiling.reqPerSec) * 1000) / 1000;
      s.capacityRatio = s.result.serverCapacity && ceiling.serverCapacity ? Math.round((s.result.serverCapacity / ceiling.serverCapacity) * 1000) / 1000 : null;
      log(
        `${s.name.padEnd(44)} ${String(s.result.reqPerSec).padStart(6)} req/s  p50 ${s.result.p50} p95 ${s.result.p95} p99 ${s.result.p99} ms  non-2xx ${s.result.non2xx}` +
          `  server ${s.result.serverCpuMsPerRequest} CPU ms/req (${s.result.serverCapacity} req/CPU-s, busy ${s.result.serverBusy})`,
      );
    }
    const memory = rssOf(server.pid!);
    log(`RSS after load ${memory.rssMiB} MiB (peak ${memory.peakMiB} MiB)`);

    const scenarioJson = scenarios.map((s) => ({
      name: s.name,
      available: s.available,
      note: s.note,
      connections: s.connections,
      amount: s.amount,
      anonymousRead: s.anonymousRead ?? false,
      requests: s.requests.map((r) => `${r.method ?? 'GET'} ${r.path}`),
      ...(s.result ? { ...s.result, ratioToCeiling: s.ratio, capacityRatioToCeiling: s.capacityRatio ?? null } : {}),
    }));
    const find = (name: string) => scenarios.find((s) => s.name.startsWith(name))?.result;
    const anonymous = scenarios.filter((s) => s.anonymousRead && s.result);
    const targets = [
      {
        // Judged on the server's capacity (requests per CPU-second, both servers measured the same
        // way) where /proc gives it: with the load generator on the same cores, req/s stops where the
        // generator does (the servers were on a CPU 40–55% of the run, decision 007). Req/s in brackets.
        target: 'anonymous cached pages and API reads ≥ 50% of the ceiling (each; server capacity, req/s as driven in brackets)',
        measured: anonymous
          .map((s) => `${s.name} ${s.capacityRatio == null ? `${Math.round((s.ratio ?? 0) * 100)}%` : `${Math.round(s.capacityRatio * 100)}% (${Math.round((s.ratio ?? 0) * 100)}%)`}`)
          .join('; '),
        holds: anonymous.length > 0 && anonymous.every((s) => (s.capacityRatio ?? s.ratio ?? 0) >= 0.5),
      },
      { target: 'search p95 ≤ 10 ms (uncached, c=1)', measured: find('search latency')?.p95 ?? 'not available', holds: (find('search latency')?.p95 ?? Infinity) <= 10 },
      { target: 'POST /api/v1/match p95 ≤ 50 ms (c=1)', measured: find('POST /api/v1/match latency')?.p95 ?? 'not available', holds: (find('POST /api/v1/match latency')?.p95 ?? Infinity) <= 50 },
      { target: 'cold start ≤ 1.5 s', measured: coldStartMs, holds: coldStartMs <= 1500 },
      { target: 'RSS ≤ 250 MiB under load', measured: memory.peakMiB, holds: memory.peakMiB <= 250 },
      {
        // The issue's reference: Directus 12.4 on PostgreSQL with 100,000 organisations, measured on the
        // issue author's machine (not in this run): 322 req/s get-by-id, 312 filtered list, 94–279 search.
        // Compared with our uncached paths where the CMS's would be uncached too (search), cached elsewhere.
        target: '≥ 10× Directus 12.4 (issue figures: 322 by id, 312 filtered list, 279 search)',
        measured: [['by id', find('API organisation by id')?.reqPerSec, 322], ['filtered list', find('API directory filtered')?.reqPerSec, 312], ['search uncached', find('search throughput, uncached')?.reqPerSec, 279]]
          .map(([label, ours, theirs]) => `${label} ${ours === undefined ? '–' : `${(Number(ours) / Number(theirs)).toFixed(1)}×`}`).join('; '),
        holds: [[find('API organisation by id')?.reqPerSec, 322], [find('API directory filtered')?.reqPerSec, 312], [find('search throughput, uncached')?.reqPerSec, 279]].every(([ours, theirs]) => (ours ?? 0) >= 10 * theirs!),
      },
      { target: 'member import ≥ 10,000 rows/s', measured: importOf(runWide, mode).rowsPerSec ?? 'not available', holds: (importOf(runWide, mode).rowsPerSec ?? 0) >= 10_000 },
    ];
    return {
      date: new Date().toISOString(),
      scale: SCALE,
      seed: SEED,
      mode,
      quick: QUICK,
      machine: machine(),
      generation: { ms: Math.round(gen.ms), checksum, output: gen.stdout.trim().split('\n').slice(-14) },
      coldStartMs,
      coldStartsMs,
      warmStartMs,
      warmStartsMs,
      rssAfterLoadMiB: memory.rssMiB,
      peakRssMiB: memory.peakMiB,
      ceiling,
      scenarios: scenarioJson,
      import: runWide.import,
      matchingQuality: runWide.matching,
      targets,
      serverStderr: serverErr.trim() ? serverErr.trim().split('\n').slice(-10) : [],
    };
  } finally {
    if (server) await stop(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

// ------------------------------------------------------------------ report

type ModeResult = Awaited<ReturnType<typeof runMode>>;

function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined ? '–' : n >= 100 ? String(Math.round(n)) : n.toFixed(digits);
}

/** nDCG@10 overall and on Italian needs (the "all" columns) from the evaluation script's table. */
function matchSummary(output: string): string {
  const row = (label: string) => new RegExp(`^${label}\\s.*?([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+\\((\\d+)\\)\\s*$`, 'm').exec(output);
  const overall = row('overall');
  const italian = row('Italian needs');
  if (!overall) return 'see results file';
  return `nDCG@10 ${overall[1]} overall (${overall[4]} needs)${italian ? `, ${italian[1]} on Italian needs` : ''}`;
}

export function markdownTable(results: ModeResult[]): string {
  const first = results[0]!;
  const m = first.machine;
  const lines = [
    `Scale **${first.scale}** (seed ${first.seed})${first.quick ? ', quick run' : ''}, ${first.date.slice(0, 10)}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node.js ${m.node}. ` +
      `${CONNECTIONS} connections unless stated; latencies in ms, measured by the client over loopback. Ceiling: a Fastify hello-world on the same machine, same run.`,
    '',
    '| Scenario | Mode | req/s | p50 | p95 | p99 | × ceiling | server CPU µs/req | server req per CPU-s (× ceiling) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const cpuCells = (x: { serverCpuMsPerRequest?: number | null; serverCapacity?: number | null }, ratio: number | null) =>
    x.serverCpuMsPerRequest == null || x.serverCapacity == null ? '– | –' : `${Math.round(x.serverCpuMsPerRequest * 1000)} | ${x.serverCapacity}${ratio === null ? '' : ` (${ratio.toFixed(2)})`}`;
  lines.push(`| Fastify hello-world (ceiling) | – | ${first.ceiling.reqPerSec} | ${fmt(first.ceiling.p50)} | ${fmt(first.ceiling.p95)} | ${fmt(first.ceiling.p99)} | 1.00 | ${cpuCells(first.ceiling, 1)} |`);
  for (const r of results) {
    for (const s of r.scenarios) {
      if (!('reqPerSec' in s)) {
        lines.push(`| ${s.name} | ${r.mode} | ${s.note ?? 'not available'} | | | | | | |`);
        continue;
      }
      lines.push(`| ${s.name} | ${r.mode} | ${s.reqPerSec} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${(s.ratioToCeiling ?? 0).toFixed(2)} | ${cpuCells(s, 'capacityRatioToCeiling' in s ? (s.capacityRatioToCeiling ?? null) : null)} |`);
    }
  }
  lines.push('', '| Measure | ' + results.map((r) => r.mode).join(' | ') + ' |', '|---|' + results.map(() => '---:|').join(''));
  lines.push(`| data generation (${first.scale}, CLI process included) | ${results.map((r) => `${(r.generation.ms / 1000).toFixed(1)} s`).join(' | ')} |`);
  lines.push(`| cold start to first answered request${COLD_STARTS > 1 ? ` (median of ${COLD_STARTS} starts)` : ''} | ${results.map((r) => `${r.coldStartMs} ms${(r.coldStartsMs?.length ?? 0) > 1 ? ` (${r.coldStartsMs!.join(', ')})` : ''}`).join(' | ')} |`);
  lines.push(`| first match answered, from the same spawn (the matcher's warm-up done)${COLD_STARTS > 1 ? `, median` : ''} | ${results.map((r) => (r.warmStartMs === undefined ? '–' : `${r.warmStartMs} ms`)).join(' | ')} |`);
  lines.push(`| RSS after load (peak) | ${results.map((r) => `${r.rssAfterLoadMiB} MiB (${r.peakRssMiB})`).join(' | ')} |`);
  const importCell = (r: (typeof results)[number]) => {
    const imp = importOf({ import: r.import }, r.mode);
    return imp.available
      ? `${imp.rowsPerSec?.toLocaleString('en-GB')} rows/s, ${imp.cpuRowsPerSec?.toLocaleString('en-GB') ?? '–'} per CPU-s; with preview ${imp.endToEndRowsPerSec?.toLocaleString('en-GB') ?? '–'} rows/s (${imp.rows?.toLocaleString('en-GB')} rows)`
      : 'not available';
  };
  lines.push(`| CSV member import, commit (a fresh database of the mode) | ${results.map(importCell).join(' | ')} |`);
  const q = first.matchingQuality as { available?: boolean; output?: string; reason?: string };
  lines.push(`| matchmaking quality (\`npm run eval:matching\`, all needs) | ${q.available ? matchSummary(q.output ?? '') : (q.reason ?? 'failed')} |${results.length > 1 ? ' ′′ |' : ''}`);
  lines.push('', '| Target | ' + results.map((r) => r.mode).join(' | ') + ' |', '|---|' + results.map(() => '---|').join(''));
  for (const [i, t] of first.targets.entries()) {
    const cell = (x: { holds: boolean; measured: unknown }) =>
      typeof x.measured === 'string' && x.measured.startsWith('not ') ? `not measured (${x.measured})` : `${x.holds ? 'holds' : '**does not hold**'} (${x.measured})`;
    lines.push(`| ${t.target} | ${results.map((r) => cell(r.targets[i]!)).join(' | ')} |`);
  }
  return lines.join('\n');
}

function writeReport(results: ModeResult[], files: string[]) {
  const table = markdownTable(results);
  const first = results[0]!;
  const mdFile = path.join(args.out!, `${first.date.slice(0, 10)}-${first.scale}${first.quick ? '-quick' : ''}.md`);
  fs.writeFileSync(mdFile, `${table}\n`);
  files.push(mdFile);
  if (args['update-readme']) {
    const readme = path.join(ROOT, 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    if (text.includes(start) && text.includes(end)) {
      fs.writeFileSync(readme, text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${table}\n${end}`));
      log('README table updated');
    } else log('README has no bench markers: table not pasted');
  }
  process.stdout.write(`${table}\n\n${files.map((f) => `wrote ${path.relative(ROOT, f)}`).join('\n')}\n`);
}

async function main() {
  const started = performance.now();
  if (args['report-only']) {
    const files = args['report-only'].split(',');
    writeReport(files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as ModeResult), []);
    return;
  }
  if (!args['no-build']) {
    const build = run('npm', ['run', '-s', 'build'], process.env);
    // The production build (esbuild, scripts/build.mjs) does not type-check: a failed build is a real failure.
    if (build.code !== 0) throw new Error(`npm run build failed:\n${(build.stdout + build.stderr).slice(-1500)}`);
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: run npm run build');

  // The ceiling, measured in this run.
  const port = await freePort();
  const ceilingServer = spawn(process.execPath, [path.join(ROOT, 'bench', 'ceiling.mjs')], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  children.add(ceilingServer);
  let ceiling: LoadResult;
  try {
    await waitFor(`http://127.0.0.1:${port}/`, ceilingServer);
    ceiling = load(`http://127.0.0.1:${port}`, [{ path: '/' }], Math.max(CACHED_AMOUNT, AMOUNT * 2), CONNECTIONS, ceilingServer.pid);
  } finally {
    ceilingServer.kill('SIGTERM');
    children.delete(ceilingServer);
  }
  log(`ceiling (Fastify hello-world) ${ceiling.reqPerSec} req/s, p50 ${ceiling.p50} p95 ${ceiling.p95} p99 ${ceiling.p99} ms, server ${ceiling.serverCpuMsPerRequest} CPU ms/req (${ceiling.serverCapacity} req/CPU-s, busy ${ceiling.serverBusy})`);
  const runWide = { import: measureImport(), matching: measureMatchingQuality() };
  log(`import: ${JSON.stringify(runWide.import).slice(0, 200)}`);

  const results: ModeResult[] = [];
  for (const mode of MODES) results.push(await runMode(mode, ceiling, runWide));

  fs.mkdirSync(args.out!, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const files: string[] = [];
  for (const r of results) {
    const file = path.join(args.out!, `${date}-${SCALE}-${r.mode}${QUICK ? '-quick' : ''}.json`);
    fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
    files.push(file);
  }
  writeReport(results, files);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    cleanup();
    process.exit(1);
  },
);

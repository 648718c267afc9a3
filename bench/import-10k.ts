/**
 * Member import benchmark: 10,000 valid rows, preview then commit, on an in-memory PGlite app, or on
 * a fresh database of the PostgreSQL server of DATABASE_URL (created, migrated and dropped here).
 *   npx tsx bench/import-10k.ts [rows]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/import-10k.ts [rows]
 * Prints rows/s for each step: CSV parse, preview, commit (all new), then the same file again
 * (preview and commit with nothing to change), and an XLSX preview; then the whole HTTP round
 * (multipart upload, preview page, confirmation) through app.inject as a signed-in manager.
 */
// First, as in server.ts: the server's V8 settings (the embedded database's WebAssembly tiering).
import '../src/platform/v8-tuning.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { COLUMN_NAMES } from '../src/features/imports/columns.js';
import { parseMemberFile } from '../src/features/imports/parse.js';
import { ImportService, writeChunk, type ImportReport } from '../src/features/imports/service.js';
import { SYSTEM_ACTOR } from '../src/platform/audit.js';
import { findComune, partitaIvaCheckDigit } from '../src/platform/identifiers/index.js';

const ROWS = Number(process.argv[2] ?? 10_000);
const COMUNI = ['015146', '016024', '017029', '012133', '013075', '097042', '108033', '018110'].filter((c) => findComune(c));
const ATECO = ['20.42', '46.45', '21.20', '72.10', '32.50'];
const TYPES = ['company', 'company', 'company', 'spin_off', 'research_centre', 'university', 'association'];

function rows(n: number, vatBase = 4_000_000_000): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (let i = 1; i <= n; i++) {
    const first10 = String(vatBase + i);
    out.push({
      external_ref: `BENCH-${String(i).padStart(6, '0')}`,
      legal_name: `Impresa di prova ${i} S.r.l.`,
      short_name: `Prova ${i}`,
      type: TYPES[i % TYPES.length]!,
      vat_number: `${first10}${partitaIvaCheckDigit(first10)}`,
      tax_code: '',
      ateco_codes: i % 3 === 0 ? `${ATECO[i % ATECO.length]}, ${ATECO[(i + 1) % ATECO.length]}` : ATECO[i % ATECO.length]!,
      country_code: 'IT',
      comune_istat: COMUNI[i % COMUNI.length]!,
      city: '',
      address: `Via delle Industrie ${i}`,
      postcode: '20100',
      pec: `impresa${i}@pec.example.it`,
      email: `info@impresa${i}.example.it`,
      website: `https://www.impresa${i}.example.it`,
      employees: String((i * 7) % 400),
      turnover_eur: `${(i * 13_579) % 60_000_000}`,
      balance_sheet_eur: `${(i * 7_919) % 40_000_000}`,
      size_class_declared: '',
      member_class: i % 10 === 0 ? 'sostenitore' : 'ordinario',
      admitted_on: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      description_it: `Impresa lombarda numero ${i}: formulazione, produzione e confezionamento conto terzi.`,
      description_en: i % 2 === 0 ? `Lombard company number ${i}: contract formulation, manufacturing and packaging.` : '',
    });
  }
  return out;
}

/** CPU seconds of the PostgreSQL server processes serving the bench database (local server only). */
async function serverCpu(): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (database.mode !== 'postgresql') return cpu;
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.db);
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 after the command name: user and system time in clock ticks.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not on this machine: the server's share stays unknown (counted as 0).
    }
  }
  return cpu;
}

/**
 * Wall time and rows/s, and the CPU time the step used: this process (PGlite runs inside it) plus,
 * on PostgreSQL, the server processes. On a shared machine the wall time includes waiting for a
 * core; rows per CPU second is what the step would reach on an idle one.
 */
async function timed<T>(label: string, n: number, fn: () => Promise<T>): Promise<T> {
  const db0 = await serverCpu();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const db1 = await serverCpu();
  const nodeS = (cpu.user + cpu.system) / 1e6;
  let dbS = 0;
  for (const [pid, s] of db1) dbS += s - (db0.get(pid) ?? 0);
  const cpuS = nodeS + dbS;
  const rate = (seconds: number) => Math.round(n / seconds).toLocaleString('en-GB').padStart(9);
  const split = database.mode === 'postgresql' ? ` (node ${nodeS.toFixed(2)} + server ${dbS.toFixed(2)})` : '';
  console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s ${rate(ms / 1000)} rows/s   cpu ${cpuS.toFixed(2).padStart(5)} s${split} ${rate(cpuS)} rows/cpu-s`);
  steps.set(label, { ms, cpuS });
  return result;
}

const steps = new Map<string, { ms: number; cpuS: number }>();

function check(report: ImportReport, expected: Partial<ImportReport['counts']>, committed: boolean) {
  const problems = report.fileProblems.length + report.rowProblems.length;
  if (problems > 0) throw new Error(`unexpected problems: ${JSON.stringify([...report.fileProblems, ...report.rowProblems.slice(0, 5)])}`);
  for (const [key, value] of Object.entries(expected)) {
    if (report.counts[key as keyof ImportReport['counts']] !== value) throw new Error(`expected ${key}=${value}, got ${JSON.stringify(report.counts)}`);
  }
  if (report.committed !== committed) throw new Error(`expected committed=${committed}`);
}

function toCsv(data: Record<string, string>[]): Buffer {
  return Buffer.from(`\uFEFF${stringify([COLUMN_NAMES as string[], ...data.map((r) => COLUMN_NAMES.map((c) => r[c] ?? ''))], { delimiter: ';' })}`);
}

function multipart(fields: Record<string, string>, file?: { filename: string; data: Buffer }) {
  const boundary = '----clusterhub-bench';
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** In-memory PGlite, or a new database on the server of DATABASE_URL, dropped on close. */
async function benchDatabase(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ dataDir: null });
  const name = `clusterhub_import_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrateToLatest(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => dropper.end());
    },
  };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-bench-'));
const database = await benchDatabase();
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir }), database, logger: false });
await app.ready();
try {
  const clusterId = (await app.services.clusters.idBySlug('cosmetica'))!;
  for (const [code, nameIt] of [['ordinario', 'Socio ordinario'], ['sostenitore', 'Socio sostenitore']] as const) {
    await app.services.memberships.addClass(clusterId, { code, nameIt, nameEn: '', voting: code === 'ordinario', fee: '' }, SYSTEM_ACTOR);
  }
  const imports = new ImportService(database.db, app.services.clusters, app.services.memberships, writeChunk(database.mode));
  const actor = { personId: null, label: 'bench' };

  const data = rows(ROWS);
  const csv = { filename: 'soci.csv', data: toCsv(data) };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Soci');
  sheet.addRow(COLUMN_NAMES as string[]);
  for (const r of data) sheet.addRow(COLUMN_NAMES.map((c) => r[c] ?? ''));
  const xlsx = { filename: 'soci.xlsx', data: Buffer.from(await workbook.xlsx.writeBuffer()) };
  console.log(`${ROWS.toLocaleString('en-GB')} rows: CSV ${(csv.data.length / 1024 / 1024).toFixed(1)} MB, XLSX ${(xlsx.data.length / 1024 / 1024).toFixed(1)} MB; ${database.mode === 'pglite' ? 'PGlite in memory' : 'PostgreSQL'}; node ${process.version}\n`);

  await timed('parse CSV', ROWS, () => parseMemberFile(csv.filename, csv.data));
  await timed('parse XLSX', ROWS, () => parseMemberFile(xlsx.filename, xlsx.data));
  check(await timed('preview CSV (all new)', ROWS, () => imports.preview(clusterId, csv)), { create: ROWS }, false);
  check(await timed('preview XLSX (all new)', ROWS, () => imports.preview(clusterId, xlsx)), { create: ROWS }, false);
  check(await timed('commit CSV (all new)', ROWS, () => imports.commit(clusterId, csv, actor)), { create: ROWS }, true);
  {
    // What a manager waits for in all: the preview, then the confirmation.
    const preview = steps.get('preview CSV (all new)')!;
    const commit = steps.get('commit CSV (all new)')!;
    const ms = preview.ms + commit.ms;
    const cpuS = preview.cpuS + commit.cpuS;
    console.log(`${'preview + commit CSV (all new)'.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s ${Math.round(ROWS / (ms / 1000)).toLocaleString('en-GB').padStart(9)} rows/s   cpu ${cpuS.toFixed(2).padStart(5)} s ${Math.round(ROWS / cpuS).toLocaleString('en-GB').padStart(9)} rows/cpu-s`);
  }
  check(await timed('preview again (nothing to change)', ROWS, () => imports.preview(clusterId, csv)), { unchanged: ROWS }, false);
  check(await timed('commit again (nothing to change)', ROWS, () => imports.commit(clusterId, csv, actor)), { unchanged: ROWS }, true);
  const changed = { filename: 'soci-2.csv', data: Buffer.from(csv.data.toString('utf8').replaceAll('formulazione, produzione', 'ricerca, produzione')) };
  check(await timed('commit with every row changed', ROWS, () => imports.commit(clusterId, changed, actor)), { update: ROWS }, true);

  // The same through HTTP, as a manager of another cluster with other organisations.
  const otherId = (await app.services.clusters.idBySlug('mobilita'))!;
  await app.services.memberships.addClass(otherId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: '', voting: true, fee: '' }, SYSTEM_ACTOR);
  await app.services.memberships.addClass(otherId, { code: 'sostenitore', nameIt: 'Socio sostenitore', nameEn: '', voting: false, fee: '' }, SYSTEM_ACTOR);
  const password = 'una password lunga per il benchmark';
  await app.services.accounts.createWithRole({ email: 'bench@example.org', displayName: 'Bench', password, role: 'cluster_manager', clusterId: otherId }, SYSTEM_ACTOR);
  const { token: sid } = await app.services.accounts.login({ email: 'bench@example.org', password, ip: '127.0.0.1', userAgent: 'bench' });
  const page = await app.inject({ url: '/cluster/mobilita/gestione/importa', cookies: { sid } });
  const cookies = { sid, csrf: page.cookies.find((c) => c.name === 'csrf')!.value };
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const httpFile = { filename: 'soci-mobilita.csv', data: toCsv(rows(ROWS, 5_000_000_000)) };
  const preview = await timed('HTTP upload + preview page', ROWS, () =>
    app.inject({ method: 'POST', url: '/cluster/mobilita/gestione/importa', cookies, ...multipart({ _csrf: csrfToken, mode: 'preview' }, httpFile) }),
  );
  const token = /name="token" value="([^"]+)"/.exec(preview.body)?.[1];
  if (preview.statusCode !== 200 || !token) throw new Error(`HTTP preview failed (${preview.statusCode})`);
  const confirmed = await timed('HTTP confirmation (commit)', ROWS, () =>
    app.inject({ method: 'POST', url: '/cluster/mobilita/gestione/importa', cookies, ...multipart({ _csrf: csrfToken, mode: 'commit', token }) }),
  );
  if (confirmed.statusCode !== 303 || !String(confirmed.headers.location).includes(`created=${ROWS}&`)) throw new Error(`HTTP commit failed (${confirmed.statusCode})`);
  const exported = await timed('HTTP export soci.csv', ROWS, () => app.inject({ url: '/cluster/mobilita/gestione/soci.csv', cookies }));
  const exportedX = await timed('HTTP export soci.xlsx', ROWS, () => app.inject({ url: '/cluster/mobilita/gestione/soci.xlsx', cookies }));
  if (exported.statusCode !== 200 || exportedX.statusCode !== 200) throw new Error('export failed');

  const counts = await sql<{ orgs: number; members: number; events: number; audit: number }>`
    SELECT (SELECT count(*)::int FROM organisations WHERE external_ref LIKE 'import:%') AS orgs,
           (SELECT count(*)::int FROM memberships WHERE external_ref IS NOT NULL) AS members,
           (SELECT count(*)::int FROM membership_events WHERE action = 'import') AS events,
           (SELECT count(*)::int FROM audit_log) AS audit`.execute(database.db);
  console.log(`\nin the database: ${JSON.stringify(counts.rows[0])}`);
} finally {
  await app.close();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

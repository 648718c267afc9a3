import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from '../../src/features/imports/columns.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { partitaIvaCheckDigit } from '../../src/platform/identifiers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { Client, signedInClient } from '../support/session.js';

const IMPORT = '/cluster/cosmetica/gestione/importa';

let vatSerial = 0;
/** A valid P.IVA, unique within this file (its own range, away from other tests' factories). */
function vat(): string {
  vatSerial += 1;
  const first10 = String(3_100_000_000 + vatSerial);
  return `${first10}${partitaIvaCheckDigit(first10)}`;
}

function wrongCheckDigit(piva: string): string {
  return `${piva.slice(0, 10)}${(Number(piva[10]) + 1) % 10}`;
}

type Row = Record<string, string>;

function memberRow(ref: string, overrides: Row = {}): Row {
  return {
    external_ref: ref,
    legal_name: `Importata ${ref} S.r.l.`,
    type: 'company',
    vat_number: vat(),
    ateco_codes: '20.42',
    comune_istat: '015146',
    employees: '12',
    turnover_eur: '1.500.000',
    member_class: 'ordinario',
    admitted_on: '2026-01-15',
    description_it: 'Formulazione cosmetica conto terzi.',
    ...overrides,
  };
}

/** A CSV as a manager's spreadsheet saves it: `;` separated, every cell quoted. */
const headersOf = (rows: Row[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))];

function toCsv(rows: Row[], delimiter = ';'): Buffer {
  const headers = headersOf(rows);
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [headers.join(delimiter), ...rows.map((r) => headers.map((h) => quote(r[h] ?? '')).join(delimiter))];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

async function toXlsx(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Soci');
  const headers = headersOf(rows);
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(headers.map((h) => (h === 'employees' ? Number(r[h]) : r[h])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A multipart form as a browser sends it: the CSRF field first, then the fields, then the file. */
function multipart(fields: Record<string, string>, file?: { filename: string; data: Buffer; type?: string }) {
  const boundary = `----clusterhub${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DB_MODES)('member import and export on %s', (mode) => {
  let t: TestApp;
  let manager: Client;
  let clusterId: string;
  let classId: string;

  beforeAll(async () => {
    t = await createTestApp(mode);
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, SYSTEM_ACTOR);
    await t.app.services.memberships.addClass(clusterId, { code: 'sostenitore', nameIt: 'Socio sostenitore', nameEn: 'Supporting member', voting: false, fee: '' }, SYSTEM_ACTOR);
    classId = (await t.app.services.memberships.classes(clusterId)).find((c) => c.code === 'ordinario')!.id;
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function upload(client: Client, mode: 'preview' | 'commit', file: { filename: string; data: Buffer }, query = '') {
    await client.get(`${IMPORT}${query}`);
    const form = multipart({ _csrf: client.csrfToken, mode }, file);
    return client.request({ method: 'POST', url: `${IMPORT}${query}`, ...form });
  }

  async function confirm(client: Client, previewBody: string) {
    const token = /name="token" value="([^"]+)"/.exec(previewBody)?.[1];
    expect(token).toBeDefined();
    const form = multipart({ _csrf: client.csrfToken, mode: 'commit', token: token! });
    return client.request({ method: 'POST', url: IMPORT, ...form });
  }

  const count = (body: string, what: string) => Number(new RegExp(`data-count="${what}">(\\d+)<`).exec(body)?.[1]);

  async function tableCounts() {
    const one = async (query: ReturnType<typeof sql<{ n: string | number }>>) => Number((await query.execute(t.database.db)).rows[0]!.n);
    return {
      organisations: await one(sql`SELECT count(*) AS n FROM organisations`),
      memberships: await one(sql`SELECT count(*) AS n FROM memberships`),
      events: await one(sql`SELECT count(*) AS n FROM membership_events`),
    };
  }

  it('shows the import page with the column documentation, the templates and a multipart form with the CSRF field first', async () => {
    const res = await manager.get(IMPORT);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Importa soci');
    for (const column of COLUMN_NAMES) expect(res.body).toContain(`<code>${column}</code>`);
    expect(res.body).toContain('Partita IVA italiana');
    expect(res.body).toContain('href="/cluster/cosmetica/gestione/modello.csv"');
    expect(res.body).toContain('href="/cluster/cosmetica/gestione/modello.xlsx"');
    expect(res.body).toMatch(/<form method="post" action="\/cluster\/cosmetica\/gestione\/importa" enctype="multipart\/form-data"[^>]*><input type="hidden" name="_csrf"/);
    const en = await manager.get(`${IMPORT}?lang=en`);
    expect(en.body).toContain('Import members');
    expect(en.body).toContain('Italian VAT number');
    await manager.get(`${IMPORT}?lang=it`);
  });

  it('previews a good file without writing, then commits it: the organisations become admitted members', async () => {
    const rows = [memberRow('GOOD-1'), memberRow('GOOD-2', { type: 'university', legal_name: 'Università di Prova' }), memberRow('GOOD-3')];
    const before = await tableCounts();
    const preview = await upload(manager, 'preview', { filename: 'soci.csv', data: toCsv(rows) });
    expect(preview.statusCode).toBe(200);
    expect(count(preview.body, 'rows')).toBe(3);
    expect(count(preview.body, 'create')).toBe(3);
    expect(count(preview.body, 'update')).toBe(0);
    expect(preview.body).toContain('Conferma l’importazione');
    expect(await tableCounts()).toEqual(before);
    // The file waits server-side, under the token of the confirmation form.
    const pendingDir = path.join(t.config.dataDir, 'imports');
    expect(fs.readdirSync(pendingDir).length).toBe(2);

    const committed = await confirm(manager, preview.body);
    expect(committed.statusCode).toBe(303);
    expect(committed.headers.location).toBe(`${IMPORT}?created=3&updated=0&unchanged=0`);
    expect(fs.readdirSync(pendingDir)).toEqual([]);
    const done = await manager.get(committed.headers.location as string);
    expect(done.body).toContain('3 soci creati, 0 aggiornati, 0 invariati');

    const api = await t.app.inject({ url: '/api/v1/clusters/cosmetica/members?pageSize=100' });
    const names = api.json().items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Importata GOOD-1 S.r.l.', 'Università di Prova', 'Importata GOOD-3 S.r.l.']));

    const org = await t.database.db.selectFrom('organisations').selectAll().where('external_ref', '=', 'import:cosmetica:GOOD-1').executeTakeFirstOrThrow();
    expect(org).toMatchObject({ vat_number: rows[0]!.vat_number, city: 'Milano', province_code: 'MI', employees: 12, ateco_codes: ['20.42'], size_class_computed: 'small' });
    expect(Number(org.turnover_cents)).toBe(150_000_000);
    const membership = await t.database.db.selectFrom('memberships').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ cluster_id: clusterId, status: 'admitted', member_class_id: classId, external_ref: 'GOOD-1' });
    expect(membership.admitted_at?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
    const events = await t.database.db.selectFrom('membership_events').selectAll().where('membership_id', '=', membership.id).execute();
    expect(events).toMatchObject([{ action: 'import', from_status: null, to_status: 'admitted', reason: 'soci.csv' }]);
    const summary = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'members.imported').execute();
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ cluster_id: clusterId, after: { fileName: 'soci.csv', rows: 3, created: 3, updated: 0, unchanged: 0 } });
    const perOrg = await t.database.db.selectFrom('audit_log').select('action').where('organisation_id', '=', org.id).execute();
    expect(perOrg.map((a) => a.action)).toEqual(['organisation.created']);
  });

  it('shows the row, column and reason of a wrong P.IVA in Italian and in English, and writes nothing', async () => {
    const bad = memberRow('BAD-2');
    bad.vat_number = wrongCheckDigit(bad.vat_number!);
    const file = { filename: 'errori.csv', data: toCsv([memberRow('BAD-1'), bad, memberRow('BAD-3')], ',') };
    const before = await tableCounts();

    const it_ = await upload(manager, 'preview', file);
    expect(it_.statusCode).toBe(400);
    expect(it_.body).toContain('Il file contiene un errore');
    expect(it_.body).toMatch(/<th scope="row">3<\/th><td><code>vat_number<\/code><\/td><td>\d{11}<\/td><td>la partita IVA non è valida \(cifra di controllo errata\)/);
    expect(it_.body).not.toContain('Conferma l’importazione');
    expect(it_.body).not.toContain('name="token"');

    const en = await upload(manager, 'preview', file, '?lang=en');
    expect(en.body).toContain('The file has one error');
    expect(en.body).toMatch(/<th scope="row">3<\/th><td><code>vat_number<\/code><\/td><td>\d{11}<\/td><td>the VAT number \(partita IVA\) is not valid \(wrong check digit\)/);
    const byCookie = await manager.request({ method: 'GET', url: IMPORT, cookies: { lang: 'en' } });
    expect(byCookie.body).toContain('Import members');
    await manager.get(`${IMPORT}?lang=it`);

    // Committing the same file straight away is refused as a whole: all or nothing.
    const commit = await upload(manager, 'commit', file);
    expect(commit.statusCode).toBe(400);
    expect(commit.body).toContain('cifra di controllo errata');
    expect(await tableCounts()).toEqual(before);
    const written = await t.database.db.selectFrom('organisations').select('id').where('external_ref', 'like', 'import:cosmetica:BAD-%').execute();
    expect(written).toEqual([]);
  });

  it('reports duplicates in the file, a P.IVA of another organisation, an unknown class and a bad date', async () => {
    const taken = vat();
    await t.database.db.insertInto('organisations').values({ legal_name: 'Già Registrata S.p.A.', type: 'company', vat_number: taken }).execute();
    const dupVat = vat();
    const rows = [
      memberRow('DUP-1', { vat_number: dupVat }),
      memberRow('DUP-1'),
      memberRow('DUP-3', { vat_number: dupVat }),
      memberRow('DUP-4', { vat_number: taken }),
      memberRow('DUP-5', { member_class: 'inesistente' }),
      memberRow('DUP-6', { admitted_on: '15/01/2026', type: 'azienda' }),
    ];
    const res = await upload(manager, 'preview', { filename: 'dup.csv', data: toCsv(rows) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Il file contiene 6 errori');
    const cells = (row: number) =>
      [...res.body.matchAll(new RegExp(`<th scope="row">${row}</th><td><code>([a-z_]+)</code></td><td>[^<]*</td><td>(?:<a href="[^"]+">)?([^<]+)`, 'g'))].map((m) => [m[1], m[2]]);
    expect(cells(3)).toEqual([['external_ref', 'compare più volte nel file (anche alla riga 2)']]);
    expect(cells(4)).toEqual([['vat_number', 'compare più volte nel file (anche alla riga 2)']]);
    expect(cells(5)).toEqual([['vat_number', 'esiste già un’organizzazione con questa partita IVA: Già Registrata S.p.A.']]);
    expect(res.body).toMatch(/<a href="\/organizzazioni\/[0-9a-f-]{36}">esiste già/);
    expect(cells(6)).toEqual([['member_class', 'la classe di adesione «inesistente» non esiste per questo cluster']]);
    expect(cells(7)).toEqual([
      ['type', expect.stringContaining('deve essere uno tra: company, university')],
      ['admitted_on', 'deve essere una data nel formato AAAA-MM-GG'],
    ]);
  });

  it('reports unknown and missing columns as problems of the whole file', async () => {
    const data = Buffer.from('external_ref;ragione_sociale;type\nX1;Alfa;company\n');
    const res = await upload(manager, 'preview', { filename: 'colonne.csv', data });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Colonne sconosciute nella prima riga: ragione_sociale');
    expect(res.body).toContain('Mancano colonne obbligatorie nella prima riga: legal_name, member_class');
  });

  it('imports the same file twice without changing anything, and updates only the rows that change', async () => {
    const rows = [memberRow('IDEM-1'), memberRow('IDEM-2'), memberRow('IDEM-3', { description_en: 'Contract manufacturing.' })];
    const file = { filename: 'idem.xlsx', data: await toXlsx(rows) };
    const first = await confirm(manager, (await upload(manager, 'preview', file)).body);
    expect(first.headers.location).toBe(`${IMPORT}?created=3&updated=0&unchanged=0`);
    const after = await tableCounts();
    const stamps = await t.database.db.selectFrom('organisations').select(['external_ref', 'updated_at']).where('external_ref', 'like', 'import:cosmetica:IDEM-%').execute();

    const again = await upload(manager, 'preview', file);
    expect([count(again.body, 'create'), count(again.body, 'update'), count(again.body, 'unchanged')]).toEqual([0, 0, 3]);
    const second = await confirm(manager, again.body);
    expect(second.headers.location).toBe(`${IMPORT}?created=0&updated=0&unchanged=3`);
    expect(await tableCounts()).toEqual(after);
    expect(
      await t.database.db.selectFrom('organisations').select(['external_ref', 'updated_at']).where('external_ref', 'like', 'import:cosmetica:IDEM-%').execute(),
    ).toEqual(stamps);

    // One changed row; an empty cell keeps the stored value rather than erasing it.
    const changed = [rows[0]!, { ...rows[1]!, employees: '300', member_class: 'sostenitore' }, { ...rows[2]!, description_en: '' }];
    const third = await confirm(manager, (await upload(manager, 'preview', { filename: 'idem.csv', data: toCsv(changed) })).body);
    expect(third.headers.location).toBe(`${IMPORT}?created=0&updated=1&unchanged=2`);
    const org2 = await t.database.db.selectFrom('organisations').selectAll().where('external_ref', '=', 'import:cosmetica:IDEM-2').executeTakeFirstOrThrow();
    expect(org2).toMatchObject({ employees: 300, size_class_computed: 'large' });
    const org3 = await t.database.db.selectFrom('organisations').selectAll().where('external_ref', '=', 'import:cosmetica:IDEM-3').executeTakeFirstOrThrow();
    expect(org3.description_en).toBe('Contract manufacturing.');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('organisation_id', '=', org2.id).where('action', '=', 'organisation.updated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      before: { employees: 12, size_class_computed: 'small', membership: { status: 'admitted', memberClassId: classId } },
      after: { employees: 300, size_class_computed: 'large', source: 'import', membership: { status: 'admitted', externalRef: 'IDEM-2' } },
    });
    const classes = await t.database.db.selectFrom('memberships').innerJoin('member_classes as k', 'k.id', 'memberships.member_class_id').select('k.code').where('organisation_id', '=', org2.id).execute();
    expect(classes).toEqual([{ code: 'sostenitore' }]);
    expect(await tableCounts()).toEqual({ ...after, events: after.events + 1 });
  });

  it('refuses a confirmation whose file is unknown, and one from another manager', async () => {
    const expired = await manager.request({ method: 'POST', url: IMPORT, ...multipart({ _csrf: manager.csrfToken, mode: 'commit', token: 'A'.repeat(32) }) });
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('non è più disponibile');

    const preview = await upload(manager, 'preview', { filename: 'altrui.csv', data: toCsv([memberRow('OTHER-1')]) });
    const token = /name="token" value="([^"]+)"/.exec(preview.body)![1]!;
    const { client: colleague } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    await colleague.get(IMPORT);
    const stolen = await colleague.request({ method: 'POST', url: IMPORT, ...multipart({ _csrf: colleague.csrfToken, mode: 'commit', token }) });
    expect(stolen.statusCode).toBe(400);
    expect(await t.database.db.selectFrom('organisations').select('id').where('external_ref', '=', 'import:cosmetica:OTHER-1').execute()).toEqual([]);
  });

  it('refuses people who do not manage the cluster', async () => {
    const { client: other } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'mobilita' });
    for (const url of [IMPORT, '/cluster/cosmetica/gestione/modello.csv', '/cluster/cosmetica/gestione/modello.xlsx', '/cluster/cosmetica/gestione/soci.csv', '/cluster/cosmetica/gestione/soci.xlsx']) {
      expect((await other.get(url)).statusCode, url).toBe(403);
    }
    await other.get('/cluster/mobilita/gestione/importa');
    const post = await other.request({ method: 'POST', url: IMPORT, ...multipart({ _csrf: other.csrfToken, mode: 'preview' }, { filename: 'x.csv', data: toCsv([memberRow('NOPE-1')]) }) });
    expect(post.statusCode).toBe(403);
    const { client: member } = await signedInClient(t.app, null);
    expect((await member.get(IMPORT)).statusCode).toBe(403);
    const anonymous = await t.app.inject({ url: IMPORT });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/accedi?next=${encodeURIComponent(IMPORT)}`);
  });

  it('exports the admitted members as CSV and XLSX with the import columns, neutralising formulas', async () => {
    const rows = [memberRow('EXP-1', { legal_name: '=HYPERLINK("http://evil.example","clic")', description_it: '@SUM(1+1)' }), memberRow('EXP-2')];
    const done = await confirm(manager, (await upload(manager, 'preview', { filename: 'exp.csv', data: toCsv(rows) })).body);
    expect(done.statusCode).toBe(303);

    const res = await manager.get('/cluster/cosmetica/gestione/soci.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="soci-cosmetica-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.startsWith(`\uFEFF${COLUMN_NAMES.join(';')}\r\n`)).toBe(true);
    const line = res.body.split('\r\n').find((l) => l.startsWith('EXP-1;'))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")"`);
    expect(line).toContain(`'@SUM(1+1)`);
    expect(line).toContain(`;${rows[0]!.vat_number};`);
    expect(line).toContain(';ordinario;2026-01-15;');
    expect(res.body).toContain(`EXP-2;Importata EXP-2 S.r.l.;;company;${rows[1]!.vat_number};`);
    // No cell of the export starts a formula.
    for (const l of res.body.split('\r\n')) for (const cell of l.split(';')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);

    const xlsx = await manager.get('/cluster/cosmetica/gestione/soci.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values = workbook.worksheets[0]!.getSheetValues().filter(Array.isArray).map((r) => r.slice(1));
    const exp1 = values.find((r) => r[0] === 'EXP-1')!;
    expect(exp1[1]).toBe(`'=HYPERLINK("http://evil.example","clic")`);
    expect(exp1[COLUMN_NAMES.indexOf('employees')]).toBe(12);
  });

  it('serves the CSV and XLSX templates', async () => {
    const csv = await manager.get('/cluster/cosmetica/gestione/modello.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="modello-soci.csv"');
    expect(csv.body).toContain(COLUMN_NAMES.join(';'));
    expect(csv.body).toContain('Documentazione delle colonne');
    const xlsx = await manager.get('/cluster/cosmetica/gestione/modello.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Soci - Members', 'Colonne - Columns']);
  });
});

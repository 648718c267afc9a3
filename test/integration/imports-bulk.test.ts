import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from '../../src/features/imports/columns.js';
import { CHUNK } from '../../src/features/imports/repository.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { partitaIvaCheckDigit } from '../../src/platform/identifiers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { type Client, signedInClient } from '../support/session.js';

// A member file of a few thousand rows, imported through the pages as a manager would: every row
// written (in more than one statement per table), nothing written when one row is wrong, nothing
// changed by the same file imported again.

const IMPORT = '/cluster/cosmetica/gestione/importa';
const ROWS = 2_600;
const COMUNI = [
  { istat: '015146', city: 'Milano', province: 'MI' },
  { istat: '016024', city: 'Bergamo', province: 'BG' },
  { istat: '017029', city: 'Brescia', province: 'BS' },
];

type Row = Record<string, string>;

/** Row i (1-based) of the generated file; the spreadsheet shows it as row i + 1. */
function memberRow(i: number): Row {
  const first10 = String(3_200_000_000 + i);
  return {
    external_ref: `BULK-${String(i).padStart(5, '0')}`,
    legal_name: `Impresa "${i}" S.r.l.`,
    short_name: i % 2 === 0 ? `Imp ${i}` : '',
    type: i % 7 === 0 ? 'university' : 'company',
    vat_number: `${first10}${partitaIvaCheckDigit(first10)}`,
    ateco_codes: i % 3 === 0 ? '20.42; 46.45' : '20.42',
    comune_istat: COMUNI[i % COMUNI.length]!.istat,
    address: `Via delle Industrie ${i}`,
    employees: String(i % 300),
    turnover_eur: i % 5 === 0 ? '' : `${i * 1_000},50`,
    member_class: i % 10 === 0 ? 'sostenitore' : 'ordinario',
    admitted_on: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    description_it: `Impresa numero ${i}; formulazione conto terzi.\nSeconda riga.`,
    description_en: i % 4 === 0 ? `Company number ${i}.` : '',
  };
}

function toCsv(rows: Row[]): Buffer {
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [COLUMN_NAMES.join(';'), ...rows.map((r) => COLUMN_NAMES.map((c) => quote(r[c] ?? '')).join(';'))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function multipart(fields: Record<string, string>, file?: { filename: string; data: Buffer }) {
  const boundary = `----clusterhub${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DB_MODES)(`a member import of ${ROWS} rows on %s`, (mode) => {
  let t: TestApp;
  let manager: Client;
  let clusterId: string;
  const rows = Array.from({ length: ROWS }, (_, k) => memberRow(k + 1));
  const file = { filename: 'soci-grande.csv', data: toCsv(rows) };

  beforeAll(async () => {
    t = await createTestApp(mode);
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: '', voting: true, fee: '' }, SYSTEM_ACTOR);
    await t.app.services.memberships.addClass(clusterId, { code: 'sostenitore', nameIt: 'Socio sostenitore', nameEn: '', voting: false, fee: '' }, SYSTEM_ACTOR);
    ({ client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(mode: 'preview' | 'commit', upload: { filename: string; data: Buffer }) {
    await manager.get(IMPORT);
    return manager.request({ method: 'POST', url: IMPORT, ...multipart({ _csrf: manager.csrfToken, mode }, upload) });
  }

  async function previewAndConfirm(upload: { filename: string; data: Buffer }) {
    const preview = await send('preview', upload);
    expect(preview.statusCode, preview.body.slice(0, 2000)).toBe(200);
    const token = /name="token" value="([^"]+)"/.exec(preview.body)![1]!;
    const confirmed = await manager.request({ method: 'POST', url: IMPORT, ...multipart({ _csrf: manager.csrfToken, mode: 'commit', token }) });
    expect(confirmed.statusCode).toBe(303);
    return { preview, location: confirmed.headers.location as string };
  }

  const count = (body: string, what: string) => Number(new RegExp(`data-count="${what}">(\\d+)<`).exec(body)?.[1]);

  async function tableCounts() {
    const { rows } = await sql<{ organisations: number; memberships: number; events: number; audit: number }>`
      SELECT (SELECT count(*)::int FROM organisations WHERE external_ref LIKE 'import:cosmetica:BULK-%') AS organisations,
             (SELECT count(*)::int FROM memberships WHERE cluster_id = ${clusterId}) AS memberships,
             (SELECT count(*)::int FROM membership_events e JOIN memberships m ON m.id = e.membership_id WHERE m.cluster_id = ${clusterId}) AS events,
             (SELECT count(*)::int FROM audit_log WHERE cluster_id = ${clusterId}) AS audit`.execute(t.database.db);
    return rows[0]!;
  }

  it(`refuses the whole file when one row near the end is wrong, naming that row, and writes nothing`, async () => {
    const bad = rows.map((r) => ({ ...r }));
    // Row 2,001 of the file is row 2,002 of the spreadsheet.
    bad[2_000]!.vat_number = `${bad[2_000]!.vat_number!.slice(0, 10)}${(Number(bad[2_000]!.vat_number![10]) + 1) % 10}`;
    const badFile = { filename: 'soci-errore.csv', data: toCsv(bad) };
    const before = await tableCounts();

    const preview = await send('preview', badFile);
    expect(preview.statusCode).toBe(400);
    expect(preview.body).toContain('Il file contiene un errore');
    expect(preview.body).toMatch(/<th scope="row">2002<\/th><td><code>vat_number<\/code><\/td><td>\d{11}<\/td><td>la partita IVA non è valida \(cifra di controllo errata\)/);
    expect(count(preview.body, 'rows')).toBe(ROWS);

    const commit = await send('commit', badFile);
    expect(commit.statusCode).toBe(400);
    expect(commit.body).toMatch(/<th scope="row">2002<\/th><td><code>vat_number<\/code>/);
    expect(await tableCounts()).toEqual(before);
  }, 180_000);

  it(`writes every row of a ${ROWS}-row file: organisations, admitted memberships, events and audit entries`, async () => {
    expect(CHUNK).toBeLessThan(ROWS);
    const db = t.database.db;
    const actionCounts = async () =>
      Object.fromEntries(
        (await db.selectFrom('audit_log').select(['action', (eb) => eb.fn.countAll<number>().as('n')]).where('cluster_id', '=', clusterId).groupBy('action').execute()).map((a) => [
          a.action,
          Number(a.n),
        ]),
      );
    const actionsBefore = await actionCounts();
    const before = await tableCounts();
    const { preview, location } = await previewAndConfirm(file);
    expect([count(preview.body, 'rows'), count(preview.body, 'create'), count(preview.body, 'update'), count(preview.body, 'unchanged')]).toEqual([ROWS, ROWS, 0, 0]);
    expect(location).toBe(`${IMPORT}?created=${ROWS}&updated=0&unchanged=0`);
    expect(await tableCounts()).toEqual({
      organisations: before.organisations + ROWS,
      memberships: before.memberships + ROWS,
      events: before.events + ROWS,
      // One entry per organisation, and the summary of the import.
      audit: before.audit + ROWS + 1,
    });

    const statuses = await db
      .selectFrom('memberships')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('cluster_id', '=', clusterId)
      .where('external_ref', 'like', 'BULK-%')
      .groupBy('status')
      .execute();
    expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([['admitted', ROWS]]);
    const actions = await actionCounts();
    expect(actions).toEqual({
      ...actionsBefore,
      'members.imported': (actionsBefore['members.imported'] ?? 0) + 1,
      'organisation.created': (actionsBefore['organisation.created'] ?? 0) + ROWS,
    });
    const summary = await db.selectFrom('audit_log').select(['after', 'actor_label']).where('action', '=', 'members.imported').where('cluster_id', '=', clusterId).executeTakeFirstOrThrow();
    expect(summary.after).toMatchObject({ fileName: 'soci-grande.csv', format: 'csv', rows: ROWS, created: ROWS, updated: 0, unchanged: 0 });

    // Spot checks: the first row, one in the middle (second chunk boundary side), the last.
    for (const i of [1, 1_234, 2_501, ROWS]) {
      const r = memberRow(i);
      const comune = COMUNI[i % COMUNI.length]!;
      const org = await db.selectFrom('organisations').selectAll().where('external_ref', '=', `import:cosmetica:${r.external_ref}`).executeTakeFirstOrThrow();
      expect(org, `row ${i}`).toMatchObject({
        legal_name: `Impresa "${i}" S.r.l.`,
        short_name: i % 2 === 0 ? `Imp ${i}` : null,
        type: i % 7 === 0 ? 'university' : 'company',
        vat_number: r.vat_number,
        ateco_codes: i % 3 === 0 ? ['20.42', '46.45'] : ['20.42'],
        comune_istat: comune.istat,
        city: comune.city,
        province_code: comune.province,
        country_code: 'IT',
        address: `Via delle Industrie ${i}`,
        employees: i % 300,
        description_it: `Impresa numero ${i}; formulazione conto terzi.\nSeconda riga.`,
        description_en: i % 4 === 0 ? `Company number ${i}.` : null,
      });
      expect(org.turnover_cents === null ? null : Number(org.turnover_cents), `row ${i}`).toBe(i % 5 === 0 ? null : i * 100_000 + 50);
      const membership = await db
        .selectFrom('memberships as m')
        .innerJoin('member_classes as k', 'k.id', 'm.member_class_id')
        .select(['m.id', 'm.status', 'm.external_ref', 'm.admitted_at', 'k.code'])
        .where('m.organisation_id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(membership).toMatchObject({ status: 'admitted', external_ref: r.external_ref, code: r.member_class });
      expect(membership.admitted_at?.toISOString()).toBe(`${r.admitted_on}T12:00:00.000Z`);
      const events = await db.selectFrom('membership_events').select(['action', 'from_status', 'to_status', 'reason']).where('membership_id', '=', membership.id).execute();
      expect(events).toEqual([{ action: 'import', from_status: null, to_status: 'admitted', reason: 'soci-grande.csv' }]);
      const entry = await db.selectFrom('audit_log').select(['action', 'entity_id', 'after', 'actor_label']).where('organisation_id', '=', org.id).executeTakeFirstOrThrow();
      expect(entry).toMatchObject({
        action: 'organisation.created',
        entity_id: org.id,
        actor_label: summary.actor_label,
        after: { legal_name: org.legal_name, vat_number: r.vat_number, externalRef: `import:cosmetica:${r.external_ref}`, source: 'import', membership: { id: membership.id, status: 'admitted', externalRef: r.external_ref } },
      });
    }
  }, 180_000);

  it('changes nothing when the same file is imported again, and updates only the rows that change', async () => {
    const after = await tableCounts();
    const stamps = await t.database.db.selectFrom('organisations').select(['id', 'updated_at']).where('external_ref', 'like', 'import:cosmetica:BULK-%').orderBy('id').execute();

    const again = await previewAndConfirm(file);
    expect([count(again.preview.body, 'create'), count(again.preview.body, 'update'), count(again.preview.body, 'unchanged')]).toEqual([0, 0, ROWS]);
    expect(again.location).toBe(`${IMPORT}?created=0&updated=0&unchanged=${ROWS}`);
    // Only the summary of the import is recorded.
    expect(await tableCounts()).toEqual({ ...after, audit: after.audit + 1 });
    expect(await t.database.db.selectFrom('organisations').select(['id', 'updated_at']).where('external_ref', 'like', 'import:cosmetica:BULK-%').orderBy('id').execute()).toEqual(stamps);

    // Every 500th row changes its number of employees; row 1,000 also its member class.
    const changed = rows.map((r, k) => ((k + 1) % 500 === 0 ? { ...r, employees: '299', ...(k + 1 === 1_000 ? { member_class: 'ordinario' } : {}) } : r));
    const third = await previewAndConfirm({ filename: 'soci-grande-2.csv', data: toCsv(changed) });
    expect(third.location).toBe(`${IMPORT}?created=0&updated=5&unchanged=${ROWS - 5}`);
    // Five organisation.updated entries and the summary; one membership event (the class change).
    expect(await tableCounts()).toEqual({ ...after, audit: after.audit + 1 + 1 + 5, events: after.events + 1 });
    const org1000 = await t.database.db.selectFrom('organisations').selectAll().where('external_ref', '=', 'import:cosmetica:BULK-01000').executeTakeFirstOrThrow();
    expect(org1000.employees).toBe(299);
    const updated = await t.database.db.selectFrom('audit_log').select(['before', 'after']).where('organisation_id', '=', org1000.id).where('action', '=', 'organisation.updated').executeTakeFirstOrThrow();
    expect(updated.before).toMatchObject({ employees: 1_000 % 300, membership: { status: 'admitted' } });
    expect(updated.after).toMatchObject({ employees: 299, source: 'import', membership: { status: 'admitted', externalRef: 'BULK-01000' } });
    const event = await t.database.db
      .selectFrom('membership_events as e')
      .innerJoin('memberships as m', 'm.id', 'e.membership_id')
      .select(['e.from_status', 'e.to_status', 'e.reason'])
      .where('m.organisation_id', '=', org1000.id)
      .where('e.reason', '=', 'soci-grande-2.csv')
      .execute();
    expect(event).toEqual([{ from_status: 'admitted', to_status: 'admitted', reason: 'soci-grande-2.csv' }]);
  }, 180_000);
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementPipeline } from '../../src/features/imports/repository.js';
import { ImportService } from '../../src/features/imports/service.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { partitaIvaCheckDigit } from '../../src/platform/identifiers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

// A commit writes each chunk of rows while the next is validated (docs/decisions/007-performance.md,
// "Member import"). With chunks of two rows, small files cross chunk boundaries: what a chunk wrote
// is undone when a later row is wrong, a reference moves between memberships whatever chunk the
// rows are in, and a statement the database refused is reported as it was before.

let serial = 0;
function vat(): string {
  serial += 1;
  const first10 = String(3_300_000_000 + serial);
  return `${first10}${partitaIvaCheckDigit(first10)}`;
}

type Row = Record<string, string>;

function memberRow(ref: string, overrides: Row = {}): Row {
  return {
    external_ref: ref,
    legal_name: `Impresa ${ref} S.r.l.`,
    type: 'company',
    vat_number: vat(),
    comune_istat: '015146',
    employees: '12',
    member_class: 'ordinario',
    admitted_on: '2026-02-10',
    ...overrides,
  };
}

function csv(rows: Row[]) {
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [headers.join(';'), ...rows.map((r) => headers.map((h) => quote(r[h] ?? '')).join(';'))];
  return { filename: 'soci.csv', data: Buffer.from(`${lines.join('\r\n')}\r\n`) };
}

describe.each(DB_MODES)('a member import written chunk by chunk on %s', (mode) => {
  let t: TestApp;
  let imports: ImportService;
  let clusterId: string;
  const actor = { personId: null, label: 'test' };

  beforeAll(async () => {
    t = await createTestApp(mode);
    clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: '', voting: true, fee: '' }, SYSTEM_ACTOR);
    imports = new ImportService(t.database.db, t.app.services.clusters, t.app.services.memberships, 2);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function counts() {
    const { rows } = await sql<{ organisations: number; memberships: number; events: number; audit: number }>`
      SELECT (SELECT count(*)::int FROM organisations) AS organisations,
             (SELECT count(*)::int FROM memberships) AS memberships,
             (SELECT count(*)::int FROM membership_events) AS events,
             (SELECT count(*)::int FROM audit_log) AS audit`.execute(t.database.db);
    return rows[0]!;
  }

  const membershipRef = async (ref: string) =>
    (
      await t.database.db
        .selectFrom('memberships as m')
        .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
        .select('m.external_ref')
        .where('o.external_ref', '=', ImportService.organisationRef('cosmetica', ref))
        .executeTakeFirstOrThrow()
    ).external_ref;

  it('writes every chunk, and the summary after them', async () => {
    const before = await counts();
    const report = await imports.commit(clusterId, csv(['C-1', 'C-2', 'C-3', 'C-4', 'C-5'].map((ref) => memberRow(ref))), actor);
    expect(report).toMatchObject({ ok: true, committed: true, counts: { rows: 5, create: 5, update: 0, unchanged: 0 } });
    expect(await counts()).toEqual({ organisations: before.organisations + 5, memberships: before.memberships + 5, events: before.events + 5, audit: before.audit + 6 });
    const entries = await t.database.db.selectFrom('audit_log').select(['action', 'entity_type']).orderBy('id', 'desc').limit(6).execute();
    expect(entries.map((e) => e.action)).toEqual(['members.imported', ...Array<string>(5).fill('organisation.created')]);
  });

  it('undoes the chunks already written when a later row is wrong, and names that row', async () => {
    const before = await counts();
    const rows = ['D-1', 'D-2', 'D-3', 'D-4', 'D-5'].map((ref) => memberRow(ref));
    rows[4]!.vat_number = `${rows[4]!.vat_number!.slice(0, 10)}${(Number(rows[4]!.vat_number![10]) + 1) % 10}`;
    const report = await imports.commit(clusterId, csv(rows), actor);
    expect(report.committed).toBe(false);
    expect(report.rowProblems).toEqual([{ row: 6, column: 'vat_number', value: rows[4]!.vat_number, code: 'vat_checksum' }]);
    expect(report.counts).toMatchObject({ rows: 5, create: 4, rowsWithErrors: 1 });
    expect(await counts()).toEqual(before);
  });

  it('moves references between memberships whose rows are in different chunks', async () => {
    await imports.commit(clusterId, csv([memberRow('M-A'), memberRow('M-B')]), actor);
    // By hand, the two memberships swap their references (through a free one: they are unique).
    const db = t.database.db;
    const idOf = async (ref: string) => (await db.selectFrom('memberships').select('id').where('cluster_id', '=', clusterId).where('external_ref', '=', ref).executeTakeFirstOrThrow()).id;
    const [a, b] = [await idOf('M-A'), await idOf('M-B')];
    await db.updateTable('memberships').set({ external_ref: 'M-TMP' }).where('id', '=', a).execute();
    await db.updateTable('memberships').set({ external_ref: 'M-A' }).where('id', '=', b).execute();
    await db.updateTable('memberships').set({ external_ref: 'M-B' }).where('id', '=', a).execute();
    expect([await membershipRef('M-A'), await membershipRef('M-B')]).toEqual(['M-B', 'M-A']);

    // The file gives each organisation its own reference back: M-A in the first chunk, M-B in the
    // second. Each membership gives up one reference and takes the other.
    const orgs = await db.selectFrom('organisations').select(['external_ref', 'vat_number']).where('external_ref', 'like', 'import:cosmetica:M-%').execute();
    const vatOf = (ref: string) => orgs.find((o) => o.external_ref === ImportService.organisationRef('cosmetica', ref))!.vat_number!;
    // First with a wrong row after them: the references released before the first chunk come back.
    const refused = await imports.commit(
      clusterId,
      csv([memberRow('M-A', { vat_number: vatOf('M-A') }), memberRow('M-X'), memberRow('M-Y'), memberRow('M-B', { vat_number: vatOf('M-B') }), memberRow('M-Z', { admitted_on: '2026-02-30' })]),
      actor,
    );
    expect(refused.rowProblems).toEqual([{ row: 6, column: 'admitted_on', value: '2026-02-30', code: 'date' }]);
    expect([await membershipRef('M-A'), await membershipRef('M-B')]).toEqual(['M-B', 'M-A']);
    const report = await imports.commit(
      clusterId,
      csv([memberRow('M-A', { vat_number: vatOf('M-A') }), memberRow('M-X'), memberRow('M-Y'), memberRow('M-B', { vat_number: vatOf('M-B') })]),
      actor,
    );
    expect(report).toMatchObject({ committed: true, counts: { create: 2, update: 2 } });
    expect([await membershipRef('M-A'), await membershipRef('M-B')]).toEqual(['M-A', 'M-B']);
  });

  it('finds the holder of a P.IVA written with the country prefix and spaces', async () => {
    const owner = await t.database.db.selectFrom('organisations').select(['legal_name', 'vat_number']).where('external_ref', '=', ImportService.organisationRef('cosmetica', 'C-1')).executeTakeFirstOrThrow();
    const written = `IT ${owner.vat_number!.slice(0, 5)} ${owner.vat_number!.slice(5)}`;
    const before = await counts();
    const report = await imports.commit(clusterId, csv([memberRow('V-1'), memberRow('V-2'), memberRow('V-3', { vat_number: written })]), actor);
    expect(report.committed).toBe(false);
    expect(report.rowProblems).toMatchObject([{ row: 4, column: 'vat_number', value: written, code: 'vat_taken', params: { name: owner.legal_name } }]);
    expect(await counts()).toEqual(before);
  });

  it('runs no queued statement once the pipeline is abandoned before a rollback', async () => {
    const db = t.database.db;
    await sql`CREATE SEQUENCE test_pipeline_seq`.execute(db);
    const rolledBack = db.transaction().execute(async (trx) => {
      const out = new StatementPipeline(trx, 2);
      await out.send(sql`SELECT pg_sleep(0.05)`);
      // Sequences are not transactional: a statement that ran leaves its mark after the rollback.
      await out.send(sql`SELECT nextval('test_pipeline_seq')`);
      await out.abandon();
      throw new Error('rolled back by the test');
    });
    await expect(rolledBack).rejects.toThrow('rolled back by the test');
    // A statement sent after the rollback would have run by now; give it the time anyway.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows } = await sql<{ is_called: boolean }>`SELECT is_called FROM test_pipeline_seq`.execute(db);
    expect(rows[0]!.is_called).toBe(false);
    await sql`DROP SEQUENCE test_pipeline_seq`.execute(db);
  });

  describe('with a statement the database refuses', () => {
    beforeAll(async () => {
      await sql`CREATE FUNCTION test_refuse_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.legal_name = 'Rifiutata S.r.l.' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$`.execute(t.database.db);
      await sql`CREATE TRIGGER test_refuse_organisation BEFORE INSERT ON organisations FOR EACH ROW EXECUTE FUNCTION test_refuse_organisation()`.execute(t.database.db);
    });
    afterAll(async () => {
      await sql`DROP TRIGGER test_refuse_organisation ON organisations`.execute(t.database.db);
      await sql`DROP FUNCTION test_refuse_organisation()`.execute(t.database.db);
    });

    it('fails the commit, writing nothing, when every row is right', async () => {
      const before = await counts();
      await expect(imports.commit(clusterId, csv([memberRow('R-1', { legal_name: 'Rifiutata S.r.l.' }), memberRow('R-2'), memberRow('R-3')]), actor)).rejects.toThrow(
        'refused by the test',
      );
      expect(await counts()).toEqual(before);
    });

    it('reports a wrong row found after the refused statement, as without the database', async () => {
      const before = await counts();
      const rows = [memberRow('S-1', { legal_name: 'Rifiutata S.r.l.' }), memberRow('S-2'), memberRow('S-3'), memberRow('S-4', { member_class: 'onorario' })];
      const report = await imports.commit(clusterId, csv(rows), actor);
      expect(report.committed).toBe(false);
      expect(report.rowProblems).toEqual([{ row: 5, column: 'member_class', value: 'onorario', code: 'member_class_unknown', params: { code: 'onorario' } }]);
      expect(await counts()).toEqual(before);
    });
  });
});

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreDeferredIndexes, withDeferredIndexes } from '../../src/db/deferred-indexes.js';
import { GenerateRefusedError, Rng, SCALES, dataChecksum, generate } from '../../src/db/seed/generate.js';
import { rebuildDerivedData } from '../../src/db/seed/generate-hooks.js';
import { validatePartitaIva } from '../../src/platform/identifiers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';
import { createPerson } from '../support/session.js';

describe('the seeded generator (Rng)', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.uuid());
    expect(Array.from({ length: 5 }, () => b.uuid())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uuid())).not.toEqual(seqA);
    expect(seqA[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe.each(DB_MODES)('clusterhub generate (%s)', (mode) => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestApp(mode), createTestApp(mode)]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('fills an empty database with the same data for the same seed (same checksum)', async () => {
    const report = await generate(first.database.db, { scale: 'cluster', seed: 7 });
    await generate(second.database.db, { scale: 'cluster', seed: 7 });
    expect(report.counts.organisations).toBe(SCALES.cluster.organisations);
    expect(report.counts.people).toBe(SCALES.cluster.people);
    const [a, b] = await Promise.all([dataChecksum(first.database.db), dataChecksum(second.database.db)]);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toBe(a);
  });

  it('writes realistic rows: valid P.IVA, Lombard provinces, types and sizes spread', async () => {
    const orgs = await first.database.db
      .selectFrom('organisations')
      .select(['vat_number', 'province_code', 'type', 'size_class_computed', 'comune_istat', 'description_it'])
      .where('external_ref', 'like', 'gen:%')
      .execute();
    const withVat = orgs.filter((o) => o.vat_number);
    expect(withVat.length).toBeGreaterThan(100);
    for (const o of withVat) expect(validatePartitaIva(o.vat_number!).ok).toBe(true);
    expect(new Set(withVat.map((o) => o.vat_number)).size).toBe(withVat.length);
    expect(new Set(orgs.map((o) => o.province_code)).size).toBeGreaterThan(6);
    expect(new Set(orgs.map((o) => o.type)).size).toBeGreaterThan(3);
    expect(new Set(orgs.map((o) => o.size_class_computed)).size).toBeGreaterThan(2);
    expect(orgs.every((o) => /^\d{6}$/.test(o.comune_istat ?? '') && (o.description_it ?? '').length > 20)).toBe(true);
  });

  it('lists the generated members in the public directory once derived data is rebuilt, with every index back', async () => {
    const indexesBefore = await indexDefinitions(first.database.db);
    const lines: string[] = [];
    await rebuildDerivedData(first.app.services as unknown as Record<string, unknown>, first.database, (line) => lines.push(line));
    // The GIN and impact indexes were built after the load, as they were defined.
    expect(lines).toContainEqual(expect.stringMatching(/^built [1-9]\d* deferred indexes/));
    expect(await indexDefinitions(first.database.db)).toEqual(indexesBefore);
    const res = await first.app.inject({ url: '/api/v1/organisations?pageSize=5' });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(120);
    // Search and matching answer from what was rebuilt.
    const search = await first.app.inject({ url: '/api/v1/search?q=cosmetica&limit=5' });
    expect(search.statusCode).toBe(200);
    expect(search.json().total).toBeGreaterThan(0);
  });

  it('builds deferred indexes again when the load fails, keeping unique ones throughout', async () => {
    const db = first.database.db;
    await sql`CREATE TABLE bulk_probe (id int PRIMARY KEY, code text, tags text[])`.execute(db);
    await sql`CREATE UNIQUE INDEX bulk_probe_code_key ON bulk_probe (code)`.execute(db);
    await sql`CREATE INDEX bulk_probe_tags_idx ON bulk_probe USING gin (tags)`.execute(db);
    await sql`CREATE INDEX bulk_probe_code_idx ON bulk_probe (lower(code))`.execute(db);
    try {
      const before = await indexDefinitions(db, 'bulk_probe');
      const during: string[] = [];
      let recorded: string[] = [];
      const load = withDeferredIndexes(db, { bulk_probe: (index) => index.method === 'gin' || index.name === 'bulk_probe_code_idx' }, async () => {
        during.push(...Object.keys(await indexDefinitions(db, 'bulk_probe')));
        recorded = (await db.selectFrom('deferred_indexes').select('definition').orderBy('name').execute()).map((r) => r.definition);
        await sql`INSERT INTO bulk_probe VALUES (1, 'a', '{x}'), (2, 'a', '{y}')`.execute(db);
      });
      // The unique index stayed and refused the duplicate; the load failed as it should.
      await expect(load).rejects.toThrow(/bulk_probe_code_key|duplicate/);
      expect(during.sort()).toEqual(['bulk_probe_code_key', 'bulk_probe_pkey']);
      // While dropped, each was on record, ready to be built again by a later start.
      expect(recorded).toEqual([
        expect.stringMatching(/^CREATE INDEX IF NOT EXISTS bulk_probe_code_idx ON .*bulk_probe .*lower\(code\)/),
        expect.stringMatching(/^CREATE INDEX IF NOT EXISTS bulk_probe_tags_idx ON .*bulk_probe USING gin \(tags\)/),
      ]);
      expect(await indexDefinitions(db, 'bulk_probe')).toEqual(before);
      expect(Object.keys(before)).toHaveLength(4);
      expect(await db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);

      // A load killed half-way: the drop and its record committed, nothing rebuilt. The next start
      // (buildApp calls restoreDeferredIndexes) builds it again.
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('deferred_indexes').values({ name: 'bulk_probe_tags_idx', definition: recorded[1]! }).execute();
        await sql`DROP INDEX bulk_probe_tags_idx`.execute(trx);
      });
      expect(Object.keys(await indexDefinitions(db, 'bulk_probe'))).toHaveLength(3);
      expect(await restoreDeferredIndexes(db)).toEqual(['bulk_probe_tags_idx']);
      expect(await indexDefinitions(db, 'bulk_probe')).toEqual(before);
      expect(await restoreDeferredIndexes(db)).toEqual([]);
    } finally {
      await sql`DROP TABLE bulk_probe`.execute(db);
    }
  });

  it('gives another checksum for another seed', async () => {
    const third = await createTestApp(mode);
    try {
      await generate(third.database.db, { scale: 'cluster', seed: 8 });
      expect(await dataChecksum(third.database.db)).not.toBe(await dataChecksum(first.database.db));
    } finally {
      await third.close();
    }
  });

  it('refuses a database that already holds data, and changes nothing', async () => {
    const before = await dataChecksum(first.database.db);
    await expect(generate(first.database.db, { scale: 'cluster', seed: 7 })).rejects.toBeInstanceOf(GenerateRefusedError);
    expect(await dataChecksum(first.database.db)).toBe(before);
    const fresh = await createTestApp(mode);
    try {
      await createPerson(fresh.app, null);
      await expect(generate(fresh.database.db, { scale: 'cluster', seed: 1 })).rejects.toThrow(/account/);
    } finally {
      await fresh.close();
    }
  });
});

/** Index name → definition, of the search and matching tables (or of one table). */
async function indexDefinitions(db: Kysely<any>, table?: string): Promise<Record<string, string>> {
  const tables = table ? [table] : ['search_documents', 'match_documents', 'match_postings', 'match_features'];
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(${tables}::text[]) ORDER BY indexname`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('lists the generated members in the public directory once derived data is rebuilt', async () => {
    await rebuildDerivedData(first.app.services as unknown as Record<string, unknown>, first.database);
    const res = await first.app.inject({ url: '/api/v1/organisations?pageSize=5' });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(120);
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

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedMaintenance } from '../../src/db/embedded-maintenance.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

const silent = { info: () => undefined, error: () => undefined };

describe.each(DB_MODES)('embedded database maintenance on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  if (mode === 'postgresql') {
    it('is not used: the server has its own autovacuum', () => {
      expect(t.app.services.maintenance).toBeNull();
    });
    return;
  }

  const stats = async (table: string) =>
    (
      await sql<{ reltuples: number; vacuums: number; analyses: number }>`
        SELECT c.reltuples::float8 AS reltuples, s.vacuum_count::int AS vacuums, s.analyze_count::int AS analyses
        FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = ${table}`.execute(t.database.db)
    ).rows[0]!;
  /** Runs until nothing is due (a fresh database has seeded tables never analysed). */
  const settle = async (maintenance: EmbeddedMaintenance) => {
    for (let i = 0; i < 20; i++) if ((await maintenance.run()).length === 0) return;
    throw new Error('maintenance never settled');
  };

  it('is the one the app runs on the embedded database', () => {
    expect(t.app.services.maintenance).toBeInstanceOf(EmbeddedMaintenance);
  });

  it('vacuums a table after many inserts, analyses it after some updates, vacuums it after many, and then leaves it alone', async () => {
    const maintenance = new EmbeddedMaintenance(t.database.db, silent);
    await settle(maintenance);
    const before = await stats('audit_log');

    await sql`INSERT INTO audit_log (actor_label, action, entity_type, entity_id)
              SELECT 'test', 'maintenance.test', 'test', g::text FROM generate_series(1, 3000) g`.execute(t.database.db);
    const inserted = await maintenance.run();
    // Empty before, so never analysed: a vacuum whichever rule comes first (the rules themselves: the unit tests).
    expect(inserted.find((c) => c.table === 'audit_log')).toMatchObject({ action: 'vacuum' });
    const afterInsert = await stats('audit_log');
    expect(afterInsert.vacuums).toBe(before.vacuums + 1);
    expect(afterInsert.reltuples).toBeGreaterThanOrEqual(3000);
    expect((await maintenance.run()).map((c) => c.table)).not.toContain('audit_log');

    // ~3,000 rows: an analysis past 50 + 300 changed rows, a vacuum past 50 + 600 dead ones.
    await sql`UPDATE audit_log SET actor_label = 'changed' WHERE action = 'maintenance.test' AND entity_id::int <= 500`.execute(t.database.db);
    expect((await maintenance.run()).find((c) => c.table === 'audit_log')).toMatchObject({ action: 'analyze', reason: 'modified_rows' });
    const afterUpdate = await stats('audit_log');
    expect(afterUpdate.vacuums).toBe(afterInsert.vacuums);
    expect(afterUpdate.analyses).toBeGreaterThan(afterInsert.analyses);

    await sql`DELETE FROM audit_log WHERE action = 'maintenance.test' AND entity_id::int > 1000`.execute(t.database.db);
    expect((await maintenance.run()).find((c) => c.table === 'audit_log')).toMatchObject({ action: 'vacuum', reason: 'dead_rows' });
    expect((await stats('audit_log')).vacuums).toBe(afterInsert.vacuums + 1);
    expect(await maintenance.run()).toEqual([]);
  });

  it('stops starting statements once its time budget is spent; what is left is done at the next run', async () => {
    const maintenance = new EmbeddedMaintenance(t.database.db, silent, 0);
    await settle(maintenance);
    await sql`INSERT INTO audit_log (actor_label, action, entity_type, entity_id)
              SELECT 'test', 'budget.test', 'test', g::text FROM generate_series(1, 5000) g`.execute(t.database.db);
    await sql`INSERT INTO search_vocabulary (word) SELECT 'parola' || g FROM generate_series(1, 5000) g ON CONFLICT DO NOTHING`.execute(t.database.db);
    const first = await maintenance.run();
    expect(first).toHaveLength(1);
    const second = await maintenance.run();
    expect(second).toHaveLength(1);
    expect([first[0]!.table, second[0]!.table].sort()).toEqual(['audit_log', 'search_vocabulary']);
    expect(await maintenance.run()).toEqual([]);
  });

  it('starts no statement once stopped', async () => {
    const maintenance = new EmbeddedMaintenance(t.database.db, silent);
    await settle(maintenance);
    await sql`INSERT INTO audit_log (actor_label, action, entity_type, entity_id)
              SELECT 'test', 'stop.test', 'test', g::text FROM generate_series(1, 8000) g`.execute(t.database.db);
    await maintenance.stop();
    expect(await maintenance.run()).toEqual([]);
    maintenance.start(3_600_000);
    await maintenance.stop();
  });
});

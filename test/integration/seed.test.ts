import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRegistry } from '../../src/db/seed/seed.js';
import { createTestDatabase, DB_MODES, type TestDatabase } from '../support/database.js';

describe.each(DB_MODES)('registry seed on %s', (mode) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(mode);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('creates the ten clusters, their steps and the cosmetics organisations once', async () => {
    expect(await seedRegistry(database.db)).toBe(true);
    const { db } = database;
    const count = async (table: 'clusters' | 'cluster_recognition_steps' | 'organisations' | 'cluster_organisation_roles') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('clusters')).toBe(10);
    expect(await count('cluster_recognition_steps')).toBe(9 * 2 + 2);
    expect(await count('organisations')).toBe(8);
    expect(await count('cluster_organisation_roles')).toBe(9); // REI is coordinator and founder

    expect(await seedRegistry(database.db)).toBe(false);
    expect(await count('clusters')).toBe(10);
    expect(await count('organisations')).toBe(8);
  });

  it('never overwrites a later edit or brings back a deleted record', async () => {
    const { db } = database;
    await db.updateTable('clusters').set({ name_en: 'Edited by a manager' }).where('slug', '=', 'cosmetica').execute();
    await db.deleteFrom('organisations').where('external_ref', '=', 'seed:regi').execute();

    expect(await seedRegistry(db)).toBe(false);

    const cluster = await db.selectFrom('clusters').select('name_en').where('slug', '=', 'cosmetica').executeTakeFirstOrThrow();
    expect(cluster.name_en).toBe('Edited by a manager');
    const regi = await db.selectFrom('organisations').select('id').where('external_ref', '=', 'seed:regi').executeTakeFirst();
    expect(regi).toBeUndefined();
  });

  it('rejects a recognition step outside the lifecycle at the database level', async () => {
    const { db } = database;
    const cluster = await db.selectFrom('clusters').select('id').where('slug', '=', 'cosmetica').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('cluster_recognition_steps')
        .values({ cluster_id: cluster.id, step: 'approvato' as never, occurred_on: '2026-03-01', act_reference: 'x' })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

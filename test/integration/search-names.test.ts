import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember } from '../factories/competences.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES, withMigrationsUndone } from '../support/database.js';

describe.each(DB_MODES)('search by a name typed wrong on %s', (mode) => {
  let t: TestApp;
  let verdi: string;
  beforeAll(async () => {
    t = await createTestApp(mode);
    // Three laboratories first, so that the index gives them before the one whose name is typed.
    for (const [name, city, province] of [
      ['Laboratorio Analisi Rossi S.r.l.', 'Bergamo', 'BG'],
      ['Laboratorio Prove Bianchi S.r.l.', 'Brescia', 'BS'],
      ['Laboratorio Chimico Neri S.r.l.', 'Como', 'CO'],
    ] as const) {
      await createMember(t.app, { name, city, province, descriptionIt: 'Analisi e prove di laboratorio.' });
    }
    verdi = await createMember(t.app, { name: 'Laboratorio Verdi S.r.l.', city: 'Crema', province: 'CR', descriptionIt: 'Creme viso.' });
    await t.app.services.search.sync(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Organisations the names branch keeps for `names`, at most `cap`, closest first. */
  const byName = async (names: string, cap: number) =>
    (
      await sql<{ organisation_id: string; name_similarity: number }>`
        SELECT organisation_id, name_similarity FROM search_matches(NULL::tsquery, ${names}::text, ${cap}::int, NULL::tsquery, NULL, NULL, NULL, NULL, NULL, NULL)
        WHERE by_name AND kind = 'organisation' ORDER BY name_similarity DESC, organisation_id`.execute(t.database.db)
    ).rows;

  it('keeps the closest names when more pass than it may keep', async () => {
    // All four pass the threshold on "laboratorio" alone.
    const all = await byName('laboratorio verdy', 10);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all[0]!.organisation_id).toBe(verdi);
    // Only one may be kept: the one typed, not the first the index gives.
    expect((await byName('laboratorio verdy', 1)).map((r) => r.organisation_id)).toEqual([verdi]);
  });

  it('reads the same function as before below its bound, and goes back to it on down', async () => {
    const wide = await byName('laboratorio verdy', 10);
    await withMigrationsUndone(t.database.db, '2026-11-27T1100-search-names-closest', async () => {
      const { rows } = await sql<{ def: string }>`SELECT pg_get_functiondef('search_matches'::regproc) AS def`.execute(t.database.db);
      expect(rows[0]!.def).not.toContain('LIMIT 2000');
      // Below the bound both keep every name that passes.
      expect(await byName('laboratorio verdy', 10)).toEqual(wide);
    });
    const { rows } = await sql<{ def: string }>`SELECT pg_get_functiondef('search_matches'::regproc) AS def`.execute(t.database.db);
    expect(rows[0]!.def.split('LIMIT 2000').length - 1).toBe(2);
  });
});

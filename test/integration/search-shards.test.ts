import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/platform/auth/principal.js';
import { SearchService, type SearchResult } from '../../src/features/search/service.js';
import { createTestDatabase, DB_MODES, withMigrationsUndone, type TestDatabase } from '../support/database.js';

/**
 * search_matches reads the words' index in ranges of a hash of the document id (decision 005):
 * the smallest range first, then, for a broad query, the others in order under the candidate
 * bound; otherwise the index over all documents less the first range. Two documents for every
 * one of the 256 hash values, so a range that missed a value or overlapped another would lose or
 * repeat a document.
 */
describe.each(DB_MODES)('the words index read in hash ranges (%s)', (mode) => {
  let database: TestDatabase;
  const byte = new Map<string, number>();

  /** search_matches, reading the hash ranges or not (by default: whether the table is large for the bound). */
  const matches = async (cap: number, words = 'shardword', ranges: 'on' | 'off' | null = 'on') =>
    database.db.transaction().execute(async (trx) => {
      if (ranges) await sql`SELECT set_config('clusterhub.search_ranges', ${ranges}, true)`.execute(trx);
      const { rows } = await sql<{ id: string; by_name: boolean }>`
        SELECT id, by_name FROM search_matches(to_tsquery('simple', ${words}), NULL, ${cap}::int, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`.execute(trx);
      return rows;
    });

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    // Two random ids for each value of the hash's low byte, among enough draws to cover them all.
    const { rows } = await sql<{ id: string; b: number }>`
      SELECT id, b FROM (
        SELECT id, uuid_hash(id) & 255 AS b, row_number() OVER (PARTITION BY uuid_hash(id) & 255 ORDER BY id) AS r
        FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 20000)) u
      ) x WHERE r <= 2`.execute(database.db);
    expect(rows).toHaveLength(512);
    for (const row of rows) byte.set(row.id, row.b);
    await sql`
      INSERT INTO search_documents (id, kind, title, sort_key, visibility, tsv, trgm_text, payload)
      SELECT id, 'organisation', 'Doc ' || id, 'doc ' || id, 'public',
             to_tsvector('simple', CASE WHEN b % 2 = 0 THEN 'shardword even' ELSE 'shardword odd' END), 'doc', '{}'::jsonb
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.b)}::int[]) AS t(id, b)
      ORDER BY b DESC`.execute(database.db); // the heap in the reverse order of the ranges
  });

  afterAll(async () => {
    await database?.close();
  });

  it('finds every match exactly once through the index over all documents (a narrow query, or a small table)', async () => {
    // 512 documents are fewer than 16 bounds of 64: a small table, read without the ranges.
    expect(await matches(64, 'shardword', null)).toEqual(await matches(64, 'shardword', 'off'));
    expect((await matches(64, 'shardword', null)).some((r) => byte.get(r.id)! >= 32)).toBe(true);
    const rows = await matches(10_000);
    expect(rows).toHaveLength(512);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(byte.keys()));
    expect(rows.every((r) => !r.by_name)).toBe(true);
    // A word only half the documents hold: the other half is never read.
    const even = await matches(10_000, 'shardword & even');
    expect(even).toHaveLength(256);
    expect(even.every((r) => byte.get(r.id)! % 2 === 0)).toBe(true);
  });

  it('finds every match exactly once through the ranges when the first one predicts the bound (a broad query)', async () => {
    // 8 matches in the first range (4 hash values) × 64 reach a bound of 512: the ranges are read.
    const rows = await matches(512);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(byte.keys()));
    expect(rows).toHaveLength(512);
  });

  /** Where each range ends, of the hash's 256 values (2026-11-27T1000): two documents per value. */
  const ENDS = [4, 8, 16, 24, 40, 64, 96, 128, 192];

  it('stops at the bound after the smallest ranges, reading them in order', async () => {
    // A bound of twice a range's end is filled by the ranges before that end; one more document
    // comes from the next range. Checked at every end, so a range that started late, ended early
    // or overlapped the next one fails here.
    for (const end of ENDS) {
      const rows = await matches(2 * end);
      expect(rows, `end ${end}`).toHaveLength(2 * end);
      expect(rows.every((r) => byte.get(r.id)! < end), `end ${end}`).toBe(true);
      const next = await matches(2 * end + 1);
      expect(next.filter((r) => byte.get(r.id)! >= end), `end ${end}`).toHaveLength(1);
    }
  });

  it('read ranges that doubled before 2026-11-27T1000 (down), and the finer ones after it (up)', async () => {
    /** The range indexes' predicates, in order (what the planner proves a branch against). */
    const ranges = async () =>
      (
        await sql<{ def: string }>`
          SELECT indexdef AS def FROM pg_indexes WHERE indexname LIKE 'search_documents_tsv_s%'
          ORDER BY substring(indexname FROM 'tsv_s([0-9]+)_idx')::int`.execute(database.db)
      ).rows.map((r) => r.def.slice(r.def.indexOf(' WHERE ') + 7).replace(/[()]/g, ''));
    /** The same, written for ranges ending at `ends` (the last one runs to 255). */
    const limits = (ends: number[]) => {
      const b = 'uuid_hashid & 255';
      return [`${b} < ${ends[0]}`, ...ends.slice(0, -1).map((end, i) => `${b} >= ${end} AND ${b} <= ${ends[i + 1]! - 1}`), `${b} >= ${ends.at(-1)}`];
    };
    expect(await ranges()).toEqual(limits(ENDS));
    await withMigrationsUndone(database.db, '2026-11-27T1000-search-finer-ranges', async () => {
      expect(await ranges()).toEqual(limits([4, 8, 16, 32, 64, 128]));
      // Before: 1/64 + 1/64 + 1/32 + 1/16 of the values, then a range of 32 values.
      const rows = await matches(64);
      expect(rows.every((r) => byte.get(r.id)! < 32)).toBe(true);
      expect((await matches(65)).filter((r) => byte.get(r.id)! >= 32)).toHaveLength(1);
      expect(new Set((await matches(512)).map((r) => r.id))).toEqual(new Set(byte.keys()));
    });
    expect(await ranges()).toEqual(limits(ENDS));
    // After: values 16–23 are a range of their own (16 documents); the next range, 24–39, is read
    // in heap order (the highest values first) for the other 16.
    expect((await matches(64)).filter((r) => byte.get(r.id)! >= 32)).toHaveLength(16);
    expect(new Set((await matches(512)).map((r) => r.id))).toEqual(new Set(byte.keys()));
  });

  it('reads the one index over all documents again after the migration down, and the ranges after it up', async () => {
    // The next migrations changed the function's columns and bounds: taken back to where this one left it.
    await withMigrationsUndone(database.db, '2026-11-26T2310-search-filter-terms', async () => {
      const migration = await import('../../src/db/migrations/2026-11-26T2300-search-shards.js');
      const ranges = async () =>
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE 'search_documents_tsv_s%'`.execute(database.db)).rows[0]!.n;
      expect(await ranges()).toBe(7);
      await migration.down(database.db);
      try {
        expect(await ranges()).toBe(0);
        expect(new Set((await matches(512)).map((r) => r.id))).toEqual(new Set(byte.keys()));
      } finally {
        await migration.up(database.db);
      }
      expect(await ranges()).toBe(7);
    });
    expect((await matches(48)).every((r) => byte.get(r.id)! < 24)).toBe(true);
  });

  it('gives a search with words the smaller bound on a table large for its bound (the service reads the statistics)', async () => {
    // What a result shows (the other tests read the function only).
    const payload = { name: 'Doc', shortName: null, organisation: null, orgType: null, city: null, provinceCode: null, countryCode: null, sizeClass: null, clusters: [], descriptionIt: null, descriptionEn: null, competences: [] };
    await sql`UPDATE search_documents SET payload = ${JSON.stringify(payload)}`.execute(database.db);
    await sql`ANALYZE search_documents`.execute(database.db);
    const region: Principal = { personId: '00000000-0000-4000-8000-000000000001', email: 'r@example.org', displayName: 'R', lang: 'it', grants: [{ role: 'region_admin', clusterId: null, organisationId: null }], sessionHash: '' };
    const read = (r: SearchResult) => r.facets.kind.reduce((sum, f) => sum + f.count, 0);
    // 512 documents are 16 bounds of 31 (and one): a large table, read with the smaller bound.
    const large = await new SearchService(database.db, { cacheSize: 0, countCap: 31, largeCountCap: 8 }).search({ q: 'shardword', lang: 'it' }, region);
    expect(read(large)).toBe(9); // 8, and one more to know there are more
    expect(large).toMatchObject({ approximate: true, totalApproximate: true, total: 9 });
    // A bound of 32 is too large for that: read as given.
    const small = await new SearchService(database.db, { cacheSize: 0, countCap: 32, largeCountCap: 8 }).search({ q: 'shardword', lang: 'it' }, region);
    expect(read(small)).toBe(33);
    expect(small).toMatchObject({ approximate: true, total: 33 });
    // Never above the bound itself.
    const tight = await new SearchService(database.db, { cacheSize: 0, countCap: 4, largeCountCap: 8 }).search({ q: 'shardword', lang: 'it' }, region);
    expect(read(tight)).toBe(5);
  });

  it('gives each document a term per filter value, which the query of the same values matches exactly', async () => {
    const match = async (doc: (string | null)[], query: (string | null)[]) =>
      (
        await sql<{ m: boolean | null }>`
          SELECT search_filter_terms(${doc[0]}, ${doc[1]}, ${doc[2]}, ${doc[3]}, ${doc[4] ? [doc[4]] : []}::uuid[], ${doc[5] ? [doc[5]] : []}::text[])
                 @@ search_filter_query(${query[0]}, ${query[4]}::uuid, ${query[1]}, ${query[2]}, ${query[3]}, ${query[5]}) AS m`.execute(database.db)
      ).rows[0]!.m;
    const cluster = '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5';
    const doc = ['organisation', 'company', 'CR', 'small', cluster, 'cosmetica:FOR.SKIN'];
    expect(await match(doc, doc)).toBe(true);
    expect(await match(doc, [null, null, 'CR', null, cluster, null])).toBe(true);
    expect(await match(doc, [null, null, 'MI', null, null, null])).toBe(false);
    expect(await match(doc, [null, null, null, null, null, 'cosmetica:FOR'])).toBe(false);
    // A value is a term, whatever it holds: quotes and backslashes neither break nor widen the query.
    const odd = "C'R \\ & !x";
    expect(await match(['organisation', null, odd, null, null, null], [null, null, odd, null, null, null])).toBe(true);
    expect(await match(['organisation', null, 'C', null, null, null], [null, null, odd, null, null, null])).toBe(false);
    // No filter: no query, so a search without filters reads one set.
    expect(await match(doc, [null, null, null, null, null, null])).toBe(null);
  });

  it('reads the documents passing the filters apart once the bound is reached, through the ranges or the whole index', async () => {
    // 16 hash values of 256 (b % 16 = 0): 32 documents in Cremona.
    await sql`UPDATE search_documents SET province_code = 'CR' WHERE (uuid_hash(id) & 255) % 16 = 0`.execute(database.db);
    const cremona = new Set([...byte].filter(([, b]) => b % 16 === 0).map(([id]) => id));
    const filtered = async (cap: number, ranges: 'on' | 'off', names: string | null = null) =>
      database.db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('clusterhub.search_ranges', ${ranges}, true)`.execute(trx);
        const { rows } = await sql<{ id: string; source: string; by_name: boolean; rank: number }>`
          SELECT id, source, by_name, rank FROM search_matches(to_tsquery('simple', 'shardword'), ${names}, ${cap}::int, to_tsquery('simple', 'shardword'),
            NULL, NULL, NULL, 'CR', NULL, NULL)`.execute(trx);
        // Through the ranges (a large table) the two sets share the bound and say so ('hw', 'hf').
        const [w, f] = ranges === 'on' ? ['hw', 'hf'] : ['w', 'f'];
        expect(rows.every((r) => r.source === w || r.source === f)).toBe(true);
        return { w: rows.filter((r) => r.source === w), f: rows.filter((r) => r.source === f) };
      });
    try {
      // Through the whole index each set has the bound; through the ranges, half of it each.
      for (const [ranges, cap] of [['off', 64], ['on', 128]] as const) {
        const { w, f } = await filtered(cap, ranges);
        expect(w, ranges).toHaveLength(64);
        expect(new Set(f.map((r) => r.id)), ranges).toEqual(cremona);
        expect(f.every((r) => r.rank > 0)).toBe(true);
        // In the first set only those passing the filters are ranked.
        expect(w.every((r) => (r.rank > 0) === cremona.has(r.id))).toBe(true);
      }
      // The filtered set has a bound of its own, filled from the smallest ranges first; with the
      // ranges, 64 rows in all: 32 with the words, then 32 of those passing the filters.
      const bounded = await filtered(64, 'on');
      expect(bounded.w).toHaveLength(32);
      expect(bounded.f).toHaveLength(32);
      expect(new Set(bounded.f.map((r) => r.id))).toEqual(cremona);
      const tight = await filtered(32, 'on');
      expect(tight.f).toHaveLength(16);
      expect(tight.f.every((r) => cremona.has(r.id) && byte.get(r.id)! < 128)).toBe(true);
      expect((await filtered(32, 'off')).f).toHaveLength(32);
      // Below the bound, no second set: the first holds every document that passes the filters.
      expect((await filtered(2000, 'on')).f).toHaveLength(0);
      // Names found count toward the first set's bound (every document's name is "doc").
      const named = await filtered(128, 'on', 'doc');
      expect(named.w.filter((r) => r.by_name)).toHaveLength(64);
      expect(new Set(named.f.map((r) => r.id))).toEqual(cremona);
      // Before 2026-11-27T0000 (down), each set had the whole bound through the ranges too.
      await withMigrationsUndone(database.db, '2026-11-27T0000-search-split-bound', async () => {
        const rows = await database.db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('clusterhub.search_ranges', 'on', true)`.execute(trx);
          return (
            await sql<{ source: string }>`SELECT source FROM search_matches(to_tsquery('simple', 'shardword'), NULL, 64, NULL, NULL, NULL, NULL, 'CR', NULL, NULL)`.execute(trx)
          ).rows;
        });
        expect(rows.filter((r) => r.source === 'w')).toHaveLength(64);
        expect(rows.filter((r) => r.source === 'f')).toHaveLength(32);
      });
      expect((await filtered(64, 'on')).w).toHaveLength(32);
    } finally {
      await sql`UPDATE search_documents SET province_code = NULL`.execute(database.db);
    }
  });
});

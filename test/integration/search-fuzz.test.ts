import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createMember } from '../factories/competences.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

/**
 * Bad input never breaks the search: thousands of random queries (empty, huge, SQL- and
 * HTML-laden, unknown facet values, forged cursors) get a 200 or a 400 that names the
 * parameter — never a 5xx.
 */
const PARAMS = ['q', 'lang', 'cluster', 'type', 'province', 'competence', 'size', 'kind', 'limit', 'cursor'];

const nasty = fc.constantFrom(
  "' OR 1=1 --",
  "'; DROP TABLE search_documents; --",
  '") | (\'a\' & !',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&amp;&lt;&#0;',
  '%00',
  '\u0000',
  '\\',
  "''''",
  ':* & | ! <-> ()',
  'a:*',
  'conservanti & naturali',
  'ÀÉÎÕÜ ß œ ﬁ',
  '漢字 العربية עברית',
  '🙂🙂🙂',
  'x'.repeat(201),
  'natrale '.repeat(40),
  'cosmetica:FOR.SKIN',
  'concept:green-chemistry',
  'FOR.SKIN',
  'eyJoIjoieCIsInMiOjEsImkiOiJ4In0',
  '-1',
  '0',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
);

const value = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 100 }).map(String) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 120 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'it', 'en', 'fr', 'cosmetica', 'company', 'CR', 'cr', 'ZZ', 'small', 'huge', 'person', 'facility') },
);

const query = fc.array(fc.tuple(fc.constantFrom(...PARAMS, 'unknown', 'q[]', 'limit'), value), { maxLength: 6 });

describe.each(DB_MODES)('search fuzzing on %s', (mode) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(mode);
    const org = await createMember(t.app, { name: 'Laboratorio Fuzz S.r.l.', province: 'CR', city: 'Crema', descriptionIt: 'Conservanti naturali e creme.' });
    await t.app.services.search.sync(true);
    await t.app.services.competences.addCompetence(org, { area: 'cosmetica:MPA.PRES', level: 'core', descriptionIt: '', descriptionEn: '' }, SYSTEM_ACTOR);
  });

  afterAll(async () => {
    await t?.close();
  });

  function check(url: string, res: { statusCode: number; body: string; headers: Record<string, unknown> }, api: boolean): void {
    expect(res.statusCode, `${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
    expect([200, 400], url).toContain(res.statusCode);
    if (!api) {
      // Whatever was typed comes back escaped.
      expect(res.body).not.toContain('<script>alert(1)</script>');
      expect(res.body).not.toContain('<img src=x onerror');
      return;
    }
    const body = JSON.parse(res.body) as Record<string, unknown>;
    if (res.statusCode === 400) {
      const error = body.error as { code: string; fields?: { field: string }[] };
      expect(['request.invalid', 'request.malformed'], url).toContain(error.code);
      if (error.code === 'request.invalid') {
        expect(error.fields?.length, url).toBeGreaterThan(0);
        for (const f of error.fields ?? []) expect(PARAMS.some((p) => f.field === p || f.field.startsWith(`${p}`)), `${url}: ${f.field}`).toBe(true);
      }
    } else {
      const items = body.items as unknown[];
      expect(Array.isArray(items)).toBe(true);
      expect(body.total as number).toBeGreaterThanOrEqual(items.length);
    }
  }

  it('answers thousands of random queries with a result or a 400 naming the parameter, never a 5xx', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (pairs, page) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        const url = `${page && count % 5 === 0 ? '/cerca' : '/api/v1/search'}?${params.toString()}`;
        count += 1;
        const res = await t.app.inject({ method: 'GET', url });
        check(url, res, url.startsWith('/api/'));
      }),
      { numRuns: 2500, seed: 20261125 },
    );
  });

  it('refuses a 10,000-character query naming q, and reads SQL and HTML as plain words', async () => {
    const long = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${'a'.repeat(10_000)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['q']);
    for (const q of ["conservanti' OR 1=1 --", "'; DROP TABLE search_documents; --", '<b>conservanti</b>']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=conservanti' })).json().total).toBe(1);
  });

  it('treats unknown facet values as empty results or as a 400 naming the parameter', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?cluster=nessun-cluster' })).json().total).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?competence=cosmetica:NOPE' })).json().total).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?province=ZZ' })).json().total).toBe(0);
    for (const [param, bad] of [
      ['type', 'castle'],
      ['size', 'huge'],
      ['kind', 'robot'],
      ['limit', '0'],
      ['limit', 'many'],
      ['competence', 'lower.case'],
      ['cursor', 'not-a-cursor'],
      ['lang', 'fr'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=creme&${param}=${bad}` });
      expect(res.statusCode, `${param}=${bad}`).toBe(400);
      expect(res.json().error.fields[0].field, `${param}=${bad}`).toBe(param);
    }
  });
});

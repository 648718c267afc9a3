import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffer, createOrganisation } from '../factories/offers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

describe.each(DB_MODES)('public list of technology offers on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(mode);
    const org = await createOrganisation(t.app, 'Laboratorio Elenchi S.r.l.', { type: 'research_centre' });
    // 53 public offers: 50 on the first page, 3 on the second (the list showed only the first 50).
    for (let i = 1; i <= 53; i++) {
      await createOffer(t.app, org, { titleIt: `Offerta numero ${String(i).padStart(2, '0')}`, descriptionIt: `Tecnologia di prova ${i}.` });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const titles = (body: string) => [...body.matchAll(/Offerta numero (\d\d)/g)].map((m) => m[1]);

  it('pages through every offer, 50 at a time, with links both ways', async () => {
    const first = await t.app.inject({ url: '/offerte' });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('53 risultati');
    expect(new Set(titles(first.body)).size).toBe(50);
    expect(first.body).toContain('Pagina 1 di 2');
    expect(first.body).toContain('href="/offerte?page=2" rel="next"');
    expect(first.body).not.toContain('rel="prev"');

    const second = await t.app.inject({ url: '/offerte?page=2&lang=en' });
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Page 2 of 2');
    const rest = new Set(titles(second.body));
    expect(rest.size).toBe(3);
    for (const n of rest) expect(titles(first.body)).not.toContain(n);
    expect(second.body).toContain('href="/offerte" rel="prev"');
    expect(second.body).not.toContain('rel="next"');
  });

  it('keeps the search words in the page links, and shows no pager when one page holds them all', async () => {
    const filtered = await t.app.inject({ url: '/offerte?q=numero' });
    expect(filtered.body).toContain('href="/offerte?q=numero&amp;page=2"');
    const one = await t.app.inject({ url: '/offerte?q=Offerta+numero+07' });
    expect(one.body).not.toContain('data-testid="item-pages"');
  });

  it('refuses a page that is not a positive whole number, saying which parameter is wrong', async () => {
    for (const page of ['0', '-1', 'due', '1.5']) {
      const res = await t.app.inject({ url: `/offerte?page=${page}` });
      expect(res.statusCode, page).toBe(400);
      expect(res.body, page).toContain('page');
    }
  });
});

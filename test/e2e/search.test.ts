import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork } from '../factories/competences.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPerson } from '../support/session.js';
import { checkA11y, launchBrowser } from './support/browser.js';

// Search with facets, a result, the map with its table alternative and the coverage view, in
// real Chromium with axe-core. SCREENSHOT_DIR=… also saves full-page screenshots of each page.
const LANGS = ['it', 'en'] as const;
const SHOTS = process.env.SCREENSHOT_DIR;

describe('search, map and coverage in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let manager: { email: string; password: string };
  let ids: Record<string, string>;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp('pglite'), launchBrowser()]);
    ids = await createDemoNetwork(t.app);
    manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function accessible(name: string, options: Parameters<typeof checkA11y>[1] = {}): Promise<void> {
    expect(await checkA11y(page, options), `axe violations on ${page.url()}`).toEqual([]);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  it.each(LANGS)('searches in words, narrows with facets and opens a result (%s)', async (lang) => {
    await page.goto(`/cerca?lang=${lang}`);
    await page.getByRole('navigation', { name: lang === 'it' ? 'Menu principale' : 'Main menu' }).getByRole('link', { name: lang === 'it' ? 'Cerca' : 'Search' }).waitFor();
    await page.fill('#f-q', lang === 'it' ? 'conservanti naturali' : 'natural preservatives');
    await page.getByRole('button', { name: lang === 'it' ? 'Cerca' : 'Search', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.has('q'));
    const results = page.locator('[data-testid=results] > li');
    const titles = await results.locator('.card-title a').allTextContents();
    // Italian words find the English-described lab and the reverse.
    expect(titles).toEqual(expect.arrayContaining(['Laboratorio Verdi S.r.l.', 'Greenlab Research']));
    expect(await page.locator('[data-testid=results] mark').count()).toBeGreaterThan(0);
    expect(await page.locator('link[rel=canonical]').getAttribute('href')).toContain('/cerca?q=');
    await accessible(`search-${lang}`);

    // The province facet: its count is what the filtered search then shows.
    const cremona = page.locator('[data-facet=province] a[data-value=CR]');
    const count = Number(await page.locator('[data-facet=province] li', { has: page.locator('a[data-value=CR]') }).locator('.ch-count').getAttribute('data-count'));
    await cremona.click();
    await page.waitForURL((url) => url.searchParams.get('province') === 'CR');
    expect(await results.count()).toBe(count);
    expect(await page.locator('[data-testid=active-filters] a').count()).toBe(1);
    await accessible(`search-filtered-${lang}`);

    await results.first().locator('.card-title a').click();
    await page.waitForURL((url) => url.pathname.startsWith('/organizzazioni/'));
    expect(await page.locator('[data-testid=org-competences] li').count()).toBeGreaterThan(0);
    await accessible(`result-${lang}`);
  });

  it.each(LANGS)('shows an empty result with suggestions (%s)', async (lang) => {
    await page.goto(`/cerca?q=zzqxw%20qqjjv&lang=${lang}`);
    expect(await page.locator('[data-testid=no-results] a').count()).toBeGreaterThan(0);
    await accessible(`search-empty-${lang}`);
  });

  it.each(LANGS)('shows the map of members, reachable by keyboard, with its table alternative (%s)', async (lang) => {
    await page.goto(`/mappa?lang=${lang}`);
    const provinces = page.locator('[data-testid=map] a.ch-map-province');
    expect(await provinces.count()).toBe(12);
    // Real outlines, not tiles: each province is one path with a label.
    expect(await page.locator('[data-testid=map] a.ch-map-province path').count()).toBe(12);
    expect(await page.locator('[data-testid=map] .ch-map-label [data-province]').count()).toBe(12);
    const rows = page.locator('[data-testid=map-table] tbody tr');
    expect(await rows.count()).toBe(12);
    // The map and the table agree.
    const cr = await page.locator('[data-testid=map-table] tr[data-province=CR] td.text-end').textContent();
    expect(await provinces.and(page.locator('[data-province=CR]')).getAttribute('data-count')).toBe(cr);
    expect(await page.locator('[data-testid=map] .ch-map-label [data-province=CR] .ch-map-count').textContent()).toBe(cr);
    expect(Number(cr)).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=outside] li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Cosmetica Torinese'), expect.stringContaining('Beauté Lyon')]),
    );
    // The boundaries are ISTAT's via openpolis, CC BY 4.0: credited, with the licence linked.
    expect(await page.locator('[data-testid=map-attribution]').textContent()).toContain(lang === 'it' ? 'Confini: ISTAT, elaborazione openpolis (CC BY 4.0), semplificati' : 'Boundaries: ISTAT, processed by openpolis (CC BY 4.0), simplified');
    expect(await page.locator('[data-testid=map-attribution] a[rel=license]').getAttribute('href')).toMatch(/^https:\/\/creativecommons\.org\/licenses\/by\/4\.0\//);
    // Offline: the map needs nothing but the page itself (no image, font or script from elsewhere).
    expect(await page.locator('[data-testid=map] image, [data-testid=map] script, [data-testid=map] foreignObject').count()).toBe(0);
    // axe cannot measure SVG text over shapes; the palette's contrast is checked in map.test.ts.
    await accessible(`map-${lang}`, { undeterminedContrast: false });

    // Keyboard: a province takes the focus and Enter opens the search of its province.
    await provinces.first().focus();
    const province = await provinces.first().getAttribute('data-province');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/cerca' && url.searchParams.get('province') === province);

    // Filter the map by competence area.
    await page.goto(`/mappa?lang=${lang}`);
    await page.selectOption('#f-competence', 'cosmetica:MPA.PRES');
    await page.getByRole('button', { name: lang === 'it' ? 'Aggiorna la mappa' : 'Update the map' }).click();
    await page.waitForURL((url) => url.searchParams.get('competence') === 'cosmetica:MPA.PRES');
    expect(await page.locator('[data-testid=map-table] tr[data-province=BS] td.text-end').textContent()).toBe('1');
    expect(await page.locator('[data-testid=map-table] tr[data-province=LO] td.text-end').textContent()).toBe('0');
  });

  it.each(LANGS)('shows a manager the coverage with its gaps, the taxonomy and an organisation’s competences (%s)', async (lang) => {
    const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const mp = await ctx.newPage();
    try {
      await mp.goto(`/accedi?lang=${lang}&next=${encodeURIComponent('/cluster/cosmetica/gestione/copertura')}`);
      await mp.fill('[name=email]', manager.email);
      await mp.fill('[name=password]', manager.password);
      await mp.locator('main form button[type=submit]').click();
      await mp.waitForURL((url) => url.pathname === '/cluster/cosmetica/gestione/copertura');
      expect(await mp.locator('[data-testid=coverage] tr.ch-gap').count()).toBeGreaterThan(0);
      expect(await mp.locator('[data-testid=coverage] tr[data-code="MPA.PRES"] td').nth(4).textContent()).toBe('2');
      expect(await checkA11y(mp), `axe violations on ${mp.url()}`).toEqual([]);
      if (SHOTS) await mp.screenshot({ path: path.join(SHOTS, `coverage-${lang}.png`), fullPage: true });
      // The taxonomy and an organisation's competences, as the manager curates them.
      await mp.goto('/cluster/cosmetica/gestione/tassonomia');
      expect(await mp.locator('[data-testid=taxonomy] tbody tr').count()).toBe(60);
      expect(await checkA11y(mp), `axe violations on ${mp.url()}`).toEqual([]);
      if (SHOTS) await mp.screenshot({ path: path.join(SHOTS, `taxonomy-${lang}.png`), fullPage: true });
      await mp.goto(`/organizzazioni/${ids['Università di Prova']}/competenze`);
      expect(await mp.locator('[data-testid=facilities] li').count()).toBe(1);
      expect(await checkA11y(mp), `axe violations on ${mp.url()}`).toEqual([]);
      if (SHOTS) await mp.screenshot({ path: path.join(SHOTS, `org-competences-${lang}.png`), fullPage: true });
    } finally {
      await ctx.close();
    }
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { checkA11y, launchBrowser } from './support/browser.js';

// Journeys through the real app in real Chromium, with axe-core (WCAG 2.1 A/AA) on every page.
const LANGS = ['it', 'en'] as const;
type Lang = (typeof LANGS)[number];

const SECRET = 'database password is hunter2';
const BOOM = '/__e2e/boom';

describe('the public site in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      createTestApp('pglite', {}, (app) => {
        app.get(BOOM, { config: { access: 'public' } }, async () => {
          throw new Error(SECRET);
        });
      }),
      launchBrowser(),
    ]);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Open a page in a language (the query also sets the language cookie) and check the status. */
  async function open(path: string, lang: Lang, status = 200): Promise<void> {
    const response = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    expect(response?.status(), path).toBe(status);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
  }

  async function expectAccessible(): Promise<void> {
    expect(await checkA11y(page), `axe violations on ${page.url()}`).toEqual([]);
  }

  it.each(LANGS)('home lists the ten clusters, each linking to its page, with no axe violations (%s)', async (lang) => {
    await open('/', lang);
    expect(await page.locator('h1').textContent()).toBe(
      lang === 'it' ? 'I Cluster Tecnologici Lombardi' : 'The Lombardy Technology Clusters',
    );
    const links = await page
      .locator('[data-testid=cluster-list] > li .card-title a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(10);
    for (const link of links) expect(link).toMatch(/^\/cluster\/[a-z-]+$/);
    expect(links).toContain('/cluster/cosmetica');
    await expectAccessible();
  });

  it.each(LANGS)(
    'the cosmetics cluster page shows its recognition, coordinator, founders and partner, with no axe violations (%s)',
    async (lang) => {
      await open('/cluster/cosmetica', lang);
      const steps = page.locator('[data-testid=recognition-timeline] > li');
      expect(await steps.count()).toBe(2);
      expect(await steps.locator('time').evaluateAll((ts) => ts.map((el) => el.getAttribute('datetime')))).toEqual([
        '2025-12-15',
        '2026-02-17',
      ]);
      if (lang === 'it') {
        expect(await steps.nth(0).textContent()).toContain('Costituito — 15 dicembre 2025');
        expect(await steps.nth(1).textContent()).toContain('Presa d’atto della Giunta regionale — 17 febbraio 2026');
      } else {
        expect(await steps.nth(0).textContent()).toContain('Constituted — 15 December 2025');
        expect(await steps.nth(1).textContent()).toContain('Acknowledged by the regional executive — 17 February 2026');
      }
      const names = (list: string) => page.locator(`[data-testid=${list}] > li strong`).allTextContents();
      expect(await names('coordinators')).toEqual(['REI Reindustria Innovazione']);
      // Six founding members, plus REI, which coordinates the cluster and is a founder too.
      expect((await names('founders')).sort()).toEqual(
        [
          'Ancorotti Cosmetics S.p.A.',
          'Lumson S.p.A.',
          'Politecnico di Milano',
          'REI Reindustria Innovazione',
          'Regi S.r.l.',
          'Università degli Studi di Milano',
          'Università degli Studi di Milano-Bicocca',
        ].sort(),
      );
      expect(await names('partners')).toEqual(['ITS Academy Nuove Tecnologie della Vita «Giulio Natta»']);
      await expectAccessible();
    },
  );

  it('the language switch keeps the page, and the choice persists on the next pages', async () => {
    const fresh = await browser.newContext({ baseURL: base });
    try {
      const tab = await fresh.newPage();
      await tab.goto('/cluster/cosmetica');
      expect(await tab.getAttribute('html', 'lang')).toBe('it');

      await tab.getByRole('navigation', { name: 'Lingua' }).getByRole('link', { name: 'English' }).click();
      await tab.waitForURL((url) => url.searchParams.get('lang') === 'en');
      expect(new URL(tab.url()).pathname).toBe('/cluster/cosmetica');
      expect(await tab.getAttribute('html', 'lang')).toBe('en');
      expect(await tab.locator('h1').textContent()).toBe('Lombardy Technology Cluster for Made in Italy – Cosmetics');

      // The main menu links carry no language: the cookie remembers it.
      await tab.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Clusters' }).click();
      await tab.waitForURL((url) => url.pathname === '/cluster');
      expect(new URL(tab.url()).search).toBe('');
      expect(await tab.getAttribute('html', 'lang')).toBe('en');
      expect(await tab.locator('h1').textContent()).toBe('The ten clusters of the network');

      // And back to Italian from the switch, which sticks as well.
      await tab.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Italiano' }).click();
      await tab.waitForURL((url) => url.searchParams.get('lang') === 'it');
      expect(new URL(tab.url()).pathname).toBe('/cluster');
      await tab.goto('/privacy');
      expect(await tab.getAttribute('html', 'lang')).toBe('it');
      expect(await tab.locator('h1').textContent()).toBe('Informativa sulla privacy');
    } finally {
      await fresh.close();
    }
  });

  it.each(LANGS)('the cluster index, accessibility statement, privacy notice and API docs have no axe violations (%s)', async (lang) => {
    for (const path of ['/cluster', '/accessibilita', '/privacy', '/api/docs']) {
      await open(path, lang);
      await expectAccessible();
    }
  });

  it.each(LANGS)('an unknown cluster shows the 404 page in the reader’s language, with no axe violations (%s)', async (lang) => {
    await open('/', lang); // the reader chose a language earlier; the cookie carries it
    const response = await page.goto('/cluster/atlantide');
    expect(response?.status()).toBe(404);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.locator('h1').textContent()).toBe(lang === 'it' ? 'Pagina non trovata' : 'Page not found');
    expect(await page.getByRole('link', { name: lang === 'it' ? 'Torna alla home' : 'Back to the home page' }).count()).toBe(1);
    await expectAccessible();
  });

  it.each(LANGS)('a failing request shows the 500 page without leaking the error, with no axe violations (%s)', async (lang) => {
    await open(BOOM, lang, 500);
    expect(await page.locator('h1').textContent()).toBe(lang === 'it' ? 'Si è verificato un errore' : 'Something went wrong');
    const html = await page.content();
    expect(html).not.toContain('hunter2');
    expect(html).not.toContain('Error:');
    expect(await page.locator('main').textContent()).toMatch(/[0-9a-f-]{36}/); // the request code to quote
    await expectAccessible();
  });

  it('the layout fits a 375px-wide phone without horizontal scrolling', async () => {
    const phone = await browser.newContext({
      baseURL: base,
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const tab = await phone.newPage();
      for (const path of ['/', '/cluster/cosmetica', '/cluster/cosmetica?lang=en']) {
        await tab.goto(path);
        const { scrollWidth, clientWidth } = await tab.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        expect(clientWidth, path).toBe(375);
        expect(scrollWidth, path).toBeLessThanOrEqual(clientWidth);
      }
    } finally {
      await phone.close();
    }
  });
});

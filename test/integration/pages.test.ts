import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// Server-rendered pages (HTML structure); the browser tier checks them in Chromium with axe.
describe('pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the home page in Italian by default, listing the ten clusters', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(res.body).toContain('<html lang="it">');
    expect(res.body.match(/href="\/cluster\/[a-z-]+"/g)?.length).toBe(10);
  });

  it('switches to English with ?lang=en, remembers it in a cookie and keeps the page', async () => {
    const res = await t.app.inject({ url: '/cluster/cosmetica?lang=en' });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Founding members');
    const cookie = res.cookies.find((c) => c.name === 'lang');
    expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax' });

    const next = await t.app.inject({ url: '/privacy', cookies: { lang: 'en' } });
    expect(next.body).toContain('<html lang="en">');
    expect(next.body).toContain('Privacy notice');
    // The switch back to Italian points at the same page.
    expect(res.body).toContain('href="/cluster/cosmetica?lang=it"');
  });

  it('ignores an unknown language and stays in Italian', async () => {
    const res = await t.app.inject({ url: '/?lang=xx' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="it">');
  });

  it('shows the cosmetics cluster with its timeline, coordinator and founders', async () => {
    const res = await t.app.inject({ url: '/cluster/cosmetica' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Presa d’atto della Giunta regionale');
    expect(res.body).toContain('17 febbraio 2026');
    expect(res.body).toContain('15 dicembre 2025');
    expect(res.body).toContain('REI Reindustria Innovazione');
    expect(res.body).toContain('Lumson S.p.A.');
    expect(res.body).toContain('ITS Academy Nuove Tecnologie della Vita');
  });

  it('escapes text from the database, so stored markup is never executed', async () => {
    await t.database.db
      .updateTable('clusters')
      .set({ description_it: '<script>alert(1)</script>' })
      .where('slug', '=', 'mobilita')
      .execute();
    const res = await t.app.inject({ url: '/cluster/mobilita' });
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('answers an unknown cluster with the 404 page in the reader language', async () => {
    const it_ = await t.app.inject({ url: '/cluster/atlantide' });
    expect(it_.statusCode).toBe(404);
    expect(it_.body).toContain('Pagina non trovata');
    const en = await t.app.inject({ url: '/cluster/atlantide', cookies: { lang: 'en' } });
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('Page not found');
  });

  it('serves the accessibility statement and privacy notice, linked from every page footer', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toContain('href="/accessibilita"');
    expect(home.body).toContain('href="/privacy"');
    const a11y = await t.app.inject({ url: '/accessibilita' });
    expect(a11y.statusCode).toBe(200);
    expect(a11y.body).toContain('Meccanismo di feedback');
  });

  it('serves Bootstrap Italia from the package, with no external network needed', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.body).not.toMatch(/(src|href)="https?:\/\/(?!www\.)/);
    const css = await t.app.inject({ url: '/static/bi/css/bootstrap-italia.min.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    const font = await t.app.inject({ url: '/static/bi/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2' });
    expect(font.statusCode).toBe(200);
  });
});

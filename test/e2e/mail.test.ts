import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { startSmtpServer } from '../support/smtp.js';
import { checkA11y, launchBrowser } from './support/browser.js';

const PASSWORD = 'una password lunga e sicura';

describe('the Region’s outgoing mail page in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A mail server that is not there: every mail waits in the queue.
    const gone = await startSmtpServer();
    await gone.close();
    [t, browser] = await Promise.all([createTestApp('pglite', { SMTP_URL: gone.url }), launchBrowser()]);
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await t.app.services.accounts.createWithRole({ email: 'regione@example.org', displayName: 'Regione Lombardia', password: PASSWORD, role: 'region_admin' }, SYSTEM_ACTOR);
    await t.app.mailer.send({ to: 'Lucia Bianchi <lucia.bianchi@example.org>', subject: 'Convocazione – Consiglio Direttivo', text: 'Ordine del giorno' });
    page = await (await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto('/accedi');
    await page.fill('input[name=email]', 'regione@example.org');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/accedi')), page.click('form button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['it', 'E-mail non ancora spedite', 'Tentativi'],
    ['en', 'E-mails not sent yet', 'Attempts'],
  ] as const)('lists the mail waiting for another attempt, with no axe violations (%s)', async (lang, heading, attempts) => {
    const response = await page.goto(`/regione/posta?lang=${lang}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 2, name: heading }).count()).resolves.toBe(1);
    const table = page.getByRole('table', { name: heading });
    await expect(table.getByRole('columnheader', { name: attempts }).count()).resolves.toBe(1);
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[1]).toBe('Lucia Bianchi <lucia.bianchi@example.org>');
    expect(cells[2]).toBe('Convocazione – Consiglio Direttivo');
    expect(cells[3]).toBe('1');
    expect(cells[5]).toMatch(/ECONNREFUSED/);
    expect(await checkA11y(page), `axe violations on ${page.url()}`).toEqual([]);
  });
});

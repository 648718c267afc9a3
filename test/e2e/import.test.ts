import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPerson } from '../support/session.js';
import { validPartitaIva, wrongCheckDigit } from '../factories/organisations.js';
import { checkA11y, launchBrowser } from './support/browser.js';

// A manager imports a member list with one bad row: the preview names row, column and reason,
// and nothing is written; the corrected file commits and the members are listed.
describe('member import in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp('pglite'), launchBrowser()]);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, { personId: null, label: 'test' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-import-'));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function csv(rows: string[][]): string {
    const header = ['external_ref', 'legal_name', 'type', 'vat_number', 'comune_istat', 'member_class'];
    return [header, ...rows].map((r) => r.join(';')).join('\n') + '\n';
  }

  it('shows the bad row and writes nothing, then commits the corrected file', async () => {
    const good1 = validPartitaIva();
    const good2 = validPartitaIva();
    const bad = wrongCheckDigit(validPartitaIva());
    const badFile = path.join(dir, 'soci-errore.csv');
    fs.writeFileSync(
      badFile,
      csv([
        ['SOC-1', 'Lodi Packaging S.r.l.', 'company', good1, '098031', 'ordinario'],
        ['SOC-2', 'Monza Fragranze S.p.A.', 'company', bad, '108033', 'ordinario'],
      ]),
    );
    const manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/accedi?next=/cluster/cosmetica/gestione/importa');
    await page.fill('[name=email]', manager.email);
    await page.fill('[name=password]', manager.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    expect(new URL(page.url()).pathname).toBe('/cluster/cosmetica/gestione/importa');
    expect(await checkA11y(page)).toEqual([]);

    await page.setInputFiles('input[type=file][name=file]', badFile);
    await page.locator('input[name=mode][value=preview]').locator('xpath=ancestor::form').locator('button[type=submit]').click();
    const errors = page.locator('[data-testid=row-errors]');
    await expect(errors.textContent()).resolves.toContain('vat_number');
    const row = errors.locator('tbody tr').first();
    expect(await row.locator('th').textContent()).toBe('3');
    expect(await row.textContent()).toContain('la partita IVA non è valida (cifra di controllo errata)');
    expect(await checkA11y(page)).toEqual([]);
    expect(await page.locator('input[name=mode][value=commit]').count()).toBe(0);
    const written = await t.database.db.selectFrom('organisations').select('id').where('vat_number', 'in', [good1, bad]).execute();
    expect(written).toEqual([]);

    const goodFile = path.join(dir, 'soci.csv');
    fs.writeFileSync(
      goodFile,
      csv([
        ['SOC-1', 'Lodi Packaging S.r.l.', 'company', good1, '098031', 'ordinario'],
        ['SOC-2', 'Monza Fragranze S.p.A.', 'company', good2, '108033', 'ordinario'],
      ]),
    );
    await page.setInputFiles('input[type=file][name=file]', goodFile);
    await page.locator('input[name=mode][value=preview]').locator('xpath=ancestor::form').locator('button[type=submit]').click();
    await expect(page.locator('[data-testid=import-counts]').textContent()).resolves.toContain('2');
    await page.locator('input[name=mode][value=commit]').locator('xpath=ancestor::form').locator('button[type=submit]').click();
    await expect(page.locator('[data-testid=import-done]').textContent()).resolves.toBeTruthy();
    expect(await checkA11y(page)).toEqual([]);

    await page.goto('/cluster/cosmetica/membri?q=Lodi');
    await expect(page.locator('[data-testid=directory]').textContent()).resolves.toContain('Lodi Packaging S.r.l.');

    // On a phone the management tables scroll sideways inside their box, which the keyboard can
    // reach (axe: scrollable-region-focusable), and nothing in them widens the page.
    await page.setViewportSize({ width: 375, height: 812 });
    for (const pathname of ['/cluster/cosmetica/gestione/importa', '/cluster/cosmetica/gestione/tassonomia', '/cluster/cosmetica/gestione/tassonomia?lang=en']) {
      await page.goto(pathname);
      // Cells scrolled out of the narrow box are "partially obscured": axe cannot determine their
      // contrast (the same colours are checked at full width above).
      expect(await checkA11y(page, { undeterminedContrast: false }), pathname).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), pathname).toBeLessThanOrEqual(375);
    }
    await context.close();
  });
});

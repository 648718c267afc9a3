import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPerson } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { organisationForm } from '../factories/organisations.js';
import { checkA11y, launchBrowser } from './support/browser.js';

// A company applies on the public form, confirms its address from the mail (read from a local
// SMTP server), the cluster manager admits it, and it appears in the public directory.
describe('continuous admission in a browser', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    [t, browser] = await Promise.all([createTestApp('pglite', { SMTP_URL: smtp.url }), launchBrowser()]);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, { personId: null, label: 'test' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  async function accessible(page: Page) {
    expect(await checkA11y(page), `axe violations on ${page.url()}`).toEqual([]);
  }

  it('a company applies, confirms by e-mail, is admitted by the manager and appears in the directory', async () => {
    const applicant = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const page = await applicant.newPage();
    await page.goto('/cluster/cosmetica');
    await page.getByRole('link', { name: 'Candida la tua organizzazione' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Candida la tua organizzazione');
    await accessible(page);

    // First a wrong P.IVA: the form comes back with the error and the typed values.
    const org = organisationForm({ legalName: 'Crema Beauty Lab S.r.l.' });
    for (const [name, value] of Object.entries(org)) {
      const field = page.locator(`[name="org.${name}"]`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await page.fill('[name="org.vatNumber"]', '12345678901');
    await page.fill('[name=displayName]', 'Chiara Neri');
    await page.fill('[name=email]', 'chiara.neri@crema-beauty.example.org');
    await page.fill('[name=password]', 'formule naturali sicure');
    await page.fill('[name=passwordRepeat]', 'formule naturali sicure');
    await page.locator('label[for=f-consent]').click();
    expect(await page.isChecked('[name=consent]')).toBe(true);
    await page.fill('[name=motivation]', 'Cerchiamo partner per test di stabilità e conservanti naturali.');
    await page.getByRole('button', { name: 'Invia la domanda' }).click();
    await expect(page.locator('#error-summary').textContent()).resolves.toContain('la partita IVA non è valida');
    expect(await page.inputValue('[name="org.legalName"]')).toBe('Crema Beauty Lab S.r.l.');
    await accessible(page);

    await page.fill('[name="org.vatNumber"]', org.vatNumber!);
    await page.fill('[name=password]', 'formule naturali sicure');
    await page.fill('[name=passwordRepeat]', 'formule naturali sicure');
    await page.getByRole('button', { name: 'Invia la domanda' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Domanda ricevuta');

    const mail = await smtp.waitForMail((m) => m.envelope.to.includes('chiara.neri@crema-beauty.example.org'));
    const verifyUrl = /https?:\/\/\S+\/verifica-email\?token=\S+/.exec(mail.text ?? '')![0];
    // The mail links to BASE_URL; the test server listens on a random port, so keep path and token.
    const { pathname, search } = new URL(verifyUrl);
    await page.goto(pathname + search);
    await expect(page.locator('main').textContent()).resolves.toContain('La domanda di adesione è stata trasmessa al cluster');
    await accessible(page);

    // The manager reviews and admits.
    const manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const managerContext = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const mp = await managerContext.newPage();
    await mp.goto('/cluster/cosmetica/gestione/domande');
    expect(new URL(mp.url()).pathname).toBe('/accedi');
    await mp.fill('[name=email]', manager.email);
    await mp.fill('[name=password]', manager.password);
    await mp.getByRole('button', { name: 'Accedi' }).click();
    expect(new URL(mp.url()).pathname).toBe('/cluster/cosmetica/gestione/domande');
    await accessible(mp);
    await mp.getByRole('link', { name: 'Crema Beauty Lab S.r.l.' }).click();
    await accessible(mp);
    await mp.selectOption('[name=memberClassId]', { label: 'Socio ordinario' });
    await mp.getByRole('button', { name: 'Ammetti' }).click();
    await expect(mp.locator('[data-testid=membership-status]').textContent()).resolves.toBe('Ammessa');
    await expect(mp.locator('[role=status]').first().textContent()).resolves.toContain('Operazione registrata');

    const admitted = await smtp.waitForMail((m) => m.envelope.to.includes('chiara.neri@crema-beauty.example.org') && /Ammessa/.test(m.subject ?? ''));
    expect(admitted.text).toContain('Crema Beauty Lab S.r.l. è stata ammessa a Sistema Cosmetico come Socio ordinario');

    // The public directory lists it.
    await page.goto('/cluster/cosmetica/membri?lang=en');
    await expect(page.locator('[data-testid=directory]').textContent()).resolves.toContain('Crema Beauty Lab S.r.l.');
    await accessible(page);
    await page.getByRole('link', { name: 'Crema Beauty Lab S.r.l.' }).click();
    await expect(page.locator('[data-testid=member-of]').textContent()).resolves.toContain('Sistema Cosmetico');
    await accessible(page);
    await applicant.close();
    await managerContext.close();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createMember } from '../factories/competences.js';
import { createNeed, createOffer, createOrganisation } from '../factories/offers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPerson } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { checkA11y, launchBrowser } from './support/browser.js';

// An SME describes its need in Italian, finds an English offer of a spin-off with the reasons,
// expresses interest; the spin-off accepts; both receive the introduction (read from a local SMTP
// server); the cluster manager sees the collaboration in the pipeline. Every page passes axe.
// The need's own matches show, beside the offers, an organisation found by its declared competence.
// With SCREENSHOTS_DIR set, the match results and the pipeline are saved in both languages.
describe('from match to collaboration in a browser', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let base: string;
  const ids = {} as Record<'sme' | 'lab' | 'offer' | 'need', string>;
  const shots = process.env.SCREENSHOTS_DIR;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    [t, browser] = await Promise.all([createTestApp('pglite', { SMTP_URL: smtp.url }), launchBrowser()]);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ids.sme = await createOrganisation(t.app, 'Crema Beauty S.r.l.', { type: 'company', clusterSlug: 'cosmetica', provinceCode: 'CR' });
    ids.lab = await createOrganisation(t.app, 'FermaCos S.r.l.', { type: 'spin_off', provinceCode: 'PV' });
    ids.offer = await createOffer(t.app, ids.lab, {
      titleEn: 'Natural preservatives from fermentation',
      summaryEn: 'Preservation systems for cosmetic creams and serums, based on fermented plant extracts.',
      descriptionEn: 'We design natural preservatives, run challenge tests and stability studies for skin care brands.',
      trl: 7,
      categories: ['Novel Ingredients'],
    });
    await createOffer(t.app, ids.lab, { titleEn: 'Stability testing of emulsions', descriptionEn: 'Accelerated stability tests for creams and lotions.', trl: 9 });
    const other = await createOrganisation(t.app, 'PackLab S.r.l.', { type: 'research_centre', provinceCode: 'MI' });
    await createOffer(t.app, other, { titleIt: 'Flaconi e vasetti compostabili', descriptionIt: 'Packaging cosmetico compostabile da biopolimeri.', trl: 6 });
    // A research centre that declares, in English, a competence the need asks for.
    const centre = await createMember(t.app, { name: 'Fermentis Research', type: 'research_centre', province: 'PV', clusters: ['cosmetica'] });
    await t.app.services.search.sync(true);
    await t.app.services.competences.addCompetence(centre, { area: 'cosmetica:MPA.PRES', level: 'core', descriptionIt: '', descriptionEn: 'Natural preservatives from fermented botanicals.' }, SYSTEM_ACTOR);
    ids.need = await createNeed(t.app, ids.sme, { titleIt: 'Conservanti naturali per creme viso', descriptionIt: 'Cerchiamo conservanti naturali e test di stabilità per una nuova linea di creme viso.', trlMin: 6, trlMax: 9 });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  async function accessible(page: Page) {
    expect(await checkA11y(page), `axe violations on ${page.url()}`).toEqual([]);
  }

  async function signedIn(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/accedi');
    await page.fill('[name=email]', email);
    await page.fill('[name=password]', password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    return { context, page };
  }

  async function shot(page: Page, name: string) {
    if (!shots) return;
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  }

  it('an Italian need finds the English offer; interest, introduction, collaboration in the pipeline', async () => {
    const smeAdmin = await createPerson(t.app, 'org_admin', { organisationId: ids.sme });
    const labAdmin = await createPerson(t.app, 'org_admin', { organisationId: ids.lab });
    const manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });

    // The SME writes its need in Italian on the match page.
    const sme = await signedIn(smeAdmin.email, smeAdmin.password);
    await sme.page.goto('/abbinamenti');
    await accessible(sme.page);
    await sme.page.fill('[name=testo]', 'Cerchiamo conservanti naturali per una nuova linea di creme viso, con test di stabilità.');
    await sme.page.getByRole('button', { name: 'Trova gli abbinamenti' }).click();
    const first = sme.page.locator('[data-testid=match-results] > li').first();
    await expect(first.locator('h3').textContent()).resolves.toContain('Natural preservatives from fermentation');
    await expect(first.locator('[data-reason=concepts]').textContent()).resolves.toContain('conservanti');
    await expect(first.locator('[data-reason=terms]').textContent()).resolves.toContain('«conservanti» → «preservatives» (traduzione)');
    await accessible(sme.page);
    await shot(sme.page, 'match-it');
    await sme.page.goto(`${new URL(sme.page.url()).pathname}${new URL(sme.page.url()).search}&lang=en`);
    await expect(first.locator('[data-reason=concepts]').textContent()).resolves.toContain('Shared concepts: preservatives');
    await accessible(sme.page);
    await shot(sme.page, 'match-en');
    await sme.page.goto('/abbinamenti?lang=it');

    // The need's own page and its matches.
    await sme.page.goto(`/fabbisogni/${ids.need}`);
    await accessible(sme.page);
    await sme.page.getByRole('link', { name: 'Vedi gli abbinamenti' }).click();
    await expect(sme.page.locator('[data-testid=match-results]').textContent()).resolves.toContain('Natural preservatives from fermentation');
    // Beside the offers, the organisations whose declared competences answer the need, and why.
    const centre = sme.page.locator('[data-testid=profile-matches] > li').first();
    await expect(centre.locator('h3').textContent()).resolves.toContain('Fermentis Research');
    await expect(centre.locator('[data-reason=concepts]').textContent()).resolves.toContain('conservanti');
    await accessible(sme.page);
    await shot(sme.page, 'need-matches-it');
    await sme.page.goto(`${new URL(sme.page.url()).pathname}?lang=en`);
    await expect(centre.locator('[data-reason=concepts]').textContent()).resolves.toContain('Shared concepts:');
    await accessible(sme.page);
    await shot(sme.page, 'need-matches-en');
    await sme.page.goto(`/fabbisogni/${ids.need}?lang=it`);

    // The offer page: express interest.
    await sme.page.goto(`/offerte/${ids.offer}`);
    await accessible(sme.page);
    await sme.page.fill('[name=message]', 'Buongiorno, vorremmo provare i vostri conservanti naturali nelle nostre creme viso.');
    await sme.page.getByRole('button', { name: 'Invia' }).click();
    await expect(sme.page.locator('[role=status]').first().textContent()).resolves.toContain('Manifestazione di interesse inviata');
    const notice = await smtp.waitForMail((m) => m.envelope.to.includes(labAdmin.email));
    expect(notice.text).toContain('vorremmo provare i vostri conservanti');

    // The spin-off accepts from its contacts page.
    const lab = await signedIn(labAdmin.email, labAdmin.password);
    await lab.page.goto(`/organizzazioni/${ids.lab}/contatti`);
    await accessible(lab.page);
    await lab.page.getByRole('button', { name: 'Accetta e presentatevi' }).click();
    await expect(lab.page.locator('[role=status]').first().textContent()).resolves.toContain('Accettata');
    const intro = await smtp.waitForMail((m) => m.envelope.to.includes(smeAdmin.email) && /Presentazione/.test(m.subject ?? ''));
    expect(intro.text).toContain(labAdmin.email);
    expect(intro.text).toContain(smeAdmin.email);
    await smtp.waitForMail((m) => m.envelope.to.includes(labAdmin.email) && /Presentazione/.test(m.subject ?? ''));

    // Follow the link of the introduction: the collaboration, exploring; move it to agreement.
    const link = /https?:\/\/\S+\/collaborazioni\/[0-9a-f-]{36}/.exec(intro.text ?? '')![0];
    await sme.page.goto(new URL(link).pathname);
    await expect(sme.page.locator('[data-testid=collaboration-status]').textContent()).resolves.toBe('Esplorazione');
    await accessible(sme.page);
    await sme.page.selectOption('[name=status]', 'agreement');
    await sme.page.getByRole('button', { name: 'Aggiorna' }).click();
    await expect(sme.page.locator('[data-testid=collaboration-status]').textContent()).resolves.toBe('Accordo');

    // The cluster manager sees it in the pipeline, counted in the figures.
    const mgr = await signedIn(manager.email, manager.password);
    await mgr.page.goto('/cluster/cosmetica/gestione/collaborazioni');
    await expect(mgr.page.locator('#col-agreement + ul').textContent()).resolves.toContain('Natural preservatives from fermentation');
    await expect(mgr.page.locator('[data-testid=pipeline-figures]').textContent()).resolves.toContain('1');
    await accessible(mgr.page);
    await shot(mgr.page, 'pipeline-it');
    await mgr.page.goto('/cluster/cosmetica/gestione/collaborazioni?lang=en');
    await expect(mgr.page.locator('h1').textContent()).resolves.toContain('Collaborations born from matches');
    await accessible(mgr.page);
    await shot(mgr.page, 'pipeline-en');
    await mgr.page.goto('/cluster/cosmetica/gestione/collaborazioni?lang=it');

    for (const c of [sme.context, lab.context, mgr.context]) await c.close();
  });
});

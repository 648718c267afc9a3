import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationInputFromForm } from '../../src/features/organisations/routes.js';
import { addRules, buildBoard, dayFromNow, type BoardMember } from '../factories/governance.js';
import { organisationForm } from '../factories/organisations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPerson } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { checkA11y, launchBrowser } from './support/browser.js';

const ACTOR = { personId: null, label: 'test' };
/** SCREENSHOT_DIR=… also saves full-page screenshots of the meeting and vote pages in both languages. */
const SHOTS = process.env.SCREENSHOT_DIR;

// The manager convenes the board; two holders vote online on an admission; the outcome admits the
// applicant, who appears in the directory; the minutes are approved and can no longer be edited.
describe('a board decision in a browser', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let base: string;
  let members: BoardMember[];
  const contexts: BrowserContext[] = [];
  const applicantName = 'Lodi Beauty Formulations S.r.l.';
  let applicantEmail: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    [t, browser] = await Promise.all([createTestApp('pglite', { SMTP_URL: smtp.url }), launchBrowser()]);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    await t.app.services.memberships.addClass(clusterId, { code: 'ordinario', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '' }, ACTOR);
    await addRules(t.app, clusterId, { managerMayAdmit: false });
    ({ members } = await buildBoard(t.app, 'cosmetica', { voting: 3, nonVoting: 0 }));
    const applicant = await createPerson(t.app, null);
    applicantEmail = applicant.email;
    await t.app.services.memberships.apply(
      { clusterSlug: 'cosmetica', organisation: organisationInputFromForm(organisationForm({ legalName: applicantName })), motivation: 'Formulazioni naturali per il make-up.', lang: 'it' },
      { personId: applicant.id, email: applicant.email, displayName: 'Richiedente', lang: 'it', grants: [], sessionHash: '' },
      ACTOR,
    );
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  async function accessible(page: Page) {
    expect(await checkA11y(page), `axe violations on ${page.url()}`).toEqual([]);
  }

  async function signedInPage(email: string, password: string, next: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(next);
    expect(new URL(page.url()).pathname).toBe('/accedi');
    await page.fill('[name=email]', email);
    await page.fill('[name=password]', password);
    await page.getByRole('button', { name: /^(Accedi|Sign in)$/ }).click();
    expect(new URL(page.url()).pathname).toBe(next.split('?')[0]);
    return page;
  }

  it('convenes, votes online, admits the applicant, and approves immutable minutes', async () => {
    // The public page shows the board as appointed.
    const visitor = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    contexts.push(visitor);
    const pub = await visitor.newPage();
    await pub.goto('/cluster/cosmetica/consiglio');
    await expect(pub.locator('[data-testid=board]').textContent()).resolves.toContain('Presidente');
    await accessible(pub);

    // 1. The manager convenes a meeting.
    const manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const mp = await signedInPage(manager.email, manager.password, '/cluster/cosmetica/consiglio/riunioni');
    await accessible(mp);
    await mp.getByRole('link', { name: 'Convoca una riunione' }).click();
    await accessible(mp);
    await mp.fill('[name=title]', 'Consiglio Direttivo di dicembre');
    await mp.fill('[name=date]', dayFromNow(12));
    await mp.fill('[name=time]', '10:30');
    await mp.fill('[name=endTime]', '12:30');
    await mp.fill('[name=place]', 'Crema, via Dante 1');
    await mp.fill('[name=videoUrl]', 'https://meet.example.org/consiglio');
    await mp.fill('[name=agenda]', 'Ammissione di nuovi soci\nVarie ed eventuali');
    await mp.getByRole('button', { name: 'Convoca e invia' }).click();
    await expect(mp.locator('h1').textContent()).resolves.toBe('Consiglio Direttivo di dicembre');
    await accessible(mp);
    const invitation = await smtp.waitForMail((m) => m.envelope.to.includes(members[0]!.email));
    expect(invitation.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);

    // 2. An admission motion on the first item, voted online.
    const form = mp.locator('#motion-form');
    await form.locator('[name=type]').selectOption('admission');
    await form.locator('[name=title]').fill(`Ammissione di ${applicantName}`);
    await form.locator('[name=text]').fill('Il Consiglio ammette il richiedente come socio ordinario.');
    await form.locator('label[for^="app-"]', { hasText: applicantName }).click();
    expect(await form.getByLabel(applicantName, { exact: true }).isChecked()).toBe(true);
    await form.getByLabel(`Classe – ${applicantName}`).selectOption({ label: 'Socio ordinario' });
    await form.getByRole('button', { name: 'Presenta una mozione' }).click();
    await expect(mp.locator('h1').textContent()).resolves.toBe(`Ammissione di ${applicantName}`);
    await mp.getByRole('button', { name: 'Apri la votazione' }).click();
    await expect(mp.locator('main').textContent()).resolves.toContain('Votazione aperta dal');
    await accessible(mp);
    const motionPath = new URL(mp.url()).pathname;

    // 3. Two holders vote online, one in Italian, one in English.
    const h1 = await signedInPage(members[0]!.email, members[0]!.password, motionPath);
    await accessible(h1);
    await h1.locator('[data-testid=ballot] label', { hasText: /^Favorevole$/ }).click();
    await h1.getByRole('button', { name: 'Vota', exact: true }).click();
    await expect(h1.locator('[data-testid=my-vote]').textContent()).resolves.toContain('Voto registrato: Favorevole');
    await accessible(h1);
    const h2 = await signedInPage(members[1]!.email, members[1]!.password, `${motionPath}?lang=en`);
    await accessible(h2);
    await h2.locator('[data-testid=ballot] label', { hasText: /^For$/ }).click();
    await h2.getByRole('button', { name: 'Vote', exact: true }).click();
    await expect(h2.locator('[data-testid=my-vote]').textContent()).resolves.toContain('Vote recorded: For');
    await accessible(h2);

    // 4. The manager closes the vote: the admission passes and the applicant is a member.
    await mp.reload();
    await expect(mp.locator('[data-testid=votes-cast]').textContent()).resolves.toContain('Voti espressi: 2 su 3');
    await mp.getByRole('button', { name: 'Chiudi la votazione e calcola l’esito' }).click();
    await expect(mp.locator('[data-testid=outcome]').textContent()).resolves.toContain('Approvata con 2 favorevoli, 0 contrari e 0 astenuti.');
    await expect(mp.locator('[data-testid=voting-window]').textContent()).resolves.toMatch(/^Votazione dal .+, chiusa: mozione approvata$/);
    await accessible(mp);
    if (SHOTS) {
      await mp.screenshot({ path: path.join(SHOTS, 'motion-decided-it.png'), fullPage: true });
      await mp.goto(`${motionPath}?lang=en`);
      await expect(mp.locator('[data-testid=voting-window]').textContent()).resolves.toMatch(/^Voting from .+, closed: motion passed$/);
      await mp.screenshot({ path: path.join(SHOTS, 'motion-decided-en.png'), fullPage: true });
      await mp.goto(`${motionPath}?lang=it`);
    }
    const admitted = await smtp.waitForMail((m) => m.envelope.to.includes(applicantEmail) && /Ammessa/.test(m.subject ?? ''));
    expect(admitted.text).toContain(`${applicantName} è stata ammessa a Sistema Cosmetico come Socio ordinario`);
    await pub.goto('/cluster/cosmetica/membri');
    await expect(pub.locator('[data-testid=directory]').textContent()).resolves.toContain(applicantName);
    await accessible(pub);

    // 5. Minutes drafted from the meeting, edited, approved: then no longer editable.
    await mp.getByRole('link', { name: 'Torna alla riunione' }).click();
    await mp.getByRole('link', { name: 'Verbale', exact: true }).click();
    await accessible(mp);
    await mp.getByRole('button', { name: 'Redigi il verbale dai dati della riunione' }).click();
    const body = mp.locator('textarea[name=body]');
    await expect(body.inputValue()).resolves.toContain(`«Ammissione di ${applicantName}» (Ammissione di soci): Approvata`);
    await body.fill(`${await body.inputValue()}\nLa seduta è tolta alle 12:15.`);
    await mp.getByRole('button', { name: 'Salva la bozza' }).click();
    await accessible(mp);
    await mp.getByRole('button', { name: 'Approva il verbale' }).click();
    await expect(mp.locator('[data-testid=minutes-status]').textContent()).resolves.toBe('Approvato');
    expect(await mp.locator('textarea[name=body]').count()).toBe(0);
    await expect(mp.locator('[data-testid=minutes-body]').textContent()).resolves.toContain('La seduta è tolta alle 12:15.');
    await accessible(mp);
    // Even a forged post is refused, and the text stays as approved.
    const minutesId = (await t.database.db.selectFrom('board_minutes').select('id').executeTakeFirstOrThrow()).id;
    const forged = await mp.evaluate(async (url) => {
      const csrf = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, body: 'Riscritto' }).toString() });
      return { status: res.status, text: await res.text() };
    }, `${new URL(mp.url()).pathname}/${minutesId}`);
    expect(forged.status).toBe(409);
    expect(forged.text).toContain('governance.minutes_approved');
    const stored = await t.database.db.selectFrom('board_minutes').select(['body', 'status']).where('id', '=', minutesId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('approved');
    expect(stored.body).toContain('La seduta è tolta alle 12:15.');
  });

  it('keeps the management pages, the calendar and a written vote that closed by itself accessible, in both languages', async () => {
    const clusterId = (await t.app.services.clusters.idBySlug('cosmetica'))!;
    const manager = await createPerson(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    const mp = await signedInPage(manager.email, manager.password, '/cluster/cosmetica/gestione/consiglio');
    for (const url of ['/cluster/cosmetica/gestione/consiglio', '/cluster/cosmetica/gestione/consiglio/regole']) {
      for (const lang of ['it', 'en']) {
        await mp.goto(`${url}?lang=${lang}`);
        await accessible(mp);
      }
    }

    // A written procedure: the vote opens with a closing time, one holder votes, the window ends.
    const governance = t.app.services.governance;
    const meeting = await governance.convene(
      clusterId,
      { title: 'Procedura scritta di gennaio', date: dayFromNow(9), time: '09:00', endTime: '10:00', place: '', videoUrl: 'https://meet.example.org/cd', agenda: 'Contributo al bando regionale' },
      ACTOR,
    );
    const agendaItemId = (await governance.meetingView(clusterId, meeting)).agenda[0]!.id;
    const written = await governance.addMotion(clusterId, meeting, { agendaItemId, type: 'ordinary', title: 'Adesione al bando regionale', text: 'Il Consiglio aderisce al bando.' }, ACTOR);
    const open = await governance.addMotion(clusterId, meeting, { agendaItemId, type: 'ordinary', title: 'Quota associativa 2027', text: 'Il Consiglio conferma la quota.' }, ACTOR);
    await governance.openVoting(clusterId, written, { closesDate: dayFromNow(3), closesTime: '18:00' }, ACTOR);
    const base = `/cluster/cosmetica/consiglio/riunioni/${meeting}`;
    const h1 = await signedInPage(members[0]!.email, members[0]!.password, `${base}/mozioni/${written}`);
    await h1.locator('[data-testid=ballot] label', { hasText: /^Favorevole$/ }).click();
    await h1.getByRole('button', { name: 'Vota', exact: true }).click();
    await expect(h1.locator('[data-testid=my-vote]').textContent()).resolves.toContain('Voto registrato: Favorevole');
    await expect(h1.locator('[data-testid=voting-window]').textContent()).resolves.toMatch(/^Votazione aperta dal .+ al .+ alle ore 18:00$/);
    if (SHOTS) await h1.screenshot({ path: path.join(SHOTS, 'motion-written-it.png'), fullPage: true });
    await h1.goto(`${base}/mozioni/${written}?lang=en`);
    await expect(h1.locator('[data-testid=voting-window]').textContent()).resolves.toMatch(/^Voting open from .+ to .+ at 18:00$/);
    await accessible(h1);
    if (SHOTS) await h1.screenshot({ path: path.join(SHOTS, 'motion-written-en.png'), fullPage: true });
    // The voting holders were told when it opened, with the link to the vote.
    const told = await smtp.waitForMail((m) => m.envelope.to.includes(members[2]!.email) && /^Votazione online: «Adesione al bando regionale»/.test(m.subject ?? ''));
    expect(told.text).toContain(`/mozioni/${written}`);
    // The manager's form to open the other vote explains what a closing time does.
    await mp.goto(`${base}/mozioni/${open}?lang=it`);
    await expect(mp.locator('#open-title').locator('..').textContent()).resolves.toContain('la votazione si chiude da sola');
    await accessible(mp);
    if (SHOTS) await mp.screenshot({ path: path.join(SHOTS, 'motion-open-it.png'), fullPage: true });
    await mp.goto(`${base}/mozioni/${open}?lang=en`);
    await accessible(mp);
    if (SHOTS) await mp.screenshot({ path: path.join(SHOTS, 'motion-open-en.png'), fullPage: true });
    const now = Date.now();
    await t.database.db.updateTable('board_motions').set({ voting_opens_at: new Date(now - 3600_000), voting_closes_at: new Date(now - 60_000) }).where('id', '=', written).execute();

    // Whoever opens the page next sees it closed: with one vote of three, it lapsed.
    for (const lang of ['it', 'en'] as const) {
      await h1.goto(`${base}/mozioni/${written}?lang=${lang}`);
      await expect(h1.locator('[data-testid=lapsed] h2').textContent()).resolves.toBe(lang === 'it' ? 'Mozione decaduta: quorum non raggiunto' : 'Motion lapsed: no quorum');
      await expect(h1.locator('[data-testid=voting-window]').textContent()).resolves.toMatch(lang === 'it' ? /, chiusa senza quorum: mozione decaduta$/ : /, closed without a quorum: motion lapsed$/);
      expect(await h1.locator('[data-testid=ballot] form').count()).toBe(0);
      await accessible(h1);
      if (SHOTS) await h1.screenshot({ path: path.join(SHOTS, `motion-lapsed-${lang}.png`), fullPage: true });
      await h1.goto(`${base}?lang=${lang}`);
      await accessible(h1);
      if (SHOTS) await h1.screenshot({ path: path.join(SHOTS, `meeting-${lang}.png`), fullPage: true });
    }

    // The private calendar address: created, shown once, revocable.
    await h1.goto('/consiglio/calendario?lang=it');
    await accessible(h1);
    await h1.getByRole('button', { name: /^Crea un nuovo indirizzo/ }).click();
    const feedUrl = await h1.locator('[data-testid=feed-url]').inputValue();
    expect(new URL(feedUrl).pathname).toMatch(/^\/calendario\/[^/]+\/consiglio\.ics$/);
    await accessible(h1);
    const feed = await h1.request.get(new URL(feedUrl).pathname);
    expect((await feed.text()).replace(/\r\n /g, '')).toContain('Procedura scritta di gennaio');
    await h1.getByRole('button', { name: 'Revoca l’indirizzo' }).click();
    // The page the revocation leads to: no address shown any more.
    await h1.locator('[data-testid=feed-url]').waitFor({ state: 'detached' });
    await accessible(h1);
    expect((await h1.request.get(new URL(feedUrl).pathname)).status()).toBe(404);
  });
});

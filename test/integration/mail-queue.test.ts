import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type MailLogger, type MailMessage } from '../../src/platform/mail/mailer.js';
import { MailQueue, MAX_ATTEMPTS, RETRY_DELAYS_MINUTES } from '../../src/platform/mail/queue.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, DB_MODES, type TestDatabase } from '../support/database.js';
import { createOffer, createOrganisation } from '../factories/offers.js';
import { Client, signedInClient } from '../support/session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const MAIL_FROM = 'Clusterhub <noreply@clusterhub.test>';
const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);

function recordingLogger(): MailLogger & { records: { level: string; obj: object; msg: string }[] } {
  const records: { level: string; obj: object; msg: string }[] = [];
  return { records, info: (obj, msg) => records.push({ level: 'info', obj, msg }), error: (obj, msg) => records.push({ level: 'error', obj, msg }) };
}

function message(subject: string): MailMessage {
  return {
    to: 'Lucia Bianchi <lucia.bianchi@example.org>',
    subject,
    text: `Accedi: https://clusterhub.test/accesso?token=segreto-${subject}`,
    html: '<p>Accedi</p>',
    headers: { 'X-Clusterhub-Kind': 'test' },
    attachments: [
      { filename: 'convocazione.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar; method=REQUEST; charset=UTF-8' },
      { filename: 'verbale.pdf', content: PDF, contentType: 'application/pdf' },
    ],
  };
}

/** A port where nothing listens now (a server was there a moment ago). */
async function closedPort(): Promise<number> {
  const gone = await startSmtpServer();
  await gone.close();
  return gone.port;
}

describe.each(DB_MODES)('mail queue (%s)', (mode) => {
  let database: TestDatabase;
  const t0 = new Date('2030-03-14T08:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase(mode);
  });
  afterAll(async () => {
    await database.close();
  });

  async function rows() {
    return database.db.selectFrom('mail_queue').selectAll().orderBy('created_at').execute();
  }

  function queueOn(url: string, clock: () => Date = () => t0) {
    const logger = recordingLogger();
    const transport = createMailer({ smtpUrl: url, mailFrom: MAIL_FROM, dataDir: os.tmpdir(), logger });
    return { queue: new MailQueue(database.db, transport, logger, clock), logger };
  }

  it('sends at once when the mail server takes the mail, and keeps nothing', async () => {
    const smtp = await startSmtpServer();
    const { queue } = queueOn(smtp.url);
    try {
      const result = await queue.send(message('Subito'));
      expect(result.queued).toBeUndefined();
      expect(result.messageId).not.toBe('');
      const mail = await smtp.waitForMail((m) => m.subject === 'Subito');
      expect(mail.attachments.map((a) => a.filename)).toEqual(['convocazione.ics', 'verbale.pdf']);
      expect(await rows()).toEqual([]);
    } finally {
      await queue.close();
      await smtp.close();
    }
  });

  it('keeps a mail the server could not take, and sends it once when due, attachments intact', async () => {
    const port = await closedPort();
    let now = t0;
    const { queue, logger } = queueOn(`smtp://127.0.0.1:${port}`, () => now);
    let smtp: TestSmtpServer | undefined;
    try {
      const result = await queue.send(message('Dopo'));
      expect(result).toMatchObject({ queued: true, messageId: '' });
      const [kept] = await rows();
      expect(kept).toMatchObject({ attempts: 1, failed_at: null, locked_until: null });
      expect(kept!.next_attempt_at.getTime()).toBe(at(RETRY_DELAYS_MINUTES[0]).getTime());
      expect(kept!.last_error).toMatch(/ECONNREFUSED/);
      expect(logger.records.at(-1)).toMatchObject({ level: 'info', msg: 'mail kept for another attempt', obj: { attempts: 1 } });

      // Not due yet: nothing is taken, even with the server back.
      smtp = await startSmtpServer({ port });
      now = at(0.5);
      expect(await queue.retryDue()).toBe(0);
      expect(smtp.messages).toHaveLength(0);

      // Due: two runs at once (two instances, or a run that overlaps the next) send it once.
      now = at(1);
      const taken = await Promise.all([queue.retryDue(), queue.retryDue()]);
      expect(taken.sort()).toEqual([0, 1]);
      const mail = await smtp.waitForMail((m) => m.subject === 'Dopo');
      expect(mail.text).toContain('token=segreto-Dopo');
      expect(mail.headers.get('x-clusterhub-kind')).toBe('test');
      expect(mail.attachments.find((a) => a.filename === 'verbale.pdf')!.content.equals(PDF)).toBe(true);
      expect(mail.attachments.find((a) => a.filename === 'convocazione.ics')!.content.toString('utf8')).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
      expect(await rows()).toEqual([]);
      expect(await queue.retryDue(at(60))).toBe(0);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await queue.close();
      await smtp?.close();
    }
  });

  it('tries again on the schedule and, after the last attempt, gives up keeping only recipient and subject', async () => {
    const port = await closedPort();
    let now = t0;
    const { queue, logger } = queueOn(`smtp://127.0.0.1:${port}`, () => now);
    try {
      await queue.send(message('Mai'));
      let minutes = 0;
      for (const [i, delay] of RETRY_DELAYS_MINUTES.entries()) {
        // A minute before it is due, the mail waits; when due, it is tried once more.
        now = at(minutes + delay - 1);
        expect(await queue.retryDue()).toBe(0);
        minutes += delay;
        now = at(minutes);
        expect(await queue.retryDue()).toBe(1);
        const [row] = await rows();
        expect(row!.attempts).toBe(i + 2);
      }
      const [given] = await rows();
      expect(given).toMatchObject({ attempts: MAX_ATTEMPTS, locked_until: null });
      expect(given!.failed_at).not.toBeNull();
      expect(given!.message).toEqual({ to: 'Lucia Bianchi <lucia.bianchi@example.org>', subject: 'Mai', text: '' });
      expect(JSON.stringify(given)).not.toContain('segreto');
      expect(logger.records.at(-1)).toMatchObject({ level: 'error', msg: 'mail given up', obj: { attempts: MAX_ATTEMPTS } });
      now = at(minutes + 10_000);
      expect(await queue.retryDue()).toBe(0);
      expect(await queue.counts()).toEqual({ waiting: 0, failed: 1 });
    } finally {
      await queue.close();
      await database.db.deleteFrom('mail_queue').execute();
    }
  });

  it('gives up at once a mail the server refuses for good, keeping only recipient and subject', async () => {
    const smtp = await startSmtpServer({ rejectRecipients: ['nessuno@example.org'] });
    const { queue, logger } = queueOn(smtp.url);
    try {
      const result = await queue.send({ ...message('Sconosciuto'), to: 'nessuno@example.org' });
      expect(result.queued).toBe(true);
      const [row] = await rows();
      expect(row).toMatchObject({ attempts: 1, message: { to: 'nessuno@example.org', subject: 'Sconosciuto', text: '' } });
      expect(row!.failed_at).not.toBeNull();
      expect(row!.last_error).toMatch(/550/);
      expect(logger.records.at(-1)).toMatchObject({ level: 'error', msg: 'mail given up' });
      expect(await queue.retryDue(at(600))).toBe(0);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await queue.close();
      await smtp.close();
      await database.db.deleteFrom('mail_queue').execute();
    }
  });

  it('does not send again a mail past its expiry, and never stores a mail that holds a secret', async () => {
    const port = await closedPort();
    let now = t0;
    const { queue } = queueOn(`smtp://127.0.0.1:${port}`, () => now);
    try {
      // A convocation for a meeting three minutes away: kept once, given up when the next attempt would come too late.
      await queue.send({ ...message('Riunione'), expiresAt: at(3) });
      expect(await rows()).toMatchObject([{ attempts: 1, failed_at: null }]);
      now = at(1);
      expect(await queue.retryDue()).toBe(1);
      const [given] = await rows();
      expect(given).toMatchObject({ attempts: 2, message: { subject: 'Riunione', text: '' } });
      expect(given!.failed_at).not.toBeNull();
      await database.db.deleteFrom('mail_queue').execute();

      // A sign-in link fails as before: the person is told and can ask again; nothing is stored.
      await expect(queue.send({ ...message('Accesso'), holdsSecret: true })).rejects.toMatchObject({ code: 'mail.unavailable', status: 503 });
      expect(await rows()).toEqual([]);
    } finally {
      await queue.close();
      await database.db.deleteFrom('mail_queue').execute();
    }
  });

  it('refuses a malformed mail before storing it', async () => {
    const { queue } = queueOn(`smtp://127.0.0.1:${await closedPort()}`);
    try {
      await expect(queue.send({ to: 'a@example.org', subject: 'x', text: 'x', headers: { Bcc: 'spia@example.org' } })).rejects.toThrow(TypeError);
      await expect(queue.send({ to: 'a@example.org', subject: 'a\r\nBcc: spia@example.org', text: 'x' })).rejects.toThrow(TypeError);
      expect(await rows()).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('has a migration that goes down and up again', async () => {
    const migration = await import('../../src/db/migrations/2026-11-26T2200-mail-queue.js');
    await migration.down(database.db);
    await expect(rows()).rejects.toThrow(/mail_queue/);
    await migration.up(database.db);
    expect(await rows()).toEqual([]);
  });
});

describe.each(DB_MODES)('a mail the server could not take, in the application (%s)', (mode) => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await closedPort();
    t = await createTestApp(mode, { SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets the action succeed and delivers the mail when the job runs after the server is back', async () => {
    const { accounts, jobs } = t.app.services;
    // A password reset holds a sign-in link: it is not kept, so the person is told at once.
    await accounts.createWithRole({ email: 'mario.rossi@example.org', displayName: 'Mario Rossi', password: 'una password lunga per la prova', role: 'region_admin' }, { personId: null, label: 'test' });
    await expect(accounts.requestPasswordReset('mario.rossi@example.org')).rejects.toMatchObject({ code: 'mail.unavailable' });
    // A registration: the account is made, and the page says how to get the verification mail later.
    const visitor = new Client(t.app);
    await visitor.get('/registrati');
    const registered = await visitor.postForm('/registrati', {
      email: 'lucia.bianchi@example.org',
      displayName: 'Lucia Bianchi',
      password: 'una password lunga per la prova',
      passwordRepeat: 'una password lunga per la prova',
      consent: 'yes',
    });
    expect(registered.statusCode).toBe(503);
    expect(registered.body).toContain('Il tuo account è stato creato, ma non è stato possibile spedire l’e-mail di verifica');
    expect(await t.app.mailer.counts()).toEqual({ waiting: 0, failed: 0 });

    // An expression of interest is sent; its mail to the other organisation waits for the server.
    const sme = await createOrganisation(t.app, 'Crema Beauty S.r.l.', { type: 'company', clusterSlug: 'cosmetica', provinceCode: 'CR' });
    const lab = await createOrganisation(t.app, 'FermaCos S.r.l.', { type: 'spin_off', provinceCode: 'PV' });
    const offer = await createOffer(t.app, lab, { titleIt: 'Conservanti naturali da fermentazione', descriptionIt: 'Sistemi conservanti per creme cosmetiche.', trl: 7 });
    const { client: smeAdmin } = await signedInClient(t.app, 'org_admin', { organisationId: sme });
    const { person: labAdmin } = await signedInClient(t.app, 'org_admin', { organisationId: lab });
    const sent = await smeAdmin.sendJson('POST', '/api/v1/interests', { organisationId: sme, offerId: offer, message: 'Vorremmo provare i vostri conservanti.' });
    expect(sent.statusCode).toBe(201);
    expect(await t.app.mailer.counts()).toEqual({ waiting: 1, failed: 0 });

    // The Region sees what is waiting, in its language; no one else may look.
    const { client: region } = await signedInClient(t.app, 'region_admin');
    const page = await region.get('/regione/posta');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="undelivered"');
    expect(page.body).toContain(labAdmin.email);
    expect(page.body).toContain('E-mail non ancora spedite');
    expect(page.body).toContain('a 1, 5, 15, 30, 60, 120 e 240 minuti dal tentativo precedente');
    expect((await region.get('/regione/posta?lang=en')).body).toContain('1, 5, 15, 30, 60, 120, and 240 minutes after the previous attempt');
    const { client: manager } = await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' });
    expect((await manager.get('/regione/posta')).statusCode).toBe(403);

    const smtp = await startSmtpServer({ port });
    try {
      const now = new Date(Date.now() + 2 * 60_000);
      await jobs.ensureScheduled(new Date());
      expect(await jobs.tick(now)).toContain('mail_retry');
      const mail = await smtp.waitForMail((m) => m.envelope.to.includes(labAdmin.email));
      expect(mail.text).toContain('Vorremmo provare i vostri conservanti.');
      expect(await t.app.mailer.counts()).toEqual({ waiting: 0, failed: 0 });
      expect((await region.get('/regione/posta')).body).toContain('data-testid="delivery-ok"');
      // With the server back, signing in sends the verification mail the registration could not.
      const signIn = await visitor.postForm('/accedi', { email: 'lucia.bianchi@example.org', password: 'una password lunga per la prova' });
      expect(signIn.statusCode).toBe(403);
      const verify = await smtp.waitForMail((m) => m.envelope.to.includes('lucia.bianchi@example.org'));
      expect(verify.text).toMatch(/\/verifica-email\?token=[\w-]+/);
    } finally {
      await smtp.close();
    }
  });
});

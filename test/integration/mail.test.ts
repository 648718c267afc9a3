import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildIcs } from '../../src/platform/mail/ics.js';
import {
  createMailer,
  listOutbox,
  readOutboxMessage,
  type MailLogger,
  type Mailer,
} from '../../src/platform/mail/mailer.js';
import { renderMail } from '../../src/platform/mail/templates.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const MAIL_FROM = 'Clusterhub <noreply@clusterhub.test>';

function recordingLogger(): MailLogger & { records: { level: string; obj: object; msg: string }[] } {
  const records: { level: string; obj: object; msg: string }[] = [];
  return {
    records,
    info: (obj, msg) => records.push({ level: 'info', obj, msg }),
    error: (obj, msg) => records.push({ level: 'error', obj, msg }),
  };
}

function invitation() {
  const rendered = renderMail('it', {
    subject: 'Convocazione – Università e imprese',
    greeting: 'Gentile Prof.ssa Lucia Bianchi,',
    paragraphs: ['L’assemblea si terrà nella sede dell’Università degli Studi di Milano.', 'Ordine del giorno: «bilancio».'],
    action: { label: 'Vedi la convocazione', url: 'https://clusterhub.test/meetings/42?lang=it&x=1' },
  });
  const ics = buildIcs({
    uid: 'meeting-42@clusterhub.test',
    start: new Date('2025-03-14T08:30:00Z'),
    end: new Date('2025-03-14T10:00:00Z'),
    summary: 'Assemblea – Università',
    description: 'Ordine del giorno: bilancio, nomine; varie',
    method: 'REQUEST',
    organizer: { email: 'noreply@clusterhub.test', name: 'Clusterhub' },
  });
  return {
    to: 'Lucia Bianchi <lucia.bianchi@università.example>',
    ...rendered,
    attachments: [
      { filename: 'convocazione.ics', content: ics, contentType: 'text/calendar; method=REQUEST; charset=UTF-8' },
      { filename: 'verbale.pdf', content: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]), contentType: 'application/pdf' },
    ],
    headers: { 'X-Clusterhub-Kind': 'convocation' },
  };
}

describe('mail through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let dataDir: string;
  let mailer: Mailer;
  const logger = recordingLogger();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-mail-'));
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: MAIL_FROM, dataDir, logger });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => smtp.clear());

  it('delivers subject, recipient, text, html and attachments intact', async () => {
    const message = invitation();
    const result = await mailer.send(message);
    expect(result.transport).toBe('smtp');
    expect(result.file).toBeUndefined();

    const mail = await smtp.waitForMail((m) => m.messageId === result.messageId);
    expect(mail.subject).toBe('Convocazione – Università e imprese');
    expect(mail.from?.value[0]).toEqual({ name: 'Clusterhub', address: 'noreply@clusterhub.test' });
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value[0]?.name).toBe('Lucia Bianchi');
    expect(mail.envelope).toEqual({ from: 'noreply@clusterhub.test', to: [expect.stringMatching(/^lucia\.bianchi@/)] });
    expect(mail.text).toBe(message.text);
    expect(mail.text).toContain('\nhttps://clusterhub.test/meetings/42?lang=it&x=1\n');
    expect(mail.html).toBe(message.html);
    expect(mail.headers.get('x-clusterhub-kind')).toBe('convocation');

    expect(mail.attachments).toHaveLength(2);
    const [ics, pdf] = mail.attachments;
    expect(ics?.filename).toBe('convocazione.ics');
    expect(ics?.contentType).toBe('text/calendar');
    expect(ics?.content.toString('utf8')).toBe(message.attachments[0]!.content);
    expect(ics?.content.toString('utf8')).toContain('SUMMARY:Assemblea – Università');
    expect(pdf?.filename).toBe('verbale.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(pdf?.content.equals(message.attachments[1]!.content as Buffer)).toBe(true);
  });

  it('logs the send without the body', async () => {
    logger.records.length = 0;
    const result = await mailer.send({ to: 'a@example.org', subject: 'Segreto?', text: 'token-abc-123' });
    await smtp.waitForMail((m) => m.messageId === result.messageId);
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]).toMatchObject({
      level: 'info',
      obj: { to: 'a@example.org', subject: 'Segreto?', messageId: result.messageId },
    });
    expect(JSON.stringify(logger.records)).not.toContain('token-abc-123');
  });

  it('waits for a mail that has not arrived yet, and times out on one that never does', async () => {
    const waiting = smtp.waitForMail((m) => m.subject === 'Later');
    await mailer.send({ to: 'b@example.org', subject: 'Later', text: 'x' });
    expect((await waiting).subject).toBe('Later');
    await expect(smtp.waitForMail((m) => m.subject === 'Never', 200)).rejects.toThrow(/No matching mail within 200 ms/);
  });

  it('refuses header injection', async () => {
    await expect(mailer.send({ to: 'c@example.org', subject: 'a\r\nBcc: x@evil.test', text: 'x' })).rejects.toThrow(TypeError);
    await expect(mailer.send({ to: 'c@example.org', subject: 's', text: 'x', headers: { Bcc: 'x@evil.test' } })).rejects.toThrow(
      TypeError,
    );
    await expect(mailer.send({ to: 'c@example.org', subject: 's', text: 'x', headers: { 'X-A': 'v\nBcc: y' } })).rejects.toThrow(
      TypeError,
    );
  });

  it('accepts a pino logger', () => {
    const other = createMailer({ smtpUrl: smtp.url, mailFrom: MAIL_FROM, dataDir, logger: pino({ level: 'silent' }) });
    expect(other.transport).toBe('smtp');
    return other.close();
  });
});

describe('mail to an unreachable SMTP server', () => {
  it('rejects and logs the failure', async () => {
    const gone = await startSmtpServer();
    await gone.close();
    const logger = recordingLogger();
    const mailer = createMailer({ smtpUrl: gone.url, mailFrom: MAIL_FROM, dataDir: os.tmpdir(), logger });
    try {
      await expect(mailer.send({ to: 'a@example.org', subject: 'Lost', text: 'body' })).rejects.toThrow();
      expect(logger.records.at(-1)).toMatchObject({ level: 'error', obj: { to: 'a@example.org', subject: 'Lost' } });
    } finally {
      await mailer.close();
    }
  });
});

describe('development outbox', () => {
  let dataDir: string;
  let mailer: Mailer;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-outbox-'));
    mailer = createMailer({ smtpUrl: undefined, mailFrom: MAIL_FROM, dataDir, logger: recordingLogger() });
  });
  afterEach(async () => {
    await mailer.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists nothing before the first mail', async () => {
    expect(await listOutbox(dataDir)).toEqual([]);
  });

  it('writes a readable .eml file that listOutbox lists and readOutboxMessage returns', async () => {
    const message = invitation();
    const result = await mailer.send(message);
    expect(result.transport).toBe('outbox');
    expect(result.file).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]{8}\.eml$/);
    const filePath = path.join(dataDir, 'outbox', result.file!);
    expect(fs.existsSync(filePath)).toBe(true);

    const parsed = await simpleParser(fs.readFileSync(filePath));
    expect(parsed.messageId).toBe(result.messageId);
    expect(parsed.subject).toBe('Convocazione – Università e imprese');
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['convocazione.ics', 'verbale.pdf']);
    expect(fs.readFileSync(filePath, 'latin1')).toMatch(/^[^\n]*\r\n/); // CRLF line ends

    const second = await mailer.send({ to: 'Ufficio Stampa <stampa@example.org>', subject: 'Più tardi', text: 'ciao' });
    const list = await listOutbox(dataDir);
    expect(list.map((e) => e.file)).toEqual([second.file, result.file]);
    expect(list[0]).toMatchObject({ to: 'Ufficio Stampa <stampa@example.org>', subject: 'Più tardi', messageId: second.messageId });
    expect(list[1]!.subject).toBe('Convocazione – Università e imprese');
    expect(list[1]!.to).toContain('Lucia Bianchi');
    expect(list[1]!.date).toBeInstanceOf(Date);
    expect(Math.abs(list[1]!.date.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await listOutbox(dataDir, { limit: 1 })).toHaveLength(1);

    const read = await readOutboxMessage(dataDir, result.file!);
    expect(read).toMatchObject({ file: result.file, subject: 'Convocazione – Università e imprese', messageId: result.messageId });
    const reparsed = await simpleParser(read!.raw);
    expect(reparsed.text).toBe(message.text);
  });

  it('refuses paths outside the outbox', async () => {
    const result = await mailer.send({ to: 'a@example.org', subject: 's', text: 't' });
    expect(await readOutboxMessage(dataDir, '../etc/passwd')).toBeNull();
    expect(await readOutboxMessage(dataDir, '/etc/passwd')).toBeNull();
    expect(await readOutboxMessage(dataDir, `../outbox/${result.file}`)).toBeNull();
    expect(await readOutboxMessage(dataDir, `${result.file}/../../x`)).toBeNull();
    expect(await readOutboxMessage(dataDir, '2025-01-01T00-00-00.000Z-00000000.eml')).toBeNull(); // well-formed, absent
    expect(await readOutboxMessage(dataDir, result.file!)).not.toBeNull();
  });
});

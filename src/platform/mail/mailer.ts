import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeMimeWords, headerBlock, parseHeaderBlock } from './headers.js';

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  /** e.g. `application/pdf`, or `text/calendar; method=REQUEST; charset=UTF-8` for an invitation. */
  contentType: string;
}

export interface MailMessage {
  /** One recipient: `mario.rossi@example.it` or `Mario Rossi <mario.rossi@example.it>`. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** Extra headers (e.g. Reply-To, List-Unsubscribe); addressing and MIME headers are refused. */
  headers?: Record<string, string>;
  /**
   * The mail carries a secret (a sign-in, verification or invitation link): it is never stored to
   * be sent again later (MailQueue); when it cannot be sent now, sending fails.
   */
  holdsSecret?: boolean;
  /** After this moment the mail means nothing any more (a meeting that has begun): not sent again later. */
  expiresAt?: Date;
}

export interface SendResult {
  messageId: string;
  transport: 'smtp' | 'outbox';
  /** The .eml file name in the outbox (outbox transport only). */
  file?: string;
  /** Not sent yet: the mail server could not take it now; it is kept and sent again later (MailQueue). */
  queued?: boolean;
}

export interface Mailer {
  /** Where mails go: a real SMTP server, or the development outbox folder. */
  readonly transport: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<SendResult>;
  /** Close pooled SMTP connections; the mailer must not be used afterwards. */
  close(): Promise<void>;
}

/** The part of a pino / Fastify logger the mailer uses. */
export interface MailLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mails are written to `<dataDir>/outbox`. */
  smtpUrl: string | undefined;
  /** Sender, e.g. `Clusterhub <noreply@example.it>`. */
  mailFrom: string;
  dataDir: string;
  logger: MailLogger;
}

export const OUTBOX_DIR = 'outbox';

/** `2025-03-14T09-26-53.589Z-1a2b3c4d.eml`: an ISO 8601 UTC timestamp with `-` for `:` (valid on every OS). */
const OUTBOX_FILE = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}\.\d{3})Z-[0-9a-f]{8}\.eml$/;

/** Headers a caller may not set: they are derived from the message fields or by the MIME composer. */
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, OUTBOX_DIR);
}

/** Refuse a message whose addressing or headers could be abused (thrown before anything is sent). */
export function checkMessage(message: MailMessage): void {
  for (const [field, value] of [
    ['to', message.to],
    ['subject', message.subject],
  ] as const) {
    if (/[\r\n]/.test(value)) throw new TypeError(`Mail ${field} must be a single line`);
  }
  if (message.to.trim() === '') throw new TypeError('Mail recipient is required');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`Invalid mail header name: ${JSON.stringify(name)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new TypeError(`Mail header ${name} cannot be set directly`);
    if (/[\r\n]/.test(value)) throw new TypeError(`Mail header ${name} must be a single line`);
  }
}

function toNodemailer(message: MailMessage) {
  return {
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.attachments
      ? {
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content: a.content,
            contentType: a.contentType,
          })),
        }
      : {}),
    ...(message.headers ? { headers: { ...message.headers } } : {}),
  };
}

/** Shared by both transports: never read local files or fetch URLs named in a message. */
const SAFE_CONTENT = { disableFileAccess: true, disableUrlAccess: true } as const;

export function createMailer(options: MailerOptions): Mailer {
  const { smtpUrl, mailFrom, dataDir, logger } = options;
  return smtpUrl ? smtpMailer(smtpUrl, mailFrom, logger) : outboxMailer(mailFrom, dataDir, logger);
}

/** nodemailer is loaded with the first mail, not at start-up: docs/decisions/007-performance.md. */
async function smtpTransport(smtpUrl: string, mailFrom: string, logger: MailLogger) {
  const { default: nodemailer } = await import('nodemailer');
  // Keys given in the URL query (e.g. ?maxConnections=1) take precedence over these defaults.
  const transporter = nodemailer.createTransport(
    {
      url: smtpUrl,
      pool: true,
      maxConnections: 3,
      maxMessages: 100,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
      dnsTimeout: 10_000,
      ...SAFE_CONTENT,
    },
    { from: mailFrom },
  );
  // An unhandled 'error' event would crash the process; a failed send also rejects its promise.
  transporter.on('error', (err: unknown) => logger.error({ err, transport: 'smtp' }, 'SMTP transport error'));
  return transporter;
}

function smtpMailer(smtpUrl: string, mailFrom: string, logger: MailLogger): Mailer {
  let transport: ReturnType<typeof smtpTransport> | undefined;
  return {
    transport: 'smtp',
    async send(message) {
      checkMessage(message);
      try {
        const transporter = await (transport ??= smtpTransport(smtpUrl, mailFrom, logger));
        const info = await transporter.sendMail(toNodemailer(message));
        logger.info(
          { to: message.to, subject: message.subject, messageId: info.messageId, transport: 'smtp' },
          'mail sent',
        );
        return { messageId: info.messageId, transport: 'smtp' };
      } catch (err) {
        logger.error({ err, to: message.to, subject: message.subject, transport: 'smtp' }, 'mail not sent');
        throw err;
      }
    },
    async close() {
      if (transport) (await transport).close();
    },
  };
}

async function outboxComposer(mailFrom: string) {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...SAFE_CONTENT }, { from: mailFrom });
}

function outboxMailer(mailFrom: string, dataDir: string, logger: MailLogger): Mailer {
  let composing: ReturnType<typeof outboxComposer> | undefined;
  const dir = outboxDir(dataDir);
  return {
    transport: 'outbox',
    async send(message) {
      checkMessage(message);
      try {
        const composer = await (composing ??= outboxComposer(mailFrom));
        const info = await composer.sendMail(toNodemailer(message));
        if (!Buffer.isBuffer(info.message)) throw new Error('The stream transport did not return a buffer');
        const stamp = new Date().toISOString().replaceAll(':', '-');
        const file = `${stamp}-${randomBytes(4).toString('hex')}.eml`;
        await fs.mkdir(dir, { recursive: true });
        // Outbox mails may carry sign-in links: readable by the service user only.
        await fs.writeFile(path.join(dir, file), info.message, { flag: 'wx', mode: 0o600 });
        logger.info(
          { to: message.to, subject: message.subject, messageId: info.messageId, transport: 'outbox', file },
          'mail written to the outbox',
        );
        return { messageId: info.messageId, transport: 'outbox', file };
      } catch (err) {
        logger.error({ err, to: message.to, subject: message.subject, transport: 'outbox' }, 'mail not written');
        throw err;
      }
    },
    async close() {
      if (composing) (await composing).close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Development outbox

export interface OutboxEntry {
  /** Base name of the .eml file, the key for readOutboxMessage. */
  file: string;
  /** When the mail was written (from the file name, millisecond precision). */
  date: Date;
  /** The To header, RFC 2047 words decoded. */
  to: string;
  subject: string;
  messageId: string | undefined;
}

export interface OutboxMessage extends OutboxEntry {
  /** The whole message in RFC 822 form, as written. */
  raw: string;
}

/** Whether `file` is an outbox file name (a base name, never a path). */
export function isOutboxFile(file: string): boolean {
  return OUTBOX_FILE.test(file);
}

function dateOfFile(file: string): Date {
  const match = OUTBOX_FILE.exec(file);
  if (!match) throw new RangeError(`Not an outbox file: ${file}`);
  const [, day, hh, mm, ss] = match;
  return new Date(`${day}T${hh}:${mm}:${ss}Z`);
}

function entryOf(file: string, raw: string): OutboxEntry {
  const headers = parseHeaderBlock(headerBlock(raw));
  const first = (name: string) => headers.get(name)?.[0];
  return {
    file,
    date: dateOfFile(file),
    to: decodeMimeWords(headers.get('to')?.join(', ') ?? ''),
    subject: decodeMimeWords(first('subject') ?? ''),
    messageId: first('message-id'),
  };
}

/** Read the start of a file, up to the end of its header block (or 256 KiB). */
async function readHead(filePath: string): Promise<string> {
  const handle = await fs.open(filePath, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < 256 * 1024) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(16 * 1024), 0, 16 * 1024, total);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (/\r?\n\r?\n/.test(Buffer.concat(chunks).toString('latin1'))) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The mails in the development outbox, newest first; an empty list when there is no outbox yet. */
export async function listOutbox(dataDir: string, options: { limit?: number } = {}): Promise<OutboxEntry[]> {
  const dir = outboxDir(dataDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // The timestamp leads the name, so the name order is the time order.
  const files = names.filter(isOutboxFile).sort().reverse().slice(0, options.limit);
  const entries = await Promise.all(
    files.map(async (file) => {
      try {
        return entryOf(file, await readHead(path.join(dir, file)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed meanwhile
        throw error;
      }
    }),
  );
  return entries.filter((entry) => entry !== undefined);
}

/**
 * One outbox mail by file name, or null when there is no such mail. Only base names of the outbox
 * pattern are accepted, so `../etc/passwd` and any other path is refused (null) without touching
 * the file system.
 */
export async function readOutboxMessage(dataDir: string, file: string): Promise<OutboxMessage | null> {
  if (typeof file !== 'string' || !isOutboxFile(file) || path.basename(file) !== file) return null;
  let raw: string;
  try {
    raw = await fs.readFile(path.join(outboxDir(dataDir), file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { ...entryOf(file, raw), raw };
}

import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { checkMessage, type MailAttachment, type Mailer, type MailLogger, type MailMessage, type SendResult } from './mailer.js';

/**
 * Minutes to wait after the 1st, 2nd, … failed attempt before the next; after the last attempt the
 * mail is given up. Eight attempts over about eight hours: a mail server down for a night's
 * maintenance still gets the morning's mails.
 */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 30, 60, 120, 240] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;
/** How long one attempt may take before another instance may try the same mail again. */
const LEASE_MS = 5 * 60_000;
/** A run of the job stops taking mails after this long (the other jobs wait for it). */
const RUN_BUDGET_MS = 60_000;
/** Mails given up are listed for this long, then forgotten (they name a recipient). */
const KEEP_GIVEN_UP_MS = 30 * 24 * 3_600_000;

interface StoredAttachment {
  filename: string;
  contentType: string;
  content: string;
  encoding: 'base64' | 'utf8';
}

interface StoredMessage extends Omit<MailMessage, 'attachments' | 'expiresAt'> {
  attachments?: StoredAttachment[];
  expiresAt?: string;
}

export interface UndeliveredMail {
  id: string;
  to: string;
  subject: string;
  createdAt: Date;
  attempts: number;
  /** When it is tried again; null once given up. */
  nextAttemptAt: Date | null;
  failedAt: Date | null;
  lastError: string | null;
}

function store(message: MailMessage): StoredMessage {
  const { attachments, expiresAt, ...rest } = message;
  const stored: StoredMessage = { ...rest, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
  if (attachments) {
    stored.attachments = attachments.map((a) =>
      Buffer.isBuffer(a.content)
        ? { filename: a.filename, contentType: a.contentType, content: a.content.toString('base64'), encoding: 'base64' }
        : { filename: a.filename, contentType: a.contentType, content: a.content, encoding: 'utf8' },
    );
  }
  return stored;
}

function restore(stored: StoredMessage): MailMessage {
  const { attachments, expiresAt, ...rest } = stored;
  const message: MailMessage = { ...rest, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) };
  if (attachments) {
    message.attachments = attachments.map(
      (a): MailAttachment => ({ filename: a.filename, contentType: a.contentType, content: a.encoding === 'base64' ? Buffer.from(a.content, 'base64') : a.content }),
    );
  }
  return message;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

/** The mail server refused the mail for good (an SMTP 5xx reply: unknown mailbox, policy): trying again cannot help. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500;
}

/**
 * Mail that a passing outage of the mail server does not lose. `send` asks the transport (SMTP or
 * the development outbox) at once; when it cannot take the mail, the mail is stored (`mail_queue`)
 * and `send` still resolves, with `queued: true`: what the person did has happened. The mail job
 * (`retryDue`, every minute, any instance) tries it again after each of RETRY_DELAYS_MINUTES,
 * one mail at a time under a lease, so two instances never send it at once. It is given up after
 * MAX_ATTEMPTS, at once when the server refused it for good (5xx), or when its `expiresAt` has
 * passed; a mail given up keeps its recipient and subject only, for 30 days.
 *
 * Only mails that could not be sent are stored, and never a mail with `holdsSecret` (a sign-in,
 * verification or invitation link): the database keeps only hashes of those tokens, so such a mail
 * fails with `mail.unavailable` (503, "try again in a few minutes") and the person can ask again.
 * A malformed mail (`checkMessage`) is refused before anything else. Delivery is at least once: a
 * run that dies after the server took a mail but before forgetting it sends it again when its
 * lease ends.
 */
export class MailQueue implements Mailer {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly inner: Mailer,
    private readonly logger: MailLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get transport(): Mailer['transport'] {
    return this.inner.transport;
  }

  async send(message: MailMessage): Promise<SendResult> {
    checkMessage(message);
    try {
      return await this.inner.send(message);
    } catch (error) {
      // The inner mailer logged the failure; the person is told to try again.
      if (message.holdsSecret) throw new AppError('mail.unavailable');
      const now = this.clock();
      const given = this.givenUp(error, message, 1, now);
      try {
        await this.db
          .insertInto('mail_queue')
          .values({
            id: randomUUID(),
            message: JSON.stringify(given ? identity(message) : store(message)),
            created_at: now,
            attempts: 1,
            next_attempt_at: given ? now : this.nextAttempt(1, now),
            failed_at: given ? now : null,
            last_error: errorText(error),
          })
          .execute();
      } catch (storing) {
        this.logger.error({ err: storing, to: message.to, subject: message.subject }, 'mail not stored for another attempt');
        throw error;
      }
      this.logKept(error, message, 1, given);
      return { messageId: '', transport: this.inner.transport, queued: true };
    }
  }

  /**
   * Send the mails due at `now`, one at a time (each claimed under its own lease just before its
   * attempt), until none is due or the run has taken RUN_BUDGET_MS; forget mails given up more than
   * 30 days ago. Returns how many mails were tried.
   */
  async retryDue(now = this.clock()): Promise<number> {
    await this.db.deleteFrom('mail_queue').where('failed_at', '<', new Date(now.getTime() - KEEP_GIVEN_UP_MS)).execute();
    const started = Date.now();
    let tried = 0;
    while (Date.now() - started < RUN_BUDGET_MS) {
      const claimedAt = this.clock();
      const lease = new Date(claimedAt.getTime() + LEASE_MS);
      const { rows } = await sql<{ id: string; message: StoredMessage; attempts: number }>`
        UPDATE mail_queue SET locked_until = ${lease}
        WHERE id = (
          SELECT id FROM mail_queue
          WHERE failed_at IS NULL AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until <= ${claimedAt})
          ORDER BY next_attempt_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        )
        AND (locked_until IS NULL OR locked_until <= ${claimedAt})
        RETURNING id, message, attempts`.execute(this.db);
      const row = rows[0];
      if (!row) break;
      tried += 1;
      await this.retry(row.id, restore(row.message), row.attempts, lease);
    }
    return tried;
  }

  /** Mails waiting for another attempt, and mails given up (for the health of the installation). */
  async counts(): Promise<{ waiting: number; failed: number }> {
    const row = await this.db
      .selectFrom('mail_queue')
      .select([sql<number>`count(*) FILTER (WHERE failed_at IS NULL)::int`.as('waiting'), sql<number>`count(*) FILTER (WHERE failed_at IS NOT NULL)::int`.as('failed')])
      .executeTakeFirstOrThrow();
    return { waiting: row.waiting, failed: row.failed };
  }

  /** The mails waiting for another attempt (first) and those given up, newest first, at most `limit`. */
  async undelivered(limit = 100): Promise<UndeliveredMail[]> {
    const rows = await this.db
      .selectFrom('mail_queue')
      .select(['id', 'message', 'created_at', 'attempts', 'next_attempt_at', 'failed_at', 'last_error'])
      .orderBy(sql`failed_at IS NOT NULL`)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const m = r.message as StoredMessage;
      return { id: r.id, to: m.to, subject: m.subject, createdAt: r.created_at, attempts: r.attempts, nextAttemptAt: r.failed_at ? null : r.next_attempt_at, failedAt: r.failed_at, lastError: r.last_error };
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private nextAttempt(attempts: number, now: Date): Date {
    return new Date(now.getTime() + RETRY_DELAYS_MINUTES[attempts - 1]! * 60_000);
  }

  /** Whether a mail that just failed its `attempts`-th attempt is given up. */
  private givenUp(error: unknown, message: MailMessage, attempts: number, now: Date): boolean {
    if (attempts >= MAX_ATTEMPTS || permanent(error)) return true;
    // Not worth another attempt if the next would come after the mail stops meaning anything.
    return !!message.expiresAt && this.nextAttempt(attempts, now) >= message.expiresAt;
  }

  private logKept(error: unknown, message: MailMessage, attempts: number, given: boolean): void {
    if (given) this.logger.error({ err: error, to: message.to, subject: message.subject, attempts }, 'mail given up');
    else this.logger.info({ err: error, to: message.to, subject: message.subject, attempts }, 'mail kept for another attempt');
  }

  /** One more attempt at a stored mail whose lease this run holds; only that lease's holder may record the outcome. */
  private async retry(id: string, message: MailMessage, attemptsBefore: number, lease: Date): Promise<void> {
    const now = this.clock();
    let error: unknown;
    if (message.expiresAt && message.expiresAt <= now) {
      error = new Error('expired before it could be sent');
    } else {
      try {
        await this.inner.send(message);
      } catch (failure) {
        error = failure;
      }
    }
    if (error === undefined) {
      try {
        await this.db.deleteFrom('mail_queue').where('id', '=', id).where('locked_until', '=', lease).execute();
      } catch (forgetting) {
        // Sent: the worst left is a second copy when the lease ends.
        this.logger.error({ err: forgetting, to: message.to, subject: message.subject }, 'mail sent but not removed from the queue');
      }
      return;
    }
    const attempts = attemptsBefore + 1;
    const after = this.clock();
    const given = this.givenUp(error, message, attempts, after);
    await this.db
      .updateTable('mail_queue')
      .set(
        given
          ? { attempts, failed_at: after, locked_until: null, last_error: errorText(error), message: JSON.stringify(identity(message)) }
          : { attempts, next_attempt_at: this.nextAttempt(attempts, after), locked_until: null, last_error: errorText(error) },
      )
      .where('id', '=', id)
      .where('locked_until', '=', lease)
      .execute();
    this.logKept(error, message, attempts, given);
  }
}

/** What is kept of a mail given up: who it was for and what it was about (the body may be personal). */
function identity(message: MailMessage): StoredMessage {
  return { to: message.to, subject: message.subject, text: '' };
}

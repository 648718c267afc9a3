import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { checkMessage, type MailAttachment, type Mailer, type MailLogger, type MailMessage, type SendResult } from './mailer.js';

/**
 * Minutes to wait after the 1st, 2nd, … failed attempt; after the last one the mail is given up.
 * Eight attempts over about eight hours: a mail server down for a night's maintenance still gets
 * the morning's mails.
 */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 30, 60, 120, 240] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;
/** How long one attempt may take before another instance may try the same mail again. */
const LEASE_MS = 5 * 60_000;
/** Mails taken per run of the job. */
const BATCH = 50;

interface StoredAttachment {
  filename: string;
  contentType: string;
  content: string;
  encoding: 'base64' | 'utf8';
}

interface StoredMessage extends Omit<MailMessage, 'attachments'> {
  attachments?: StoredAttachment[];
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
  const { attachments, ...rest } = message;
  if (!attachments) return rest;
  return {
    ...rest,
    attachments: attachments.map((a) =>
      Buffer.isBuffer(a.content)
        ? { filename: a.filename, contentType: a.contentType, content: a.content.toString('base64'), encoding: 'base64' }
        : { filename: a.filename, contentType: a.contentType, content: a.content, encoding: 'utf8' },
    ),
  };
}

function restore(stored: StoredMessage): MailMessage {
  const { attachments, ...rest } = stored;
  if (!attachments) return rest;
  return {
    ...rest,
    attachments: attachments.map(
      (a): MailAttachment => ({ filename: a.filename, contentType: a.contentType, content: a.encoding === 'base64' ? Buffer.from(a.content, 'base64') : a.content }),
    ),
  };
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

/**
 * At-least-once mail: every mail is stored (`mail_queue`) before the transport is asked to send it,
 * and deleted once the transport took it. When the mail server cannot be reached or refuses the
 * mail, `send` still resolves (with `queued: true`): what the person did has happened, and the mail
 * stays in the queue with the time of its next attempt; `retryDue` (a job, every minute) sends
 * what is due, each mail under a lease so that two instances never send it at the same time.
 * After MAX_ATTEMPTS the mail is given up: logged, kept with its recipient and subject only.
 * A mail the transport refuses as malformed (`checkMessage`) is never stored: the caller's bug.
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
    const id = randomUUID();
    const now = this.clock();
    await this.db
      .insertInto('mail_queue')
      .values({ id, message: JSON.stringify(store(message)), next_attempt_at: now, locked_until: new Date(now.getTime() + LEASE_MS) })
      .execute();
    return this.attempt(id, message, 0);
  }

  /** Send the mails whose next attempt is due; returns how many were taken. */
  async retryDue(now = this.clock()): Promise<number> {
    const lease = new Date(now.getTime() + LEASE_MS);
    const { rows } = await sql<{ id: string; message: StoredMessage; attempts: number }>`
      UPDATE mail_queue SET locked_until = ${lease}
      WHERE id IN (
        SELECT id FROM mail_queue
        WHERE failed_at IS NULL AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY next_attempt_at
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, message, attempts`.execute(this.db);
    for (const row of rows) await this.attempt(row.id, restore(row.message), row.attempts);
    return rows.length;
  }

  /** Mails waiting for another attempt, and mails given up (for the health of the installation). */
  async counts(): Promise<{ waiting: number; failed: number }> {
    const row = await this.db
      .selectFrom('mail_queue')
      .select([sql<number>`count(*) FILTER (WHERE failed_at IS NULL)::int`.as('waiting'), sql<number>`count(*) FILTER (WHERE failed_at IS NOT NULL)::int`.as('failed')])
      .executeTakeFirstOrThrow();
    return { waiting: row.waiting, failed: row.failed };
  }

  /** The mails not delivered yet and those given up, newest first (for the Region's mail page). */
  async undelivered(limit = 100): Promise<UndeliveredMail[]> {
    const rows = await this.db
      .selectFrom('mail_queue')
      .select(['id', 'message', 'created_at', 'attempts', 'next_attempt_at', 'failed_at', 'last_error'])
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

  private async attempt(id: string, message: MailMessage, attemptsBefore: number): Promise<SendResult> {
    let result: SendResult;
    try {
      result = await this.inner.send(message);
    } catch (error) {
      const attempts = attemptsBefore + 1;
      const now = this.clock();
      if (attempts >= MAX_ATTEMPTS) {
        // The body may hold a sign-in link: only what identifies the mail is kept.
        await this.db
          .updateTable('mail_queue')
          .set({ attempts, failed_at: now, locked_until: null, last_error: errorText(error), message: JSON.stringify({ to: message.to, subject: message.subject, text: '' }) })
          .where('id', '=', id)
          .execute();
        this.logger.error({ err: error, to: message.to, subject: message.subject, attempts }, 'mail given up');
      } else {
        const next = new Date(now.getTime() + RETRY_DELAYS_MINUTES[attempts - 1]! * 60_000);
        await this.db.updateTable('mail_queue').set({ attempts, next_attempt_at: next, locked_until: null, last_error: errorText(error) }).where('id', '=', id).execute();
        this.logger.info({ to: message.to, subject: message.subject, attempts, nextAttemptAt: next.toISOString() }, 'mail kept for another attempt');
      }
      return { messageId: '', transport: this.inner.transport, queued: true };
    }
    await this.db.deleteFrom('mail_queue').where('id', '=', id).execute();
    return result;
  }
}

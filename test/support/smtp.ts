import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the local SMTP server received it: parsed, with its SMTP envelope and raw bytes. */
export interface ReceivedMail extends ParsedMail {
  envelope: { from: string | undefined; to: string[] };
  raw: Buffer;
}

export type MailPredicate = (mail: ReceivedMail) => boolean;

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  port: number;
  /** Every message received since start (or the last clear), oldest first. */
  messages: ReceivedMail[];
  /** The first message, already received or still to come, that matches; rejects after timeoutMs. */
  waitForMail(predicate?: MailPredicate, timeoutMs?: number): Promise<ReceivedMail>;
  /** Forget the messages received so far. */
  clear(): void;
  close(): Promise<void>;
}

interface Waiter {
  predicate: MailPredicate;
  resolve(mail: ReceivedMail): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A real SMTP server on 127.0.0.1 (no TLS, no authentication) that keeps what it receives; on a
 * random port, or on `port` (a server back on the address of one that was closed). It refuses the
 * recipients in `rejectRecipients` for good (550), as a server refuses an unknown mailbox.
 */
export async function startSmtpServer(options: { port?: number; rejectRecipients?: string[] } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<Waiter>();

  const deliver = (mail: ReceivedMail) => {
    messages.push(mail);
    for (const waiter of waiters) {
      let matches: boolean;
      try {
        matches = waiter.predicate(mail);
      } catch (error) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.reject(error as Error);
        continue;
      }
      if (matches) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(mail);
      }
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      if (!options.rejectRecipients?.includes(address.address)) return callback();
      const refused = Object.assign(new Error('Mailbox unknown'), { responseCode: 550 });
      return callback(refused);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        simpleParser(raw).then(
          (parsed) => {
            deliver(Object.assign(parsed, { envelope, raw }));
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitForMail(predicate = () => true, timeoutMs = 5_000) {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = messages.map((m) => JSON.stringify(m.subject ?? '')).join(', ') || 'none';
            reject(new Error(`No matching mail within ${timeoutMs} ms (received: ${seen})`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    clear() {
      messages.length = 0;
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('SMTP test server closed'));
      }
      waiters.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';
import { nextTurn } from '../platform/turns.js';

type Serialize = typeof serialize;

/** Connections made in this process (their statement names must not meet in a shared session). */
let connections = 0;

/**
 * node-postgres's connection to an embedded PGlite, sending each extended-protocol exchange in one
 * call. PGlite's own adapter (`@electric-sql/pglite/node-postgres`) hands every message to the
 * database separately: a query with parameters is five calls into the WebAssembly engine (parse,
 * bind, describe, execute, sync), each with its own result parsing, promise chain and file-system
 * sync check. Here the messages of an exchange are kept until node-postgres sends `sync` (or
 * `flush`) and then go together, as they would in one TCP write to a server: same messages, same
 * order, same answers (PostgreSQL processes them one by one and, after an error, skips to the
 * sync as usual).
 *
 * It also keeps the statements it was given as prepared statements of the session, by SQL text
 * (as asyncpg and JDBC drivers do): the second time a statement comes, it is only bound and
 * executed, not parsed, analysed and planned again (PostgreSQL's plan cache: custom plans for the
 * first five executions, then a generic plan if its estimated cost is no worse). On PGlite that
 * work shares the one thread with Node: ~1 ms of an uncached search's ~8 ms of SQL. At most
 * `statements` are kept (least recently used closed first); an exchange that fails forgets the
 * statements it used; a schema change (a simple query that creates, alters or drops) forgets all
 * of them, so no kept statement outlives the shape of what it reads.
 * docs/decisions/007-performance.md, "Uncached search and signed-in pages on PGlite".
 *
 * Messages are written by node-postgres's own protocol writer (`pg-protocol`, the one it uses on
 * a TCP connection to PostgreSQL), not by PGlite's port of it: the messages are equivalent (a
 * bind ends with "results as text" where PGlite's port gave no result format, which means the
 * same), but PGlite's counts the UTF-8 length of every text parameter in a JavaScript loop, ~150 ms
 * for the ~20 MB of JSON a 10,000-row member import binds; `pg-protocol` uses `Buffer.byteLength`.
 */
export class BatchingPgliteConnection extends EventEmitter {
  /** Read by node-postgres (prepared statement bookkeeping). */
  parsedStatements: Record<string, string> = {};
  submittedNamedStatements: Record<string, string> = {};
  _connecting = false;
  readonly stream = { destroy: () => this.end() };
  private pending: Uint8Array[] = [];
  /** Exchanges run one after another, in the order node-postgres sent them. */
  private chain: Promise<void>;
  private forwardMessages = false;
  /** Prepared statements of the session: key (parameter types and text) → name, oldest first. */
  private readonly statements = new Map<string, string>();
  private statementCount = 0;
  private readonly prefix = `clusterhub_${(connections += 1)}_`;
  /** The statement the next bind refers to (when node-postgres binds the unnamed one). */
  private boundStatement = '';
  /** Keys of the statements the exchange being built uses (forgotten if it fails). */
  private used: string[] = [];
  /** Statements to close at the start of the next exchange. */
  private closing: string[] = [];
  /** When the current run of back-to-back exchanges began, and whether the event loop has turned since. */
  private runStart = 0;
  private loopTurned = true;

  constructor(
    private readonly pglite: PGlite,
    private readonly maxStatements = 256,
  ) {
    super();
    this.chain = pglite.waitReady;
    this.on('newListener', (event) => {
      if (event === 'message') this.forwardMessages = true;
    });
  }

  async connect(): Promise<void> {
    this._connecting = true;
    await this.pglite.waitReady;
    process.nextTick(() => this.emit('readyForQuery'));
  }

  requestSsl(): void {}
  startup(): void {}
  cancel(): void {}
  password(): void {}
  ref(): void {}
  unref(): void {}

  // Messages of an extended-protocol exchange: kept until sync or flush.
  parse(query: Parameters<Serialize['parse']>[0]): void {
    // Statements node-postgres names itself are its own business.
    if (query.name || this.maxStatements <= 0) {
      this.boundStatement = '';
      this.pending.push(serialize.parse(query));
      return;
    }
    const key = `${(query.types ?? []).join(',')}\u0000${query.text}`;
    let name = this.statements.get(key);
    if (name !== undefined) {
      // Kept: most recently used last.
      this.statements.delete(key);
      this.statements.set(key, name);
    } else {
      name = `${this.prefix}${(this.statementCount += 1)}`;
      this.statements.set(key, name);
      this.pending.push(serialize.parse({ ...query, name }));
      if (this.statements.size > this.maxStatements) {
        const [oldestKey, oldest] = this.statements.entries().next().value as [string, string];
        this.statements.delete(oldestKey);
        this.closing.push(oldest);
      }
    }
    this.used.push(key);
    this.boundStatement = name;
  }
  bind(config: Parameters<Serialize['bind']>[0]): void {
    const statement = config?.statement || this.boundStatement;
    this.pending.push(serialize.bind(statement ? { ...config, statement } : config));
  }
  describe(msg: Parameters<Serialize['describe']>[0]): void {
    this.pending.push(serialize.describe(msg));
  }
  execute(config: Parameters<Serialize['execute']>[0]): void {
    this.pending.push(serialize.execute(config));
  }
  close(msg: Parameters<Serialize['close']>[0]): void {
    this.pending.push(serialize.close(msg));
  }
  sync(): void {
    this.pending.push(serialize.sync());
    this.send();
  }
  flush(): void {
    this.pending.push(serialize.flush());
    this.send();
  }

  // Messages that stand alone.
  query(text: string): void {
    // A schema change can change what a kept statement returns: forget them all.
    if (this.statements.size > 0 && /\b(create|alter|drop|truncate|discard|deallocate)\b/i.test(text)) this.forgetAll();
    this.pending.push(serialize.query(text));
    this.send();
  }
  sendCopyFromChunk(chunk: Buffer): void {
    this.pending.push(serialize.copyData(chunk));
    this.send(false);
  }
  endCopyFrom(): void {
    this.pending.push(serialize.copyDone());
    this.send(false);
  }
  sendCopyFail(message: string): void {
    this.pending.push(serialize.copyFail(message));
    this.send(false);
  }
  sendSASLInitialResponseMessage(mechanism: string, initialResponse: string): void {
    this.pending.push(serialize.sendSASLInitialResponseMessage(mechanism, initialResponse));
    this.send(false);
  }
  sendSCRAMClientFinalMessage(additionalData: string): void {
    this.pending.push(serialize.sendSCRAMClientFinalMessage(additionalData));
    this.send(false);
  }

  end(): void {
    this.chain = this.chain.then(() => {
      this.emit('end');
    });
    for (const event of this.eventNames()) if (event !== 'newListener') this.removeAllListeners(event);
    this.forwardMessages = false;
  }

  private forgetAll(): void {
    for (const name of this.statements.values()) this.closing.push(name);
    this.statements.clear();
  }

  /** Send what is pending (after closing the statements to close, unless it is part of a copy or a sign-in). */
  private send(closeFirst = true): void {
    let parts = this.pending;
    if (closeFirst && this.closing.length > 0) {
      parts = [...this.closing.map((name) => serialize.close({ type: 'S', name })), ...parts];
      this.closing = [];
    }
    this.pending = [];
    const used = this.used;
    this.used = [];
    this.boundStatement = '';
    const bytes = parts.length === 1 ? parts[0]! : concat(parts);
    this.chain = this.chain
      .then(() => this.yieldIfLong())
      // One file-system sync check per exchange instead of one per message.
      .then(() => this.pglite.execProtocolStream(bytes, { throwOnError: false }))
      .then((messages) => {
        // Failed: which of its statements were prepared is unknown, so none of them is kept.
        if (used.length > 0 && messages.some((m) => m.name === 'error')) this.forget(used);
        for (const message of messages) {
          if (this.forwardMessages) this.emit('message', message);
          this.emit(message.name === 'error' ? 'errorMessage' : message.name, message);
        }
      })
      .catch((error: unknown) => {
        this.forget(used);
        this.emit('error', error);
      });
  }

  /**
   * The engine runs on Node's thread: exchanges that follow one another only through promises
   * keep Node from accepting connections, reading requests and running timers until the whole
   * chain has ended (a start's warm-up was ~0.3 s of statements before the first request was even
   * read). So once exchanges have run back to back for SLICE_MS without the event loop turning,
   * the next one waits for a turn. Short chains (a request's few statements) never wait.
   */
  private yieldIfLong(): Promise<void> | undefined {
    const now = performance.now();
    if (this.loopTurned) {
      // The event loop has turned since the run began: a new run starts here.
      this.loopTurned = false;
      this.runStart = now;
      void nextTurn().then(() => {
        this.loopTurned = true;
      });
      return undefined;
    }
    if (now - this.runStart < SLICE_MS) return undefined;
    return nextTurn();
  }

  private forget(keys: string[]): void {
    for (const key of keys) {
      const name = this.statements.get(key);
      if (name === undefined) continue;
      this.statements.delete(key);
      // Closing a statement that was never prepared is not an error.
      this.closing.push(name);
    }
  }
}

/** How long exchanges may run back to back before the next one waits for a turn of the event loop. */
export const SLICE_MS = 10;

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** node-postgres pool options for one embedded database (one connection: PGlite is single-session). */
export function pglitePoolConfig(pglite: PGlite, maxStatements?: number) {
  return {
    max: 1,
    user: 'postgres',
    password: 'dummy',
    database: 'postgres',
    host: 'localhost',
    port: 5432,
    connection: new BatchingPgliteConnection(pglite, maxStatements),
  };
}

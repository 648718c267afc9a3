import { EventEmitter } from 'node:events';
import { protocol, type PGlite } from '@electric-sql/pglite';

type Serialize = typeof protocol.serialize;

/**
 * node-postgres's connection to an embedded PGlite, sending each extended-protocol exchange in one
 * call. PGlite's own adapter (`@electric-sql/pglite/node-postgres`) hands every message to the
 * database separately: a query with parameters is five calls into the WebAssembly engine (parse,
 * bind, describe, execute, sync), each with its own result parsing, promise chain and file-system
 * sync check. Here the messages of an exchange are kept until node-postgres sends `sync` (or
 * `flush`) and then go together, as they would in one TCP write to a server: same messages, same
 * order, same answers (PostgreSQL processes them one by one and, after an error, skips to the
 * sync as usual). docs/decisions/007-performance.md, "Uncached search and signed-in pages".
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

  constructor(private readonly pglite: PGlite) {
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
    this.pending.push(protocol.serialize.parse(query));
  }
  bind(config: Parameters<Serialize['bind']>[0]): void {
    this.pending.push(protocol.serialize.bind(config));
  }
  describe(msg: Parameters<Serialize['describe']>[0]): void {
    this.pending.push(protocol.serialize.describe(msg));
  }
  execute(config: Parameters<Serialize['execute']>[0]): void {
    this.pending.push(protocol.serialize.execute(config));
  }
  close(msg: Parameters<Serialize['close']>[0]): void {
    this.pending.push(protocol.serialize.close(msg));
  }
  sync(): void {
    this.pending.push(protocol.serialize.sync());
    this.send();
  }
  flush(): void {
    this.pending.push(protocol.serialize.flush());
    this.send();
  }

  // Messages that stand alone.
  query(text: string): void {
    this.pending.push(protocol.serialize.query(text));
    this.send();
  }
  sendCopyFromChunk(chunk: ArrayBuffer): void {
    this.pending.push(protocol.serialize.copyData(chunk));
    this.send();
  }
  endCopyFrom(): void {
    this.pending.push(protocol.serialize.copyDone());
    this.send();
  }
  sendCopyFail(message: string): void {
    this.pending.push(protocol.serialize.copyFail(message));
    this.send();
  }
  sendSASLInitialResponseMessage(mechanism: string, initialResponse: string): void {
    this.pending.push(protocol.serialize.sendSASLInitialResponseMessage(mechanism, initialResponse));
    this.send();
  }
  sendSCRAMClientFinalMessage(additionalData: string): void {
    this.pending.push(protocol.serialize.sendSCRAMClientFinalMessage(additionalData));
    this.send();
  }

  end(): void {
    this.chain = this.chain.then(() => {
      this.emit('end');
    });
    for (const event of this.eventNames()) if (event !== 'newListener') this.removeAllListeners(event);
    this.forwardMessages = false;
  }

  private send(): void {
    const parts = this.pending;
    this.pending = [];
    const bytes = parts.length === 1 ? parts[0]! : concat(parts);
    this.chain = this.chain
      // One file-system sync check per exchange instead of one per message.
      .then(() => this.pglite.execProtocolStream(bytes, { throwOnError: false }))
      .then((messages) => {
        for (const message of messages) {
          if (this.forwardMessages) this.emit('message', message);
          this.emit(message.name === 'error' ? 'errorMessage' : message.name, message);
        }
      })
      .catch((error: unknown) => {
        this.emit('error', error);
      });
  }
}

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
export function pglitePoolConfig(pglite: PGlite) {
  return {
    max: 1,
    user: 'postgres',
    password: 'dummy',
    database: 'postgres',
    host: 'localhost',
    port: 5432,
    connection: new BatchingPgliteConnection(pglite),
  };
}

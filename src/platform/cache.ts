/**
 * HTTP caching for anonymous reads: an ETag and Cache-Control on every response that may be
 * cached, and a small in-process cache of those responses (LRU, bounded in entries and bytes),
 * with their gzip/brotli forms computed once.
 *
 * What is cached: GET answers with status 200, HTML or JSON, to a request without a session
 * (no `sid` cookie, no principal), that set no cookie, did not create a CSRF token, and whose
 * route did not opt out (`config: { cache: false }`) or say `no-store`/`private`. The key is the
 * URL (path and query) and the resolved language.
 *
 * Invalidation: one version counter for the process. It is bumped by every audited write
 * (`audit()` calls `bumpCacheVersion()`, inside the writer's transaction) and again after every
 * unsafe request (POST/PUT/PATCH/DELETE) has been answered, i.e. after its commit — so a response
 * rendered from data read before a commit is never kept. An entry is stored only if the version
 * did not move while its request ran.
 *
 * Several instances on one database: another instance's write is not seen here until the entry's
 * TTL (default 5 s) has passed. That is the trade-off: a bounded, short staleness of public pages
 * for not asking the database on every hit. See docs/scaling.md.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './auth/sessions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: never cache this route's answers in the process (HTTP validators still apply). */
    cache?: boolean;
  }
  interface FastifyInstance {
    responseCache: ResponseCache;
  }
}

let version = 0;
/** Invalidate every cached response of this process (called by the audit writer). */
export function bumpCacheVersion(): void {
  version += 1;
}
export function cacheVersion(): number {
  return version;
}

export interface ResponseCacheOptions {
  /** How long an entry may be served; the staleness bound across instances. */
  ttlMs?: number;
  maxEntries?: number;
  maxBytes?: number;
  /** Compressed forms are kept only for bodies at least this large. */
  compressThreshold?: number;
  /** `false`: keep nothing in the process, only answer with ETag/Cache-Control and 304s. */
  store?: boolean;
}

interface Entry {
  version: number;
  expires: number;
  etag: string;
  contentType: string;
  cacheControl: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  readonly compressThreshold: number;
  hits = 0;
  misses = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5000;
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.compressThreshold = options.compressThreshold ?? 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.expires <= now) {
      this.delete(key);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.delete(key);
    const size = entry.body.length;
    if (size > this.maxBytes / 8) return;
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.body.length + (old.gzip?.length ?? 0) + (old.br?.length ?? 0);
    }
  }

  /** The body in the best encoding the client accepts, compressed once per entry. */
  encoded(entry: Entry, acceptEncoding: string | undefined): { body: Buffer; encoding: 'br' | 'gzip' | null } {
    if (entry.body.length < this.compressThreshold || !acceptEncoding) return { body: entry.body, encoding: null };
    if (/\bbr\b/.test(acceptEncoding)) {
      if (!entry.br) {
        entry.br = brotliCompressSync(entry.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } });
        this.bytes += entry.br.length;
      }
      return { body: entry.br, encoding: 'br' };
    }
    if (/\bgzip\b/.test(acceptEncoding)) {
      if (!entry.gzip) {
        entry.gzip = gzipSync(entry.body, { level: 6 });
        this.bytes += entry.gzip.length;
      }
      return { body: entry.gzip, encoding: 'gzip' };
    }
    return { body: entry.body, encoding: null };
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.body.length + (old.gzip?.length ?? 0) + (old.br?.length ?? 0);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CACHEABLE_TYPE = /^(text\/html|application\/json)\b/;
const state = Symbol('clusterhubCache');

interface RequestState {
  key: string | null;
  version: number;
  /** A CSRF token was made for this answer: it belongs to this visitor only. */
  personal: boolean;
  hit: boolean;
}

type Tracked = FastifyRequest & { [state]?: RequestState };

function etagOf(body: Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag.replace(/^W\//, ''));
}

function hasSetCookie(reply: FastifyReply): boolean {
  const value = reply.getHeader('set-cookie');
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

function anonymous(request: FastifyRequest): boolean {
  return !request.principal && !request.cookies?.[SESSION_COOKIE];
}

/**
 * Register after the session and language hooks (the look-up runs in onRequest and needs to know
 * who asks and in which language; a hit skips routing, validation and the handler) and before
 * @fastify/compress (the store runs in onSend and must see the uncompressed body).
 */
export default fp(
  async function responseCache(app: FastifyInstance, options: ResponseCacheOptions) {
    const cache = new ResponseCache(options);
    const store = options.store ?? true;
    app.decorate('responseCache', cache);

    app.addHook('onRequest', async (request, reply) => {
      const tracked = request as Tracked;
      if (UNSAFE.has(request.method)) return;
      if (request.method !== 'GET' || request.routeOptions.config.cache === false || !anonymous(request) || hasSetCookie(reply)) return;
      const key = `${request.lang}|${request.url}`;
      const st: RequestState = { key, version, personal: false, hit: false };
      tracked[state] = st;
      const entry = store ? cache.get(key) : undefined;
      if (!entry) {
        cache.misses += 1;
        // A page that makes a CSRF token for this visitor must not be shared.
        const generate = (reply as FastifyReply & { generateCsrf?: (...args: unknown[]) => string }).generateCsrf;
        if (typeof generate === 'function') {
          (reply as unknown as { generateCsrf: (...args: unknown[]) => string }).generateCsrf = function (this: FastifyReply, ...args: unknown[]) {
            st.personal = true;
            return generate.apply(this, args);
          };
        }
        return;
      }
      cache.hits += 1;
      st.hit = true;
      reply.header('etag', entry.etag).header('cache-control', entry.cacheControl).header('vary', 'Accept-Language, Cookie');
      if (matches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
      const { body, encoding } = cache.encoded(entry, request.headers['accept-encoding']);
      if (encoding) reply.header('content-encoding', encoding).header('vary', 'Accept-Language, Cookie, Accept-Encoding');
      return reply.code(200).type(entry.contentType).send(body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const st = (request as Tracked)[state];
      if (!st || st.hit || !st.key) return payload;
      if (reply.statusCode !== 200 || st.personal || hasSetCookie(reply) || request.principal) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (!CACHEABLE_TYPE.test(contentType) || reply.getHeader('content-encoding')) return payload;
      const routeControl = reply.getHeader('cache-control');
      if (typeof routeControl === 'string' && /no-store|private/.test(routeControl)) return payload;
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const etag = etagOf(body);
      // Browsers keep the page and ask again with If-None-Match: a 304 costs no rendering.
      const cacheControl = typeof routeControl === 'string' ? routeControl : 'public, no-cache';
      reply.header('etag', etag).header('cache-control', cacheControl).header('vary', 'Accept-Language, Cookie');
      if (store && st.version === version) {
        cache.set(st.key, { version, expires: Date.now() + cache.ttlMs, etag, contentType, cacheControl, body });
      }
      if (matches(request.headers['if-none-match'], etag)) {
        reply.code(304);
        return '';
      }
      return payload;
    });

    // After the answer to a write (its transaction has committed): drop what was rendered before.
    app.addHook('onResponse', async (request) => {
      if (UNSAFE.has(request.method)) bumpCacheVersion();
    });
  },
  { name: 'clusterhub-response-cache', fastify: '5.x' },
);

/**
 * HTTP caching for anonymous reads: an ETag and Cache-Control on every response that may be
 * cached, and a small in-process cache of those responses (LRU, bounded in entries and bytes),
 * with their gzip/brotli forms and their headers computed once per entry.
 *
 * What is cached: GET answers with status 200, HTML or JSON, to a request without a session
 * (no `sid` cookie, no principal), that set no cookie, did not create a CSRF token, and whose
 * route did not opt out (`config: { cache: false }`) or say `no-store`/`private` (the headers are
 * checked once the answer is complete, after every onSend hook). The key is the URL (path and
 * query) and the request's language.
 *
 * A miss for a page another request is already rendering waits for that answer (at most one TTL)
 * and is answered from it: when a popular entry expires under load, one request renders it again,
 * not every open connection at once.
 *
 * Where a hit is answered: over HTTP, in the server's own request listener, before Fastify
 * (`frontServer`, Fastify's serverFactory), from Node's raw request; for requests that do not come
 * through that server (`inject`), in the first onRequest hook of the application (this plugin is
 * registered right after @fastify/cookie). Either way no session look-up, CSRF, language hook,
 * access check, validation, handler, serialisation, onSend hook or compression runs for it: the
 * answer is written in one `writeHead` with headers prepared when the entry was stored. Both use
 * one key function (`keyOf`, with the language of `languageOf`, which the pages' language hook
 * uses too). A hit before Fastify is logged by this plugin at info level (Fastify never sees it).
 * HEAD is answered from the GET entry.
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
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './auth/sessions.js';
import { genRequestId, languageOf } from './web.js';

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

/** Response headers as a flat [name, value, name, value, …] list, as `writeHead` takes them without copying. */
type HeaderList = string[];

/** One encoding of an entry's body, with the headers of a 200 answer carrying it. */
interface Variant {
  body: Buffer;
  headers: HeaderList;
}

interface Entry {
  version: number;
  expires: number;
  etag: string;
  /** The route's own headers (content type, cache control, …) and the validators. */
  headers: HeaderList;
  /** Headers of a 304 answer. */
  notModified: HeaderList;
  identity: Variant;
  gzip?: Variant;
  br?: Variant;
  /** Whether the body is large enough to be compressed (the answer then varies by Accept-Encoding). */
  compressible: boolean;
  /** Still in the map: its compressed forms count against the byte bound. */
  live: boolean;
}

/** What a response varies on: language (Accept-Language for the API, the `lang` cookie for pages), session, encoding. */
const VARY = 'accept-language, cookie';
const VARY_ENCODING = 'accept-language, cookie, accept-encoding';

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  readonly compressThreshold: number;
  hits = 0;
  /** Requests that rendered their answer (not found in the cache, no other request rendering it). */
  misses = 0;
  /** Requests answered from the entry another request was rendering while they waited. */
  collapsed = 0;
  /** Of the hits, those answered from Node's raw request, before Fastify (see frontServer). */
  frontHits = 0;
  /**
   * Answer a request from Node's raw request if this cache holds its answer (true: answered).
   * Set by the plugin; until then nothing is answered here.
   */
  answerRaw: (req: IncomingMessage, res: ServerResponse) => boolean = () => false;

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

  /** Keep an answer: `headers` are the route's own (content type, cache control, …), without validators. */
  set(key: string, answer: { etag: string; headers: OutgoingHttpHeaders; body: Buffer; version: number }, now = Date.now()): void {
    this.delete(key);
    const { etag, body } = answer;
    if (body.length > this.maxBytes / 8) return;
    const compressible = body.length >= this.compressThreshold;
    const vary = compressible ? VARY_ENCODING : VARY;
    const headers: HeaderList = [];
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.push(name, String(one));
    }
    headers.push('etag', etag, 'vary', vary);
    const cacheControl = answer.headers['cache-control'];
    const entry: Entry = {
      version: answer.version,
      expires: now + this.ttlMs,
      etag,
      headers,
      notModified: ['etag', etag, 'vary', vary, ...(cacheControl === undefined ? [] : ['cache-control', String(cacheControl)])],
      identity: { body, headers: [...headers, 'content-length', String(body.length)] },
      compressible,
      live: true,
    };
    this.entries.set(key, entry);
    this.bytes += body.length;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(old);
      old.live = false;
    }
  }

  /** The body in the best encoding the client accepts, compressed once per entry. */
  variant(entry: Entry, acceptEncoding: string | undefined): Variant {
    if (!entry.compressible || !acceptEncoding) return entry.identity;
    if (acceptsEncoding(acceptEncoding, 'br')) {
      return (entry.br ??= this.encode(entry, 'br', brotliCompressSync(entry.identity.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } })));
    }
    if (acceptsEncoding(acceptEncoding, 'gzip')) {
      return (entry.gzip ??= this.encode(entry, 'gzip', gzipSync(entry.identity.body, { level: 6 })));
    }
    return entry.identity;
  }

  private encode(entry: Entry, encoding: 'br' | 'gzip', body: Buffer): Variant {
    if (entry.live) this.bytes += body.length;
    return { body, headers: [...entry.headers, 'content-encoding', encoding, 'content-length', String(body.length)] };
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(old);
    old.live = false;
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.live = false;
    this.entries.clear();
    this.bytes = 0;
  }
}

function sizeOf(entry: Entry): number {
  return entry.identity.body.length + (entry.gzip?.body.length ?? 0) + (entry.br?.body.length ?? 0);
}

/** Whether an Accept-Encoding header accepts a coding (named, not refused with q=0). */
function acceptsEncoding(header: string, coding: 'br' | 'gzip'): boolean {
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    if (name.trim().toLowerCase() !== coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CACHEABLE_TYPE = /^(text\/html|application\/json)\b/;
/** Headers of an answer that belong to that one answer, or that the cache sets itself. */
const NOT_KEPT = new Set(['set-cookie', 'content-length', 'content-encoding', 'transfer-encoding', 'connection', 'date', 'etag', 'vary', 'x-request-id']);
const state = Symbol('clusterhubCache');

/**
 * The key of a request the cache may answer — an anonymous GET or HEAD: language and URL — or null.
 * A `?lang=` that changes the language cookie is not shared: that answer sets the cookie.
 */
function keyOf(method: string | undefined, url: string, acceptLanguage: string | undefined, cookies: Record<string, string | undefined>): string | null {
  if ((method !== 'GET' && method !== 'HEAD') || cookies[SESSION_COOKIE]) return null;
  const { lang, remember } = languageOf(url, acceptLanguage, cookies);
  return remember ? null : `${lang}|${url}`;
}

interface RequestState {
  key: string;
  version: number;
  /** A CSRF token was made for this answer: it belongs to this visitor only. */
  personal: boolean;
  /** The rendered answer, kept in onSend and stored in onResponse once every hook has had its say. */
  answer?: { etag: string; body: Buffer };
  /** Set when other requests for this key wait for this one's answer. */
  rendering?: Renderer | undefined;
}

/** A request rendering a page others wait for: `done` settles when its answer is complete. */
interface Renderer {
  done: Promise<void>;
  release: () => void;
  since: number;
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

function personalCacheControl(value: unknown): boolean {
  return typeof value === 'string' && /no-store|private/.test(value);
}

/**
 * Register right after @fastify/cookie and before every other plugin with request hooks: the
 * look-up is the first onRequest hook, so a hit skips everything after it. The store runs in onSend
 * before @fastify/compress (it must see the uncompressed body) and completes in onResponse.
 */
export default fp(
  async function responseCache(app: FastifyInstance, options: ResponseCacheOptions) {
    const cache = new ResponseCache(options);
    const store = options.store ?? true;
    app.decorate('responseCache', cache);

    /**
     * Pages being rendered for the cache, by key. A request for a page another request is rendering
     * waits for that answer (at most one TTL) instead of rendering it too: when an entry expires
     * under load, one request renders it, not every connection at once (collapsed forwarding).
     */
    const rendering = new Map<string, Renderer>();

    /** The request rendering this page, unless there is none or it is older than a TTL (presumed lost). */
    const renderer = (key: string, now: number): Renderer | undefined => {
      const current = store ? rendering.get(key) : undefined;
      return current && now - current.since < cache.ttlMs ? current : undefined;
    };

    /** Write a kept answer: 304 when the client holds it, else 200 in the best encoding it accepts. */
    const writeHit = (entry: Entry, method: string | undefined, headers: IncomingHttpHeaders, res: ServerResponse, requestId: string): void => {
      const notModified = matches(headers['if-none-match'], entry.etag);
      const variant = notModified ? null : cache.variant(entry, headers['accept-encoding']);
      res.writeHead(notModified ? 304 : 200, ['x-request-id', requestId, ...(variant ? variant.headers : entry.notModified)]);
      res.end(variant && method === 'GET' ? variant.body : undefined);
    };

    /** Answer from the cache if the entry is there; true when the reply was sent. */
    const answerHit = (key: string, request: FastifyRequest, reply: FastifyReply): boolean => {
      const entry = store ? cache.get(key) : undefined;
      if (!entry) return false;
      reply.hijack();
      writeHit(entry, request.method, request.headers, reply.raw, request.id);
      return true;
    };

    // The same look-up from Node's raw request, for the server's own request listener (frontServer):
    // a hit then costs neither Fastify's request and reply, nor its routing and hooks.
    // Once the application closes, Fastify answers new requests on open connections with 503 and
    // `Connection: close`, which lets its server close: hits must go through it from then on.
    app.addHook('preClose', (done) => {
      cache.answerRaw = () => false;
      done();
    });
    const infoLogged = () => (app.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') ?? false;
    cache.answerRaw = (req, res) => {
      if (!store || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
      const cookie = req.headers.cookie;
      // Signed in (or a cookie whose name ends the same: then the onRequest path decides exactly):
      // no cookie parsing here that Fastify's cookie plugin would do again.
      if (cookie?.includes(`${SESSION_COOKIE}=`)) return false;
      const key = keyOf(req.method, req.url ?? '/', req.headers['accept-language'], cookie ? fastifyCookie.parse(cookie) : {});
      if (key === null) return false;
      const entry = cache.get(key);
      if (!entry) return false;
      const id = genRequestId(req);
      writeHit(entry, req.method, req.headers, res, id);
      cache.hits += 1;
      cache.frontHits += 1;
      // Fastify's request log does not see these: the same fact, at the same level.
      if (infoLogged()) app.log.info({ reqId: id, req: { method: req.method, url: req.url }, res: { statusCode: res.statusCode }, cache: 'hit' }, 'request answered from the response cache');
      return true;
    };

    const release = (st: RequestState | undefined): void => {
      if (!st?.rendering) return;
      if (rendering.get(st.key) === st.rendering) rendering.delete(st.key);
      st.rendering.release();
      st.rendering = undefined;
    };

    /** This request renders its answer; the first for its key also lets later ones wait for it. */
    const startMiss = (key: string, request: FastifyRequest, reply: FastifyReply): void => {
      cache.misses += 1;
      const st: RequestState = { key, version, personal: false };
      if (store && !renderer(key, Date.now())) {
        let releaseIt!: () => void;
        const finished = new Promise<void>((resolve) => (releaseIt = resolve));
        st.rendering = { done: finished, release: releaseIt, since: Date.now() };
        rendering.set(key, st.rendering);
      }
      (request as Tracked)[state] = st;
      // A page that makes a CSRF token for this visitor must not be shared.
      const generate = (reply as FastifyReply & { generateCsrf?: (...args: unknown[]) => string }).generateCsrf;
      if (typeof generate === 'function') {
        (reply as unknown as { generateCsrf: (...args: unknown[]) => string }).generateCsrf = function (this: FastifyReply, ...args: unknown[]) {
          st.personal = true;
          return generate.apply(this, args);
        };
      }
    };

    app.addHook('onRequest', (request, reply, done) => {
      const method = request.method;
      const key = keyOf(method, request.url, request.headers['accept-language'], request.cookies);
      if (key === null) return done();
      if (answerHit(key, request, reply)) {
        cache.hits += 1;
        return;
      }
      if (method !== 'GET' || request.routeOptions.config.cache === false) return done();
      const now = Date.now();
      const other = renderer(key, now);
      if (other) {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, cache.ttlMs - (now - other.since))));
        void Promise.race([other.done, waited]).then(() => {
          clearTimeout(timer);
          if (answerHit(key, request, reply)) {
            cache.collapsed += 1;
            return;
          }
          // That answer was not kept (an error, a personal page, a write meanwhile): render this one.
          startMiss(key, request, reply);
          done();
        });
        return;
      }
      startMiss(key, request, reply);
      done();
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const st = (request as Tracked)[state];
      if (!st) return payload;
      if (reply.statusCode !== 200 || st.personal || hasSetCookie(reply) || request.principal) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (!CACHEABLE_TYPE.test(contentType) || reply.getHeader('content-encoding')) return payload;
      const routeControl = reply.getHeader('cache-control');
      if (personalCacheControl(routeControl)) return payload;
      const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
      const etag = etagOf(body);
      // Browsers keep the page and ask again with If-None-Match: a 304 costs no rendering.
      const cacheControl = typeof routeControl === 'string' ? routeControl : 'public, no-cache';
      const compressible = body.length >= cache.compressThreshold;
      reply.header('etag', etag).header('cache-control', cacheControl).header('vary', compressible ? VARY_ENCODING : VARY);
      st.answer = { etag, body };
      if (matches(request.headers['if-none-match'], etag)) {
        reply.code(304);
        return '';
      }
      return payload;
    });

    app.addHook('onResponse', (request, reply, done) => {
      // After the answer to a write (its transaction has committed): drop what was rendered before.
      if (UNSAFE.has(request.method)) bumpCacheVersion();
      const st = (request as Tracked)[state];
      const answer = st?.answer;
      // Stored once every onSend hook has run: a later one may have set a cookie or `no-store`.
      if (store && st && answer && st.version === version && !st.personal && !hasSetCookie(reply) && !personalCacheControl(reply.getHeader('cache-control'))) {
        const headers: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined && !NOT_KEPT.has(name)) headers[name] = value;
        }
        cache.set(st.key, { etag: answer.etag, headers, body: answer.body, version: st.version });
      }
      // Whether kept or not: the requests waiting for this page look again.
      release(st);
      done();
    });

    // A client that went away before its answer: nobody waits on it any longer.
    app.addHook('onRequestAbort', (request, done) => {
      release((request as Tracked)[state]);
      done();
    });
  },
  { name: 'clusterhub-response-cache', fastify: '5.x', dependencies: ['@fastify/cookie'] },
);

/** The server settings Fastify applies to a server it makes itself (lib/server.js), read from its options. */
interface ServerSettings {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * The application's HTTP server (Fastify's `serverFactory`): each request is first offered to the
 * response cache, which answers a hit from Node's raw request; everything else goes to Fastify.
 * A hit thus skips what a hit in the onRequest hook still cost — Fastify's request and reply
 * objects, routing, the cookie hook and the onResponse hooks (a tenth of a hit's CPU or a little
 * more: 50–51 → 41–45 µs for a cached cluster page, decision 007); the rest is Node's HTTP and the
 * kernel's. `cache()` is read per request: the cache plugin registers after the server exists.
 * Requests made with `inject` never reach this server and take the onRequest path, the same look-up.
 */
export function frontServer(handler: (req: IncomingMessage, res: ServerResponse) => void, settings: ServerSettings, cache: () => ResponseCache | undefined): Server {
  const server = createServer((req, res) => {
    let answered = false;
    try {
      answered = cache()?.answerRaw(req, res) ?? false;
    } catch {
      // Never the process for a cache: Fastify answers (and logs) whatever this could not.
      answered = res.headersSent;
    }
    if (!answered) handler(req, res);
  });
  // As Fastify sets them on the servers it makes.
  if (settings.keepAliveTimeout !== undefined) server.keepAliveTimeout = settings.keepAliveTimeout;
  if (settings.requestTimeout !== undefined) server.requestTimeout = settings.requestTimeout;
  server.setTimeout(settings.connectionTimeout ?? 0);
  if (settings.maxRequestsPerSocket) server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
  return server;
}

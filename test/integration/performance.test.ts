import fs from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { generate } from '../../src/db/seed/generate.js';
import { audit, SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, DB_MODES, type TestDatabase } from '../support/database.js';
import { Client, createPerson, signedInClient } from '../support/session.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTP caching of anonymous reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {}, undefined);
    // createTestApp builds with the default (no storing under NODE_ENV=test): build one that stores.
    await t.app.close();
    t.app = await buildApp({ config: t.config, database: t.database, logger: false, responseCache: { ttlMs: 60_000 } });
    await t.app.ready();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an anonymous page from the cache the second time, with ETag and Cache-Control', async () => {
    const first = await t.app.inject({ url: '/cluster/cosmetica' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/"/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const hits = t.app.responseCache.hits;
    const second = await t.app.inject({ url: '/cluster/cosmetica' });
    expect(t.app.responseCache.hits).toBe(hits + 1);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('renders a page once for concurrent misses: the others wait for that answer and get it', async () => {
    t.app.responseCache.clear();
    const { misses, collapsed } = t.app.responseCache;
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.app.inject({ url: '/organizzazioni?province=MI&type=company' })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1);
    expect(t.app.responseCache.misses - misses).toBe(1);
    expect(t.app.responseCache.collapsed - collapsed).toBe(5);
    // A page that is not kept (a 404) releases its waiters, who then render their own.
    const missing = await Promise.all([1, 2, 3].map(() => t.app.inject({ url: '/cluster/nessuno-cosi' })));
    expect(missing.map((a) => a.statusCode)).toEqual([404, 404, 404]);
  });

  it('answers 304 to a matching If-None-Match, from the cache and on a miss', async () => {
    const page = await t.app.inject({ url: '/api/v1/clusters/cosmetica' });
    const etag = String(page.headers.etag);
    const cached = await t.app.inject({ url: '/api/v1/clusters/cosmetica', headers: { 'if-none-match': etag } });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    t.app.responseCache.clear();
    const fresh = await t.app.inject({ url: '/api/v1/clusters/cosmetica', headers: { 'if-none-match': etag } });
    expect(fresh.statusCode).toBe(304);
  });

  it('keeps languages apart', async () => {
    const it = await t.app.inject({ url: '/cluster/mobilita', cookies: { lang: 'it' } });
    const en = await t.app.inject({ url: '/cluster/mobilita', cookies: { lang: 'en' } });
    const itAgain = await t.app.inject({ url: '/cluster/mobilita', cookies: { lang: 'it' } });
    expect(en.headers.etag).not.toBe(it.headers.etag);
    expect(en.body).toContain('lang="en"');
    expect(itAgain.body).toBe(it.body);
  });

  it('compresses large answers (gzip from the cache gives the same page)', async () => {
    const plain = await t.app.inject({ url: '/' });
    const gz = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    // An answer made for this request: gzip, cheaper to make than brotli for a few bytes more.
    const miss = await t.app.inject({ url: '/cluster', headers: { 'accept-encoding': 'br, gzip' } });
    expect(miss.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(miss.rawPayload).toString('utf8')).toContain('<html');
    // Brotli when it is the only one asked for.
    const onlyBr = await t.app.inject({ url: '/organizzazioni', headers: { 'accept-encoding': 'br' } });
    expect(onlyBr.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(onlyBr.rawPayload).toString('utf8')).toContain('<html');
  });

  it('never caches for signed-in people, nor answers that set cookies or carry a CSRF token', async () => {
    const person = await createPerson(t.app, null);
    const client = new Client(t.app);
    await client.signIn(person.email, person.password);
    const hits = t.app.responseCache.hits;
    await client.get('/cluster/cosmetica');
    await client.get('/cluster/cosmetica');
    expect(t.app.responseCache.hits).toBe(hits);
    // The sign-in page makes a CSRF token for its visitor: it is never shared.
    const login1 = await t.app.inject({ url: '/accedi', cookies: { csrf: 'x' } });
    const login2 = await t.app.inject({ url: '/accedi', cookies: { csrf: 'x' } });
    expect(login1.statusCode).toBe(200);
    expect(t.app.responseCache.hits).toBe(hits);
    expect(login2.headers.etag).toBeUndefined();
    // ?lang=en sets the language cookie: that answer is not stored, and a stored one is not served.
    const en1 = await t.app.inject({ url: '/cluster?lang=en' });
    expect(en1.cookies.some((c) => c.name === 'lang')).toBe(true);
    const en2 = await t.app.inject({ url: '/cluster?lang=en' });
    expect(en2.cookies.some((c) => c.name === 'lang')).toBe(true);
  });

  it('answers hits over HTTP before Fastify: same answer, encodings, 304, HEAD; sessions and a language change go through', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const url = (p: string) => `http://127.0.0.1:${port}${p}`;
    try {
      t.app.responseCache.clear();
      const first = await fetch(url('/cluster/cosmetica'), { headers: { 'accept-encoding': 'identity' } });
      const body = await first.text();
      expect(first.status).toBe(200);
      const { hits, frontHits } = t.app.responseCache;
      const second = await fetch(url('/cluster/cosmetica'), { headers: { 'accept-encoding': 'identity', 'x-request-id': 'richiesta-di-prova-1' } });
      expect(await second.text()).toBe(body);
      expect(t.app.responseCache.frontHits).toBe(frontHits + 1);
      expect(t.app.responseCache.hits).toBe(hits + 1);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('cache-control')).toBe('public, no-cache');
      expect(second.headers.get('x-request-id')).toBe('richiesta-di-prova-1');
      // Compressed as asked (fetch decodes it), 304 for a held copy, HEAD without a body.
      const br = await fetch(url('/cluster/cosmetica'), { headers: { 'accept-encoding': 'br' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(await br.text()).toBe(body);
      const held = await fetch(url('/cluster/cosmetica'), { headers: { 'if-none-match': String(first.headers.get('etag')) } });
      expect(held.status).toBe(304);
      const head = await fetch(url('/cluster/cosmetica'), { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(t.app.responseCache.frontHits).toBe(frontHits + 4);
      // Not answered before Fastify: a session cookie, a `?lang=` that changes the language cookie, a POST.
      const seen = t.app.responseCache.frontHits;
      const signedIn = await fetch(url('/cluster/cosmetica'), { headers: { cookie: 'sid=non-una-sessione' } });
      expect(signedIn.status).toBe(200);
      const en = await fetch(url('/cluster/cosmetica?lang=en'));
      expect(en.headers.get('set-cookie')).toMatch(/^lang=en/);
      const again = await fetch(url('/cluster/cosmetica?lang=en'));
      expect(again.headers.get('set-cookie')).toMatch(/^lang=en/);
      const post = await fetch(url('/cluster/cosmetica'), { method: 'POST' });
      expect(post.status).toBeGreaterThanOrEqual(400);
      expect(t.app.responseCache.frontHits).toBe(seen);
      // The English page, asked for with its cookie, is kept and answered apart from the Italian one.
      await fetch(url('/cluster/cosmetica'), { headers: { cookie: 'lang=en', 'accept-encoding': 'identity' } });
      const english = await fetch(url('/cluster/cosmetica'), { headers: { cookie: 'lang=en', 'accept-encoding': 'identity' } });
      expect(t.app.responseCache.frontHits).toBe(seen + 1);
      expect(await english.text()).toContain('lang="en"');
    } finally {
      const cache = t.app.responseCache;
      await t.app.close();
      // Closed: nothing is answered ahead of Fastify any more (which answers 503 and closes connections).
      const req = Object.assign(new IncomingMessage(new Socket()), { method: 'GET', url: '/cluster/cosmetica', headers: { cookie: 'lang=en' } });
      expect(cache.answerRaw(req, new ServerResponse(req))).toBe(false);
      t.app = await buildApp({ config: t.config, database: t.database, logger: false, responseCache: { ttlMs: 60_000 } });
      await t.app.ready();
    }
  });

  it('drops cached answers after an audited write in this process', async () => {
    const before = await t.app.inject({ url: '/api/v1/clusters/cosmetica' });
    await sql`UPDATE clusters SET name_it = 'Cluster Cosmetica (rinominato)' WHERE slug = 'cosmetica'`.execute(t.database.db);
    const stale = await t.app.inject({ url: '/api/v1/clusters/cosmetica' });
    expect(stale.body).toBe(before.body); // an unaudited write is seen only after the TTL
    await audit(t.database.db, SYSTEM_ACTOR, { action: 'cluster.update', entityType: 'cluster' });
    const after = await t.app.inject({ url: '/api/v1/clusters/cosmetica' });
    expect(after.body).toContain('rinominato');
  });
});

/**
 * A hit is answered in the first request hook, before the session, CSRF, language and access hooks
 * and before the route: these check that what those hooks decide still holds for it.
 */
describe.each(DB_MODES)('cached answers served before the session and the route, on %s', (mode) => {
  let t: TestApp;
  let lumsonId: string;
  beforeAll(async () => {
    t = await createTestApp(mode);
    await t.app.close();
    t.app = await buildApp({ config: t.config, database: t.database, logger: false, responseCache: { ttlMs: 60_000 } });
    // A route whose answer a later hook of its own scope makes personal: the cache must notice.
    await t.app.register(async (scope) => {
      scope.addHook('onSend', async (request, reply) => {
        if (request.url.startsWith('/test/late-cookie')) reply.setCookie('seen', '1', { path: '/' });
        if (request.url.startsWith('/test/late-no-store')) reply.header('cache-control', 'no-store');
      });
      for (const url of ['/test/late-cookie', '/test/late-no-store']) {
        scope.get(url, { config: { access: 'public' } }, async () => ({ at: Math.random() }));
      }
    });
    await t.app.ready();
    lumsonId = (await t.database.db.selectFrom('organisations').select('id').where('external_ref', '=', 'seed:lumson').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps each language apart on a hit: pages by the lang cookie, the API by Accept-Language', async () => {
    const it1 = await t.app.inject({ url: '/cluster/cosmetica' });
    const en1 = await t.app.inject({ url: '/cluster/cosmetica', cookies: { lang: 'en' } });
    const hits = t.app.responseCache.hits;
    const it2 = await t.app.inject({ url: '/cluster/cosmetica', cookies: { lang: 'it' } });
    const en2 = await t.app.inject({ url: '/cluster/cosmetica', cookies: { lang: 'en' } });
    expect(t.app.responseCache.hits).toBe(hits + 2);
    expect(it2.body).toBe(it1.body);
    expect(en2.body).toBe(en1.body);
    expect(it2.body).toContain('lang="it"');
    expect(en2.body).toContain('lang="en"');

    const api = (lang: string) => t.app.inject({ url: '/api/v1/search?q=cosmetica&limit=5', headers: { 'accept-language': lang } });
    const apiIt = await api('it-IT,it;q=0.9');
    const apiEn = await api('en-GB,en;q=0.8');
    expect(apiEn.body).not.toBe(apiIt.body);
    const apiHits = t.app.responseCache.hits;
    expect((await api('it')).body).toBe(apiIt.body);
    expect((await api('en')).body).toBe(apiEn.body);
    expect(t.app.responseCache.hits).toBe(apiHits + 2);
  });

  it('never answers a request with a session cookie from the cache, even an expired session’s', async () => {
    await t.app.inject({ url: '/cluster/cosmetica' });
    const anonymous = await t.app.inject({ url: '/cluster/cosmetica' });
    const { client, person } = await signedInClient(t.app, null);
    const hits = t.app.responseCache.hits;
    const signedIn = await client.get('/cluster/cosmetica');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).not.toBe(anonymous.body);
    const name = (await t.database.db.selectFrom('people').select('display_name').where('id', '=', person.id).executeTakeFirstOrThrow()).display_name;
    expect(signedIn.body).toContain(name);
    // A session the server no longer knows: not a hit either, and the cookie is cleared.
    const stale = await t.app.inject({ url: '/cluster/cosmetica', cookies: { sid: 'not-a-session' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.cookies.find((c) => c.name === 'sid')?.value).toBe('');
    expect(t.app.responseCache.hits).toBe(hits);
    // Nor is a signed-in answer ever stored for anonymous visitors.
    expect((await t.app.inject({ url: '/cluster/cosmetica' })).body).toBe(anonymous.body);
  });

  it('drops a cached page and API answer after a write through the API', async () => {
    const pageUrl = `/organizzazioni/${lumsonId}`;
    const apiUrl = `/api/v1/organisations/${lumsonId}`;
    await t.app.inject({ url: pageUrl });
    await t.app.inject({ url: apiUrl });
    const hits = t.app.responseCache.hits;
    expect((await t.app.inject({ url: pageUrl })).body).not.toContain('Lumson Rinominata');
    expect(t.app.responseCache.hits).toBe(hits + 1);
    const { client } = await signedInClient(t.app, 'org_admin', { organisationId: lumsonId });
    const patch = await client.sendJson('PATCH', apiUrl, { legalName: 'Lumson Rinominata S.p.A.', descriptionIt: 'Packaging primario per la cosmetica.' });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await t.app.inject({ url: pageUrl })).body).toContain('Lumson Rinominata');
    expect((await t.app.inject({ url: apiUrl })).json().name).toBe('Lumson Rinominata S.p.A.');
  });

  it('answers HEAD and If-None-Match from the entry, without a body', async () => {
    const page = await t.app.inject({ url: '/cluster/mobilita' });
    const hits = t.app.responseCache.hits;
    const head = await t.app.inject({ method: 'HEAD', url: '/cluster/mobilita' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(page.body)));
    expect(head.headers.etag).toBe(page.headers.etag);
    const notModified = await t.app.inject({ url: '/cluster/mobilita', headers: { 'if-none-match': String(page.headers.etag) } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers['x-request-id']).toBeTruthy();
    expect(t.app.responseCache.hits).toBe(hits + 2);
  });

  it('says it varies by encoding on every form of a compressible answer, and keeps each form once', async () => {
    const plain = await t.app.inject({ url: '/cluster' });
    const hits = t.app.responseCache.hits;
    const again = await t.app.inject({ url: '/cluster' });
    const gz = await t.app.inject({ url: '/cluster', headers: { 'accept-encoding': 'br;q=0, gzip' } });
    const br = await t.app.inject({ url: '/cluster', headers: { 'accept-encoding': 'gzip, br' } });
    expect(t.app.responseCache.hits).toBe(hits + 3);
    for (const res of [plain, again, gz, br]) expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(again.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('does not keep an answer that a later hook of its route made personal', async () => {
    for (const url of ['/test/late-cookie', '/test/late-no-store']) {
      const first = await t.app.inject({ url });
      const hits = t.app.responseCache.hits;
      const second = await t.app.inject({ url });
      expect(t.app.responseCache.hits).toBe(hits);
      expect(second.json().at).not.toBe(first.json().at);
    }
    expect((await t.app.inject({ url: '/test/late-cookie' })).cookies.some((c) => c.name === 'seen')).toBe(true);
  });
});

/**
 * Two app instances on one database. On PostgreSQL: two instances on one server database, as
 * behind a load balancer. PGlite cannot be shared between processes, so without DATABASE_URL the
 * two instances share one in-process PGlite database object — enough to prove the TTL bound.
 */
const SHARED_MODES = DB_MODES.includes('postgresql') ? (['postgresql'] as const) : (['pglite'] as const);
describe.each(SHARED_MODES)('two instances on one %s database', (mode) => {
  const TTL = 400;
  let database: TestDatabase;
  let second: Database | undefined;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase(mode);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-two-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    // On PostgreSQL the second instance has its own pool, as another process would.
    second = mode === 'postgresql' ? await openDatabase({ databaseUrl: database.url, poolSize: 2 }) : undefined;
    a = await buildApp({ config, database, logger: false, responseCache: { ttlMs: TTL } });
    b = await buildApp({ config, database: second ?? database, logger: false, responseCache: { ttlMs: TTL } });
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a change made through the other instance within the cache TTL', async () => {
    const before = await a.inject({ url: '/api/v1/clusters/mobilita' });
    expect(before.statusCode).toBe(200);
    // A write on the other instance's connection, unseen by this process's version counter.
    await sql`UPDATE clusters SET name_en = 'Mobility cluster, renamed' WHERE slug = 'mobilita'`.execute(second?.db ?? database.db);
    const started = Date.now();
    let body = (await a.inject({ url: '/api/v1/clusters/mobilita', headers: { 'accept-language': 'en' } })).body;
    while (!body.includes('renamed') && Date.now() - started < TTL * 5) {
      await sleep(50);
      body = (await a.inject({ url: '/api/v1/clusters/mobilita', headers: { 'accept-language': 'en' } })).body;
    }
    expect(body).toContain('renamed');
    // Bounded by the TTL (plus slack for a busy machine), not by luck or a restart.
    expect(Date.now() - started).toBeLessThanOrEqual(TTL + 1000);
  });

  it('shares sessions: signed in on one instance, recognised on the other', async () => {
    const person = await createPerson(a, null);
    const client = new Client(a);
    await client.signIn(person.email, person.password);
    const me = await b.inject({ url: '/api/v1/me', cookies: client.cookies });
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain(person.email);
  });
});

/** Queries per page must not grow with the number of rows shown (no N+1). */
describe('queries per page', () => {
  let database: Database;
  let app: FastifyInstance;
  let counting = false;
  let queries = 0;
  let capture: { sql: string; parameters: readonly unknown[] }[] | null = null;
  let dataDir: string;

  beforeAll(async () => {
    database = await openDatabase({
      dataDir: null,
      log: (event) => {
        if (counting && event.level === 'query') queries += 1;
        if (capture && event.level === 'query') capture.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    await migrateToLatest(database.db);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-nplus1-'));
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir }), database, logger: false });
    await app.ready();
    await generate(database.db, { scale: 'cluster', seed: 3 });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function count(url: string): Promise<number> {
    // The fewest of three: a background refresh (search sync) may add queries to one of them.
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      queries = 0;
      counting = true;
      const res = await app.inject({ url });
      counting = false;
      expect(res.statusCode).toBe(200);
      seen.push(queries);
    }
    return Math.min(...seen);
  }

  it('the member directory runs the same few queries for 5 or 100 members', async () => {
    const few = await count('/organizzazioni?pageSize=5');
    const many = await count('/organizzazioni?pageSize=100');
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(8);
    const filtered = await count('/organizzazioni?pageSize=100&type=company&province=MI');
    expect(filtered).toBe(few);
  });

  it('pages through the directory in order, each page with the total of all matches', async () => {
    for (const filter of ['', '&province=MI', '&cluster=fabbrica-intelligente&sort=newest']) {
      const all = (await app.inject({ url: `/api/v1/organisations?pageSize=100${filter}` })).json();
      const pages = await Promise.all([1, 2, 3].map(async (page) => (await app.inject({ url: `/api/v1/organisations?pageSize=4&page=${page}${filter}` })).json()));
      expect(all.total).toBeGreaterThan(8);
      for (const page of pages) expect(page.total).toBe(all.total);
      expect(pages.flatMap((p) => p.items.map((o: { id: string }) => o.id))).toEqual(all.items.slice(0, 12).map((o: { id: string }) => o.id));
    }
  });

  it("the member directory's filters and order are in its indexes: it can read them without the rows", async () => {
    capture = [];
    await app.inject({ url: '/cluster/fabbrica-intelligente/membri?province=MI&type=company&size=small' });
    const statement = capture.find((q) => /with "matched"/.test(q.sql));
    capture = null;
    expect(statement).toBeDefined();
    // Only index-only scans left to the planner for the two tables' rows (others priced out).
    const plan = await database.db.transaction().execute(async (trx) => {
      for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_indexscan']) await sql`SELECT set_config(${setting}, 'off', true)`.execute(trx);
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (COSTS OFF) ${statement!.sql}`, [...statement!.parameters]));
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Index Only Scan using organisations_province_idx');
    expect(plan).toContain('Index Only Scan using memberships_cluster_status_idx');
  });

  it('a cluster page and its member list run a bounded number of queries', async () => {
    const page = await count('/cluster/fabbrica-intelligente');
    expect(page).toBeLessThanOrEqual(8);
    const few = await count('/cluster/fabbrica-intelligente/membri?pageSize=5');
    const many = await count('/cluster/fabbrica-intelligente/membri?pageSize=100');
    expect(many).toBe(few);
  });

  it('an organisation page runs a bounded number of queries', async () => {
    const org = await database.db.selectFrom('organisations').select('id').where('external_ref', '=', 'gen:3:0').executeTakeFirstOrThrow();
    expect(await count(`/organizzazioni/${org.id}`)).toBeLessThanOrEqual(15);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { generate } from '../../src/db/seed/generate.js';
import { audit, SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, DB_MODES, type TestDatabase } from '../support/database.js';
import { Client, createPerson } from '../support/session.js';

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
    const miss = await t.app.inject({ url: '/cluster', headers: { 'accept-encoding': 'br, gzip' } });
    expect(miss.headers['content-encoding']).toBe('br');
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
  let dataDir: string;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null, log: (event) => { if (counting && event.level === 'query') queries += 1; } });
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

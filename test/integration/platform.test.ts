import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DiskDocumentStorage } from '../../src/features/governance/documents.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

describe.each(DB_MODES)('platform on %s', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(mode, {}, (app) => {
      app.get('/test/boom', { config: { access: 'public' } }, async () => {
        throw new Error('secret internal detail: password=hunter2');
      });
      app.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
        throw new Error('secret internal detail: password=hunter2');
      });
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports health with the database mode', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: mode });
  });

  it('reports readiness: database and document storage usable, and 503 when the storage is not', async () => {
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: mode, storage: 'disk' });
    expect(ready.headers['cache-control']).toBe('no-store');
    // The documents directory replaced by a file: nothing can be stored there any more.
    const root = (t.app.services.governance.documents.storage as DiskDocumentStorage).root;
    fs.rmSync(root, { recursive: true, force: true });
    fs.writeFileSync(root, 'not a directory');
    // The probe keeps its answer for 2 s: time passes.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2_500 });
    try {
      const broken = await t.app.inject({ url: '/readyz' });
      expect(broken.statusCode).toBe(503);
      expect(broken.json().error.code).toBe('service.unavailable');
      // Liveness is not readiness: the process and its database still answer.
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      fs.rmSync(root, { force: true });
      vi.setSystemTime(Date.now() + 2_500);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) fs.rmSync(root, { force: true });
      vi.useRealTimers();
    }
  });

  it('publishes an OpenAPI 3.1 document describing the cluster API', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/clusters', '/api/v1/clusters/{slug}', '/healthz']));
    const list = doc.paths['/api/v1/clusters'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['status', 'limit', 'offset']));
    expect(list.responses['200']).toBeDefined();
    expect(list.responses['400']).toBeDefined();
    // Pages are not part of the API document.
    expect(doc.paths['/cluster/{slug}']).toBeUndefined();
  });

  it('renders the API docs page from the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('/api/v1/clusters/{slug}');
    expect(res.body).toContain('Documentazione API');
  });

  it('never leaks internals in a 500, as JSON or as a page, and gives a request id', async () => {
    const api = await t.app.inject({ url: '/api/v1/test/boom' });
    expect(api.statusCode).toBe(500);
    expect(api.json().error).toMatchObject({ code: 'internal', message: 'Errore interno del servizio.' });
    expect(api.body).not.toContain('hunter2');

    const page = await t.app.inject({ url: '/test/boom?lang=en' });
    expect(page.statusCode).toBe(500);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Something went wrong');
    expect(page.body).toContain(String(page.headers['x-request-id']));
    expect(page.body).not.toContain('hunter2');
  });

  it('keeps a well-formed incoming request id and replaces a suspicious one', async () => {
    const kept = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc12345-trace' } });
    expect(kept.headers['x-request-id']).toBe('abc12345-trace');
    const replaced = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers['x-request-id']).not.toBe('<script>');
  });

  it('answers unknown API paths with a JSON 404 and unknown pages with an HTML 404', async () => {
    const api = await t.app.inject({ url: '/api/v1/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('route.not_found');
    const page = await t.app.inject({ url: '/nothing', headers: { cookie: 'lang=en' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
  });

  if (mode === 'postgresql') {
    it('refuses to start on a PostgreSQL database with pending migrations, naming the command to run', async () => {
      const { openDatabase } = await import('../../src/db/database.js');
      const { buildApp } = await import('../../src/app.js');
      const { loadConfig } = await import('../../src/config.js');
      const { sql } = await import('kysely');
      // A database whose schema is one migration behind: forget the last applied migration.
      const database = await openDatabase({ databaseUrl: t.database.url });
      try {
        await sql`DELETE FROM kysely_migration WHERE name = (SELECT max(name) FROM kysely_migration)`.execute(database.db);
        await expect(
          buildApp({ config: loadConfig({ DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' }), database, logger: false }),
        ).rejects.toThrow(/pending migration.*npx clusterhub migrate/);
      } finally {
        await database.close();
      }
    });
  }

  it('declares who may call every registered route', () => {
    expect(t.app.declaredRoutes.length).toBeGreaterThan(5);
    for (const route of t.app.declaredRoutes) {
      expect(route.access, `${route.method} ${route.url}`).toBeDefined();
    }
  });
});

describe('access declarations', () => {
  it('refuse to start an application with a route that declares no access', async () => {
    await expect(
      createTestApp('pglite', {}, (app) => {
        app.get('/undeclared', async () => 'hello');
      }),
    ).rejects.toThrow(/Routes without an access declaration \(config.access\): GET \/undeclared/);
  });
});

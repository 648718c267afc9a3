import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { audit, type Actor } from '../../src/platform/audit.js';
import { SESSION_COOKIE } from '../../src/platform/auth/sessions.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { DB_MODES } from '../support/database.js';

const PASSWORD = 'una password lunga e sicura';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Sign in the way a browser does: the login page gives the csrf cookie and the _csrf field. */
async function signIn(app: FastifyInstance, email: string, password: string): Promise<Record<string, string>> {
  const page = await app.inject({ url: '/accedi' });
  const csrfCookie = page.cookies.find((c) => c.name === 'csrf')?.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrfCookie || !token) throw new Error('the login page gave no CSRF token');
  const res = await app.inject({
    method: 'POST',
    url: '/accedi',
    headers: FORM,
    cookies: { csrf: csrfCookie },
    payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const session = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  if (res.statusCode !== 303 || !session) throw new Error(`sign-in failed (${res.statusCode}): ${res.body.slice(0, 300)}`);
  return { [SESSION_COOKIE]: session };
}

/** A calendar day in Europe/Rome, shifted by `days`. */
function romeDay(days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

interface ApiEntry {
  id: number;
  at: string;
  actor: { personId: string | null; label: string | null };
  action: string;
  entity: { type: string; id: string | null };
  cluster: { slug: string; name: string } | null;
  organisation: { id: string; name: string } | null;
  changes: { key: string; before?: unknown; after?: unknown }[];
}

describe.each(DB_MODES)('audit log (%s)', (mode) => {
  let t: TestApp;
  let managerCookies: Record<string, string>;
  let regionCookies: Record<string, string>;
  let managerActor: Actor;
  let cosmeticaId: string;
  let mobilitaId: string;
  let orgInCosmetica: string;
  let orgInMobilita: string;

  beforeAll(async () => {
    t = await createTestApp(mode);
    const { accounts, clusters, memberships, organisations } = t.app.services;
    cosmeticaId = (await clusters.idBySlug('cosmetica'))!;
    mobilitaId = (await clusters.idBySlug('mobilita'))!;
    const manager = await accounts.createWithRole(
      { email: 'gestore.cosmetica@example.org', displayName: 'Gestore Cosmetica', password: PASSWORD, role: 'cluster_manager', clusterId: cosmeticaId },
      { personId: null, label: 'system' },
    );
    await accounts.createWithRole(
      { email: 'regione@example.org', displayName: 'Regione Lombardia', password: PASSWORD, role: 'region_admin' },
      { personId: null, label: 'system' },
    );
    managerActor = { personId: manager.id, label: 'gestore.cosmetica@example.org' };
    const regionActor: Actor = { personId: null, label: 'regione@example.org' };

    // One organisation admitted in each cluster.
    const db = t.app.database.db;
    const insertOrg = (legalName: string) =>
      db.insertInto('organisations').values({ legal_name: legalName, type: 'company' }).returning('id').executeTakeFirstOrThrow();
    orgInCosmetica = (await insertOrg('Profumi Lombardi S.r.l.')).id;
    orgInMobilita = (await insertOrg('Trasporti Segreti S.p.A.')).id;
    await db
      .insertInto('memberships')
      .values([
        { cluster_id: cosmeticaId, organisation_id: orgInCosmetica, status: 'admitted' },
        { cluster_id: mobilitaId, organisation_id: orgInMobilita, status: 'admitted' },
      ])
      .execute();

    // Audited changes: a class in each cluster, an update of each organisation.
    await memberships.addClass(cosmeticaId, { code: 'ordinario_cosmetica', nameIt: 'Socio ordinario', nameEn: 'Ordinary member', voting: true, fee: '500' }, managerActor);
    await memberships.addClass(mobilitaId, { code: 'riservata_mobilita', nameIt: 'Socio riservato', nameEn: '', voting: false, fee: '' }, regionActor);
    await organisations.update(orgInCosmetica, { legalName: 'Profumi Lombardi Nuovi S.r.l.', type: 'company', city: 'Crema', descriptionIt: 'Profumi.' }, managerActor);
    await organisations.update(orgInMobilita, { legalName: 'Trasporti Segretissimi S.p.A.', type: 'company', descriptionIt: 'Trasporti.' }, regionActor);
    // Another cluster's decision about an organisation that is also in cosmetica stays with that cluster.
    await audit(db, regionActor, {
      action: 'membership.reject',
      entityType: 'membership',
      entityId: 'altro-cluster',
      clusterId: mobilitaId,
      organisationId: orgInCosmetica,
      before: { status: 'applied' },
      after: { status: 'rejected', reason: 'motivo riservato a mobilità' },
    });

    managerCookies = await signIn(t.app, 'gestore.cosmetica@example.org', PASSWORD);
    regionCookies = await signIn(t.app, 'regione@example.org', PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows a cluster manager the entries of the cluster and of its organisations, with a readable diff', async () => {
    const res = await t.app.inject({ url: '/cluster/cosmetica/gestione/registro', cookies: managerCookies });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Registro delle attività');
    expect(res.body).toContain('member_class.created');
    expect(res.body).toContain('ordinario_cosmetica');
    expect(res.body).toContain('organisation.updated');
    expect(res.body).toContain('Profumi Lombardi Nuovi S.r.l.');
    expect(res.body).toContain('gestore.cosmetica@example.org');
    // The organisation update shows only what changed, old and new value.
    expect(res.body).toMatch(/<code>legal_name<\/code>: <del[^>]*>Profumi Lombardi S\.r\.l\.<\/del>/);
    expect(res.body).not.toContain('<code>type</code>');
  });

  it('hides other clusters’ entries from a cluster manager, on the page and in the API', async () => {
    const page = await t.app.inject({ url: '/cluster/cosmetica/gestione/registro', cookies: managerCookies });
    expect(page.body).not.toContain('riservata_mobilita');
    expect(page.body).not.toContain('Trasporti');
    expect(page.body).not.toContain('motivo riservato');

    const api = await t.app.inject({ url: '/api/v1/clusters/cosmetica/audit', cookies: managerCookies });
    expect(api.statusCode).toBe(200);
    const body = api.json<{ items: ApiEntry[]; nextCursor: number | null }>();
    const actions = body.items.map((i) => i.action);
    expect(actions).toContain('member_class.created');
    expect(actions).toContain('organisation.updated');
    expect(actions).not.toContain('membership.reject');
    expect(body.items.every((i) => i.cluster === null || i.cluster.slug === 'cosmetica')).toBe(true);
    expect(body.items.some((i) => i.organisation?.id === orgInMobilita)).toBe(false);
    const update = body.items.find((i) => i.action === 'organisation.updated')!;
    expect(update.organisation).toEqual({ id: orgInCosmetica, name: 'Profumi Lombardi Nuovi S.r.l.' });
    expect(update.changes).toContainEqual({ key: 'legal_name', before: 'Profumi Lombardi S.r.l.', after: 'Profumi Lombardi Nuovi S.r.l.' });
    expect(update.changes.map((c) => c.key)).not.toContain('type');
    expect(update.actor).toEqual({ personId: managerActor.personId, label: 'gestore.cosmetica@example.org' });
    // Newest first.
    const ids = body.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('refuses a cluster manager the Region’s log, another cluster’s log and the outbox', async () => {
    for (const url of ['/regione/registro', '/cluster/mobilita/gestione/registro', '/regione/posta']) {
      const res = await t.app.inject({ url, cookies: managerCookies });
      expect(res.statusCode, url).toBe(403);
    }
    for (const url of ['/api/v1/audit', '/api/v1/clusters/mobilita/audit']) {
      const res = await t.app.inject({ url, cookies: managerCookies });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'auth.forbidden' } });
    }
  });

  it('shows the Region every entry, with the cluster of each', async () => {
    const page = await t.app.inject({ url: '/regione/registro', cookies: regionCookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ordinario_cosmetica');
    expect(page.body).toContain('riservata_mobilita');
    expect(page.body).toContain('Trasporti Segretissimi S.p.A.');
    expect(page.body).toContain('motivo riservato a mobilità');
    expect(page.body).toContain('href="/cluster/mobilita"');

    const api = await t.app.inject({ url: '/api/v1/audit', cookies: regionCookies });
    expect(api.statusCode).toBe(200);
    const actions = api.json<{ items: ApiEntry[] }>().items.map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['member_class.created', 'organisation.updated', 'membership.reject', 'role.granted']));
    // The Region may also open any cluster's log.
    const cluster = await t.app.inject({ url: '/cluster/mobilita/gestione/registro', cookies: regionCookies });
    expect(cluster.statusCode).toBe(200);
    expect(cluster.body).toContain('riservata_mobilita');
  });

  it('sends the public to sign in on the pages and answers 401 on the API', async () => {
    for (const url of ['/cluster/cosmetica/gestione/registro', '/regione/registro', '/regione/posta']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/accedi?next=${encodeURIComponent(url)}`);
    }
    for (const url of ['/api/v1/audit', '/api/v1/clusters/cosmetica/audit']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'auth.required' } });
    }
  });

  it('filters by action prefix, entity type and days in Europe/Rome', async () => {
    const list = async (query: string) =>
      (await t.app.inject({ url: `/api/v1/audit?${query}`, cookies: regionCookies })).json<{ items: ApiEntry[] }>().items;
    const classes = await list('action=member_class.');
    expect(classes.length).toBeGreaterThanOrEqual(2);
    expect(classes.every((i) => i.action.startsWith('member_class.'))).toBe(true);
    // A LIKE wildcard in the prefix is matched literally.
    expect(await list('action=member%25')).toEqual([]);
    const orgs = await list('entityType=organisation');
    expect(orgs.length).toBeGreaterThanOrEqual(2);
    expect(orgs.every((i) => i.entity.type === 'organisation')).toBe(true);

    expect((await list(`from=${romeDay()}&to=${romeDay()}`)).length).toBeGreaterThan(0);
    expect(await list(`from=${romeDay(1)}`)).toEqual([]);
    expect(await list(`to=${romeDay(-1)}`)).toEqual([]);
    const bad = await t.app.inject({ url: '/api/v1/audit?from=2026-02-30', cookies: regionCookies });
    expect(bad.statusCode).toBe(400);

    const page = await t.app.inject({ url: '/cluster/cosmetica/gestione/registro?action=organisation.&entityType=organisation', cookies: managerCookies });
    expect(page.body).toContain('organisation.updated');
    expect(page.body).not.toContain('member_class.created');
    // A wrong date on the page is explained in the form, not a bare 400.
    const wrong = await t.app.inject({ url: '/regione/registro?from=31/12/2025', cookies: regionCookies });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.body).toContain('deve essere una data nel formato AAAA-MM-GG');
  });

  it('pages through the log newest first with a keyset cursor, 50 entries per page', async () => {
    const db = t.app.database.db;
    for (let i = 0; i < 55; i += 1) {
      await audit(db, managerActor, { action: 'test.bulk', entityType: 'member_class', entityId: `bulk-${i}`, clusterId: cosmeticaId, after: { n: i } });
    }
    const first = await t.app.inject({ url: '/api/v1/clusters/cosmetica/audit?action=test.bulk', cookies: managerCookies });
    const firstBody = first.json<{ items: ApiEntry[]; nextCursor: number | null }>();
    expect(firstBody.items).toHaveLength(50);
    expect(firstBody.items[0]?.entity.id).toBe('bulk-54');
    expect(firstBody.nextCursor).toBe(firstBody.items[49]?.id);
    const second = await t.app.inject({ url: `/api/v1/clusters/cosmetica/audit?action=test.bulk&cursor=${firstBody.nextCursor}`, cookies: managerCookies });
    const secondBody = second.json<{ items: ApiEntry[]; nextCursor: number | null }>();
    expect(secondBody.items.map((i) => i.entity.id)).toEqual(['bulk-4', 'bulk-3', 'bulk-2', 'bulk-1', 'bulk-0']);
    expect(secondBody.nextCursor).toBeNull();

    const page = await t.app.inject({ url: '/cluster/cosmetica/gestione/registro?action=test.bulk', cookies: managerCookies });
    expect(page.body.match(/data-audit-id=/g)).toHaveLength(50);
    expect(page.body).toContain(`href="/cluster/cosmetica/gestione/registro?action=test.bulk&amp;cursor=${firstBody.nextCursor}"`);
    const older = await t.app.inject({ url: `/cluster/cosmetica/gestione/registro?action=test.bulk&cursor=${firstBody.nextCursor}`, cookies: managerCookies });
    expect(older.body.match(/data-audit-id=/g)).toHaveLength(5);
    expect(older.body).toContain('Torna alle più recenti');
  });

  it('speaks English too', async () => {
    const res = await t.app.inject({ url: '/regione/registro?lang=en', cookies: regionCookies });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('Platform audit log');
    expect(res.body).toContain('Apply the filters');
  });

  it('documents the API under the audit tag', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    expect(doc.paths['/api/v1/audit']?.get?.tags).toEqual(['audit']);
    expect(doc.paths['/api/v1/clusters/{slug}/audit']?.get?.tags).toEqual(['audit']);
  });

  it('lets the Region read the development outbox, and answers 404 for unknown names', async () => {
    const sent = await t.app.mailer.send({ to: 'mario.rossi@example.org', subject: 'Benvenuto nella piattaforma', text: 'Ciao Mario' });
    const list = await t.app.inject({ url: '/regione/posta', cookies: regionCookies });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body).toContain('Benvenuto nella piattaforma');
    expect(list.body).toContain('mario.rossi@example.org');
    expect(list.body).toContain(`href="/regione/posta/${sent.file}"`);

    const one = await t.app.inject({ url: `/regione/posta/${sent.file}`, cookies: regionCookies });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Benvenuto nella piattaforma');
    expect(one.body).toMatch(/<pre[^>]*>[\s\S]*Subject: Benvenuto nella piattaforma[\s\S]*<\/pre>/);

    for (const name of ['2025-01-01T00-00-00.000Z-00000000.eml', '..%2F..%2Fetc%2Fpasswd', 'nothing']) {
      const res = await t.app.inject({ url: `/regione/posta/${name}`, cookies: regionCookies });
      expect(res.statusCode, name).toBe(404);
    }
  });

  it('keeps the entries of an organisation deleted by hand, naming it by its id', async () => {
    const db = t.app.database.db;
    const { id } = await db.insertInto('organisations').values({ legal_name: 'Cancellata a mano S.r.l.', type: 'company' }).returning('id').executeTakeFirstOrThrow();
    await t.app.services.organisations.update(id, { legalName: 'Cancellata a mano S.p.A.', type: 'company', descriptionIt: 'Da cancellare.' }, { personId: null, label: 'regione@example.org' });
    await db.deleteFrom('organisations').where('id', '=', id).execute();

    const entries = await db.selectFrom('audit_log').select(['action', 'organisation_id']).where('entity_id', '=', id).execute();
    expect(entries).toEqual([{ action: 'organisation.updated', organisation_id: id }]);
    const api = await t.app.inject({ url: '/api/v1/audit', cookies: regionCookies });
    const entry = api.json<{ items: ApiEntry[] }>().items.find((i) => i.entity.id === id)!;
    expect(entry.organisation).toEqual({ id, name: id });
    const page = await t.app.inject({ url: '/regione/registro', cookies: regionCookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cancellata a mano S.p.A.');
  });
});

describe('outbox page with an SMTP server configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { SMTP_URL: 'smtp://127.0.0.1:2525' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('says that mail goes through SMTP', async () => {
    await t.app.services.accounts.createWithRole(
      { email: 'regione@example.org', displayName: 'Regione', password: PASSWORD, role: 'region_admin' },
      { personId: null, label: 'system' },
    );
    const cookies = await signIn(t.app, 'regione@example.org', PASSWORD);
    const res = await t.app.inject({ url: '/regione/posta', cookies });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-testid="outbox-smtp"');
    expect(res.body).toContain('SMTP_URL');
  });
});

const TSX = path.resolve('node_modules/.bin/tsx');

/** Run the CLI as an operator would, with stdin; only the environment a shell would have. */
function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Vitest puts Vite's BASE_URL ('/') into process.env: pass on only what a shell would have.
  const { BASE_URL: _vite, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli.ts', ...args], { env: { ...inherited, ...env, DATABASE_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('clusterhub create-admin and grant (embedded database)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a Region administrator who can sign in, and refuses to write while the server holds the data dir', async () => {
    const created = await runCli(
      ['create-admin', '--email', 'Admin.Regione@example.org', '--name', 'Amministratrice Regione', '--password-stdin'],
      { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      `${PASSWORD}\n`,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('admin.regione@example.org');
    expect(created.stdout).not.toContain('Password');

    const generated = await runCli(['create-admin', '--email', 'secondo@example.org', '--name', 'Secondo'], { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(generated.code).toBe(0);
    const password = /Password[^:]*: (\S+)/.exec(generated.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(24);

    const app = await buildApp({ config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), logger: false });
    try {
      await app.ready();
      const cookies = await signIn(app, 'admin.regione@example.org', PASSWORD);
      const log = await app.inject({ url: '/regione/registro', cookies });
      expect(log.statusCode).toBe(200);
      expect(log.body).toContain('role.granted');
      expect(log.body).toContain('Riga di comando');
      await signIn(app, 'secondo@example.org', password!);

      const refused = await runCli(['grant', '--email', 'secondo@example.org', '--role', 'cluster_manager', '--cluster', 'cosmetica'], {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is in use by another Clusterhub process');
    } finally {
      await app.close();
    }

    const granted = await runCli(['grant', '--email', 'secondo@example.org', '--role', 'cluster_manager', '--cluster', 'cosmetica'], {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('cluster_manager of cosmetica');
    const usage = await runCli(['grant', '--email', 'secondo@example.org', '--role', 'cluster_manager'], { DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--cluster is required');
  }, 120_000); // spawns several CLI processes, each booting the app on PGlite
});

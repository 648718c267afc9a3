import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../src/platform/access.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { Client, signedInClient } from '../support/session.js';

/**
 * Every route registered in Fastify, called by every role: allowed or refused exactly as its
 * `config.access` declares. A route without an example here fails the test, so a new route
 * cannot land without being checked.
 */

type Role = 'anonymous' | 'authenticated' | 'org_member' | 'org_admin' | 'cluster_manager' | 'board_member' | 'region_admin' | 'other_manager';
const ROLES: Role[] = ['anonymous', 'authenticated', 'org_member', 'org_admin', 'cluster_manager', 'board_member', 'region_admin', 'other_manager'];

/** Who passes each access level, for the scopes used below (cosmetica; Lumson, a member of cosmetica). */
const ALLOWED: Record<Access, Role[]> = {
  public: ROLES,
  authenticated: ROLES.filter((r) => r !== 'anonymous'),
  region_admin: ['region_admin'],
  cluster_manager: ['cluster_manager', 'region_admin'],
  board_member: ['board_member', 'cluster_manager', 'region_admin'],
  org_admin: ['org_admin', 'cluster_manager', 'region_admin'],
  org_member: ['org_member', 'org_admin', 'cluster_manager', 'region_admin'],
};

interface Example {
  url: string;
  form?: Record<string, string>;
  json?: Record<string, unknown>;
  /** The call ends the session: use a session of its own. */
  fresh?: boolean;
  /** Roles the feature's policy lets through, where it is narrower than the route's level. */
  policy?: Role[];
}

/** One example request per route; {org} and {membership} are filled in at run time. */
const EXAMPLES: Record<string, Example> = {
  'GET /static/bi/*': { url: '/static/bi/css/bootstrap-italia.min.css' },
  'GET /static/app/*': { url: '/static/app/app.css' },
  'GET /healthz': { url: '/healthz' },
  'GET /': { url: '/' },
  'GET /accessibilita': { url: '/accessibilita' },
  'GET /privacy': { url: '/privacy' },
  'GET /api/v1/clusters': { url: '/api/v1/clusters' },
  'GET /api/v1/clusters/:slug': { url: '/api/v1/clusters/cosmetica' },
  'GET /cluster': { url: '/cluster' },
  'GET /cluster/:slug': { url: '/cluster/cosmetica' },
  'GET /accedi': { url: '/accedi' },
  'POST /accedi': { url: '/accedi', form: { email: 'nobody@example.org', password: 'wrong' } },
  'POST /esci': { url: '/esci', form: {}, fresh: true },
  'POST /esci-ovunque': { url: '/esci-ovunque', form: {}, fresh: true },
  'GET /registrati': { url: '/registrati' },
  'POST /registrati': { url: '/registrati', form: {} },
  'GET /verifica-email': { url: '/verifica-email?token=unknown' },
  'GET /password-dimenticata': { url: '/password-dimenticata' },
  'POST /password-dimenticata': { url: '/password-dimenticata', form: { email: 'nobody@example.org' } },
  'GET /reimposta-password': { url: '/reimposta-password?token=unknown' },
  'POST /reimposta-password': { url: '/reimposta-password', form: { token: 'unknown' } },
  'GET /invito': { url: '/invito?token=unknown' },
  'POST /invito': { url: '/invito', form: { token: 'unknown' } },
  'GET /profilo': { url: '/profilo' },
  'POST /profilo': { url: '/profilo', form: { displayName: '' } },
  'GET /profilo/dati.json': { url: '/profilo/dati.json' },
  'POST /profilo/elimina': { url: '/profilo/elimina', form: { confirmEmail: 'not-me@example.org' } },
  'GET /api/v1/me': { url: '/api/v1/me' },
  'GET /organizzazioni': { url: '/organizzazioni' },
  'GET /cluster/:slug/membri': { url: '/cluster/cosmetica/membri' },
  'GET /organizzazioni/:orgId': { url: '/organizzazioni/{org}' },
  'GET /organizzazioni/:orgId/logo': { url: '/organizzazioni/{org}/logo' },
  'GET /organizzazioni/:orgId/modifica': { url: '/organizzazioni/{org}/modifica' },
  'POST /organizzazioni/:orgId/modifica': { url: '/organizzazioni/{org}/modifica', form: { legalName: '' } },
  'POST /organizzazioni/:orgId/logo': { url: '/organizzazioni/{org}/logo', form: {} },
  'POST /organizzazioni/:orgId/inviti': { url: '/organizzazioni/{org}/inviti', form: { email: 'not-an-email' } },
  'GET /api/v1/organisations': { url: '/api/v1/organisations' },
  'GET /api/v1/clusters/:slug/members': { url: '/api/v1/clusters/cosmetica/members' },
  'GET /api/v1/organisations/:orgId': { url: '/api/v1/organisations/{org}' },
  'PATCH /api/v1/organisations/:orgId': { url: '/api/v1/organisations/{org}', json: { vatNumber: '12345678901' } },
  'GET /cluster/:slug/aderisci': { url: '/cluster/cosmetica/aderisci' },
  'POST /cluster/:slug/aderisci': { url: '/cluster/cosmetica/aderisci', form: {} },
  'GET /gestione': { url: '/gestione' },
  'GET /cluster/:slug/gestione': { url: '/cluster/cosmetica/gestione' },
  'GET /cluster/:slug/gestione/domande': { url: '/cluster/cosmetica/gestione/domande' },
  'GET /cluster/:slug/gestione/domande/:membershipId': { url: '/cluster/cosmetica/gestione/domande/{membership}' },
  'POST /cluster/:slug/gestione/domande/:membershipId': { url: '/cluster/cosmetica/gestione/domande/{membership}', form: { action: 'nonsense' } },
  'GET /cluster/:slug/gestione/classi': { url: '/cluster/cosmetica/gestione/classi' },
  'POST /cluster/:slug/gestione/classi': { url: '/cluster/cosmetica/gestione/classi', form: { code: '' } },
  'GET /api/v1/clusters/:slug/applications': { url: '/api/v1/clusters/cosmetica/applications' },
  // Deciding is for the cluster's managers (and the Region); the organisation may only withdraw.
  'POST /api/v1/memberships/:membershipId/transitions': {
    url: '/api/v1/memberships/{membership}/transitions',
    json: { action: 'admit' },
    policy: ['cluster_manager', 'region_admin'],
  },
  'GET /accedi/oidc': { url: '/accedi/oidc' },
  'GET /accedi/oidc/callback': { url: '/accedi/oidc/callback?code=x&state=y' },
  'GET /cluster/:slug/gestione/registro': { url: '/cluster/cosmetica/gestione/registro' },
  'GET /regione/registro': { url: '/regione/registro' },
  'GET /api/v1/clusters/:slug/audit': { url: '/api/v1/clusters/cosmetica/audit' },
  'GET /api/v1/audit': { url: '/api/v1/audit' },
  'GET /regione/posta': { url: '/regione/posta' },
  'GET /regione/posta/:file': { url: '/regione/posta/2025-01-01T00-00-00.000Z-00000000.eml' },
  'GET /cluster/:slug/gestione/importa': { url: '/cluster/cosmetica/gestione/importa' },
  'POST /cluster/:slug/gestione/importa': { url: '/cluster/cosmetica/gestione/importa', form: { mode: 'preview' } },
  'GET /cluster/:slug/gestione/modello.csv': { url: '/cluster/cosmetica/gestione/modello.csv' },
  'GET /cluster/:slug/gestione/modello.xlsx': { url: '/cluster/cosmetica/gestione/modello.xlsx' },
  'GET /cluster/:slug/gestione/soci.csv': { url: '/cluster/cosmetica/gestione/soci.csv' },
  'GET /cluster/:slug/gestione/soci.xlsx': { url: '/cluster/cosmetica/gestione/soci.xlsx' },
  'GET /api/openapi.json': { url: '/api/openapi.json' },
  'GET /api/docs': { url: '/api/docs' },
};

function refusal(res: LightMyRequestResponse): 'unauthenticated' | 'forbidden' | null {
  if (res.statusCode === 401 && (res.body.includes('"auth.required"') || res.body.includes('data-error-code="auth.required"'))) return 'unauthenticated';
  if (res.statusCode === 303 && String(res.headers.location).startsWith('/accedi?next=')) return 'unauthenticated';
  if (res.statusCode === 403 && (res.body.includes('"auth.forbidden"') || res.body.includes('data-error-code="auth.forbidden"'))) return 'forbidden';
  return null;
}

describe('access matrix', () => {
  let t: TestApp;
  const clients = new Map<Role, () => Promise<Client>>();
  const shared = new Map<Role, Client>();
  let ids: { org: string; membership: string };

  beforeAll(async () => {
    t = await createTestApp('pglite');
    const db = t.database.db;
    const org = await db.selectFrom('organisations').select('id').where('external_ref', '=', 'seed:lumson').executeTakeFirstOrThrow();
    const membership = await db.selectFrom('memberships').select('id').where('organisation_id', '=', org.id).executeTakeFirstOrThrow();
    ids = { org: org.id, membership: membership.id };
    const make: Record<Exclude<Role, 'anonymous'>, () => Promise<Client>> = {
      authenticated: async () => (await signedInClient(t.app, null)).client,
      org_member: async () => (await signedInClient(t.app, 'org_member', { organisationId: org.id })).client,
      org_admin: async () => (await signedInClient(t.app, 'org_admin', { organisationId: org.id })).client,
      cluster_manager: async () => (await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'cosmetica' })).client,
      board_member: async () => (await signedInClient(t.app, 'board_member', { clusterSlug: 'cosmetica' })).client,
      region_admin: async () => (await signedInClient(t.app, 'region_admin')).client,
      other_manager: async () => (await signedInClient(t.app, 'cluster_manager', { clusterSlug: 'aerospazio' })).client,
    };
    clients.set('anonymous', async () => {
      const c = new Client(t.app);
      await c.get('/accedi');
      return c;
    });
    for (const [role, factory] of Object.entries(make)) clients.set(role as Role, factory);
    for (const role of ROLES) shared.set(role, await clients.get(role)!());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has an example for every registered route (a new route must be added here)', () => {
    const missing = t.app.declaredRoutes
      .filter((r) => r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !EXAMPLES[key]);
    expect(missing).toEqual([]);
  });

  it('allows and refuses every route for every role as declared', async () => {
    const failures: string[] = [];
    for (const route of t.app.declaredRoutes) {
      if (route.method === 'HEAD') continue;
      const key = `${route.method} ${route.url}`;
      const example = EXAMPLES[key];
      if (!example || !route.access) continue;
      const url = example.url.replace('{org}', ids.org).replace('{membership}', ids.membership);
      for (const role of ROLES) {
        const client = example.fresh ? await clients.get(role)!() : shared.get(role)!;
        let res: LightMyRequestResponse;
        if (example.form) res = await client.postForm(url, example.form);
        else if (example.json) res = await client.sendJson(route.method as 'POST', url, example.json);
        else res = await client.get(url);
        const refused = refusal(res);
        const allowed = (example.policy ?? ALLOWED[route.access]).includes(role);
        const expected = allowed ? null : role === 'anonymous' ? 'unauthenticated' : 'forbidden';
        if (refused !== expected) failures.push(`${key} as ${role}: expected ${expected ?? 'allowed'}, got ${res.statusCode} ${refused ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

import http from 'node:http';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// OIDC sign-in against a real OpenID provider (oidc-provider on 127.0.0.1, http is accepted there
// outside production), driven through the whole redirect flow with fetch: manual redirects and a
// cookie jar per "browser", the dev login form of the provider standing in for SPID/CIE.

/** The claims each provider account releases; the account id is the `sub`. */
interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  fiscal_number?: string;
}

// oidc-provider ships no type declarations: the little used here, typed by hand.
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface ProviderContext {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: OidcProvider;
  };
}
interface OidcProvider {
  callback(): http.RequestListener;
  Grant: { new (init: { clientId: string; accountId: string }): ProviderGrant; find(id: string): Promise<ProviderGrant | undefined> };
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

const CLIENT_ID = 'clusterhub';
const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
const SCOPE = 'openid email profile';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A browser's cookies: per origin, with paths, deletions and the Cookie header to send. */
class CookieJar {
  private readonly cookies = new Map<string, { origin: string; name: string; value: string; path: string }>();

  store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val || '/';
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${url.origin} ${name} ${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { origin: url.origin, name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => c.origin === url.origin && (c.path === '/' || url.pathname === c.path || url.pathname.startsWith(`${c.path.replace(/\/$/, '')}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(origin: string, name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.origin === origin && c.name === name)?.value;
  }
}

async function go(jar: CookieJar, url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': 'oidc-test', accept: 'text/html' };
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.form ? new URLSearchParams(init.form).toString() : null,
    redirect: 'manual',
  });
  jar.store(url, response);
  return response;
}

function locationOf(response: Response, base: URL): URL {
  const location = response.headers.get('location');
  if (!location) throw new Error(`no Location on ${response.status} from ${base.href}`);
  return new URL(location, base);
}

describe('OIDC sign-in (SPID/CIE gateway) against a real OpenID provider', () => {
  const accounts = new Map<string, ProviderAccount>();
  let providerServer: http.Server;
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  let issuer: string;
  let baseUrl: string;
  let t: TestApp;

  beforeAll(async () => {
    providerServer = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(providerServer.address() as net.AddressInfo).port}`;
    const appPort = await freePort();
    baseUrl = `http://127.0.0.1:${appPort}`;

    const specifier = 'oidc-provider';
    const { default: Provider } = (await import(specifier)) as { default: ProviderConstructor };
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [`${baseUrl}/accedi/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'given_name', 'family_name', 'fiscal_number'],
      },
      cookies: { keys: ['oidc-test-cookie-key'] },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      findAccount: async (_ctx: unknown, sub: string) => {
        const account = accounts.get(sub);
        return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
      },
      // A first-party client: no consent screen, the grant is given at once.
      loadExistingGrant: async (ctx: ProviderContext) => {
        const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope(SCOPE);
        await grant.save();
        return grant;
      },
    });
    handler = provider.callback();

    t = await createTestApp('pglite', { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, BASE_URL: baseUrl });
    await t.app.listen({ port: appPort, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await t?.close();
    providerServer?.closeAllConnections();
    await new Promise<void>((resolve) => (providerServer ? providerServer.close(() => resolve()) : resolve()));
  });

  /**
   * One browser signing in as `accountId` at the provider: from /accedi/oidc through the
   * provider's login form and back to the callback (which `tamper` may alter first).
   */
  async function signIn(accountId: string, options: { next?: string; tamper?: (callback: URL) => void } = {}) {
    const jar = new CookieJar();
    const start = new URL(`${baseUrl}/accedi/oidc${options.next ? `?next=${encodeURIComponent(options.next)}` : ''}`);
    const first = await go(jar, start);
    expect(first.status).toBe(302);
    let url = locationOf(first, start);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    for (let hop = 0; hop < 12; hop++) {
      if (url.origin === baseUrl) {
        expect(url.pathname).toBe('/accedi/oidc/callback');
        options.tamper?.(url);
        return { jar, response: await go(jar, url) };
      }
      const response = await go(jar, url);
      if (response.status >= 300 && response.status < 400) {
        url = locationOf(response, url);
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action || !html.includes('name="login"')) {
        throw new Error(`unexpected ${response.status} at ${url.href}: ${html.slice(0, 500)}`);
      }
      const submit = new URL(action.replaceAll('&amp;', '&'), url);
      const posted = await go(jar, submit, { method: 'POST', form: { prompt: 'login', login: accountId, password: 'any' } });
      expect(posted.status).toBeGreaterThanOrEqual(300);
      url = locationOf(posted, submit);
    }
    throw new Error('too many redirects');
  }

  async function me(jar: CookieJar) {
    const url = new URL(`${baseUrl}/api/v1/me`);
    const response = await go(jar, url);
    return { status: response.status, body: response.status === 200 ? ((await response.json()) as { id: string; email: string; displayName: string }) : null };
  }

  const peopleWith = async (email: string) =>
    t.database.db.selectFrom('people').selectAll().where(sql<string>`lower(email)`, '=', email).execute();
  const identitiesOf = async (personId: string) =>
    t.database.db.selectFrom('person_identities').selectAll().where('person_id', '=', personId).execute();

  it('shows the button on the login page', async () => {
    const res = await t.app.inject({ url: '/accedi?next=/profilo' });
    expect(res.body).toContain('href="/accedi/oidc?next=%2Fprofilo"');
  });

  it('creates a verified person at the first sign-in, opens a session and goes back to next', async () => {
    accounts.set('spid-rossi', {
      email: 'Mario.Rossi@Example.it',
      email_verified: true,
      given_name: 'Mario',
      family_name: 'Rossi',
      fiscal_number: 'TINIT-RSSMRA80A01F205X',
    });
    const { jar, response } = await signIn('spid-rossi', { next: '/profilo' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/profilo');
    const sid = jar.get(baseUrl, 'sid');
    expect(sid).toBeTruthy();
    expect(response.headers.getSetCookie().find((c) => c.startsWith('sid='))).toMatch(/HttpOnly/i);
    // The flow cookie was single-use.
    expect(jar.get(baseUrl, 'oidc_flow')).toBeUndefined();

    const profile = await go(jar, new URL(`${baseUrl}/profilo`));
    expect(profile.status).toBe(200);
    expect(await profile.text()).toContain('mario.rossi@example.it');

    const people = await peopleWith('mario.rossi@example.it');
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ display_name: 'Mario Rossi', password_hash: null });
    expect(people[0]!.email_verified_at).toBeInstanceOf(Date);
    const identities = await identitiesOf(people[0]!.id);
    expect(identities).toMatchObject([{ provider: issuer, subject: 'spid-rossi' }]);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', people[0]!.id).execute();
    expect(audit.map((a) => a.action)).toContain('person.oidc_created');
    // The codice fiscale is accepted but stored nowhere.
    const leaks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE coalesce(after::text, '') LIKE '%RSSMRA%'`.execute(t.database.db);
    expect(leaks.rows[0]!.n).toBe(0);
  });

  it('reuses the person at a second sign-in with the same subject, and ignores a foreign next', async () => {
    const before = await peopleWith('mario.rossi@example.it');
    const { jar, response } = await signIn('spid-rossi', { next: '//evil.example/steal' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const who = await me(jar);
    expect(who.status).toBe(200);
    expect(who.body?.id).toBe(before[0]!.id);
    expect(await peopleWith('mario.rossi@example.it')).toHaveLength(1);
    expect(await identitiesOf(before[0]!.id)).toHaveLength(1);
  });

  it('links a verified provider address to the existing local person, without a duplicate', async () => {
    const local = await t.database.db
      .insertInto('people')
      .values({ email: 'giulia.bianchi@example.it', display_name: 'Giulia Bianchi', email_verified_at: new Date(), password_hash: 'kept' })
      .returningAll()
      .executeTakeFirstOrThrow();
    accounts.set('cie-bianchi', { email: 'GIULIA.BIANCHI@example.it', email_verified: true, name: 'Giulia B.' });
    const { jar, response } = await signIn('cie-bianchi');
    expect(response.status).toBe(303);
    expect((await me(jar)).body?.id).toBe(local.id);
    const people = await peopleWith('giulia.bianchi@example.it');
    expect(people).toHaveLength(1);
    // An address already confirmed here keeps its password and name.
    expect(people[0]).toMatchObject({ password_hash: 'kept', display_name: 'Giulia Bianchi' });
    expect(await identitiesOf(local.id)).toMatchObject([{ provider: issuer, subject: 'cie-bianchi' }]);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', local.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['person.oidc_linked']);

    // Again: still one identity, one person.
    const again = await signIn('cie-bianchi');
    expect((await me(again.jar)).body?.id).toBe(local.id);
    expect(await identitiesOf(local.id)).toHaveLength(1);
  });

  it('confirms an unconfirmed local account it links to, and drops the password set by whoever registered it', async () => {
    const local = await t.database.db
      .insertInto('people')
      .values({ email: 'squatted@example.it', display_name: 'Someone', email_verified_at: null, password_hash: 'attacker' })
      .returningAll()
      .executeTakeFirstOrThrow();
    accounts.set('spid-owner', { email: 'squatted@example.it', email_verified: true, name: 'Real Owner' });
    const { jar } = await signIn('spid-owner');
    expect((await me(jar)).body?.id).toBe(local.id);
    const [person] = await peopleWith('squatted@example.it');
    expect(person!.email_verified_at).toBeInstanceOf(Date);
    expect(person!.password_hash).toBeNull();
  });

  it('refuses a tampered state with 400 and opens no session', async () => {
    accounts.set('spid-verdi', { email: 'verdi@example.it', email_verified: true, name: 'Anna Verdi' });
    const { jar, response } = await signIn('spid-verdi', {
      tamper: (callback) => callback.searchParams.set('state', `${callback.searchParams.get('state')}x`),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('data-error-code="auth.oidc_failed"');
    expect(response.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(false);
    expect(jar.get(baseUrl, 'sid')).toBeUndefined();
    expect(await peopleWith('verdi@example.it')).toHaveLength(0);
  });

  it('refuses a callback without the flow cookie (another browser, or replay)', async () => {
    accounts.set('spid-neri', { email: 'neri@example.it', email_verified: true });
    let callback: URL | undefined;
    await signIn('spid-neri', { tamper: (url) => void (callback = new URL(url)) });
    // The same callback URL again, from a browser that never started the flow.
    const replay = await go(new CookieJar(), callback!);
    expect(replay.status).toBe(400);
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(false);

    // A flow cookie made up by the browser (not signed by the app) is worth nothing.
    const forged = Buffer.from(
      JSON.stringify({ state: callback!.searchParams.get('state'), nonce: 'n', codeVerifier: 'v'.repeat(43), next: '/', startedAt: Date.now() }),
    ).toString('base64url');
    const res = await t.app.inject({ url: `${callback!.pathname}${callback!.search}`, cookies: { oidc_flow: forged } });
    expect(res.statusCode).toBe(400);
    expect(res.cookies.some((c) => c.name === 'sid')).toBe(false);
  });

  it('refuses an address the provider has not verified, or no address at all', async () => {
    accounts.set('spid-unverified', { email: 'unverified@example.it', email_verified: false, name: 'Luca Neri' });
    const { jar, response } = await signIn('spid-unverified');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('data-error-code="auth.oidc_email_required"');
    expect(jar.get(baseUrl, 'sid')).toBeUndefined();
    expect(await peopleWith('unverified@example.it')).toHaveLength(0);

    accounts.set('spid-no-mail', { name: 'Senza Posta' });
    const noMail = await signIn('spid-no-mail');
    expect(noMail.response.status).toBe(403);
    expect(noMail.jar.get(baseUrl, 'sid')).toBeUndefined();
    const identities = await t.database.db.selectFrom('person_identities').select('subject').execute();
    expect(identities.map((i) => i.subject)).not.toContain('spid-no-mail');
  });
});

describe('OIDC sign-in when not configured or unreachable', () => {
  it('answers 404 auth.oidc_disabled without OIDC_* settings', async () => {
    const t = await createTestApp('pglite');
    try {
      for (const url of ['/accedi/oidc', '/accedi/oidc/callback?code=x&state=y']) {
        const res = await t.app.inject({ url });
        expect(res.statusCode).toBe(404);
        expect(res.body).toContain('data-error-code="auth.oidc_disabled"');
      }
      expect((await t.app.inject({ url: '/accedi' })).body).not.toContain('/accedi/oidc');
    } finally {
      await t.close();
    }
  });

  it('starts even when the provider cannot be discovered, and refuses OIDC sign-in with auth.oidc_failed', async () => {
    const port = await freePort();
    const t = await createTestApp('pglite', {
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    try {
      expect((await t.app.inject({ url: '/' })).statusCode).toBe(200);
      const res = await t.app.inject({ url: '/accedi/oidc' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('data-error-code="auth.oidc_failed"');
    } finally {
      await t.close();
    }
  });
});

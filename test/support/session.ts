import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/db/schema.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';

/** A cookie jar over app.inject, the way a browser would carry cookies between requests. */
export class Client {
  readonly cookies: Record<string, string> = {};
  csrfToken = '';

  constructor(readonly app: FastifyInstance) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ ...options, cookies: { ...this.cookies, ...(options.cookies ?? {}) } });
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && new Date(c.expires).getTime() <= Date.now())) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrfToken = token;
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** Post a form the way a browser does, with the CSRF token of the last page that had a form. */
  async postForm(url: string, fields: Record<string, string>, options: { csrf?: boolean } = {}) {
    if (options.csrf !== false && !this.csrfToken) await this.get('/accedi');
    const payload = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrfToken }), ...fields }).toString();
    return this.request({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** A JSON API write with the CSRF header. */
  async sendJson(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body: unknown) {
    if (!this.csrfToken) await this.get('/accedi');
    return this.request({ method, url, payload: body as object, headers: { 'x-csrf-token': this.csrfToken } });
  }

  async signIn(email: string, password: string) {
    await this.get('/accedi');
    const res = await this.postForm('/accedi', { email, password });
    if (res.statusCode !== 303) throw new Error(`sign-in failed (${res.statusCode}): ${res.body.slice(0, 300)}`);
    // A fresh page gives the token bound to the new session's cookies.
    await this.get('/accedi');
    return res;
  }
}

let counter = 0;

/** A verified person with one role, ready to sign in with `password`. */
export async function createPerson(
  app: FastifyInstance,
  role: Role | null,
  scope: { clusterSlug?: string; organisationId?: string } = {},
): Promise<{ email: string; password: string; id: string }> {
  counter += 1;
  const email = `person${counter}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = 'una password lunga e sicura';
  const clusterId = scope.clusterSlug ? await app.services.clusters.idBySlug(scope.clusterSlug) : null;
  const person = await app.services.accounts.createWithRole(
    {
      email,
      displayName: `Persona ${counter}`,
      password,
      role,
      clusterId: role === 'cluster_manager' || role === 'board_member' ? clusterId : null,
      organisationId: role === 'org_admin' || role === 'org_member' ? (scope.organisationId ?? null) : null,
    },
    SYSTEM_ACTOR,
  );
  return { email, password, id: person.id };
}

export async function signedInClient(app: FastifyInstance, role: Role | null, scope: { clusterSlug?: string; organisationId?: string } = {}) {
  const person = await createPerson(app, role, scope);
  const client = new Client(app);
  await client.signIn(person.email, person.password);
  return { client, person };
}

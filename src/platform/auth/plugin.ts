import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { checkAccess, type ScopeResolver } from '../access.js';
import { isLang } from '../i18n.js';
import { LANG_COOKIE } from '../web.js';
import { SESSION_COOKIE, SESSION_IDLE_MS, SessionStore } from './sessions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set to false only for routes that cannot carry a token (none today). */
    csrf?: boolean;
  }
  interface FastifyInstance {
    sessions: SessionStore;
  }
}

export interface AuthPluginOptions {
  sessions: SessionStore;
  resolver: ScopeResolver;
  secureCookies: boolean;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'lax',
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'lax' });
}

/** Sessions, CSRF protection and the access check every route declares. */
export default fp(
  async function auth(app: FastifyInstance, { sessions, resolver, secureCookies }: AuthPluginOptions) {
    app.decorate('sessions', sessions);
    app.decorateRequest('principal', null);
    app.decorateRequest('scopeClusterId', undefined);

    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'csrf',
      // Forms post `_csrf` (a plain field, or a multipart field object); scripts send x-csrf-token.
      getToken: (request) => {
        const value = (request.body as Record<string, unknown> | undefined)?._csrf;
        const fromBody = typeof value === 'string' ? value : (value as { value?: unknown } | undefined)?.value;
        const header = request.headers['x-csrf-token'];
        return (typeof fromBody === 'string' ? fromBody : undefined) ?? (typeof header === 'string' ? header : '');
      },
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, signed: true },
    });

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        request.principal = await sessions.load(token);
        if (!request.principal) clearSessionCookie(reply, secureCookies);
      }
      // A signed-in person who has not picked a language here gets the one of their profile.
      const query = request.query as Record<string, unknown> | undefined;
      if (request.principal && !isLang(query?.lang) && !isLang(request.cookies[LANG_COOKIE])) {
        request.lang = request.principal.lang;
      }
      const access = request.routeOptions.config.access;
      if (access) await checkAccess(request, access, resolver);
    });

    app.addHook('preHandler', (request, reply, done) => {
      if (!UNSAFE.has(request.method) || request.routeOptions.config.csrf === false) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'clusterhub-auth', dependencies: ['@fastify/cookie', 'clusterhub-web'] },
);

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { setSessionCookie } from '../../platform/auth/plugin.js';
import { AppError } from '../../platform/errors.js';
import { safeNext } from '../../platform/form-body.js';
import { clearFlowCookie, OidcIdentities, OidcLogin, readFlowCookie, setFlowCookie } from './oidc.js';
import type { AccountService } from './service.js';

export interface OidcRoutesOptions {
  config: Config;
  accounts: AccountService;
  db: Kysely<DB>;
  /** Called when the provider confirmed the address of a person who had not confirmed it here. */
  onEmailVerified?: (personId: string) => Promise<unknown>;
}

const StartQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), lang: Type.Optional(Type.String()) });

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * GET /accedi/oidc sends the browser to the provider; GET /accedi/oidc/callback brings it back,
 * links the identity to a person and opens a session. Both answer 404 when OIDC is not configured.
 */
export const oidcRoutes: FastifyPluginAsyncTypebox<OidcRoutesOptions> = async (app, opts) => {
  const { config, accounts, db } = opts;
  const oidc = config.oidc;
  const secureCookies = config.baseUrl.startsWith('https://');
  const start = { config: { access: 'public' as const }, schema: { hide: true, querystring: StartQuery } };
  const callback = { config: { access: 'public' as const }, schema: { hide: true } };

  if (!oidc) {
    const disabled = async () => {
      throw new AppError('auth.oidc_disabled');
    };
    app.get('/accedi/oidc', start, disabled);
    app.get('/accedi/oidc/callback', callback, disabled);
    return;
  }

  const issuerHost = new URL(oidc.issuer).hostname;
  const login = new OidcLogin({
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    redirectUri: `${config.baseUrl}/accedi/oidc/callback`,
    allowInsecureIssuer: config.nodeEnv !== 'production' || LOOPBACK.has(issuerHost),
    log: app.log.child({ feature: 'oidc' }),
  });
  const identities = new OidcIdentities(db, accounts);

  app.get('/accedi/oidc', start, async (request, reply) => {
    const { url, flow } = await login.start(safeNext(request.query.next));
    setFlowCookie(reply, flow, secureCookies);
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  });

  app.get('/accedi/oidc/callback', callback, async (request, reply) => {
    const flow = readFlowCookie(request);
    // Single use: whatever happens next, this flow is over.
    clearFlowCookie(reply, secureCookies);
    reply.header('cache-control', 'no-store');
    if (!flow) {
      request.log.info('OIDC callback without a valid flow cookie (missing, forged or expired)');
      throw new AppError('auth.oidc_failed');
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const identity = await login.finish(query, flow);
    const { personId, outcome, verifiedNow } = await identities.resolve(identity, { lang: request.lang, requestId: request.id });
    request.log.info({ personId, outcome }, 'OIDC sign-in');
    if (verifiedNow && opts.onEmailVerified) {
      try {
        await opts.onEmailVerified(personId);
      } catch (error) {
        request.log.error({ err: error, personId }, 'follow-up of an address verified through OIDC failed');
      }
    }
    const token = await accounts.openSession(personId, { ip: request.ip, userAgent: request.headers['user-agent'] });
    // A new session id at every sign-in; drop the one the browser may still carry.
    if (request.principal) await accounts.logout(request.principal.sessionHash);
    setSessionCookie(reply, token, secureCookies);
    return reply.redirect(safeNext(flow.next), 303);
  });
};

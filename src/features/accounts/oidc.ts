import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type * as Client from 'openid-client';
import type { DB } from '../../db/schema.js';
import { audit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n.js';
import { normaliseEmail, type AccountService } from './service.js';

/**
 * Sign-in through an OpenID Connect provider: in practice a regional or AgID-accredited gateway
 * that fronts SPID and CIE. Authorization Code flow with PKCE, state and nonce; the flow state
 * travels in a short-lived signed cookie, so any app instance can finish a flow another started.
 */

export const OIDC_FLOW_COOKIE = 'oidc_flow';
/** How long a person has to come back from the provider. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;
const COOKIE_PATH = '/accedi/oidc';
const SCOPE = 'openid email profile';
/** After a failed discovery, requests fail fast for this long instead of hammering the provider. */
const DISCOVERY_RETRY_MS = 10_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What one flow needs to remember between the redirect and the callback. */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Local path to go back to after signing in. */
  next: string;
  /** When the flow started (ms since the epoch). */
  startedAt: number;
}

/** The person as the provider describes them, after the checks. */
export interface OidcIdentity {
  /** Issuer identifier as discovered (the `iss` of the ID token): the `provider` of person_identities. */
  issuer: string;
  subject: string;
  /** Normalised, or undefined when missing or not an address. */
  email: string | undefined;
  emailVerified: boolean;
  displayName: string | undefined;
  /**
   * SPID/CIE gateways send the codice fiscale (e.g. `TINIT-RSSMRA80A01F205X`). Accepted and made
   * available to the caller, but never stored nor logged.
   */
  fiscalNumber: string | undefined;
}

export interface OidcLoginOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `${BASE_URL}/accedi/oidc/callback`, registered at the provider. */
  redirectUri: string;
  /** Allow an http:// issuer (loopback, or outside production). */
  allowInsecureIssuer: boolean;
  log: FastifyBaseLogger;
}

/** openid-client is loaded on the first OIDC sign-in, not at start-up (docs/decisions/007-performance.md). */
const openid = (): Promise<typeof Client> => import('openid-client');

/** The relying party. Discovery happens on first use and is cached; a failure is retried later. */
export class OidcLogin {
  private configuration: Promise<Client.Configuration> | undefined;
  private failedAt = 0;

  constructor(private readonly options: OidcLoginOptions) {}

  private discover(): Promise<Client.Configuration> {
    if (this.configuration) return this.configuration;
    if (Date.now() - this.failedAt < DISCOVERY_RETRY_MS) return Promise.reject(new AppError('auth.oidc_failed'));
    const { issuer, log } = this.options;
    const pending = this.runDiscovery().catch((error: unknown) => {
      this.configuration = undefined;
      this.failedAt = Date.now();
      log.error(
        { err: error, issuer },
        `OIDC discovery failed for ${issuer} (check OIDC_ISSUER and that ${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration is reachable); OIDC sign-in is unavailable until it succeeds`,
      );
      throw new AppError('auth.oidc_failed');
    });
    this.configuration = pending;
    return pending;
  }

  private async runDiscovery(): Promise<Client.Configuration> {
    const { issuer, clientId, clientSecret, allowInsecureIssuer } = this.options;
    const url = new URL(issuer);
    if (url.protocol === 'http:' && !allowInsecureIssuer) {
      throw new Error(`OIDC_ISSUER must use https in production (got ${issuer})`);
    }
    const insecure = url.protocol === 'http:';
    const client = await openid();
    const discovered = await client.discovery(url, clientId, clientSecret, undefined, {
      timeout: 10,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
    // The provider's preferred client authentication: client_secret_basic is the OpenID default
    // (and what most gateways expect); client_secret_post only when basic is not offered.
    const metadata = discovered.serverMetadata();
    const methods = metadata.token_endpoint_auth_methods_supported;
    const usePost = !!methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    this.options.log.info(
      { issuer: metadata.issuer, clientAuthentication: usePost ? 'client_secret_post' : 'client_secret_basic' },
      'OIDC provider discovered',
    );
    if (usePost) return discovered;
    const server = JSON.parse(JSON.stringify(metadata)) as Client.ServerMetadata;
    const configuration = new client.Configuration(server, clientId, clientSecret, client.ClientSecretBasic(clientSecret));
    configuration.timeout = 10;
    if (insecure) client.allowInsecureRequests(configuration);
    return configuration;
  }

  /** Start a flow: where to send the browser, and what to remember until it comes back. */
  async start(next: string): Promise<{ url: string; flow: OidcFlow }> {
    const configuration = await this.discover();
    const client = await openid();
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      next,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.options.redirectUri,
      scope: SCOPE,
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * Finish a flow from the callback's query string: check state, exchange the code (PKCE), check
   * the ID token (nonce, issuer, audience) and read the claims, from UserInfo when offered.
   */
  async finish(callbackQuery: string, flow: OidcFlow): Promise<OidcIdentity> {
    const configuration = await this.discover();
    const { log } = this.options;
    const current = new URL(this.options.redirectUri);
    current.search = callbackQuery;
    const returnedError = current.searchParams.get('error');
    if (returnedError) {
      log.info({ error: returnedError.slice(0, 100) }, 'OIDC provider returned an error');
      throw new AppError('auth.oidc_failed');
    }
    if (current.searchParams.get('state') !== flow.state) {
      log.warn('OIDC callback with a state that does not match the flow');
      throw new AppError('auth.oidc_failed');
    }
    let claims: Record<string, unknown>;
    const client = await openid();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      claims = { ...idToken };
      if (configuration.serverMetadata().userinfo_endpoint) {
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
        claims = { ...claims, ...userinfo, sub: idToken.sub };
      }
    } catch (error) {
      log.warn({ error: brief(error) }, 'OIDC code exchange or token validation failed');
      throw new AppError('auth.oidc_failed');
    }
    return readIdentity(configuration.serverMetadata().issuer, claims);
  }
}

/** An error for the log without its `cause`, which may carry the provider's response (personal data). */
function brief(error: unknown): { name?: string; message: string; code?: unknown } {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, message: error.message, code: (error as { code?: unknown }).code };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Turn the provider's claims into an identity; `sub` is required, everything else optional. */
export function readIdentity(issuer: string, claims: Record<string, unknown>): OidcIdentity {
  const subject = text(claims.sub);
  if (!subject) throw new AppError('auth.oidc_failed');
  const rawEmail = text(claims.email);
  const email = rawEmail && rawEmail.length <= 254 && EMAIL.test(rawEmail) ? normaliseEmail(rawEmail) : undefined;
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  const displayName = text(claims.name) ?? text([given, family].filter(Boolean).join(' '));
  return {
    issuer,
    subject,
    email,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    displayName: displayName?.slice(0, 120),
    fiscalNumber: text(claims.fiscal_number),
  };
}

// --- The flow cookie --------------------------------------------------------------------------

export function setFlowCookie(reply: FastifyReply, flow: OidcFlow, secure: boolean): void {
  reply.setCookie(OIDC_FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
    path: COOKIE_PATH,
    httpOnly: true,
    secure,
    sameSite: 'lax',
    signed: true,
    maxAge: Math.floor(OIDC_FLOW_TTL_MS / 1000),
  });
}

export function clearFlowCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(OIDC_FLOW_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure, sameSite: 'lax' });
}

/** The flow of this browser, or undefined when the cookie is missing, forged or expired. */
export function readFlowCookie(request: FastifyRequest): OidcFlow | undefined {
  const raw = request.cookies[OIDC_FLOW_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const flow = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    if (
      typeof flow.state !== 'string' ||
      typeof flow.nonce !== 'string' ||
      typeof flow.codeVerifier !== 'string' ||
      typeof flow.next !== 'string' ||
      typeof flow.startedAt !== 'number' ||
      Date.now() - flow.startedAt > OIDC_FLOW_TTL_MS
    ) {
      return undefined;
    }
    return flow as OidcFlow;
  } catch {
    return undefined;
  }
}

// --- Linking identities to people --------------------------------------------------------------

export type OidcOutcome = 'existing' | 'linked' | 'created';

/**
 * Who an identity is, by the linking rule:
 *  1. an identity already linked (issuer + subject) is that person;
 *  2. otherwise, with an address the provider says is verified, the person with that address is
 *     linked (once: the identity is the primary key);
 *  3. otherwise a new person is created with that (verified) address and linked.
 * Without a verified address, steps 2 and 3 are refused with `auth.oidc_email_required`.
 * SQL on people and person_identities stays in the accounts feature.
 */
export class OidcIdentities {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: AccountService,
  ) {}

  findLinked(issuer: string, subject: string) {
    return this.db
      .selectFrom('person_identities as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .select(['p.id', 'p.email'])
      .where('i.provider', '=', issuer)
      .where('i.subject', '=', subject)
      .where('p.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async resolve(
    identity: OidcIdentity,
    context: { lang: Lang; requestId: string },
  ): Promise<{ personId: string; outcome: OidcOutcome; verifiedNow: boolean }> {
    // Two callbacks racing for the same new person: the loser hits a unique index and, on the
    // second pass, finds what the winner created.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.resolveOnce(identity, context);
      } catch (error) {
        if (attempt > 0 || (error as { code?: unknown }).code !== '23505') throw error;
      }
    }
  }

  private async resolveOnce(
    identity: OidcIdentity,
    context: { lang: Lang; requestId: string },
  ): Promise<{ personId: string; outcome: OidcOutcome; verifiedNow: boolean }> {
    const linked = await this.findLinked(identity.issuer, identity.subject);
    if (linked) return { personId: linked.id, outcome: 'existing', verifiedNow: false };
    const email = identity.email;
    if (!email || !identity.emailVerified) throw new AppError('auth.oidc_email_required');
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.accounts.repo.findByEmail(email, trx);
      const actor = { label: email, requestId: context.requestId };
      if (existing) {
        await trx
          .insertInto('person_identities')
          .values({ provider: identity.issuer, subject: identity.subject, person_id: existing.id })
          .execute();
        const verifiedNow = !existing.email_verified_at;
        if (verifiedNow) {
          // The provider proved the address; whoever registered it here without confirming it may
          // not be its owner, so their password goes (pre-account-takeover), and any session.
          await trx
            .updateTable('people')
            .set({ email_verified_at: new Date(), password_hash: null, updated_at: new Date() })
            .where('id', '=', existing.id)
            .execute();
          await trx.deleteFrom('sessions').where('person_id', '=', existing.id).execute();
        }
        await audit(trx, { ...actor, personId: existing.id }, {
          action: 'person.oidc_linked',
          entityType: 'person',
          entityId: existing.id,
          after: { provider: identity.issuer, emailVerifiedNow: verifiedNow },
        });
        return { personId: existing.id, outcome: 'linked' as const, verifiedNow };
      }
      const person = await this.accounts.repo.insertPerson(trx, {
        email,
        displayName: identity.displayName ?? email.split('@')[0]!,
        lang: context.lang,
        passwordHash: null,
        verified: true,
      });
      await trx
        .insertInto('person_identities')
        .values({ provider: identity.issuer, subject: identity.subject, person_id: person.id })
        .execute();
      await audit(trx, { ...actor, personId: person.id }, {
        action: 'person.oidc_created',
        entityType: 'person',
        entityId: person.id,
        after: { provider: identity.issuer, email, displayName: person.display_name, lang: context.lang },
      });
      return { personId: person.id, outcome: 'created' as const, verifiedNow: false };
    });
  }
}

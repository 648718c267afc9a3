import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/audit.js';
import { clearSessionCookie, setSessionCookie } from '../../platform/auth/plugin.js';
import { AppError, errorMessage } from '../../platform/errors.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody, safeNext } from '../../platform/form-body.js';
import { isLang } from '../../platform/i18n.js';
import { PRIVACY_NOTICE_VERSION } from '../site/pages.js';
import { am } from './messages.js';
import {
  ForgotPage,
  InvitationPage,
  LoginPage,
  MessagePage,
  ProfilePage,
  RegisterPage,
  ResetPage,
  type ProfileView,
} from './pages.js';
import type { AccountService, InvitationPayload } from './service.js';

export interface AccountRoutesOptions {
  accounts: AccountService;
  secureCookies: boolean;
  oidcLabel: string | undefined;
  /** Called after an address is verified (memberships move the person's applications on). */
  onEmailVerified: (personId: string) => Promise<{ applications: number }>;
}

const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })), lang: Type.Optional(Type.String()) });
const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), next: Type.Optional(Type.String({ maxLength: 2000 })) });

export const accountRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, opts) => {
  const { accounts, secureCookies, oidcLabel } = opts;
  const publicPage = { config: { access: 'public' as const }, schema: { hide: true, querystring: PageQuery } };
  const publicForm = { config: { access: 'public' as const }, schema: { hide: true, body: FormBody } };
  const signedIn = { config: { access: 'authenticated' as const }, schema: { hide: true } };

  app.get('/accedi', publicPage, async (request, reply) =>
    reply.page(LoginPage({ ctx: reply.pageContext(), next: request.query.next ? safeNext(request.query.next) : undefined, oidcLabel })),
  );

  app.post('/accedi', publicForm, async (request, reply) => {
    const body = request.body;
    const next = safeNext(field(body, 'next'));
    try {
      const { token } = await accounts.login({
        email: field(body, 'email'),
        password: field(body, 'password'),
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(reply, token, secureCookies);
      // A new session id at every sign-in; drop the one the browser may still carry.
      if (request.principal) await accounts.logout(request.principal.sessionHash);
      return reply.redirect(next, 303);
    } catch (error) {
      if (!(error instanceof AppError) || !['auth.invalid_credentials', 'auth.rate_limited', 'auth.email_not_verified'].includes(error.code)) {
        throw error;
      }
      const status = error.status === 401 ? 401 : error.status;
      return reply.status(status).page(
        LoginPage({
          ctx: reply.pageContext(),
          values: { email: field(body, 'email') },
          error: errorMessage(error.code, request.lang, error.params),
          next: next === '/' ? undefined : next,
          oidcLabel,
        }),
      );
    }
  });

  app.post('/esci', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    await accounts.logout(request.principal!.sessionHash);
    clearSessionCookie(reply, secureCookies);
    return reply.redirect('/', 303);
  });

  app.post('/esci-ovunque', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    await accounts.logoutEverywhere(request.principal!.personId, actorOf(request.principal, request.id));
    clearSessionCookie(reply, secureCookies);
    return reply.redirect('/accedi', 303);
  });

  app.get('/registrati', publicPage, async (_request, reply) => reply.page(RegisterPage({ ctx: reply.pageContext() })));

  app.post('/registrati', publicForm, async (request, reply) => {
    const body = request.body;
    const values = {
      email: field(body, 'email'),
      displayName: field(body, 'displayName'),
      consent: field(body, 'consent'),
    };
    try {
      const person = await accounts.register(
        {
          ...values,
          password: field(body, 'password'),
          passwordRepeat: field(body, 'passwordRepeat'),
          lang: request.lang,
          consent: values.consent === 'yes',
          consentVersion: PRIVACY_NOTICE_VERSION,
        },
        actorOf(null, request.id),
      );
      const lang = request.lang;
      return reply.page(MessagePage({ ctx: reply.pageContext(), title: am(lang, 'checkMailTitle'), lead: am(lang, 'checkMailLead', { email: person.email! }) }));
    } catch (error) {
      const errors =
        error instanceof FormError
          ? fieldErrorMap(error.problems, request.lang)
          : error instanceof AppError && error.code === 'person.email_taken'
            ? { email: errorMessage('person.email_taken', request.lang) }
            : null;
      if (!errors) throw error;
      return reply.status(400).page(RegisterPage({ ctx: reply.pageContext(), values, errors }));
    }
  });

  app.get('/verifica-email', { config: { access: 'public' }, schema: { hide: true, querystring: TokenQuery } }, async (request, reply) => {
    const person = await accounts.verifyEmail(request.query.token ?? '');
    const { applications } = await opts.onEmailVerified(person.id);
    const lang = request.lang;
    return reply.page(
      MessagePage({
        ctx: reply.pageContext(),
        title: am(lang, 'verifiedTitle'),
        lead: applications > 0 ? `${am(lang, 'verifiedLead')} ${am(lang, 'verifiedWithApplication')}` : am(lang, 'verifiedLead'),
        children: (
          <p>
            <a class="btn btn-primary" href="/accedi">
              {am(lang, 'loginTitle')}
            </a>
          </p>
        ),
      }),
    );
  });

  app.get('/password-dimenticata', publicPage, async (_request, reply) => reply.page(ForgotPage({ ctx: reply.pageContext() })));

  app.post('/password-dimenticata', publicForm, async (request, reply) => {
    const email = field(request.body, 'email');
    try {
      await accounts.requestPasswordReset(email);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(ForgotPage({ ctx: reply.pageContext(), values: { email }, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    const lang = request.lang;
    return reply.page(MessagePage({ ctx: reply.pageContext(), title: am(lang, 'forgotSentTitle'), lead: am(lang, 'forgotSentLead') }));
  });

  app.get('/reimposta-password', { config: { access: 'public' }, schema: { hide: true, querystring: TokenQuery } }, async (request, reply) => {
    const token = request.query.token ?? '';
    await accounts.peekToken(token, 'reset_password');
    return reply.page(ResetPage({ ctx: reply.pageContext(), token }));
  });

  app.post('/reimposta-password', publicForm, async (request, reply) => {
    const token = field(request.body, 'token');
    try {
      await accounts.resetPassword(token, field(request.body, 'password'), field(request.body, 'passwordRepeat'));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(ResetPage({ ctx: reply.pageContext(), token, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    clearSessionCookie(reply, secureCookies);
    const lang = request.lang;
    return reply.page(
      MessagePage({
        ctx: reply.pageContext(),
        title: am(lang, 'resetDoneTitle'),
        lead: am(lang, 'resetDoneLead'),
        children: (
          <p>
            <a class="btn btn-primary" href="/accedi">
              {am(lang, 'loginTitle')}
            </a>
          </p>
        ),
      }),
    );
  });

  const invitationView = async (token: string) => {
    const row = await accounts.peekToken(token, 'invitation');
    const payload = row.payload as unknown as InvitationPayload;
    const existing = await accounts.repo.findByEmail(row.email);
    return { token, organisation: payload.organisationName, role: payload.role, email: row.email, existingAccount: !!existing };
  };

  app.get('/invito', { config: { access: 'public' }, schema: { hide: true, querystring: TokenQuery } }, async (request, reply) =>
    reply.page(InvitationPage({ ctx: reply.pageContext(), ...(await invitationView(request.query.token ?? '')) })),
  );

  app.post('/invito', publicForm, async (request, reply) => {
    const body = request.body;
    const token = field(body, 'token');
    const values = { displayName: field(body, 'displayName'), consent: field(body, 'consent') };
    try {
      const result = await accounts.acceptInvitation(token, {
        signedInPersonId: request.principal?.personId ?? null,
        displayName: values.displayName,
        password: field(body, 'password'),
        passwordRepeat: field(body, 'passwordRepeat'),
        consent: values.consent === 'yes',
        consentVersion: PRIVACY_NOTICE_VERSION,
        lang: request.lang,
      });
      if (result.newAccount) {
        setSessionCookie(reply, await accounts.openSession(result.personId, { ip: request.ip, userAgent: request.headers['user-agent'] }), secureCookies);
      }
      return reply.redirect(`/organizzazioni/${result.payload.organisationId}`, 303);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .status(400)
        .page(InvitationPage({ ctx: reply.pageContext(), ...(await invitationView(token)), values, errors: fieldErrorMap(error.problems, request.lang) }));
    }
  });

  const profileView = async (personId: string): Promise<ProfileView> => {
    const person = await accounts.repo.findById(personId);
    const grants = await accounts.repo.grantsOf(personId);
    return {
      email: person!.email!,
      displayName: person!.display_name,
      lang: person!.preferred_lang,
      roles: grants.map((g) => ({
        role: g.role,
        scope: g.organisation_name ?? g.cluster_name ?? null,
        href: g.organisation_id ? `/organizzazioni/${g.organisation_id}` : g.cluster_slug ? `/cluster/${g.cluster_slug}` : null,
      })),
    };
  };

  app.get('/profilo', { ...signedIn, schema: { hide: true, querystring: Type.Object({ saved: Type.Optional(Type.String()), lang: Type.Optional(Type.String()) }) } }, async (request, reply) =>
    reply.page(ProfilePage({ ctx: reply.pageContext(), profile: await profileView(request.principal!.personId), saved: request.query.saved === '1' })),
  );

  app.post('/profilo', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const lang = field(request.body, 'lang');
    try {
      await accounts.updateProfile(
        request.principal!.personId,
        { displayName: field(request.body, 'displayName'), lang: isLang(lang) ? lang : request.lang },
        actorOf(request.principal, request.id),
      );
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const profile = { ...(await profileView(request.principal!.personId)), displayName: field(request.body, 'displayName') };
      return reply.status(400).page(ProfilePage({ ctx: reply.pageContext(), profile, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect(`/profilo?saved=1${isLang(lang) ? `&lang=${lang}` : ''}`, 303);
  });

  app.get('/profilo/dati.json', signedIn, async (request, reply) => {
    const data = await accounts.exportPersonalData(request.principal!.personId);
    return reply
      .header('content-disposition', 'attachment; filename="clusterhub-dati-personali.json"')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.post('/profilo/elimina', { ...signedIn, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    try {
      await accounts.deleteAccount(request.principal!.personId, field(request.body, 'confirmEmail'));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const errors = { confirmEmail: am(request.lang, 'deleteMismatch') };
      return reply.status(400).page(ProfilePage({ ctx: reply.pageContext(), profile: await profileView(request.principal!.personId), errors }));
    }
    clearSessionCookie(reply, secureCookies);
    request.principal = null;
    const lang = request.lang;
    return reply.page(MessagePage({ ctx: reply.pageContext(), title: am(lang, 'deletedTitle'), lead: am(lang, 'deletedLead') }));
  });

  app.get(
    '/api/v1/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in person, their roles and a CSRF token for API writes',
        response: {
          200: Type.Object({
            id: Type.String({ format: 'uuid' }),
            email: Type.String(),
            displayName: Type.String(),
            lang: Type.Enum(['it', 'en']),
            roles: Type.Array(
              Type.Object({
                role: Type.String(),
                clusterId: Type.Union([Type.String(), Type.Null()]),
                organisationId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            csrfToken: Type.String({ description: 'Send it as the x-csrf-token header on POST, PUT, PATCH and DELETE' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      return {
        id: p.personId,
        email: p.email,
        displayName: p.displayName,
        lang: p.lang,
        roles: p.grants.map((g) => ({ role: g.role, clusterId: g.clusterId, organisationId: g.organisationId })),
        csrfToken: reply.generateCsrf(),
      };
    },
  );
};

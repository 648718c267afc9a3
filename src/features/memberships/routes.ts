import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/audit.js';
import { isRegionAdmin, managedClusterIds, type Principal } from '../../platform/auth/principal.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import { ErrorResponse } from '../../platform/schemas.js';
import type { AccountService } from '../accounts/service.js';
import type { ClusterService } from '../clusters/service.js';
import { organisationInputFromForm } from '../organisations/routes.js';
import { PRIVACY_NOTICE_VERSION } from '../site/pages.js';
import { MessagePage } from '../accounts/pages.js';
import { isMembershipAction, MEMBERSHIP_ACTIONS } from './lifecycle.js';
import { mm } from './messages.js';
import { ApplicationPage, ClassesPage, ManageClusterPage, ManageHomePage, QueuePage, ReviewPage, type ReviewView } from './pages.js';
import type { MembershipService } from './service.js';

export interface MembershipRoutesOptions {
  memberships: MembershipService;
  clusters: ClusterService;
  accounts: AccountService;
}

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const ReviewParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }), membershipId: Type.String({ format: 'uuid' }) });
const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), done: Type.Optional(Type.String({ maxLength: 40 })) });

export const membershipRoutes: FastifyPluginAsyncTypebox<MembershipRoutesOptions> = async (app, opts) => {
  const { memberships, clusters, accounts } = opts;

  async function ownOrganisations(principal: Principal | null) {
    if (!principal) return [];
    const grants = await accounts.repo.grantsOf(principal.personId);
    return grants.filter((g) => g.role === 'org_admin' && g.organisation_id).map((g) => ({ id: g.organisation_id!, name: g.organisation_name ?? '' }));
  }

  app.get('/cluster/:slug/aderisci', { config: { access: 'public' }, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    return reply.page(
      ApplicationPage({ ctx: reply.pageContext(), cluster: { slug: cluster.slug, name: cluster.short_name }, ownOrganisations: await ownOrganisations(request.principal) }),
    );
  });

  app.post('/cluster/:slug/aderisci', { config: { access: 'public' }, schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const body = request.body;
    const organisationId = field(body, 'organisationId') || undefined;
    try {
      const result = await memberships.apply(
        {
          clusterSlug: cluster.slug,
          organisationId,
          organisation: organisationId ? undefined : organisationInputFromForm(body, 'org.'),
          account: request.principal
            ? undefined
            : {
                email: field(body, 'email'),
                displayName: field(body, 'displayName'),
                password: field(body, 'password'),
                passwordRepeat: field(body, 'passwordRepeat'),
                consent: field(body, 'consent') === 'yes',
                consentVersion: PRIVACY_NOTICE_VERSION,
                lang: request.lang,
              },
          motivation: field(body, 'motivation'),
          lang: request.lang,
        },
        request.principal,
        actorOf(request.principal, request.id),
      );
      const lang = request.lang;
      return reply.page(
        MessagePage({
          ctx: reply.pageContext(),
          title: mm(lang, 'submittedTitle'),
          lead: result.verified ? mm(lang, 'submittedVerifiedLead') : mm(lang, 'submittedLead', { email: result.applicantEmail }),
        }),
      );
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const values: Record<string, string> = { ...body };
      delete values.password;
      delete values.passwordRepeat;
      delete values._csrf;
      return reply.status(400).page(
        ApplicationPage({
          ctx: reply.pageContext(),
          cluster: { slug: cluster.slug, name: cluster.short_name },
          values,
          errors: fieldErrorMap(error.problems, request.lang),
          ownOrganisations: await ownOrganisations(request.principal),
        }),
      );
    }
  });

  app.get('/gestione', { config: { access: 'authenticated' }, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const all = await clusters.list({ limit: 100, offset: 0 });
    const mine = isRegionAdmin(request.principal) ? all.items : all.items.filter((c) => managedClusterIds(request.principal).includes(c.id));
    return reply.page(ManageHomePage({ ctx: reply.pageContext(), clusters: mine.map((c) => ({ slug: c.slug, name: c.short_name })) }));
  });

  const manager = { config: { access: 'cluster_manager' as const } };

  app.get('/cluster/:slug/gestione', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const pending = (await memberships.queue(cluster.id)).length;
    return reply.page(ManageClusterPage({ ctx: reply.pageContext(), cluster: { slug: cluster.slug, name: cluster.short_name }, pending }));
  });

  app.get('/cluster/:slug/gestione/domande', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const [items, unverified] = await Promise.all([memberships.queue(cluster.id), memberships.unverifiedCount(cluster.id)]);
    return reply.page(QueuePage({ ctx: reply.pageContext(), cluster: { slug: cluster.slug, name: cluster.short_name }, items, unverified }));
  });

  async function reviewView(clusterId: string, membershipId: string, lang: 'it' | 'en'): Promise<ReviewView> {
    const m = await memberships.get(membershipId);
    if (m.cluster_id !== clusterId) throw new (await import('../../platform/errors.js')).AppError('membership.not_found');
    const [events, classes] = await Promise.all([memberships.events(membershipId), memberships.classes(clusterId)]);
    return {
      id: m.id,
      status: m.status,
      organisationId: m.organisation_id,
      organisationName: m.legal_name,
      motivation: m.motivation,
      applicant: { name: m.applicant_name, email: m.applicant_email },
      appliedAt: m.applied_at,
      verified: !!m.application_verified_at,
      memberClass: (lang === 'en' ? (m.class_en ?? m.class_it) : m.class_it) ?? null,
      events,
      classes: classes.map((c) => ({ id: c.id, code: c.code, name: (lang === 'en' ? (c.name_en ?? c.name_it) : c.name_it), voting: c.voting })),
    };
  }

  app.get('/cluster/:slug/gestione/domande/:membershipId', { ...manager, schema: { hide: true, params: ReviewParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const view = await reviewView(cluster.id, request.params.membershipId, request.lang);
    const done = request.query.done;
    const notice = done && (['applied', 'under_review', 'admitted', 'rejected', 'withdrawn', 'suspended', 'ended'] as const).find((s) => s === done);
    return reply.page(
      ReviewPage({
        ctx: reply.pageContext(),
        cluster: { slug: cluster.slug, name: cluster.short_name },
        view,
        notice: notice ? mm(request.lang, 'done', { status: mm(request.lang, `status.${notice}`) }) : undefined,
      }),
    );
  });

  app.post('/cluster/:slug/gestione/domande/:membershipId', { ...manager, schema: { hide: true, params: ReviewParams, body: FormBody } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const action = field(request.body, 'action');
    const values = { reason: field(request.body, 'reason'), memberClassId: field(request.body, 'memberClassId') };
    try {
      if (!isMembershipAction(action)) throw new FormError([{ field: 'action', code: 'one_of', params: { values: MEMBERSHIP_ACTIONS.join(', ') } }]);
      const outcome = await memberships.transition(
        { membershipId: request.params.membershipId, action, reason: values.reason, memberClassId: values.memberClassId || undefined },
        request.principal,
        actorOf(request.principal, request.id),
        { clusterId: cluster.id },
      );
      return reply.redirect(`/cluster/${cluster.slug}/gestione/domande/${request.params.membershipId}?done=${outcome.to}`, 303);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const view = await reviewView(cluster.id, request.params.membershipId, request.lang);
      return reply
        .status(400)
        .page(ReviewPage({ ctx: reply.pageContext(), cluster: { slug: cluster.slug, name: cluster.short_name }, view, values, errors: fieldErrorMap(error.problems, request.lang) }));
    }
  });

  const classesView = async (clusterId: string, lang: 'it' | 'en') =>
    (await memberships.classes(clusterId)).map((c) => ({ code: c.code, name: lang === 'en' ? (c.name_en ?? c.name_it) : c.name_it, voting: c.voting, feeCents: c.annual_fee_cents }));

  app.get('/cluster/:slug/gestione/classi', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    return reply.page(
      ClassesPage({
        ctx: reply.pageContext(),
        cluster: { slug: cluster.slug, name: cluster.short_name },
        classes: await classesView(cluster.id, request.lang),
        notice: request.query.done === 'class' ? mm(request.lang, 'classAdded') : undefined,
      }),
    );
  });

  app.post('/cluster/:slug/gestione/classi', { ...manager, schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const values = {
      code: field(request.body, 'code'),
      nameIt: field(request.body, 'nameIt'),
      nameEn: field(request.body, 'nameEn'),
      voting: field(request.body, 'voting'),
      fee: field(request.body, 'fee'),
    };
    try {
      await memberships.addClass(cluster.id, { ...values, voting: values.voting === 'yes' }, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(
        ClassesPage({
          ctx: reply.pageContext(),
          cluster: { slug: cluster.slug, name: cluster.short_name },
          classes: await classesView(cluster.id, request.lang),
          values,
          errors: fieldErrorMap(error.problems, request.lang),
        }),
      );
    }
    return reply.redirect(`/cluster/${cluster.slug}/gestione/classi?done=class`, 303);
  });

  // JSON API
  app.get(
    '/api/v1/clusters/:slug/applications',
    {
      ...manager,
      schema: {
        tags: ['memberships'],
        summary: 'Membership applications waiting for a decision (the cluster’s managers and the Region)',
        params: SlugParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String({ format: 'uuid' }),
                status: Type.String(),
                appliedAt: Type.String({ format: 'date-time' }),
                organisation: Type.Object({ name: Type.String(), type: Type.String(), city: Type.Union([Type.String(), Type.Null()]) }),
              }),
            ),
          }),
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      const items = await memberships.queue(request.scopeClusterId!);
      return {
        items: items.map((i) => ({ id: i.id, status: i.status, appliedAt: i.applied_at.toISOString(), organisation: { name: i.legal_name, type: i.type, city: i.city } })),
      };
    },
  );

  app.post(
    '/api/v1/memberships/:membershipId/transitions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['memberships'],
        summary: 'Move a membership through its lifecycle (managers decide; an organisation may withdraw its own application)',
        params: Type.Object({ membershipId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            action: Type.Enum(MEMBERSHIP_ACTIONS),
            reason: Type.Optional(Type.String({ maxLength: 4000 })),
            memberClass: Type.Optional(Type.String({ maxLength: 60, description: 'Class id or code, required to admit' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ from: Type.String(), to: Type.String() }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request) =>
      memberships.transition(
        { membershipId: request.params.membershipId, action: request.body.action, reason: request.body.reason, memberClassId: request.body.memberClass },
        request.principal,
        actorOf(request.principal, request.id),
      ),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { COLLABORATION_STATUSES, type CollaborationStatus } from '../../db/schema.js';
import { actorOf } from '../../platform/audit.js';
import { administersOrganisation, isRegionAdmin } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import { ErrorResponse, Nullable } from '../../platform/schemas.js';
import type { ClusterService } from '../clusters/service.js';
import type { OfferService } from '../offers/service.js';
import type { OrganisationService } from '../organisations/service.js';
import { clm } from './messages.js';
import { CollaborationPage, InboxPage, PipelinePage } from './pages.js';
import type { CollaborationService } from './service.js';

export interface CollaborationRoutesOptions {
  collaborations: CollaborationService;
  offers: OfferService;
  organisations: OrganisationService;
  clusters: ClusterService;
}

const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
const InterestParams = Type.Object({ orgId: Type.String({ format: 'uuid' }), interestId: Type.String({ format: 'uuid' }) });
const CollaborationParams = Type.Object({ collaborationId: Type.String({ format: 'uuid' }) });
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), done: Type.Optional(Type.String({ maxLength: 40 })) });

const Figures = Type.Object({
  interests: Type.Integer(),
  accepted: Type.Integer(),
  declined: Type.Integer(),
  collaborations: Type.Integer(),
  projects: Type.Integer(),
  won: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
});

const CollaborationOut = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  status: Type.Enum(COLLABORATION_STATUSES),
  initiator: Type.Object({ id: Type.String(), name: Type.String() }),
  partner: Type.Object({ id: Type.String(), name: Type.String() }),
  offerId: Nullable(Type.String()),
  needId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  history: Type.Array(Type.Object({ from: Nullable(Type.String()), to: Type.String(), note: Nullable(Type.String()), at: Type.String({ format: 'date-time' }) })),
});

export const collaborationRoutes: FastifyPluginAsyncTypebox<CollaborationRoutesOptions> = async (app, opts) => {
  const { collaborations, offers, organisations, clusters } = opts;

  async function inbox(orgId: string, request: { principal: Parameters<typeof administersOrganisation>[0]; lang: 'it' | 'en' }, extra: { notice?: string; errors?: Record<string, string> } = {}) {
    const org = await organisations.get(orgId);
    const interests = await collaborations.inbox(orgId);
    const canAct = administersOrganisation(request.principal, orgId) || isRegionAdmin(request.principal);
    return {
      organisation: { id: org.id, name: org.legal_name },
      interests,
      canAct,
      digestEnabled: !(await collaborations.digestOptedOut(orgId)),
      ...extra,
    };
  }

  // Express interest (from an offer, a need or a match result). Its sender must administer the
  // organisation named in the form: the service checks it.
  app.post('/interessi', { config: { access: 'authenticated' }, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const body = request.body;
    const offerId = field(body, 'offerId') || undefined;
    const needId = field(body, 'needId') || undefined;
    const suffix = `-${offerId ?? needId ?? ''}`;
    const organisationId = field(body, 'organisationId') || field(body, `organisationId${suffix}`);
    const message = field(body, 'message') || field(body, `message${suffix}`);
    if (!/^[0-9a-f-]{36}$/i.test(organisationId)) throw new AppError('organisation.not_found');
    const viewer = await offers.viewerOf(request.principal);
    try {
      await collaborations.expressInterest({ fromOrganisationId: organisationId, offerId, needId, message }, request.principal, viewer, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.redirect(`${offerId ? `/offerte/${offerId}` : `/fabbisogni/${needId}`}?done=interest_missing`, 303);
    }
    return reply.redirect(`${offerId ? `/offerte/${offerId}` : `/fabbisogni/${needId}`}?done=interest`, 303);
  });

  app.get('/organizzazioni/:orgId/contatti', { config: { access: 'org_member' }, schema: { hide: true, params: OrgParams, querystring: PageQuery } }, async (request, reply) => {
    const done = request.query.done;
    const notice = done === 'accepted' ? clm(request.lang, 'accepted') : done === 'declined' ? clm(request.lang, 'declined') : undefined;
    return reply.page(InboxPage({ ctx: reply.pageContext(), ...(await inbox(request.params.orgId, request, { notice })) }));
  });

  app.post('/organizzazioni/:orgId/interessi/:interestId', { config: { access: 'org_admin' }, schema: { hide: true, params: InterestParams, body: FormBody } }, async (request, reply) => {
    const action = field(request.body, 'action');
    if (action !== 'accept' && action !== 'decline') throw new AppError('request.invalid');
    try {
      await collaborations.decide({ organisationId: request.params.orgId, interestId: request.params.interestId, action, note: field(request.body, 'note') }, request.principal, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(InboxPage({ ctx: reply.pageContext(), ...(await inbox(request.params.orgId, request, { errors: fieldErrorMap(error.problems, request.lang) })) }));
    }
    return reply.redirect(`/organizzazioni/${request.params.orgId}/contatti?done=${action === 'accept' ? 'accepted' : 'declined'}`, 303);
  });

  app.post('/organizzazioni/:orgId/riepilogo', { config: { access: 'org_admin' }, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
    await organisations.get(request.params.orgId);
    await collaborations.setDigest(request.params.orgId, field(request.body, 'enabled') === 'yes', actorOf(request.principal, request.id));
    return reply.redirect(`/organizzazioni/${request.params.orgId}/contatti`, 303);
  });

  async function collaborationView(id: string, principal: Parameters<CollaborationService['get']>[1]) {
    const { collaboration: c, events } = await collaborations.get(id, principal);
    return {
      id: c.id,
      title: c.title,
      status: c.status,
      initiator: { id: c.initiator_organisation_id, name: c.initiator_name },
      partner: { id: c.partner_organisation_id, name: c.partner_name },
      offerId: c.offer_id,
      needId: c.need_id,
      createdAt: c.created_at,
      events,
    };
  }

  app.get('/collaborazioni/:collaborationId', { config: { access: 'authenticated' }, schema: { hide: true, params: CollaborationParams, querystring: PageQuery } }, async (request, reply) => {
    const view = await collaborationView(request.params.collaborationId, request.principal);
    return reply.page(CollaborationPage({ ctx: reply.pageContext(), view, notice: request.query.done === 'moved' ? clm(request.lang, 'updated') : undefined }));
  });

  app.post('/collaborazioni/:collaborationId', { config: { access: 'authenticated' }, schema: { hide: true, params: CollaborationParams, body: FormBody } }, async (request, reply) => {
    await collaborations.access(request.params.collaborationId, request.principal);
    const status = field(request.body, 'status');
    if (!(COLLABORATION_STATUSES as readonly string[]).includes(status)) throw new FormError([{ field: 'status', code: 'one_of', params: { values: COLLABORATION_STATUSES.join(', ') } }]);
    try {
      await collaborations.move({ collaborationId: request.params.collaborationId, to: status as CollaborationStatus, note: field(request.body, 'note') }, request.principal, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const view = await collaborationView(request.params.collaborationId, request.principal);
      return reply.status(400).page(CollaborationPage({ ctx: reply.pageContext(), view, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect(`/collaborazioni/${request.params.collaborationId}?done=moved`, 303);
  });

  app.get('/cluster/:slug/gestione/collaborazioni', { config: { access: 'cluster_manager' }, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const [rows, figures] = await Promise.all([collaborations.pipeline(cluster.id), collaborations.figures(cluster.id)]);
    return reply.page(PipelinePage({ ctx: reply.pageContext(), cluster: { slug: cluster.slug, name: cluster.short_name }, rows, figures }));
  });

  // JSON API
  app.post(
    '/api/v1/interests',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['collaborations'],
        summary: 'Express interest in an offer or a need on behalf of an organisation you administer; its owner is told by e-mail',
        body: Type.Object(
          {
            organisationId: Type.String({ format: 'uuid' }),
            offerId: Type.Optional(Type.String({ format: 'uuid' })),
            needId: Type.Optional(Type.String({ format: 'uuid' })),
            message: Type.String({ maxLength: 20_000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if ((body.offerId ? 1 : 0) + (body.needId ? 1 : 0) !== 1) throw new FormError([{ field: 'offerId', code: 'required' }]);
      const viewer = await offers.viewerOf(request.principal);
      const result = await collaborations.expressInterest({ fromOrganisationId: body.organisationId, offerId: body.offerId, needId: body.needId, message: body.message }, request.principal, viewer, actorOf(request.principal, request.id));
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/v1/organisations/:orgId/interests/:interestId/decision',
    {
      config: { access: 'org_admin' },
      schema: {
        tags: ['collaborations'],
        summary: 'Accept (introduction e-mail to both, collaboration started) or decline an expression of interest received',
        params: InterestParams,
        body: Type.Object({ action: Type.Enum(['accept', 'decline']), note: Type.Optional(Type.String({ maxLength: 20_000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ collaborationId: Nullable(Type.String()) }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) =>
      collaborations.decide({ organisationId: request.params.orgId, interestId: request.params.interestId, action: request.body.action, note: request.body.note }, request.principal, actorOf(request.principal, request.id)),
  );

  app.get(
    '/api/v1/collaborations/:collaborationId',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['collaborations'], summary: 'One collaboration with its history (the parties, their clusters’ managers, the Region)', params: CollaborationParams, response: { 200: CollaborationOut, 401: ErrorResponse, 404: ErrorResponse } },
    },
    async (request) => {
      const v = await collaborationView(request.params.collaborationId, request.principal);
      return { ...v, createdAt: v.createdAt.toISOString(), history: v.events.map((e) => ({ from: e.from_status, to: e.to_status, note: e.note, at: e.at.toISOString() })) };
    },
  );

  app.post(
    '/api/v1/collaborations/:collaborationId/status',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['collaborations'],
        summary: 'Move a collaboration along the pipeline: exploring → agreement → project → closed_won, or closed_lost',
        params: CollaborationParams,
        body: Type.Object({ status: Type.Enum(COLLABORATION_STATUSES), note: Type.Optional(Type.String({ maxLength: 20_000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ from: Type.String(), to: Type.String() }), 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => collaborations.move({ collaborationId: request.params.collaborationId, to: request.body.status, note: request.body.note }, request.principal, actorOf(request.principal, request.id)),
  );

  app.get(
    '/api/v1/clusters/:slug/collaborations',
    {
      config: { access: 'cluster_manager' },
      schema: {
        tags: ['collaborations'],
        summary: 'The cluster’s collaboration pipeline and matchmaking figures (its managers and the Region)',
        params: SlugParams,
        response: {
          200: Type.Object({
            figures: Figures,
            items: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), status: Type.String(), initiator: Type.String(), partner: Type.String(), updatedAt: Type.String({ format: 'date-time' }) })),
          }),
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      const clusterId = request.scopeClusterId!;
      const [rows, figures] = await Promise.all([collaborations.pipeline(clusterId), collaborations.figures(clusterId)]);
      return { figures, items: rows.map((r) => ({ id: r.id, title: r.title, status: r.status, initiator: r.initiator_name, partner: r.partner_name, updatedAt: r.updated_at.toISOString() })) };
    },
  );
};

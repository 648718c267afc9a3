import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { COLLABORATION_TYPES, ORGANISATION_TYPES, type TechnologyNeedRow, type TechnologyOfferRow } from '../../db/schema.js';
import { actorOf } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import { ErrorResponse } from '../../platform/schemas.js';
import type { AccountService } from '../accounts/service.js';
import type { OrganisationService } from '../organisations/service.js';
import { ofm } from './messages.js';
import { ItemFormPage, ItemListPage, ItemPage } from './pages.js';
import { presentNeed, presentOffer } from './presenter.js';
import type { ItemKind, ItemRow } from './repository.js';
import { ItemListQuery, NeedIn, NeedList, NeedOut, NeedPatch, OfferIn, OfferList, OfferOut, OfferPatch } from './schemas.js';
import { ITEM_ACTIONS, type ItemAction, type OfferService } from './service.js';
import type { ItemInput } from './validation.js';

export interface OfferRoutesOptions {
  offers: OfferService;
  organisations: OrganisationService;
  accounts: AccountService;
}

const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
const PageQuery = Type.Object({
  lang: Type.Optional(Type.String()),
  done: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});
/** Offers or needs per page of the public list. */
const LIST_PAGE_SIZE = 50;

const splitList = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Form fields (all strings) into the service's input. */
export function itemInputFromForm(kind: ItemKind, body: FormBody): ItemInput {
  const common: ItemInput = {
    titleIt: field(body, 'titleIt'),
    titleEn: field(body, 'titleEn'),
    descriptionIt: field(body, 'descriptionIt'),
    descriptionEn: field(body, 'descriptionEn'),
    taxonomyCodes: splitList(field(body, 'taxonomyCodes')),
    visibility: field(body, 'visibility') || 'public',
    clusters: splitList(field(body, 'clusters')),
    expiresOn: field(body, 'expiresOn'),
  };
  if (kind === 'offer') {
    return {
      ...common,
      summaryIt: field(body, 'summaryIt'),
      summaryEn: field(body, 'summaryEn'),
      trl: field(body, 'trl'),
      ipStatus: field(body, 'ipStatus'),
      patentNumber: field(body, 'patentNumber'),
      collaborationTypes: COLLABORATION_TYPES.filter((c) => field(body, `collab_${c}`) === 'yes'),
      categories: splitList(field(body, 'categories')),
      tags: splitList(field(body, 'tags')),
      lookingFor: splitList(field(body, 'lookingFor')),
    };
  }
  return {
    ...common,
    trlMin: field(body, 'trlMin'),
    trlMax: field(body, 'trlMax'),
    budgetMin: field(body, 'budgetMin'),
    budgetMax: field(body, 'budgetMax'),
    deadline: field(body, 'deadline'),
    partnerTypes: ORGANISATION_TYPES.filter((p) => field(body, `partner_${p}`) === 'yes'),
  };
}

/** A stored item as form values, for the edit form. */
export function formValuesOfItem(kind: ItemKind, row: ItemRow, clusterSlugs: string[]): Record<string, string> {
  const values: Record<string, string> = {
    titleIt: row.title_it ?? '',
    titleEn: row.title_en ?? '',
    descriptionIt: row.description_it ?? '',
    descriptionEn: row.description_en ?? '',
    taxonomyCodes: row.taxonomy_codes.join(', '),
    visibility: row.visibility,
    clusters: clusterSlugs.join(', '),
    expiresOn: row.expires_on ?? '',
  };
  if (kind === 'offer') {
    const o = row as TechnologyOfferRow;
    Object.assign(values, {
      summaryIt: o.summary_it ?? '',
      summaryEn: o.summary_en ?? '',
      trl: o.trl === null ? '' : String(o.trl),
      ipStatus: o.ip_status ?? '',
      patentNumber: o.patent_number ?? '',
      categories: o.categories.join(', '),
      tags: o.tags.join(', '),
      lookingFor: o.looking_for.join(', '),
    });
    for (const c of o.collaboration_types) values[`collab_${c}`] = 'yes';
  } else {
    const n = row as TechnologyNeedRow;
    const euros = (cents: number | null) => (cents === null ? '' : String(Number(cents) / 100));
    Object.assign(values, {
      trlMin: n.trl_min === null ? '' : String(n.trl_min),
      trlMax: n.trl_max === null ? '' : String(n.trl_max),
      budgetMin: euros(n.budget_min_cents),
      budgetMax: euros(n.budget_max_cents),
      deadline: n.deadline ?? '',
    });
    for (const p of n.partner_types) values[`partner_${p}`] = 'yes';
  }
  return values;
}

/** API body into the service's input (money in cents → euros for the shared validation). */
function itemInputFromApi(kind: ItemKind, body: Record<string, unknown>, current?: Record<string, string>): ItemInput {
  const input: Record<string, unknown> = { ...(current ? fromFormValues(kind, current) : {}) };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'organisationId' || key === 'publish' || key === 'action') continue;
    if (key === 'budgetMinCents') input.budgetMin = value === null ? null : Number(value) / 100;
    else if (key === 'budgetMaxCents') input.budgetMax = value === null ? null : Number(value) / 100;
    else input[key] = value;
  }
  return input as ItemInput;
}

function fromFormValues(kind: ItemKind, values: Record<string, string>): ItemInput {
  return itemInputFromForm(kind, values);
}

export const offerRoutes: FastifyPluginAsyncTypebox<OfferRoutesOptions> = async (app, opts) => {
  const { offers, organisations, accounts } = opts;

  async function administered(principal: Principal | null) {
    if (!principal) return [];
    const grants = await accounts.repo.grantsOf(principal.personId);
    return grants.filter((g) => g.role === 'org_admin' && g.organisation_id).map((g) => ({ id: g.organisation_id!, name: g.organisation_name ?? '' }));
  }

  async function present(kind: ItemKind, rows: ItemRow[]) {
    const audiences = await offers.repo.audienceOf(kind, rows.map((r) => r.id));
    const clusterIds = [...new Set([...audiences.values()].flat())];
    const slugs = new Map((await offers.repo.clusterSlugs(clusterIds)).map((c) => [c.id, c.slug]));
    return rows.map((r) => {
      const chosen = (audiences.get(r.id) ?? []).map((id) => slugs.get(id) ?? id);
      return kind === 'offer' ? presentOffer(r as TechnologyOfferRow & ItemRow, chosen) : presentNeed(r as TechnologyNeedRow & ItemRow, chosen);
    });
  }

  async function related(organisationId: string) {
    const rows = await offers.database
      .selectFrom('organisation_relations as r')
      .innerJoin('organisations as o', 'o.id', 'r.related_organisation_id')
      .select(['o.id', 'o.legal_name as name'])
      .where('r.organisation_id', '=', organisationId)
      .execute();
    return rows;
  }

  for (const kind of ['offer', 'need'] as const) {
    const path = kind === 'offer' ? '/offerte' : '/fabbisogni';
    const orgPath = kind === 'offer' ? 'offerte' : 'fabbisogni';
    const param = kind === 'offer' ? 'offerId' : 'needId';
    const ItemParams = Type.Object({ [param]: Type.String({ format: 'uuid' }) });
    const idOf = (params: unknown) => (params as Record<string, string>)[param]!;

    async function itemView(id: string, principal: Principal | null, extra: { notice?: string | undefined; problem?: string | undefined } = {}) {
      const viewer = await offers.viewerOf(principal);
      const { item, editable } = await offers.get(kind, id, viewer);
      const [dto] = await present(kind, [item]);
      const mine = await administered(principal);
      return {
        kind,
        item: dto!,
        editable,
        related: await related(item.organisation_id),
        interestFrom: mine.filter((o) => o.id !== item.organisation_id),
        ...extra,
      };
    }

    // Pages
    app.get(path, { config: { access: 'public' }, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
      const viewer = await offers.viewerOf(request.principal);
      const page = request.query.page ?? 1;
      const result = await offers.list(kind, viewer, { q: request.query.q, page, pageSize: LIST_PAGE_SIZE });
      const pages = Math.max(1, Math.ceil(result.total / LIST_PAGE_SIZE));
      return reply.page(
        ItemListPage({
          ctx: reply.pageContext(),
          view: { kind, items: await present(kind, result.items), total: result.total, q: request.query.q ?? '', page, pages, ownOrganisations: await administered(request.principal) },
        }),
      );
    });

    app.get(`${path}/:${param}`, { config: { access: 'public' }, schema: { hide: true, params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
      const done = request.query.done;
      const notice = done === 'saved' ? ofm(request.lang, 'saved') : done && ['draft', 'published', 'archived'].includes(done) ? ofm(request.lang, 'done', { status: ofm(request.lang, `status.${done as 'draft'}`) }) : done === 'interest' ? (request.lang === 'it' ? 'Manifestazione di interesse inviata: l’altra organizzazione riceverà un messaggio.' : 'Expression of interest sent: the other organisation will receive a message.') : undefined;
      const problem = done === 'interest_missing' ? (request.lang === 'it' ? 'Manifestazione di interesse non inviata: scrivi un messaggio all’altra organizzazione (al massimo 4000 caratteri).' : 'Expression of interest not sent: write a message to the other organisation (at most 4,000 characters).') : undefined;
      return reply.page(ItemPage({ ctx: reply.pageContext(), view: await itemView(idOf(request.params), request.principal, { notice, problem }) }));
    });

    app.get(`/organizzazioni/:orgId/${orgPath}/nuovo`, { config: { access: 'org_admin' }, schema: { hide: true, params: OrgParams } }, async (request, reply) => {
      const org = await organisations.get(request.params.orgId);
      return reply.page(ItemFormPage({ ctx: reply.pageContext(), kind, action: `/organizzazioni/${org.id}/${orgPath}`, organisation: { id: org.id, name: org.legal_name }, values: { visibility: 'public' }, editing: false }));
    });

    app.post(`/organizzazioni/:orgId/${orgPath}`, { config: { access: 'org_admin' }, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
      const org = await organisations.get(request.params.orgId);
      try {
        const viewer = await offers.viewerOf(request.principal);
        const id = await offers.create(kind, org.id, itemInputFromForm(kind, request.body), viewer, actorOf(request.principal, request.id));
        return reply.redirect(`${path}/${id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof FormError)) throw error;
        return reply
          .status(400)
          .page(ItemFormPage({ ctx: reply.pageContext(), kind, action: `/organizzazioni/${org.id}/${orgPath}`, organisation: { id: org.id, name: org.legal_name }, values: request.body, errors: fieldErrorMap(error.problems, request.lang), editing: false }));
      }
    });

    app.get(`${path}/:${param}/modifica`, { config: { access: 'authenticated' }, schema: { hide: true, params: ItemParams } }, async (request, reply) => {
      const viewer = await offers.viewerOf(request.principal);
      const { item } = await offers.getForEdit(kind, idOf(request.params), viewer);
      const [dto] = await present(kind, [item]);
      return reply.page(
        ItemFormPage({ ctx: reply.pageContext(), kind, action: `${path}/${item.id}/modifica`, organisation: { id: item.organisation_id, name: item.organisation_name }, values: formValuesOfItem(kind, item, dto!.clusters), editing: true }),
      );
    });

    app.post(`${path}/:${param}/modifica`, { config: { access: 'authenticated' }, schema: { hide: true, params: ItemParams, body: FormBody } }, async (request, reply) => {
      const id = idOf(request.params);
      const viewer = await offers.viewerOf(request.principal);
      const { item } = await offers.getForEdit(kind, id, viewer);
      try {
        await offers.update(kind, id, itemInputFromForm(kind, request.body), viewer, actorOf(request.principal, request.id));
      } catch (error) {
        if (!(error instanceof FormError)) throw error;
        return reply
          .status(400)
          .page(ItemFormPage({ ctx: reply.pageContext(), kind, action: `${path}/${id}/modifica`, organisation: { id: item.organisation_id, name: item.organisation_name }, values: request.body, errors: fieldErrorMap(error.problems, request.lang), editing: true }));
      }
      return reply.redirect(`${path}/${id}?done=saved`, 303);
    });

    app.post(`${path}/:${param}/stato`, { config: { access: 'authenticated' }, schema: { hide: true, params: ItemParams, body: FormBody } }, async (request, reply) => {
      const id = idOf(request.params);
      const viewer = await offers.viewerOf(request.principal);
      await offers.getForEdit(kind, id, viewer);
      const action = field(request.body, 'action');
      if (!(ITEM_ACTIONS as readonly string[]).includes(action)) throw new FormError([{ field: 'action', code: 'one_of', params: { values: ITEM_ACTIONS.join(', ') } }]);
      const outcome = await offers.transition(kind, id, action as ItemAction, viewer, actorOf(request.principal, request.id));
      return reply.redirect(`${path}/${id}?done=${outcome.to}`, 303);
    });

    // JSON API
    const apiPath = kind === 'offer' ? '/api/v1/offers' : '/api/v1/needs';
    const Out = kind === 'offer' ? OfferOut : NeedOut;
    const tag = 'offers';
    app.get(
      apiPath,
      {
        config: { access: 'public' },
        schema: {
          tags: [tag],
          summary: kind === 'offer' ? 'Technology offers the caller may see (published, unexpired; own drafts too)' : 'Technology needs the caller may see',
          querystring: ItemListQuery,
          response: { 200: kind === 'offer' ? OfferList : NeedList, 400: ErrorResponse },
        },
      },
      async (request) => {
        const viewer = await offers.viewerOf(request.principal);
        const result = await offers.list(kind, viewer, { q: request.query.q, organisationId: request.query.organisation, page: request.query.page, pageSize: request.query.pageSize, includeInactive: !!request.query.organisation });
        return { items: await present(kind, result.items), total: result.total, page: result.page, pageSize: result.pageSize } as never;
      },
    );

    app.get(
      `${apiPath}/:${param}`,
      {
        config: { access: 'public' },
        schema: { tags: [tag], summary: kind === 'offer' ? 'One technology offer' : 'One technology need', params: ItemParams, response: { 200: Out, 404: ErrorResponse } },
      },
      async (request) => {
        const viewer = await offers.viewerOf(request.principal);
        const { item } = await offers.get(kind, idOf(request.params), viewer);
        return (await present(kind, [item]))[0] as never;
      },
    );

    app.post(
      apiPath,
      {
        config: { access: 'authenticated' },
        schema: {
          tags: [tag],
          summary: kind === 'offer' ? 'Create a technology offer (a draft, or published with publish: true)' : 'Create a technology need',
          body: kind === 'offer' ? OfferIn : NeedIn,
          response: { 201: Out, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request, reply) => {
        const body = request.body as Record<string, unknown> & { organisationId: string; publish?: boolean };
        // The service decides who may (the organisation's administrators, its clusters' managers, the Region).
        if (!(await organisations.exists(body.organisationId))) throw new AppError('organisation.not_found');
        const viewer = await offers.viewerOf(request.principal);
        const id = await offers.create(kind, body.organisationId, itemInputFromApi(kind, body), viewer, actorOf(request.principal, request.id));
        if (body.publish) await offers.transition(kind, id, 'publish', viewer, actorOf(request.principal, request.id));
        const { item } = await offers.get(kind, id, viewer);
        return reply.status(201).send((await present(kind, [item]))[0] as never);
      },
    );

    app.patch(
      `${apiPath}/:${param}`,
      {
        config: { access: 'authenticated' },
        schema: {
          tags: [tag],
          summary: 'Change fields and/or move through the lifecycle (action: publish, archive, renew, reopen); owners, their clusters’ managers, the Region',
          params: ItemParams,
          body: kind === 'offer' ? OfferPatch : NeedPatch,
          response: { 200: Out, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request) => {
        const id = idOf(request.params);
        const viewer = await offers.viewerOf(request.principal);
        const { item } = await offers.getForEdit(kind, id, viewer);
        const body = request.body as Record<string, unknown> & { action?: ItemAction };
        const fields = Object.keys(body).filter((k) => k !== 'action');
        if (fields.length > 0) {
          const [dto] = await present(kind, [item]);
          await offers.update(kind, id, itemInputFromApi(kind, body, formValuesOfItem(kind, item, dto!.clusters)), viewer, actorOf(request.principal, request.id));
        }
        if (body.action) await offers.transition(kind, id, body.action, viewer, actorOf(request.principal, request.id));
        const fresh = await offers.get(kind, id, viewer);
        return (await present(kind, [fresh.item]))[0] as never;
      },
    );

    app.delete(
      `${apiPath}/:${param}`,
      {
        config: { access: 'authenticated' },
        schema: {
          tags: [tag],
          summary: 'Archive (items are never deleted: collaborations and the audit log refer to them)',
          params: ItemParams,
          response: { 200: Out, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
        },
      },
      async (request) => {
        const id = idOf(request.params);
        const viewer = await offers.viewerOf(request.principal);
        await offers.getForEdit(kind, id, viewer);
        await offers.transition(kind, id, 'archive', viewer, actorOf(request.principal, request.id));
        const fresh = await offers.get(kind, id, viewer);
        return (await present(kind, [fresh.item]))[0] as never;
      },
    );
  }
};

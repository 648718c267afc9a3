import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { VNode } from 'preact';
import type { Principal } from '../../platform/auth/principal.js';
import { canonicalUrl } from '../../platform/layout.js';
import { actorOf } from '../../platform/audit.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import { ErrorResponse } from '../../platform/schemas.js';
import { uploadedFile } from '../../platform/uploads.js';
import type { AccountService } from '../accounts/service.js';
import type { ClusterService } from '../clusters/service.js';
import { om } from './messages.js';
import { DirectoryPage, EditOrganisationPage, OrganisationPage, type OrganisationFormValues } from './pages.js';
import { organisationPermissions } from './policy.js';
import { presentOrganisation, presentOrganisationPrivate, profileFormValues } from './presenter.js';
import { DirectoryQuerySchema, OrganisationList, OrganisationPatch, OrganisationPrivate, OrganisationPublic } from './schemas.js';
import { LOGO_MAX_BYTES, type OrganisationRecord, type OrganisationService } from './service.js';
import type { OrganisationInput } from './validation.js';

export interface OrganisationRoutesOptions {
  organisations: OrganisationService;
  clusters: ClusterService;
  accounts: AccountService;
  /** Sections other features add to the organisation page (competences and facilities). */
  profileSections?: (orgId: string, principal: Principal | null, lang: 'it' | 'en', canEdit: boolean) => Promise<VNode | null>;
}

const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), saved: Type.Optional(Type.String()) });

const PROFILE_FIELDS = [
  'legalName', 'shortName', 'type', 'vatNumber', 'taxCode', 'atecoCodes', 'countryCode', 'comuneIstat', 'city', 'address',
  'postcode', 'pec', 'email', 'website', 'employees', 'turnover', 'balanceSheet', 'sizeClassDeclared', 'descriptionIt', 'descriptionEn',
] as const;

export function organisationInputFromForm(body: FormBody, prefix = ''): OrganisationInput {
  const input: Record<string, string> = {};
  for (const name of PROFILE_FIELDS) input[name] = field(body, `${prefix}${name}`);
  return input as OrganisationInput;
}

export const organisationRoutes: FastifyPluginAsyncTypebox<OrganisationRoutesOptions> = async (app, opts) => {
  const { organisations, clusters, accounts } = opts;

  async function loadView(orgId: string, principal: Principal | null, lang: 'it' | 'en') {
    const org = await organisations.get(orgId);
    const links = await organisations.clusterLinks(orgId);
    const admitted = links.filter((l) => l.status === 'admitted');
    const reviewing = principal ? await organisations.repo.applicationClusterIds(orgId) : [];
    const permissions = organisationPermissions(principal, orgId, links.map((l) => l.cluster_id), reviewing);
    const dto = permissions.seePrivate ? presentOrganisationPrivate(org, admitted, lang) : presentOrganisation(org, admitted, lang);
    return { org, dto, permissions };
  }

  /** The directory's canonical URL: its filters and page, never the default sort or page 1. */
  function directoryCanonical(path: string, query: Static<typeof DirectoryQuerySchema>, lang: 'it' | 'en'): string {
    const { cluster, type, province, size, q, sort, page, pageSize } = query;
    return canonicalUrl(
      app.config.baseUrl,
      path,
      { cluster, type, province, size, q: q?.trim(), sort: sort === 'name' ? undefined : sort, page: page && page > 1 ? page : undefined, pageSize: pageSize && pageSize !== 20 ? pageSize : undefined },
      lang,
    );
  }

  async function directoryView(query: Static<typeof DirectoryQuerySchema>, clusterSlug?: string) {
    const slug = clusterSlug ?? query.cluster;
    const cluster = slug ? await clusters.find(slug) : undefined;
    const result = await organisations.directory({
      clusterId: cluster?.id,
      type: query.type,
      province: query.province,
      size: query.size,
      q: query.q,
      sort: query.sort,
      page: query.page,
      pageSize: query.pageSize,
    });
    const linksById = await organisations.admittedLinksFor(result.items.map((o) => o.id));
    return { result, cluster, linksById };
  }

  app.get('/organizzazioni', { config: { access: 'public' }, schema: { hide: true, querystring: DirectoryQuerySchema } }, async (request, reply) => {
    const { result, linksById } = await directoryView(request.query);
    const all = await clusters.list({ limit: 100, offset: 0 });
    return reply.page(
      DirectoryPage({
        ctx: reply.pageContext(),
        view: {
          items: result.items.map((o) => presentOrganisation(o, linksById.get(o.id) ?? [], request.lang)),
          total: result.total,
          page: result.page,
          pageSize: result.pageSize,
          filters: { ...request.query, page: undefined } as never,
          canonical: directoryCanonical('/organizzazioni', request.query, request.lang),
          clusters: all.items.map((c) => ({ slug: c.slug, name: c.short_name })),
        },
      }),
    );
  });

  app.get(
    '/cluster/:slug/membri',
    { config: { access: 'public' }, schema: { hide: true, params: SlugParams, querystring: DirectoryQuerySchema } },
    async (request, reply) => {
      const { result, cluster, linksById } = await directoryView(request.query, request.params.slug);
      const canExport = !!request.principal && organisationPermissions(request.principal, '', [cluster!.id]).edit;
      return reply.page(
        DirectoryPage({
          ctx: reply.pageContext(),
          view: {
            items: result.items.map((o) => presentOrganisation(o, linksById.get(o.id) ?? [], request.lang)),
            total: result.total,
            page: result.page,
            pageSize: result.pageSize,
            filters: { ...request.query, cluster: undefined, page: undefined } as never,
            canonical: directoryCanonical(`/cluster/${request.params.slug}/membri`, { ...request.query, cluster: undefined }, request.lang),
            clusters: [],
            cluster: { slug: cluster!.slug, name: cluster!.short_name },
            canExport,
          },
        }),
      );
    },
  );

  app.get('/organizzazioni/:orgId', { config: { access: 'public' }, schema: { hide: true, params: OrgParams, querystring: PageQuery } }, async (request, reply) => {
    const { dto, permissions } = await loadView(request.params.orgId, request.principal, request.lang);
    const [registryRoles, people] = await Promise.all([
      organisations.rolesInClusters(request.params.orgId),
      permissions.invite ? organisations.people(request.params.orgId) : Promise.resolve([]),
    ]);
    const notice = request.query.saved === 'invite' ? undefined : request.query.saved === '1' ? om(request.lang, 'saved') : request.query.saved === 'logo' ? om(request.lang, 'logoSaved') : undefined;
    const extra = opts.profileSections ? await opts.profileSections(request.params.orgId, request.principal, request.lang, permissions.edit) : null;
    return reply.page(OrganisationPage({ ctx: reply.pageContext(), view: { org: dto, permissions, registryRoles, people, notice, extra } }));
  });

  app.get('/organizzazioni/:orgId/logo', { config: { access: 'public' }, schema: { hide: true, params: OrgParams } }, async (request, reply) => {
    const logo = await organisations.logo(request.params.orgId);
    return reply
      .type(logo.logo_mime!)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .send(logo.logo);
  });

  const orgAdmin = { config: { access: 'org_admin' as const } };

  app.get('/organizzazioni/:orgId/modifica', { ...orgAdmin, schema: { hide: true, params: OrgParams } }, async (request, reply) => {
    const org = await organisations.get(request.params.orgId);
    return reply.page(EditOrganisationPage({ ctx: reply.pageContext(), id: org.id, name: org.legal_name, values: profileFormValues(org) }));
  });

  app.post('/organizzazioni/:orgId/modifica', { ...orgAdmin, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
    const id = request.params.orgId;
    const input = organisationInputFromForm(request.body);
    try {
      await organisations.update(id, input, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const org = await organisations.get(id);
      return reply
        .status(400)
        .page(EditOrganisationPage({ ctx: reply.pageContext(), id, name: org.legal_name, values: input as OrganisationFormValues, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect(`/organizzazioni/${id}?saved=1`, 303);
  });

  app.post('/organizzazioni/:orgId/logo', { ...orgAdmin, schema: { hide: true, params: OrgParams } }, async (request, reply) => {
    const id = request.params.orgId;
    const file = await uploadedFile(request, 'logo');
    try {
      if (!file || file.data.length === 0) {
        throw new FormError([{ field: 'logo', code: 'required' }]);
      }
      if (file.truncated || file.data.length > LOGO_MAX_BYTES) throw new FormError([{ field: 'logo', code: 'logo_too_large' }]);
      await organisations.setLogo(id, file.data, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const org = await organisations.get(id);
      return reply
        .status(400)
        .page(EditOrganisationPage({ ctx: reply.pageContext(), id, name: org.legal_name, values: profileFormValues(org), logoErrors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect(`/organizzazioni/${id}?saved=logo`, 303);
  });

  app.post('/organizzazioni/:orgId/inviti', { ...orgAdmin, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
    const id = request.params.orgId;
    const email = field(request.body, 'email');
    const role = field(request.body, 'role') === 'org_admin' ? 'org_admin' : 'org_member';
    try {
      const org = await organisations.get(id);
      await accounts.invite(
        { email, payload: { organisationId: id, organisationName: org.legal_name, role, invitedBy: request.principal!.displayName, lang: request.lang } },
        actorOf(request.principal, request.id),
      );
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const { dto, permissions } = await loadView(id, request.principal, request.lang);
      const [registryRoles, people] = await Promise.all([organisations.rolesInClusters(id), organisations.people(id)]);
      return reply.status(400).page(
        OrganisationPage({
          ctx: reply.pageContext(),
          view: { org: dto, permissions, registryRoles, people, errors: fieldErrorMap(error.problems, request.lang), inviteValues: { email, role } },
        }),
      );
    }
    const { dto, permissions } = await loadView(id, request.principal, request.lang);
    const [registryRoles, people] = await Promise.all([organisations.rolesInClusters(id), organisations.people(id)]);
    return reply.page(
      OrganisationPage({ ctx: reply.pageContext(), view: { org: dto, permissions, registryRoles, people, notice: om(request.lang, 'inviteSent', { email }) } }),
    );
  });

  // JSON API
  app.get(
    '/api/v1/organisations',
    {
      config: { access: 'public' },
      schema: {
        tags: ['organisations'],
        summary: 'The member directory of the network (admitted members only), filtered and paged',
        querystring: DirectoryQuerySchema,
        response: { 200: OrganisationList, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { result, linksById } = await directoryView(request.query);
      return {
        items: result.items.map((o) => presentOrganisation(o, linksById.get(o.id) ?? [], request.lang)),
        total: result.total,
        page: result.page,
        pageSize: result.pageSize,
      };
    },
  );

  app.get(
    '/api/v1/clusters/:slug/members',
    {
      config: { access: 'public' },
      schema: {
        tags: ['organisations'],
        summary: 'The admitted members of one cluster',
        params: SlugParams,
        querystring: DirectoryQuerySchema,
        response: { 200: OrganisationList, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { result, linksById } = await directoryView(request.query, request.params.slug);
      return {
        items: result.items.map((o) => presentOrganisation(o, linksById.get(o.id) ?? [], request.lang)),
        total: result.total,
        page: result.page,
        pageSize: result.pageSize,
      };
    },
  );

  app.get(
    '/api/v1/organisations/:orgId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['organisations'],
        summary: 'One organisation; restricted fields only for its people, its clusters’ managers and the Region',
        params: OrgParams,
        response: { 200: Type.Union([OrganisationPrivate, OrganisationPublic]), 404: ErrorResponse },
      },
    },
    async (request) => (await loadView(request.params.orgId, request.principal, request.lang)).dto,
  );

  app.patch(
    '/api/v1/organisations/:orgId',
    {
      config: { access: 'org_admin' },
      schema: {
        tags: ['organisations'],
        summary: 'Update an organisation profile (its administrators, its clusters’ managers, the Region)',
        params: OrgParams,
        body: OrganisationPatch,
        response: { 200: OrganisationPrivate, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const id = request.params.orgId;
      const current = profileFormValues(await organisations.get(id));
      const b = request.body;
      const cents = (v: number | null | undefined, fallback: string | undefined) => (v === undefined ? fallback : v === null ? '' : String(v / 100));
      const input: OrganisationInput = {
        ...current,
        ...Object.fromEntries(Object.entries(b).filter(([k]) => !['turnoverCents', 'balanceSheetCents', 'employees'].includes(k)).map(([k, v]) => [k, v ?? ''])),
        atecoCodes: b.atecoCodes ?? current.atecoCodes,
        employees: b.employees === undefined ? current.employees : b.employees === null ? '' : String(b.employees),
        turnover: cents(b.turnoverCents, current.turnover),
        balanceSheet: cents(b.balanceSheetCents, current.balanceSheet),
      };
      await organisations.update(id, input, actorOf(request.principal, request.id));
      return presentOrganisationPrivate(await organisations.get(id), (await organisations.clusterLinks(id)).filter((l) => l.status === 'admitted'), request.lang);
    },
  );
};

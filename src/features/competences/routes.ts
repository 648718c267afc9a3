import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { stringify } from 'csv-stringify/sync';
import type { Principal } from '../../platform/auth/principal.js';
import { actorOf } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { fieldErrorMap, FormError } from '../../platform/field-errors.js';
import { field, FormBody } from '../../platform/form-body.js';
import type { Lang } from '../../platform/i18n.js';
import { canonicalUrl } from '../../platform/layout.js';
import { ErrorResponse } from '../../platform/schemas.js';
import type { ClusterService } from '../clusters/service.js';
import { organisationPermissions } from '../organisations/policy.js';
import type { OrganisationService } from '../organisations/service.js';
import { cm } from './messages.js';
import {
  AreaEditPage,
  ConceptsPage,
  CoveragePage,
  ExpertisePage,
  FacilityEditPage,
  FacilityPage,
  OrgCompetencesPage,
  PersonPage,
  TaxonomyPage,
  type AreaOption,
  type CompetenceView,
  type OrgCompetencesView,
  type Values,
} from './pages.js';
import { presentArea, presentCompetence, presentCoverage, presentExpertise, presentFacility } from './presenter.js';
import {
  AreaCodeParams,
  AreaCreate,
  AreaPatch,
  Area,
  CompetenceList,
  CompetencesPut,
  Concept,
  ConceptCreate,
  Coverage,
  Expertise,
  ExpertiseBody,
  Facility,
  FacilityBody,
  FacilityList,
  Taxonomy,
} from './schemas.js';
import type { AreaInput, AreaRow, CompetenceService, ExpertiseInput, FacilityInput } from './service.js';

export interface CompetenceRoutesOptions {
  competences: CompetenceService;
  clusters: ClusterService;
  organisations: OrganisationService;
  baseUrl: string;
}

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const OrgParams = Type.Object({ orgId: Type.String({ format: 'uuid' }) });
const FacilityParams = Type.Object({ orgId: Type.String({ format: 'uuid' }), facilityId: Type.String({ format: 'uuid' }) });
const FacilityIdParams = Type.Object({ facilityId: Type.String({ format: 'uuid' }) });
const PersonParams = Type.Object({ personId: Type.String({ format: 'uuid' }) });
const PageQuery = Type.Object({ lang: Type.Optional(Type.String()), done: Type.Optional(Type.String({ maxLength: 40 })) });

function depthOf(all: { id: string; parent_id: string | null }[], a: { parent_id: string | null }): number {
  let depth = 0;
  let parent = a.parent_id;
  while (parent && depth < 10) {
    depth += 1;
    parent = all.find((x) => x.id === parent)?.parent_id ?? null;
  }
  return depth;
}

/** Rows in tree order (parents before children, by position). */
function treeOrder<T extends { id: string; parent_id: string | null }>(rows: T[]): T[] {
  const out: T[] = [];
  const visit = (parent: string | null) => {
    for (const r of rows.filter((x) => x.parent_id === parent)) {
      out.push(r);
      visit(r.id);
    }
  };
  visit(null);
  // Anything unreachable (should not happen) still shows.
  for (const r of rows) if (!out.includes(r)) out.push(r);
  return out;
}

export const competenceRoutes: FastifyPluginAsyncTypebox<CompetenceRoutesOptions> = async (app, opts) => {
  const { competences, clusters, organisations, baseUrl } = opts;

  async function areaOptions(lang: Lang): Promise<AreaOption[]> {
    const all = await competences.allAreas();
    const byCluster = new Map<string, typeof all>();
    for (const a of all) byCluster.set(a.cluster_id, [...(byCluster.get(a.cluster_id) ?? []), a]);
    const out: AreaOption[] = [];
    for (const rows of byCluster.values()) {
      for (const a of treeOrder(rows)) {
        out.push({
          key: `${a.slug}:${a.code}`,
          code: a.code,
          label: (lang === 'en' ? a.label_en : null) ?? a.label_it,
          depth: depthOf(rows, a),
          group: a.short_name,
          retired: a.retired_at !== null,
        });
      }
    }
    return out;
  }

  const labelOf = (lang: Lang, c: { label_it: string | null; label_en: string | null; description_it: string | null; description_en: string | null }) =>
    (lang === 'en' ? c.label_en : null) ?? c.label_it ?? (lang === 'en' ? c.description_en : null) ?? c.description_it ?? '';

  function competenceViews(rows: Awaited<ReturnType<CompetenceService['competences']>>, lang: Lang): CompetenceView[] {
    return rows.map((c) => ({
      id: c.id,
      label: labelOf(lang, c),
      code: c.code,
      cluster: c.cluster_slug,
      level: c.level,
      description: c.area_id ? ((lang === 'en' ? c.description_en : null) ?? c.description_it) : null,
      retired: c.retired_at !== null,
    }));
  }

  async function areaKeyMap(ids: string[]) {
    return new Map((await competences.areasByIds(ids)).map((a) => [a.id, `${a.slug}:${a.code}`]));
  }

  // ------------------------------------------------------------------ taxonomy pages (cluster managers)

  const manager = { config: { access: 'cluster_manager' as const } };

  async function taxonomyView(slug: string, lang: Lang) {
    const { cluster } = await clusters.get(slug);
    const rows = treeOrder(await competences.areas(cluster.id));
    const concepts = await competences.concepts();
    return {
      cluster,
      ref: { slug: cluster.slug, name: cluster.short_name },
      rows,
      tableRows: rows.map((r) => ({
        code: r.code,
        labelIt: r.label_it,
        labelEn: r.label_en,
        synonyms: r.synonyms_it.length + r.synonyms_en.length,
        concept: r.concept_code,
        retired: r.retired_at !== null,
        depth: depthOf(rows, r),
      })),
      parents: rows.filter((r) => r.retired_at === null).map((r) => ({ code: r.code, label: (lang === 'en' ? r.label_en : null) ?? r.label_it })),
      concepts: concepts.map((c) => ({ code: c.code, label: `${(lang === 'en' ? c.label_en : null) ?? c.label_it} (${c.code})` })),
    };
  }

  const areaInputFromForm = (body: FormBody): AreaInput => ({
    code: field(body, 'code'),
    parentCode: field(body, 'parentCode'),
    labelIt: field(body, 'labelIt'),
    labelEn: field(body, 'labelEn'),
    synonymsIt: field(body, 'synonymsIt'),
    synonymsEn: field(body, 'synonymsEn'),
    conceptCode: field(body, 'conceptCode'),
  });

  app.get('/cluster/:slug/gestione/tassonomia', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const v = await taxonomyView(request.params.slug, request.lang);
    const done = request.query.done;
    const notice = done?.startsWith('created:') ? cm(request.lang, 'created', { code: done.slice(8) }) : undefined;
    return reply.page(TaxonomyPage({ ctx: reply.pageContext(), cluster: v.ref, rows: v.tableRows, parents: v.parents, concepts: v.concepts, notice }));
  });

  app.post('/cluster/:slug/gestione/tassonomia', { ...manager, schema: { hide: true, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const input = areaInputFromForm(request.body);
    try {
      await competences.createArea(request.scopeClusterId!, input, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const v = await taxonomyView(request.params.slug, request.lang);
      return reply
        .status(400)
        .page(TaxonomyPage({ ctx: reply.pageContext(), cluster: v.ref, rows: v.tableRows, parents: v.parents, concepts: v.concepts, values: input as unknown as Values, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect(`/cluster/${request.params.slug}/gestione/tassonomia?done=created:${encodeURIComponent(input.code!.trim().toUpperCase())}`, 303);
  });

  function areaValues(a: AreaRow, rows: AreaRow[]): Values {
    return {
      labelIt: a.label_it,
      labelEn: a.label_en ?? '',
      synonymsIt: a.synonyms_it.join(', '),
      synonymsEn: a.synonyms_en.join(', '),
      parentCode: rows.find((r) => r.id === a.parent_id)?.code ?? '',
      conceptCode: a.concept_code ?? '',
    };
  }

  /** Possible parents of an area: not itself, not one of its sub-areas. */
  function parentChoices(v: Awaited<ReturnType<typeof taxonomyView>>, area: AreaRow) {
    const below = new Set<string>([area.id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of v.rows) if (r.parent_id && below.has(r.parent_id) && !below.has(r.id)) (below.add(r.id), (grew = true));
    }
    return v.parents.filter((p) => !below.has(v.rows.find((r) => r.code === p.code)!.id));
  }

  app.get('/cluster/:slug/gestione/tassonomia/:code', { ...manager, schema: { hide: true, params: AreaCodeParams, querystring: PageQuery } }, async (request, reply) => {
    const v = await taxonomyView(request.params.slug, request.lang);
    const area = v.rows.find((r) => r.code === request.params.code);
    if (!area) return reply.callNotFound();
    return reply.page(
      AreaEditPage({ ctx: reply.pageContext(), cluster: v.ref, code: area.code, retired: area.retired_at !== null, values: areaValues(area, v.rows), parents: parentChoices(v, area), concepts: v.concepts }),
    );
  });

  app.post('/cluster/:slug/gestione/tassonomia/:code', { ...manager, schema: { hide: true, params: AreaCodeParams, body: FormBody } }, async (request, reply) => {
    const clusterId = request.scopeClusterId!;
    const code = request.params.code;
    const action = field(request.body, 'action');
    const actor = actorOf(request.principal, request.id);
    const area = await competences.area(clusterId, code);
    if (action === 'retire' || action === 'restore') {
      await competences.setRetired(clusterId, code, action === 'retire', actor);
      return reply.redirect(`/cluster/${request.params.slug}/gestione/tassonomia?done=${action}`, 303);
    }
    const input = areaInputFromForm(request.body);
    try {
      await competences.updateArea(clusterId, code, input, actor);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const v = await taxonomyView(request.params.slug, request.lang);
      const row = v.rows.find((r) => r.id === area.id)!;
      return reply.status(400).page(
        AreaEditPage({
          ctx: reply.pageContext(),
          cluster: v.ref,
          code,
          retired: area.retired_at !== null,
          values: input as unknown as Values,
          parents: parentChoices(v, row),
          concepts: v.concepts,
          errors: fieldErrorMap(error.problems, request.lang),
        }),
      );
    }
    return reply.redirect(`/cluster/${request.params.slug}/gestione/tassonomia?done=saved`, 303);
  });

  // ------------------------------------------------------------------ coverage (cluster managers, the Region)

  app.get('/cluster/:slug/gestione/copertura', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const result = presentCoverage(await competences.coverage(cluster.id), cluster.slug);
    const lang = request.lang;
    return reply.page(
      CoveragePage({
        ctx: reply.pageContext(),
        cluster: { slug: cluster.slug, name: cluster.short_name },
        members: result.members,
        rows: result.areas.map((r) => ({ ...r, label: (lang === 'en' ? r.label.en : null) ?? r.label.it })),
      }),
    );
  });

  app.get('/cluster/:slug/gestione/copertura.csv', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const result = presentCoverage(await competences.coverage(cluster.id), cluster.slug);
    const header = ['code', 'area_it', 'area_en', 'depth', 'members_core', 'members_experienced', 'members_emerging', 'members_total', 'network_others', 'gap', 'status'];
    const csv = stringify([header, ...result.areas.map((r) => [r.code, r.label.it, r.label.en ?? '', r.depth, r.core, r.experienced, r.emerging, r.members, r.network, r.gap ? 'yes' : 'no', r.retired ? 'retired' : 'active'])]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="copertura-${cluster.slug}.csv"`)
      .send(`\ufeff${csv}`);
  });

  app.get(
    '/api/v1/clusters/:slug/coverage',
    {
      ...manager,
      schema: {
        tags: ['competences'],
        summary: 'Competence coverage of a cluster: members per area and level, and the gaps (managers, the Region)',
        params: SlugParams,
        response: { 200: Coverage, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { cluster } = await clusters.get(request.params.slug);
      return presentCoverage(await competences.coverage(cluster.id), cluster.slug);
    },
  );

  // ------------------------------------------------------------------ network concepts (the Region)

  async function conceptsView(lang: Lang) {
    const [concepts, mapped] = await Promise.all([competences.concepts(), competences.conceptAreas()]);
    return concepts.map((c) => ({
      code: c.code,
      label: (lang === 'en' ? c.label_en : null) ?? c.label_it,
      areas: mapped.filter((a) => a.concept_id === c.id).map((a) => `${a.short_name}: ${(lang === 'en' ? a.label_en : null) ?? a.label_it} (${a.code})`),
    }));
  }

  app.get('/gestione/concetti', { config: { access: 'region_admin' }, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    return reply.page(ConceptsPage({ ctx: reply.pageContext(), concepts: await conceptsView(request.lang), notice: request.query.done ? cm(request.lang, 'conceptCreated') : undefined }));
  });

  app.post('/gestione/concetti', { config: { access: 'region_admin' }, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const input = { code: field(request.body, 'code'), labelIt: field(request.body, 'labelIt'), labelEn: field(request.body, 'labelEn') };
    try {
      await competences.createConcept(input, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(ConceptsPage({ ctx: reply.pageContext(), concepts: await conceptsView(request.lang), values: input, errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect('/gestione/concetti?done=1', 303);
  });

  // ------------------------------------------------------------------ taxonomy API

  app.get(
    '/api/v1/clusters/:slug/taxonomy',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'The competence taxonomy of a cluster, retired areas included', params: SlugParams, response: { 200: Taxonomy, 404: ErrorResponse } },
    },
    async (request) => {
      const { cluster } = await clusters.get(request.params.slug);
      const rows = treeOrder(await competences.areas(cluster.id));
      return { cluster: cluster.slug, areas: rows.map((a) => presentArea(a, rows, cluster.slug)) };
    },
  );

  app.get(
    '/api/v1/clusters/:slug/taxonomy/:code',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'One area by its stable code (a retired code still resolves)', params: AreaCodeParams, response: { 200: Area, 404: ErrorResponse } },
    },
    async (request) => {
      const { cluster } = await clusters.get(request.params.slug);
      const rows = await competences.areas(cluster.id);
      const area = rows.find((a) => a.code === request.params.code);
      if (!area) await competences.area(cluster.id, request.params.code);
      return presentArea(area!, rows, cluster.slug);
    },
  );

  app.post(
    '/api/v1/clusters/:slug/taxonomy',
    {
      ...manager,
      schema: {
        tags: ['competences'],
        summary: 'Add an area to the cluster’s taxonomy (its managers, the Region)',
        params: SlugParams,
        body: AreaCreate,
        response: { 201: Area, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await competences.createArea(
        request.scopeClusterId!,
        {
          code: b.code,
          parentCode: b.parentCode ?? '',
          labelIt: b.labelIt,
          labelEn: b.labelEn ?? '',
          synonymsIt: (b.synonymsIt ?? []).join(','),
          synonymsEn: (b.synonymsEn ?? []).join(','),
          conceptCode: b.concept ?? '',
        },
        actorOf(request.principal, request.id),
      );
      const rows = await competences.areas(request.scopeClusterId!);
      const area = rows.find((a) => a.code === b.code.trim().toUpperCase())!;
      return reply.status(201).send(presentArea(area, rows, request.params.slug));
    },
  );

  app.patch(
    '/api/v1/clusters/:slug/taxonomy/:code',
    {
      ...manager,
      schema: {
        tags: ['competences'],
        summary: 'Rename, move, edit synonyms, map to a concept, retire or restore an area (the code never changes)',
        params: AreaCodeParams,
        body: AreaPatch,
        response: { 200: Area, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const clusterId = request.scopeClusterId!;
      const { code } = request.params;
      const actor = actorOf(request.principal, request.id);
      const b = request.body;
      const rows = await competences.areas(clusterId);
      const current = rows.find((a) => a.code === code);
      if (!current) await competences.area(clusterId, code);
      const values = {
        parentCode: b.parentCode === undefined ? (rows.find((r) => r.id === current!.parent_id)?.code ?? '') : (b.parentCode ?? ''),
        labelIt: b.labelIt ?? current!.label_it,
        labelEn: b.labelEn === undefined ? (current!.label_en ?? '') : (b.labelEn ?? ''),
        synonymsIt: (b.synonymsIt ?? current!.synonyms_it).join(','),
        synonymsEn: (b.synonymsEn ?? current!.synonyms_en).join(','),
        conceptCode: b.concept === undefined ? (current!.concept_code ?? '') : (b.concept ?? ''),
      };
      await competences.updateArea(clusterId, code, values, actor);
      if (b.retired !== undefined) await competences.setRetired(clusterId, code, b.retired, actor);
      const after = await competences.areas(clusterId);
      return presentArea(after.find((a) => a.code === code)!, after, request.params.slug);
    },
  );

  app.get(
    '/api/v1/concepts',
    { config: { access: 'public' }, schema: { tags: ['competences'], summary: 'Network concepts and the areas of every cluster mapped to them', response: { 200: Type.Object({ items: Type.Array(Concept) }) } } },
    async () => {
      const [concepts, mapped] = await Promise.all([competences.concepts(), competences.conceptAreas()]);
      return {
        items: concepts.map((c) => ({ code: c.code, label: { it: c.label_it, en: c.label_en }, areas: mapped.filter((a) => a.concept_id === c.id).map((a) => `${a.slug}:${a.code}`) })),
      };
    },
  );

  app.post(
    '/api/v1/concepts',
    {
      config: { access: 'region_admin' },
      schema: { tags: ['competences'], summary: 'Add a network concept (the Region)', body: ConceptCreate, response: { 201: Concept, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse } },
    },
    async (request, reply) => {
      const b = request.body;
      await competences.createConcept({ code: b.code, labelIt: b.labelIt, labelEn: b.labelEn ?? '' }, actorOf(request.principal, request.id));
      return reply.status(201).send({ code: b.code.trim().toLowerCase(), label: { it: b.labelIt.trim(), en: b.labelEn?.trim() || null }, areas: [] });
    },
  );

  // ------------------------------------------------------------------ organisation competences and facilities

  const orgAdmin = { config: { access: 'org_admin' as const } };

  async function orgView(orgId: string, lang: Lang, extra: Partial<OrgCompetencesView> = {}): Promise<OrgCompetencesView> {
    const org = await organisations.get(orgId);
    const [rows, facilities, areas] = await Promise.all([competences.competences(orgId), competences.facilities(orgId), areaOptions(lang)]);
    return {
      org: { id: org.id, name: org.legal_name },
      competences: competenceViews(rows, lang),
      facilities: facilities.map((f) => ({ id: f.id, name: f.name, type: f.type, accreditations: f.accreditations, visibility: f.visibility })),
      areas,
      ...extra,
    };
  }

  const NOTICES: Record<string, Parameters<typeof cm>[1]> = {
    competence: 'competenceSaved',
    removed: 'competenceRemoved',
    facility: 'facilitySaved',
    deleted: 'facilityDeleted',
  };

  app.get('/organizzazioni/:orgId/competenze', { ...orgAdmin, schema: { hide: true, params: OrgParams, querystring: PageQuery } }, async (request, reply) => {
    const key = request.query.done ? NOTICES[request.query.done] : undefined;
    return reply.page(OrgCompetencesPage({ ctx: reply.pageContext(), view: await orgView(request.params.orgId, request.lang, { notice: key ? cm(request.lang, key) : undefined }) }));
  });

  app.post('/organizzazioni/:orgId/competenze', { ...orgAdmin, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
    const { orgId } = request.params;
    const body = request.body;
    const actor = actorOf(request.principal, request.id);
    if (field(body, 'action') === 'remove') {
      await competences.removeCompetence(orgId, field(body, 'competenceId'), actor);
      return reply.redirect(`/organizzazioni/${orgId}/competenze?done=removed`, 303);
    }
    const input = { area: field(body, 'area'), level: field(body, 'level'), descriptionIt: field(body, 'descriptionIt'), descriptionEn: field(body, 'descriptionEn') };
    try {
      await competences.addCompetence(orgId, input, actor);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply
        .status(400)
        .page(OrgCompetencesPage({ ctx: reply.pageContext(), view: await orgView(orgId, request.lang, { competenceValues: input, competenceErrors: fieldErrorMap(error.problems, request.lang) }) }));
    }
    return reply.redirect(`/organizzazioni/${orgId}/competenze?done=competence`, 303);
  });

  const facilityInputFromForm = (body: FormBody): FacilityInput => ({
    name: field(body, 'name'),
    type: field(body, 'type'),
    descriptionIt: field(body, 'descriptionIt'),
    descriptionEn: field(body, 'descriptionEn'),
    accreditations: field(body, 'accreditations'),
    accessIt: field(body, 'accessIt'),
    accessEn: field(body, 'accessEn'),
    city: field(body, 'city'),
    provinceCode: field(body, 'provinceCode'),
    countryCode: field(body, 'countryCode'),
    areas: Object.keys(body).filter((k) => k.startsWith('area:') && body[k] === 'yes').map((k) => k.slice(5)),
    visibility: field(body, 'visibility'),
  });

  app.post('/organizzazioni/:orgId/strutture', { ...orgAdmin, schema: { hide: true, params: OrgParams, body: FormBody } }, async (request, reply) => {
    const { orgId } = request.params;
    const input = facilityInputFromForm(request.body);
    try {
      await competences.createFacility(orgId, input, actorOf(request.principal, request.id));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply.status(400).page(
        OrgCompetencesPage({
          ctx: reply.pageContext(),
          view: await orgView(orgId, request.lang, {
            facilityValues: input as unknown as Values,
            facilityErrors: fieldErrorMap(error.problems, request.lang),
            facilityAreas: new Set(input.areas),
          }),
        }),
      );
    }
    return reply.redirect(`/organizzazioni/${orgId}/competenze?done=facility`, 303);
  });

  async function facilityForm(orgId: string, facilityId: string) {
    const f = await competences.ownFacility(orgId, facilityId);
    const keys = await areaKeyMap(f.area_ids);
    const values: Values = {
      name: f.name,
      type: f.type,
      descriptionIt: f.description_it ?? '',
      descriptionEn: f.description_en ?? '',
      accreditations: f.accreditations.join(', '),
      accessIt: f.access_conditions_it ?? '',
      accessEn: f.access_conditions_en ?? '',
      city: f.city ?? '',
      provinceCode: f.province_code ?? '',
      countryCode: f.country_code,
      visibility: f.visibility,
    };
    return { f, values, selected: new Set(f.area_ids.map((id) => keys.get(id)).filter((k): k is string => !!k)) };
  }

  app.get('/organizzazioni/:orgId/strutture/:facilityId', { ...orgAdmin, schema: { hide: true, params: FacilityParams, querystring: PageQuery } }, async (request, reply) => {
    const { orgId, facilityId } = request.params;
    const { f, values, selected } = await facilityForm(orgId, facilityId);
    return reply.page(
      FacilityEditPage({ ctx: reply.pageContext(), org: { id: orgId, name: f.organisation_name }, facilityId, values, selected, areas: await areaOptions(request.lang) }),
    );
  });

  app.post('/organizzazioni/:orgId/strutture/:facilityId', { ...orgAdmin, schema: { hide: true, params: FacilityParams, body: FormBody } }, async (request, reply) => {
    const { orgId, facilityId } = request.params;
    const actor = actorOf(request.principal, request.id);
    if (field(request.body, 'action') === 'delete') {
      await competences.deleteFacility(orgId, facilityId, actor);
      return reply.redirect(`/organizzazioni/${orgId}/competenze?done=deleted`, 303);
    }
    const input = facilityInputFromForm(request.body);
    try {
      await competences.updateFacility(orgId, facilityId, input, actor);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const { f } = await facilityForm(orgId, facilityId);
      return reply.status(400).page(
        FacilityEditPage({
          ctx: reply.pageContext(),
          org: { id: orgId, name: f.organisation_name },
          facilityId,
          values: input as unknown as Values,
          selected: new Set(input.areas),
          areas: await areaOptions(request.lang),
          errors: fieldErrorMap(error.problems, request.lang),
        }),
      );
    }
    return reply.redirect(`/organizzazioni/${orgId}/competenze?done=facility`, 303);
  });

  app.get('/strutture/:facilityId', { config: { access: 'public' }, schema: { hide: true, params: FacilityIdParams, querystring: PageQuery } }, async (request, reply) => {
    const lang = request.lang;
    const f = await competences.visibleFacility(request.params.facilityId, request.principal);
    const areas = await competences.areasByIds(f.area_ids);
    const links = await organisations.clusterLinks(f.organisation_id);
    const canEdit = organisationPermissions(request.principal, f.organisation_id, links.map((l) => l.cluster_id)).edit;
    const place = f.country_code !== 'IT' ? [f.city, f.country_code].filter(Boolean).join(', ') : [f.city, f.province_code ? `(${f.province_code})` : null].filter(Boolean).join(' ') || null;
    return reply.page(
      FacilityPage({
        ctx: reply.pageContext(),
        canonical: canonicalUrl(baseUrl, `/strutture/${f.id}`, {}, lang),
        view: {
          id: f.id,
          name: f.name,
          type: f.type,
          organisation: { id: f.organisation_id, name: f.organisation_name },
          descriptionIt: f.description_it,
          descriptionEn: f.description_en,
          accessIt: f.access_conditions_it,
          accessEn: f.access_conditions_en,
          accreditations: f.accreditations,
          place,
          areas: areas.map((a) => `${(lang === 'en' ? a.label_en : null) ?? a.label_it} (${a.code})`),
          visibility: f.visibility,
          canEdit,
        },
      }),
    );
  });

  app.get(
    '/api/v1/organisations/:orgId/competences',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'What an organisation declares it can do', params: OrgParams, response: { 200: CompetenceList, 404: ErrorResponse } },
    },
    async (request) => {
      await organisations.get(request.params.orgId);
      return { items: (await competences.competences(request.params.orgId)).map((c) => presentCompetence(c, request.lang)) };
    },
  );

  app.put(
    '/api/v1/organisations/:orgId/competences',
    {
      ...orgAdmin,
      schema: {
        tags: ['competences'],
        summary: 'Replace the competences of an organisation (its administrators, its clusters’ managers, the Region)',
        params: OrgParams,
        body: CompetencesPut,
        response: { 200: CompetenceList, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await competences.replaceCompetences(
        orgId,
        request.body.items.map((i) => ({ area: i.area ?? '', level: i.level, descriptionIt: i.descriptionIt ?? '', descriptionEn: i.descriptionEn ?? '' })),
        actorOf(request.principal, request.id),
      );
      return { items: (await competences.competences(orgId)).map((c) => presentCompetence(c, request.lang)) };
    },
  );

  app.get(
    '/api/v1/organisations/:orgId/facilities',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'The facilities of an organisation that the caller may see', params: OrgParams, response: { 200: FacilityList, 404: ErrorResponse } },
    },
    async (request) => {
      await organisations.get(request.params.orgId);
      const rows = await competences.visibleFacilities(request.params.orgId, request.principal);
      const keys = await areaKeyMap(rows.flatMap((f) => f.area_ids));
      return { items: rows.map((f) => presentFacility(f, keys)) };
    },
  );

  const facilityApiInput = (b: Static<typeof FacilityBody>): FacilityInput => ({
    name: b.name,
    type: b.type,
    descriptionIt: b.descriptionIt ?? '',
    descriptionEn: b.descriptionEn ?? '',
    accreditations: (b.accreditations ?? []).join(','),
    accessIt: b.accessConditionsIt ?? '',
    accessEn: b.accessConditionsEn ?? '',
    city: b.city ?? '',
    provinceCode: b.provinceCode ?? '',
    countryCode: b.countryCode ?? 'IT',
    areas: b.areas ?? [],
    visibility: b.visibility,
  });

  app.post(
    '/api/v1/organisations/:orgId/facilities',
    {
      ...orgAdmin,
      schema: {
        tags: ['competences'],
        summary: 'Add a facility (lab, pilot plant, instrument) to an organisation',
        params: OrgParams,
        body: FacilityBody,
        response: { 201: Facility, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const id = await competences.createFacility(request.params.orgId, facilityApiInput(request.body), actorOf(request.principal, request.id));
      const f = await competences.ownFacility(request.params.orgId, id);
      return reply.status(201).send(presentFacility(f, await areaKeyMap(f.area_ids)));
    },
  );

  app.patch(
    '/api/v1/organisations/:orgId/facilities/:facilityId',
    {
      ...orgAdmin,
      schema: {
        tags: ['competences'],
        summary: 'Replace the details of a facility',
        params: FacilityParams,
        body: FacilityBody,
        response: { 200: Facility, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { orgId, facilityId } = request.params;
      await competences.updateFacility(orgId, facilityId, facilityApiInput(request.body), actorOf(request.principal, request.id));
      const f = await competences.ownFacility(orgId, facilityId);
      return presentFacility(f, await areaKeyMap(f.area_ids));
    },
  );

  app.delete(
    '/api/v1/organisations/:orgId/facilities/:facilityId',
    {
      ...orgAdmin,
      schema: {
        tags: ['competences'],
        summary: 'Delete a facility',
        params: FacilityParams,
        response: { 204: Type.Null({ description: 'Done' }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await competences.deleteFacility(request.params.orgId, request.params.facilityId, actorOf(request.principal, request.id));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/facilities/:facilityId',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'One facility, when the caller may see it', params: FacilityIdParams, response: { 200: Facility, 404: ErrorResponse } },
    },
    async (request) => {
      const f = await competences.visibleFacility(request.params.facilityId, request.principal);
      return presentFacility(f, await areaKeyMap(f.area_ids));
    },
  );

  // ------------------------------------------------------------------ people's expertise

  async function expertiseView(principal: Principal, lang: Lang) {
    const [e, areas, affiliations] = await Promise.all([competences.expertise(principal.personId), areaOptions(lang), competences.affiliations(principal.personId)]);
    const keys = await areaKeyMap(e?.area_ids ?? []);
    return {
      published: !!e,
      values: e
        ? {
            organisationId: e.organisation_id ?? '',
            headline: e.headline ?? '',
            summaryIt: e.summary_it ?? '',
            summaryEn: e.summary_en ?? '',
            keywords: e.keywords.join(', '),
            orcid: e.orcid ?? '',
            visibility: e.visibility,
          }
        : { organisationId: affiliations[0]?.id ?? '', visibility: 'members' },
      selected: new Set((e?.area_ids ?? []).map((id) => keys.get(id)).filter((k): k is string => !!k)),
      areas,
      affiliations,
    };
  }

  app.get('/profilo/competenze', { config: { access: 'authenticated' }, schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const v = await expertiseView(request.principal!, request.lang);
    const done = request.query.done;
    const notice = done === 'saved' ? cm(request.lang, 'expertiseSaved') : done === 'withdrawn' ? cm(request.lang, 'expertiseWithdrawn') : undefined;
    return reply.page(ExpertisePage({ ctx: reply.pageContext(), ...v, notice }));
  });

  app.post('/profilo/competenze', { config: { access: 'authenticated' }, schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const principal = request.principal!;
    const body = request.body;
    const actor = actorOf(principal, request.id);
    if (field(body, 'action') === 'withdraw') {
      await competences.withdrawExpertise(principal.personId, actor);
      return reply.redirect('/profilo/competenze?done=withdrawn', 303);
    }
    const input: ExpertiseInput = {
      organisationId: field(body, 'organisationId'),
      headline: field(body, 'headline'),
      summaryIt: field(body, 'summaryIt'),
      summaryEn: field(body, 'summaryEn'),
      keywords: field(body, 'keywords'),
      areas: Object.keys(body).filter((k) => k.startsWith('area:') && body[k] === 'yes').map((k) => k.slice(5)),
      orcid: field(body, 'orcid'),
      visibility: field(body, 'visibility'),
    };
    try {
      await competences.saveExpertise(principal.personId, input, actor);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const v = await expertiseView(principal, request.lang);
      return reply
        .status(400)
        .page(ExpertisePage({ ctx: reply.pageContext(), ...v, values: input as unknown as Values, selected: new Set(input.areas), errors: fieldErrorMap(error.problems, request.lang) }));
    }
    return reply.redirect('/profilo/competenze?done=saved', 303);
  });

  app.get('/persone/:personId', { config: { access: 'public' }, schema: { hide: true, params: PersonParams, querystring: PageQuery } }, async (request, reply) => {
    const lang = request.lang;
    const e = await competences.visibleExpertise(request.params.personId, request.principal);
    const areas = await competences.areasByIds(e.area_ids);
    return reply.page(
      PersonPage({
        ctx: reply.pageContext(),
        canonical: canonicalUrl(baseUrl, `/persone/${e.person_id}`, {}, lang),
        view: {
          id: e.person_id,
          name: e.display_name,
          headline: e.headline,
          organisation: e.organisation_id && e.organisation_name ? { id: e.organisation_id, name: e.organisation_name } : null,
          summaryIt: e.summary_it,
          summaryEn: e.summary_en,
          keywords: e.keywords,
          areas: areas.map((a) => `${(lang === 'en' ? a.label_en : null) ?? a.label_it} (${a.code})`),
          orcid: e.orcid,
          visibility: e.visibility,
          own: request.principal?.personId === e.person_id,
        },
      }),
    );
  });

  app.get(
    '/api/v1/me/expertise',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['competences'], summary: 'The signed-in person’s own expertise', response: { 200: Expertise, 401: ErrorResponse, 404: ErrorResponse } },
    },
    async (request) => {
      const e = await competences.expertise(request.principal!.personId);
      if (!e) throw new AppError('expertise.not_found');
      return presentExpertise(e, await areaKeyMap(e.area_ids));
    },
  );

  app.put(
    '/api/v1/me/expertise',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['competences'],
        summary: 'Publish (opt in) or update the signed-in person’s expertise',
        body: ExpertiseBody,
        response: { 200: Expertise, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const b = request.body;
      const personId = request.principal!.personId;
      await competences.saveExpertise(
        personId,
        {
          organisationId: b.organisationId ?? '',
          headline: b.headline ?? '',
          summaryIt: b.summaryIt ?? '',
          summaryEn: b.summaryEn ?? '',
          keywords: (b.keywords ?? []).join(','),
          areas: b.areas ?? [],
          orcid: b.orcid ?? '',
          visibility: b.visibility,
        },
        actorOf(request.principal, request.id),
      );
      const e = (await competences.expertise(personId))!;
      return presentExpertise(e, await areaKeyMap(e.area_ids));
    },
  );

  app.delete(
    '/api/v1/me/expertise',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['competences'], summary: 'Withdraw (opt out) the signed-in person’s expertise', response: { 204: Type.Null({ description: 'Done' }), 401: ErrorResponse, 404: ErrorResponse } },
    },
    async (request, reply) => {
      await competences.withdrawExpertise(request.principal!.personId, actorOf(request.principal, request.id));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/people/:personId/expertise',
    {
      config: { access: 'public' },
      schema: { tags: ['competences'], summary: 'A person’s expertise, when the caller may see it', params: PersonParams, response: { 200: Expertise, 404: ErrorResponse } },
    },
    async (request) => {
      const e = await competences.visibleExpertise(request.params.personId, request.principal);
      return presentExpertise(e, await areaKeyMap(e.area_ids));
    },
  );
};

/** The sections the organisation page shows about competences and facilities. */
export async function organisationProfileSections(competences: CompetenceService, orgId: string, principal: Principal | null, lang: Lang, canEdit: boolean) {
  const [rows, facilities] = await Promise.all([competences.competences(orgId), competences.visibleFacilities(orgId, principal)]);
  return {
    competences: rows.map((c) => ({
      id: c.id,
      label: ((lang === 'en' ? c.label_en : null) ?? c.label_it ?? (lang === 'en' ? c.description_en : null) ?? c.description_it ?? '') as string,
      code: c.code,
      cluster: c.cluster_slug,
      level: c.level,
      description: c.area_id ? ((lang === 'en' ? c.description_en : null) ?? c.description_it) : null,
      retired: c.retired_at !== null,
    })),
    facilities: facilities.map((f) => ({ id: f.id, name: f.name, type: f.type, accreditations: f.accreditations, visibility: f.visibility })),
    canEdit,
  };
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Lang } from '../../platform/i18n.js';
import { canonicalUrl } from '../../platform/layout.js';
import { ErrorResponse } from '../../platform/schemas.js';
import type { ClusterService } from '../clusters/service.js';
import type { DocumentPayload } from './indexer.js';
import { MapPage, SearchPage, type SearchParams } from './pages.js';
import { presentSearch } from './presenter.js';
import { MapPageQuery, MapQuery, MapResponse, SearchPageQuery, SearchQuery, SearchResponse } from './schemas.js';
import type { SearchService } from './service.js';

export interface SearchRoutesOptions {
  search: SearchService;
  clusters: ClusterService;
  baseUrl: string;
}

/** An empty form field is no filter. */
function clean<T extends Record<string, unknown>>(query: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string' && value.trim() !== '' && key !== 'lang') out[key as keyof T] = value.trim();
  return out;
}

function presentOutside(items: { id: string; payload: DocumentPayload }[]) {
  return items.map((i) => ({
    id: i.id,
    name: i.payload.name,
    city: i.payload.city,
    provinceCode: i.payload.provinceCode,
    countryCode: i.payload.countryCode,
    url: `/organizzazioni/${i.id}`,
  }));
}

export const searchRoutes: FastifyPluginAsyncTypebox<SearchRoutesOptions> = async (app, { search, clusters, baseUrl }) => {
  // A re-index running in the background finishes before the database closes.
  app.addHook('onClose', async () => {
    await search.idle();
  });

  app.get(
    '/api/v1/search',
    {
      config: { access: 'public' },
      schema: {
        tags: ['search'],
        summary: 'Search organisations, facilities and people of the whole network, in Italian or English, with facets',
        description:
          'Words are matched with Italian and English stemming, accents ignored, typos corrected against the words of the index, and taxonomy synonyms in both languages. Only what the caller may see is searched. Results are ranked; pages follow with `cursor`.',
        querystring: SearchQuery,
        response: { 200: SearchResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const lang: Lang = request.lang;
      const q = request.query;
      const result = await search.search({ ...q, lang }, request.principal);
      if (!request.principal) reply.header('cache-control', 'public, max-age=30');
      return presentSearch(result, lang);
    },
  );

  app.get(
    '/api/v1/map',
    {
      config: { access: 'public' },
      schema: {
        tags: ['search'],
        summary: 'Member organisations per province of Lombardy, and those based elsewhere, for a cluster and competence area',
        querystring: MapQuery,
        response: { 200: MapResponse, 400: ErrorResponse },
      },
    },
    async (request) => {
      const map = await search.membersByProvince({ cluster: request.query.cluster, competence: request.query.competence, lang: request.lang }, request.principal);
      return { total: map.total, provinces: map.provinces, outside: { total: map.outside.total, items: presentOutside(map.outside.items) } };
    },
  );

  app.get('/cerca', { config: { access: 'public' }, schema: { hide: true, querystring: SearchPageQuery } }, async (request, reply) => {
    const params = clean(request.query) as SearchParams;
    const lang = request.lang;
    const result = await search.search({ ...params, kind: params.kind as never, lang }, request.principal);
    return reply.page(
      SearchPage({
        ctx: reply.pageContext(),
        view: { params, result: presentSearch(result, lang), canonical: canonicalUrl(baseUrl, '/cerca', params, lang) },
      }),
    );
  });

  app.get('/mappa', { config: { access: 'public' }, schema: { hide: true, querystring: MapPageQuery } }, async (request, reply) => {
    const params = clean(request.query);
    const lang = request.lang;
    const [map, all, taxonomy] = await Promise.all([
      search.membersByProvince({ cluster: params.cluster, competence: params.competence, lang }, request.principal),
      clusters.list({ limit: 100, offset: 0 }),
      search.currentTaxonomy(),
    ]);
    const clusterNames = new Map(all.items.map((c) => [c.id, c.short_name]));
    const competences = [...taxonomy.byId.values()]
      .filter((a) => !a.retired)
      .sort((a, b) => a.clusterSlug.localeCompare(b.clusterSlug) || a.code.localeCompare(b.code))
      .map((a) => ({
        value: a.key,
        label: `${a.parentId ? '– ' : ''}${taxonomy.label(a, lang)} (${a.code})`,
        group: clusterNames.get(a.clusterId) ?? a.clusterSlug,
      }));
    return reply.page(
      MapPage({
        ctx: reply.pageContext(),
        view: {
          total: map.total,
          provinces: map.provinces,
          outside: { total: map.outside.total, items: presentOutside(map.outside.items) },
          filters: { cluster: params.cluster, competence: params.competence },
          clusters: all.items.map((c) => ({ slug: c.slug, name: c.short_name })),
          competences,
          canonical: canonicalUrl(baseUrl, '/mappa', params, lang),
        },
      }),
    );
  });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../platform/schemas.js';
import { ClusterIndexPage, ClusterPage } from './pages.js';
import { presentClusterDetail, presentClusterSummary } from './presenter.js';
import { ClusterDetail, ClusterList, ClusterListQuery, ClusterSlugParams } from './schemas.js';
import type { ClusterService } from './service.js';

export interface ClusterRoutesOptions {
  clusters: ClusterService;
}

const PageQuery = Type.Object({ lang: Type.Optional(Type.String()) });

export const clusterRoutes: FastifyPluginAsyncTypebox<ClusterRoutesOptions> = async (app, { clusters }) => {
  app.get(
    '/api/v1/clusters',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clusters'],
        summary: 'List the clusters of the network',
        querystring: ClusterListQuery,
        response: { 200: ClusterList, 400: ErrorResponse },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const page = await clusters.list({ status, limit, offset });
      return { items: page.items.map(presentClusterSummary), total: page.total, limit, offset };
    },
  );

  app.get(
    '/api/v1/clusters/:slug',
    {
      config: { access: 'public' },
      schema: {
        tags: ['clusters'],
        summary: 'One cluster, with its recognition steps and organisations',
        params: ClusterSlugParams,
        querystring: Type.Object({ lang: ClusterListQuery.properties.lang }),
        response: { 200: ClusterDetail, 404: ErrorResponse },
      },
    },
    async (request) => presentClusterDetail(await clusters.get(request.params.slug)),
  );

  app.get(
    '/cluster',
    { config: { access: 'public' }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const page = await clusters.list({ limit: 100, offset: 0 });
      return reply.page(ClusterIndexPage({ ctx: reply.pageContext(), clusters: page.items.map(presentClusterSummary) }));
    },
  );

  app.get(
    '/cluster/:slug',
    { config: { access: 'public' }, schema: { hide: true, params: ClusterSlugParams, querystring: PageQuery } },
    async (request, reply) => {
      const detail = presentClusterDetail(await clusters.get(request.params.slug));
      return reply.page(ClusterPage({ ctx: reply.pageContext(), cluster: detail }));
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { presentClusterSummary } from '../clusters/presenter.js';
import type { ClusterService } from '../clusters/service.js';
import { AccessibilityPage, HomePage, PrivacyPage } from './pages.js';

export interface SiteRoutesOptions {
  clusters: ClusterService;
  contactEmail: string | undefined;
}

const PageQuery = Type.Object({ lang: Type.Optional(Type.String()) });

export const siteRoutes: FastifyPluginAsyncTypebox<SiteRoutesOptions> = async (app, { clusters, contactEmail }) => {
  const page = { config: { access: 'public' as const }, schema: { hide: true, querystring: PageQuery } };

  app.get('/', page, async (request, reply) => {
    const list = await clusters.list({ limit: 100, offset: 0 });
    return reply.page(HomePage({ ctx: reply.pageContext(), clusters: list.items.map(presentClusterSummary) }));
  });

  app.get('/accessibilita', page, async (request, reply) =>
    reply.page(AccessibilityPage({ ctx: reply.pageContext(), contactEmail })),
  );

  app.get('/privacy', page, async (request, reply) => reply.page(PrivacyPage({ ctx: reply.pageContext(), contactEmail })));
};

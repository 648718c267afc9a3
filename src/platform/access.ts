import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Principal } from './auth/principal.js';
import { administersOrganisation, belongsToOrganisation, isRegionAdmin, managesCluster, sitsOnBoard } from './auth/principal.js';
import { AppError } from './errors.js';

/**
 * Who may call a route. Every route declares it in `config.access`; the application refuses to
 * start when one does not. Scoped levels read the scope from the route's parameters:
 *  - `public`: anyone, signed in or not;
 *  - `authenticated`: any signed-in person;
 *  - `region_admin`: Region administrators;
 *  - `cluster_manager` (`:slug`): managers of that cluster, and the Region;
 *  - `board_member` (`:slug`): board members of that cluster, its managers, and the Region;
 *  - `org_admin` (`:orgId`): administrators of that organisation, managers of a cluster it belongs
 *    to (curation), and the Region;
 *  - `org_member` (`:orgId`): the organisation's people, and everyone `org_admin` admits.
 * Finer rules (which transition, which field) live in each feature's policy.
 */
export const ACCESS_LEVELS = [
  'public',
  'authenticated',
  'region_admin',
  'cluster_manager',
  'board_member',
  'org_admin',
  'org_member',
] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Cluster id resolved from `:slug` by the access check, when the route is cluster-scoped. */
    scopeClusterId: string | undefined;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

/** What the access check needs to know about scopes. */
export interface ScopeResolver {
  clusterIdBySlug(slug: string): Promise<string | undefined>;
  /** Clusters in which the organisation is an admitted (or suspended) member. */
  clustersOfOrganisation(organisationId: string): Promise<string[]>;
  organisationExists(organisationId: string): Promise<boolean>;
  /** Whether a person holds (today or later) a seat of the cluster's board; a lapsed term no longer opens its pages. */
  holdsBoardSeat?(personId: string, clusterId: string): Promise<boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Collect every route as it is registered and check at start-up that each one declares who may
 * call it. Checked at `onReady` rather than in `onRoute`, so that a plugin scope (static files)
 * can declare access for the routes a third-party plugin adds.
 */
export function enforceAccessDeclarations(app: FastifyInstance): DeclaredRoute[] {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  const declared: DeclaredRoute[] = [];
  app.addHook('onReady', async () => {
    const missing: string[] = [];
    for (const route of routes) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const access = route.config?.access;
      for (const method of methods) {
        declared.push({ method, url: route.url, access });
        if (access === undefined || !ACCESS_LEVELS.includes(access)) missing.push(`${method} ${route.url}`);
        else if (['cluster_manager', 'board_member'].includes(access) && !route.url.includes(':slug')) {
          missing.push(`${method} ${route.url} (${access} needs :slug)`);
        } else if (['org_admin', 'org_member'].includes(access) && !route.url.includes(':orgId')) {
          missing.push(`${method} ${route.url} (${access} needs :orgId)`);
        }
      }
    }
    if (missing.length > 0) {
      throw new Error(`Routes without an access declaration (config.access): ${missing.join(', ')}`);
    }
  });
  return declared;
}

/** For a plugin scope whose routes come from a third-party plugin: declare them all at once. */
export function declareScopeAccess(scope: FastifyInstance, access: Access): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), access };
  });
}

/** Decide whether the request may reach its route; throws auth.required / auth.forbidden. */
export async function checkAccess(request: FastifyRequest, access: Access, resolver: ScopeResolver): Promise<void> {
  if (access === 'public') return;
  const principal = request.principal;
  if (!principal) throw new AppError('auth.required');
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  switch (access) {
    case 'authenticated':
      return;
    case 'region_admin':
      if (isRegionAdmin(principal)) return;
      break;
    case 'cluster_manager':
    case 'board_member': {
      const slug = params.slug ?? '';
      const clusterId = await resolver.clusterIdBySlug(slug);
      if (!clusterId) throw new AppError('cluster.not_found', { slug });
      request.scopeClusterId = clusterId;
      if (managesCluster(principal, clusterId)) return;
      if (
        access === 'board_member' &&
        sitsOnBoard(principal, clusterId) &&
        (!resolver.holdsBoardSeat || (await resolver.holdsBoardSeat(principal.personId, clusterId)))
      ) {
        return;
      }
      break;
    }
    case 'org_admin':
    case 'org_member': {
      const orgId = params.orgId ?? '';
      if (!UUID.test(orgId) || !(await resolver.organisationExists(orgId))) {
        throw new AppError('organisation.not_found');
      }
      if (isRegionAdmin(principal) || administersOrganisation(principal, orgId)) return;
      if (access === 'org_member' && belongsToOrganisation(principal, orgId)) return;
      const clusters = await resolver.clustersOfOrganisation(orgId);
      if (clusters.some((clusterId) => managesCluster(principal, clusterId))) return;
      break;
    }
  }
  throw new AppError('auth.forbidden');
}

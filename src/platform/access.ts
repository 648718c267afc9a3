import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Who may call a route. Every route declares it in `config.access`; the application refuses to
 * start when one does not (see `enforceAccessDeclarations`).
 *  - `public`: anyone, signed in or not.
 */
export type Access = 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

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
        if (access === undefined) missing.push(`${method} ${route.url}`);
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

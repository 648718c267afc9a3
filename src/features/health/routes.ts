import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DocumentStorage } from '../governance/documents.js';
import { AppError } from '../../platform/errors.js';
import { ErrorResponse } from '../../platform/schemas.js';

const DatabaseMode = Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]);

/**
 * `/healthz`: liveness, the process answers and its database with it (cheap: load balancers and
 * the benchmark's cold start call it). `/readyz`: readiness for real work, the database and the
 * document storage (the disk directory, or the S3 bucket with these credentials) both usable.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database; storage: DocumentStorage }> = async (app, { database, storage }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database check',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: DatabaseMode,
          }),
          503: ErrorResponse,
        },
      },
    },
    async (request) => {
      try {
        await sql`SELECT 1`.execute(database.db);
      } catch (error) {
        request.log.error({ err: error }, 'database health check failed');
        throw new AppError('service.unavailable');
      }
      return { status: 'ok' as const, database: database.mode };
    },
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Readiness: database and document storage usable',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: DatabaseMode,
            storage: Type.Union([Type.Literal('disk'), Type.Literal('s3')]),
          }),
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const checks: [string, () => Promise<unknown>][] = [
        ['database', () => sql`SELECT 1`.execute(database.db)],
        ['storage', () => storage.check()],
      ];
      for (const [component, check] of checks) {
        try {
          await check();
        } catch (error) {
          request.log.error({ err: error, component }, 'readiness check failed');
          throw new AppError('service.unavailable');
        }
      }
      return { status: 'ok' as const, database: database.mode, storage: storage.kind };
    },
  );
};

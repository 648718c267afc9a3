import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { ErrorResponse } from '../../platform/schemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database }> = async (app, { database }) => {
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
            database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
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
};

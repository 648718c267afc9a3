import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
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
  const readiness = new ReadinessProbe(
    [
      ['database', () => sql`SELECT 1`.execute(database.db)],
      ['storage', () => storage.check()],
    ],
    app.log,
  );
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
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      if (!(await readiness.check())) throw new AppError('service.unavailable');
      return { status: 'ok' as const, database: database.mode, storage: storage.kind };
    },
  );
};

/**
 * The readiness checks, run at most once per `ttlMs` whoever asks (the route is public: callers
 * share one check in flight and its result, so they cannot make it hit the bucket or the disk at
 * will), and logged when the state changes rather than at every probe.
 */
export class ReadinessProbe {
  private last: { at: number; ok: boolean } | undefined;
  private running: Promise<boolean> | undefined;

  constructor(
    private readonly checks: readonly (readonly [component: string, check: () => Promise<unknown>])[],
    private readonly log: FastifyBaseLogger,
    private readonly ttlMs = 2_000,
  ) {}

  check(): Promise<boolean> {
    if (this.last && Date.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.ok);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<boolean> {
    let failed: { component: string; error: unknown } | undefined;
    for (const [component, check] of this.checks) {
      try {
        await check();
      } catch (error) {
        failed = { component, error };
        break;
      }
    }
    const ok = !failed;
    if (failed && this.last?.ok !== false) this.log.error({ err: failed.error, component: failed.component }, 'readiness check failed');
    if (ok && this.last?.ok === false) this.log.info('readiness restored');
    this.last = { at: Date.now(), ok };
    return ok;
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { fieldMessage } from '../../platform/field-errors.js';
import type { Errors } from '../../platform/forms.js';
import { t, type Lang } from '../../platform/i18n.js';
import { listOutbox, readOutboxMessage } from '../../platform/mail/mailer.js';
import type { MailQueue } from '../../platform/mail/queue.js';
import { ErrorResponse, LangQuery, Nullable } from '../../platform/schemas.js';
import type { ClusterService } from '../clusters/service.js';
import { au } from './messages.js';
import { AuditLogPage, OutboxMessagePage, OutboxPage, regionCrumbs, type AuditFilterValues } from './pages.js';
import { AUDIT_MAX_PAGE_SIZE, AUDIT_PAGE_SIZE, AuditService, isIsoDate, type AuditEntryView, type AuditFilter, type AuditPage, type AuditScope } from './service.js';

export interface AuditRoutesOptions {
  db: Kysely<DB>;
  clusters: ClusterService;
  /**
   * Where mails go (the outbox page lists the development outbox only when there is no SMTP
   * server) and the mails not delivered yet.
   */
  mailer: Pick<MailQueue, 'transport' | 'undelivered'>;
  dataDir: string;
}

const OUTBOX_LIMIT = 200;
const UNDELIVERED_LIMIT = 100;

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });

/** Page filters are echoed back as typed; a wrong date is reported in the form, not as a 400. */
const LogPageQuery = Type.Object({
  lang: Type.Optional(Type.String()),
  action: Type.Optional(Type.String({ maxLength: 80 })),
  entityType: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  cursor: Type.Optional(Type.Integer({ minimum: 1 })),
});

const AuditApiQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 80, description: 'Only actions starting with this text, e.g. `membership.` or `organisation.updated`' })),
  entityType: Type.Optional(Type.String({ maxLength: 60, description: 'Only entries about this kind of object, e.g. `organisation`' })),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day, included (calendar day in Europe/Rome), yyyy-mm-dd' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day, included (calendar day in Europe/Rome), yyyy-mm-dd' })),
  cursor: Type.Optional(Type.Integer({ minimum: 1, description: 'The `nextCursor` of the previous page: entries older than it' })),
  limit: Type.Integer({ minimum: 1, maximum: AUDIT_MAX_PAGE_SIZE, default: AUDIT_PAGE_SIZE, description: `Page size (1–${AUDIT_MAX_PAGE_SIZE})` }),
  lang: LangQuery,
});

const AuditChangeSchema = Type.Object({
  key: Type.String({ description: 'The changed field; empty when the recorded value is not an object' }),
  before: Type.Optional(Type.Unknown({ description: 'Value before; absent when the field did not exist (e.g. a creation)' })),
  after: Type.Optional(Type.Unknown({ description: 'Value after; absent when the field was removed' })),
});

const AuditEntrySchema = Type.Object({
  id: Type.Integer({ description: 'Increasing with time' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    personId: Nullable(Type.String({ format: 'uuid' })),
    label: Nullable(Type.String({ description: 'E-mail address of the person, or system, anonymous, deleted-account' })),
  }),
  action: Type.String({ description: 'What happened, e.g. membership.admit' }),
  entity: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  cluster: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
  organisation: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
  requestId: Nullable(Type.String({ description: 'The request that made the change (matches the x-request-id header)' })),
  changes: Type.Array(AuditChangeSchema, { description: 'Only the fields whose value changed' }),
});

const AuditList = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextCursor: Nullable(Type.Integer({ description: 'Pass as `cursor` for the next (older) page; null on the last page' })),
});

function presentEntry(e: AuditEntryView) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    cluster: e.cluster ? { slug: e.cluster.slug, name: e.cluster.name } : null,
    organisation: e.organisation,
    requestId: e.requestId,
    changes: e.changes,
  };
}

function presentPage(page: AuditPage) {
  return { items: page.entries.map(presentEntry), nextCursor: page.nextCursor };
}

/** The filter form as typed, its problems, and the filter to apply (wrong dates left out). */
function readPageFilter(query: { action?: string | undefined; entityType?: string | undefined; from?: string | undefined; to?: string | undefined; cursor?: number | undefined }, lang: Lang) {
  const values: AuditFilterValues = {
    action: query.action?.trim() ?? '',
    entityType: query.entityType?.trim() ?? '',
    from: query.from?.trim() ?? '',
    to: query.to?.trim() ?? '',
  };
  const errors: Errors = {};
  if (values.from && !isIsoDate(values.from)) errors.from = fieldMessage(lang, 'date');
  if (values.to && !isIsoDate(values.to)) errors.to = fieldMessage(lang, 'date');
  const filter: AuditFilter = {
    actionPrefix: values.action || undefined,
    entityType: values.entityType || undefined,
    from: errors.from ? undefined : values.from || undefined,
    to: errors.to ? undefined : values.to || undefined,
    cursor: query.cursor,
    limit: AUDIT_PAGE_SIZE,
  };
  return { values, errors, filter };
}

/**
 * The audit log for a cluster's managers and for the Region, as pages and JSON; and the Region's
 * view of the development outbox (mails written to DATA_DIR/outbox when there is no SMTP server).
 */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRoutesOptions> = async (app, opts) => {
  const { clusters, mailer, dataDir } = opts;
  const audit = new AuditService(opts.db);

  // Audit entries and outbox mails hold personal data and sign-in links: never cache them.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const manager = { config: { access: 'cluster_manager' as const } };
  const region = { config: { access: 'region_admin' as const } };

  async function renderLog(
    scope: AuditScope,
    query: Parameters<typeof readPageFilter>[0],
    lang: Lang,
  ) {
    const { values, errors, filter } = readPageFilter(query, lang);
    const [page, entityTypes] = await Promise.all([audit.list(scope, filter), audit.entityTypes()]);
    return { values, errors, page, entityTypes, paged: query.cursor !== undefined };
  }

  app.get('/cluster/:slug/gestione/registro', { ...manager, schema: { hide: true, params: SlugParams, querystring: LogPageQuery } }, async (request, reply) => {
    const { cluster } = await clusters.get(request.params.slug);
    const lang = request.lang;
    const view = await renderLog({ kind: 'cluster', clusterId: cluster.id }, request.query, lang);
    const path = `/cluster/${cluster.slug}/gestione/registro`;
    return reply.page(
      AuditLogPage({
        ctx: reply.pageContext(),
        title: au(lang, 'clusterTitle', { cluster: cluster.short_name }),
        lead: au(lang, 'clusterLead'),
        breadcrumbs: [
          { label: t(lang, 'nav.home'), href: '/' },
          { label: t(lang, 'nav.manage'), href: '/gestione' },
          { label: cluster.short_name, href: `/cluster/${cluster.slug}/gestione` },
          { label: au(lang, 'title') },
        ],
        path,
        showCluster: false,
        ...view,
      }),
    );
  });

  app.get('/regione/registro', { ...region, schema: { hide: true, querystring: LogPageQuery } }, async (request, reply) => {
    const lang = request.lang;
    const view = await renderLog({ kind: 'all' }, request.query, lang);
    return reply.page(
      AuditLogPage({
        ctx: reply.pageContext(),
        title: au(lang, 'regionTitle'),
        lead: au(lang, 'regionLead'),
        breadcrumbs: regionCrumbs(lang, au(lang, 'title')),
        path: '/regione/registro',
        showCluster: true,
        ...view,
      }),
    );
  });

  app.get(
    '/api/v1/clusters/:slug/audit',
    {
      ...manager,
      schema: {
        tags: ['audit'],
        summary: 'Audit log of a cluster, newest first (the cluster’s managers and the Region)',
        description:
          'Entries recorded for the cluster, and entries about organisations with a membership in it that belong to no other cluster. Keyset-paginated: follow `nextCursor`.',
        params: SlugParams,
        querystring: AuditApiQuery,
        response: { 200: AuditList, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { action, entityType, from, to, cursor, limit } = request.query;
      return presentPage(await audit.list({ kind: 'cluster', clusterId: request.scopeClusterId! }, { actionPrefix: action, entityType, from, to, cursor, limit }));
    },
  );

  app.get(
    '/api/v1/audit',
    {
      ...region,
      schema: {
        tags: ['audit'],
        summary: 'The whole audit log, newest first (Region administrators)',
        description: 'Every recorded change: who, what, when, and the fields that changed. Keyset-paginated: follow `nextCursor`.',
        querystring: AuditApiQuery,
        response: { 200: AuditList, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      const { action, entityType, from, to, cursor, limit } = request.query;
      return presentPage(await audit.list({ kind: 'all' }, { actionPrefix: action, entityType, from, to, cursor, limit }));
    },
  );

  // Development outbox
  const PageQuery = Type.Object({ lang: Type.Optional(Type.String()) });

  app.get('/regione/posta', { ...region, schema: { hide: true, querystring: PageQuery } }, async (_request, reply) => {
    const entries = mailer.transport === 'outbox' ? await listOutbox(dataDir, { limit: OUTBOX_LIMIT }) : [];
    const undelivered = await mailer.undelivered(UNDELIVERED_LIMIT);
    return reply.page(OutboxPage({ ctx: reply.pageContext(), transport: mailer.transport, entries, limit: OUTBOX_LIMIT, undelivered, undeliveredLimit: UNDELIVERED_LIMIT }));
  });

  app.get(
    '/regione/posta/:file',
    { ...region, schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 200 }) }), querystring: PageQuery } },
    async (request, reply) => {
      // readOutboxMessage accepts outbox file names only: any path is unknown, hence 404.
      const message = mailer.transport === 'outbox' ? await readOutboxMessage(dataDir, request.params.file) : null;
      if (!message) throw new AppError('route.not_found', { method: request.method, url: request.url.split('?')[0] ?? '' });
      return reply.page(OutboxMessagePage({ ctx: reply.pageContext(), message }));
    },
  );
};

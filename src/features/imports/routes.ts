import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseMode } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { actorOf } from '../../platform/audit.js';
import type { Lang } from '../../platform/i18n.js';
import { multipartField, uploadedFile } from '../../platform/uploads.js';
import type { ClusterService } from '../clusters/service.js';
import type { MembershipService } from '../memberships/service.js';
import { exportCsv, exportXlsx, templateCsv, templateXlsx } from './files.js';
import { im } from './messages.js';
import { ImportPage, PreviewPage, type ClusterRef } from './pages.js';
import { MAX_FILE_BYTES } from './parse.js';
import { PendingUploads, type PendingUpload } from './pending.js';
import { ImportService, romeDate, writeChunk, type ImportReport } from './service.js';

export interface ImportRoutesOptions {
  db: Kysely<DB>;
  dbMode: DatabaseMode;
  clusters: ClusterService;
  memberships: MembershipService;
  /** Uploaded files wait for confirmation in DATA_DIR/imports/. */
  dataDir: string;
}

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const PageQuery = Type.Object({
  lang: Type.Optional(Type.String()),
  created: Type.Optional(Type.Integer({ minimum: 0 })),
  updated: Type.Optional(Type.Integer({ minimum: 0 })),
  unchanged: Type.Optional(Type.Integer({ minimum: 0 })),
});
const FileQuery = Type.Object({ lang: Type.Optional(Type.String()) });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** A field of the form, multipart (the upload form) or URL-encoded. */
function formValue(request: FastifyRequest, name: string): string {
  const raw = (request.body as Record<string, unknown> | undefined)?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : multipartField(request, name);
}

function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f]/g, '').slice(0, 200);
  return base || 'file';
}

export const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, opts) => {
  const { clusters, memberships } = opts;
  const imports = new ImportService(opts.db, clusters, memberships, writeChunk(opts.dbMode));
  const pending = new PendingUploads(path.join(opts.dataDir, 'imports'));
  const sweeper = setInterval(() => void pending.sweep(), SWEEP_EVERY_MS);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
  let xlsxTemplate: Promise<Buffer> | undefined;

  const manager = { config: { access: 'cluster_manager' as const } };

  async function clusterRef(slug: string): Promise<ClusterRef & { id: string }> {
    const { cluster } = await clusters.get(slug);
    return { id: cluster.id, slug: cluster.slug, name: cluster.short_name };
  }

  async function classRefs(clusterId: string, lang: Lang) {
    return (await memberships.classes(clusterId)).map((c) => ({ code: c.code, name: lang === 'en' ? (c.name_en ?? c.name_it) : c.name_it }));
  }

  const base = (slug: string) => `/cluster/${slug}/gestione`;

  app.get('/cluster/:slug/gestione/importa', { ...manager, schema: { hide: true, params: SlugParams, querystring: PageQuery } }, async (request, reply) => {
    const cluster = await clusterRef(request.params.slug);
    const { created, updated, unchanged } = request.query;
    const notice =
      created !== undefined && updated !== undefined && unchanged !== undefined ? im(request.lang, 'done', { created, updated, unchanged }) : undefined;
    return reply.page(ImportPage({ ctx: reply.pageContext(), cluster, classes: await classRefs(cluster.id, request.lang), notice }));
  });

  app.post('/cluster/:slug/gestione/importa', { ...manager, schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    void pending.sweep();
    const cluster = await clusterRef(request.params.slug);
    const lang = request.lang;
    const owner = { clusterId: cluster.id, personId: request.principal?.personId ?? null };
    const mode = formValue(request, 'mode') === 'commit' ? 'commit' : 'preview';
    const refuse = async (error: string) =>
      reply.status(400).page(ImportPage({ ctx: reply.pageContext(), cluster, classes: await classRefs(cluster.id, lang), error }));
    const showReport = (report: ImportReport, token?: string) =>
      reply.status(report.ok ? 200 : 400).page(PreviewPage({ ctx: reply.pageContext(), cluster, report, token }));

    let token = formValue(request, 'token');
    let upload: PendingUpload | undefined;
    const file = await uploadedFile(request, 'file');
    if (file && (file.data.length > 0 || file.truncated)) {
      const filename = safeFilename(file.filename);
      if (file.truncated || file.data.length > MAX_FILE_BYTES) {
        const report: ImportReport = {
          fileName: filename,
          format: /\.xlsx$/i.test(filename) ? 'xlsx' : 'csv',
          fileProblems: [{ code: 'too_large', params: { max: MAX_FILE_BYTES / 1024 / 1024 } }],
          rowProblems: [],
          counts: { rows: 0, create: 0, update: 0, unchanged: 0, rowsWithErrors: 0 },
          ok: false,
          committed: false,
        };
        return showReport(report);
      }
      upload = { filename, data: file.data };
      token = '';
    } else if (token) {
      upload = await pending.load(token, owner);
      if (!upload) return refuse(im(lang, 'expired'));
    } else {
      return refuse(im(lang, 'missingFile'));
    }

    if (mode === 'preview') {
      const report = await imports.preview(cluster.id, upload);
      // Kept server-side under a random token; the confirmation names the token only.
      const keep = report.ok ? token || (await pending.save(upload, owner)) : undefined;
      if (!report.ok && token) await pending.remove(token);
      return showReport(report, keep);
    }

    const report = await imports.commit(cluster.id, upload, actorOf(request.principal, request.id));
    if (token) await pending.remove(token);
    if (!report.committed) return showReport({ ...report, ok: false });
    const { create, update, unchanged } = report.counts;
    return reply.redirect(`${base(cluster.slug)}/importa?created=${create}&updated=${update}&unchanged=${unchanged}`, 303);
  });

  app.get('/cluster/:slug/gestione/modello.csv', { ...manager, schema: { hide: true, params: SlugParams, querystring: FileQuery } }, async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="modello-soci.csv"')
      .send(templateCsv()),
  );

  app.get('/cluster/:slug/gestione/modello.xlsx', { ...manager, schema: { hide: true, params: SlugParams, querystring: FileQuery } }, async (_request, reply) => {
    xlsxTemplate ??= templateXlsx();
    return reply
      .type(XLSX_TYPE)
      .header('content-disposition', 'attachment; filename="modello-soci.xlsx"')
      .send(await xlsxTemplate);
  });

  const exportName = (slug: string, ext: string) => `soci-${slug}-${romeDate(new Date())}.${ext}`;

  app.get('/cluster/:slug/gestione/soci.csv', { ...manager, schema: { hide: true, params: SlugParams, querystring: FileQuery } }, async (request, reply) => {
    const members = await memberships.members(request.scopeClusterId!);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(request.params.slug, 'csv')}"`)
      .header('cache-control', 'no-store')
      .send(exportCsv(members));
  });

  app.get('/cluster/:slug/gestione/soci.xlsx', { ...manager, schema: { hide: true, params: SlugParams, querystring: FileQuery } }, async (request, reply) => {
    const members = await memberships.members(request.scopeClusterId!);
    return reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${exportName(request.params.slug, 'xlsx')}"`)
      .header('cache-control', 'no-store')
      .send(exportXlsx(members));
  });
};

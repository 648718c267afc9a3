import type { FastifyPluginAsync } from 'fastify';
import { ApiDocsPage, type OperationDoc } from './pages.js';

interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Record<string, unknown> }[];
  responses?: Record<string, { description?: string }>;
}

function schemaLabel(schema: Record<string, unknown> | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.anyOf)) {
    return (schema.anyOf as Record<string, unknown>[]).map((s) => (s.const !== undefined ? String(s.const) : String(s.type))).join(' | ');
  }
  const parts = [String(schema.type ?? '')];
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? ''}–${schema.maximum ?? ''}`);
  if (schema.default !== undefined) parts.push(`= ${String(schema.default)}`);
  return parts.join(' ');
}

/** Flatten the OpenAPI document into what the docs page shows. */
export function operationsOf(doc: OpenApiDocument): OperationDoc[] {
  const ops: OperationDoc[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method,
        path,
        summary: op.summary ?? '',
        tag: op.tags?.[0] ?? '',
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required ?? false,
          description: p.description ?? String(p.schema?.description ?? ''),
          schema: schemaLabel(p.schema),
        })),
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? '' })),
      });
    }
  }
  return ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export const apiDocsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  app.get('/api/docs', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const doc = app.swagger() as unknown as OpenApiDocument;
    return reply.page(ApiDocsPage({ ctx: reply.pageContext(), operations: operationsOf(doc), version: doc.info.version }));
  });
};

import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

/** Largest upload accepted at all; each route checks its own, smaller limit. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

type Part = MultipartFile | MultipartValue | (MultipartFile | MultipartValue)[] | undefined;

/** A file part of a multipart form (attachFieldsToBody), with its bytes. */
export async function uploadedFile(request: FastifyRequest, name: string): Promise<{ filename: string; data: Buffer; truncated: boolean } | undefined> {
  const part = (request.body as Record<string, Part> | undefined)?.[name];
  const file = Array.isArray(part) ? part[0] : part;
  if (!file || file.type !== 'file') return undefined;
  const data = await file.toBuffer();
  if (data.length === 0 && !file.filename) return undefined;
  return { filename: file.filename, data, truncated: file.file.truncated };
}

/** A plain field of a multipart form. */
export function multipartField(request: FastifyRequest, name: string): string {
  const part = (request.body as Record<string, Part> | undefined)?.[name];
  const value = Array.isArray(part) ? part[0] : part;
  return value && value.type === 'field' && typeof value.value === 'string' ? value.value : '';
}

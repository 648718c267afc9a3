import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../platform/errors.js';

/** Largest meeting document accepted. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Meeting documents on the local disk, under DATA_DIR/documents/<meeting>/<random>.pdf. The key
 * stored in the database is the path below that folder; it is never taken from the user.
 */
export class DocumentStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'documents');
  }

  /** Check size and real content type (a PDF, whatever the file name says). */
  static async check(data: Buffer, truncated = false): Promise<void> {
    if (truncated || data.length > DOCUMENT_MAX_BYTES) throw new AppError('governance.document_too_large', { max: DOCUMENT_MAX_BYTES / (1024 * 1024) });
    const detected = data.length > 0 ? await fileTypeFromBuffer(data) : undefined;
    if (detected?.mime !== 'application/pdf') throw new AppError('governance.document_not_pdf');
  }

  async put(meetingId: string, data: Buffer): Promise<{ key: string; sha256: string }> {
    const key = `${meetingId}/${randomUUID()}.pdf`;
    const file = this.resolve(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, data, { flag: 'wx', mode: 0o600 });
    return { key, sha256: createHash('sha256').update(data).digest('hex') };
  }

  async get(key: string): Promise<Buffer> {
    return fs.readFile(this.resolve(key));
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.resolve(key), { force: true });
  }

  private resolve(key: string): string {
    if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}\.pdf$/.test(key)) throw new Error(`Not a document key: ${key}`);
    return path.join(this.root, key);
  }
}

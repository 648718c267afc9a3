import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { S3Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';

/** Largest meeting document accepted. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The form of every key: `<meeting uuid>/<random uuid>.pdf`, made here and never taken from the user. */
const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\.pdf$/;

/** Nothing is stored under the key (a row whose bytes were lost, or a key already removed). */
export class DocumentMissingError extends Error {
  constructor(readonly key: string) {
    super(`No document stored under ${key}`);
    this.name = 'DocumentMissingError';
  }
}

/** A write would replace bytes already stored under the key: documents are never overwritten. */
export class DocumentExistsError extends Error {
  constructor(readonly key: string) {
    super(`A document is already stored under ${key}`);
    this.name = 'DocumentExistsError';
  }
}

/**
 * Where the bytes of meeting documents live. Both backends keep the same contract, which
 * test/integration/document-storage.test.ts runs against each: a write never replaces an existing
 * key, a read of a missing key is a DocumentMissingError, a delete of a missing key is no error.
 */
export interface DocumentStorage {
  readonly kind: 'disk' | 's3';
  write(key: string, data: Buffer): Promise<void>;
  read(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  /**
   * Whether the storage is usable now (readiness check): resolves, or rejects saying why. On disk the
   * directory can be written; in a bucket it answers and these credentials may read it (a write
   * probe at every check would cost a PUT and a DELETE).
   */
  check(): Promise<void>;
}

/** On the local disk, under DATA_DIR/documents/<meeting>/<random>.pdf. */
export class DiskDocumentStorage implements DocumentStorage {
  readonly kind = 'disk' as const;
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'documents');
  }

  async write(key: string, data: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.writeFile(file, data, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DocumentExistsError(key);
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentMissingError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  /** The documents directory exists (or can be made) and this process may write in it. */
  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }

  private file(key: string): string {
    return path.join(this.root, checkKey(key));
  }
}

/**
 * In an S3-compatible bucket, as objects `documents/<meeting>/<random>.pdf`. The client library
 * (@aws-sdk/client-s3, in ./documents-s3.ts) is imported on the first use, so an installation
 * without S3 never loads it and start-up stays as fast as before.
 */
export function lazyS3Storage(config: S3Config): DocumentStorage {
  let loading: Promise<DocumentStorage> | undefined;
  const storage = () => {
    loading ??= import('./documents-s3.js').then(
      (m) => new m.S3DocumentStorage(config),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return {
    kind: 's3',
    write: async (key, data) => (await storage()).write(checkKey(key), data),
    read: async (key) => (await storage()).read(checkKey(key)),
    delete: async (key) => (await storage()).delete(checkKey(key)),
    check: async () => (await storage()).check(),
  };
}

export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Not a document key: ${key}`);
  return key;
}

/**
 * Meeting documents: checks what may be stored, makes the key, and keeps the bytes in the
 * configured storage (the local disk, or an S3-compatible bucket). The key stored in the database
 * is the one made here; it is never taken from the user.
 */
export class DocumentStore {
  constructor(readonly storage: DocumentStorage) {}

  /** The store for a configuration: the S3 bucket when S3_* is set, otherwise DATA_DIR/documents. */
  static fromConfig(options: { dataDir: string; s3?: S3Config | undefined }): DocumentStore {
    return new DocumentStore(options.s3 ? lazyS3Storage(options.s3) : new DiskDocumentStorage(options.dataDir));
  }

  /** Check size and real content type (a PDF, whatever the file name says). */
  static async check(data: Buffer, truncated = false): Promise<void> {
    if (truncated || data.length > DOCUMENT_MAX_BYTES) throw new AppError('governance.document_too_large', { max: DOCUMENT_MAX_BYTES / (1024 * 1024) });
    // file-type is loaded on the first upload, not at start-up (docs/decisions/007-performance.md).
    const detected = data.length > 0 ? await (await import('file-type')).fileTypeFromBuffer(data) : undefined;
    if (detected?.mime !== 'application/pdf') throw new AppError('governance.document_not_pdf');
  }

  async put(meetingId: string, data: Buffer): Promise<{ key: string; sha256: string }> {
    const key = checkKey(`${meetingId}/${randomUUID()}.pdf`);
    await this.storage.write(key, data);
    return { key, sha256: createHash('sha256').update(data).digest('hex') };
  }

  get(key: string): Promise<Buffer> {
    return this.storage.read(checkKey(key));
  }

  remove(key: string): Promise<void> {
    return this.storage.delete(checkKey(key));
  }
}

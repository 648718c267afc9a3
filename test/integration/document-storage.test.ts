import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskDocumentStorage, DocumentExistsError, DocumentMissingError, DocumentStore, lazyS3Storage, type DocumentStorage } from '../../src/features/governance/documents.js';
import { TINY_PDF } from '../factories/governance.js';
import { startS3Server, type TestS3Server } from '../support/s3.js';

// One contract, two backends: what the service relies on holds on the local disk and in a real
// S3-compatible server alike.
describe.each(['disk', 's3'] as const)('the %s document storage', (kind) => {
  let s3: TestS3Server | undefined;
  let dataDir: string;
  let storage: DocumentStorage;
  /** What the backend holds, looked at behind the store's back. */
  let stored: () => Promise<string[]>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-docs-'));
    if (kind === 's3') {
      s3 = await startS3Server();
      const config = { endpoint: s3.endpoint, bucket: s3.bucket, region: 'eu-south-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
      storage = lazyS3Storage(config);
      stored = async () => (await s3!.keys()).map((k) => k.replace(/^documents\//, ''));
    } else {
      storage = new DiskDocumentStorage(dataDir);
      stored = async () => {
        const root = path.join(dataDir, 'documents');
        if (!fs.existsSync(root)) return [];
        return fs.readdirSync(root).flatMap((meeting) => fs.readdirSync(path.join(root, meeting)).map((f) => `${meeting}/${f}`)).sort();
      };
    }
  });
  afterAll(async () => {
    await s3?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the bytes under a key it makes, and gives them back unchanged', async () => {
    const store = new DocumentStore(storage);
    const meetingId = randomUUID();
    const data = Buffer.concat([TINY_PDF, Buffer.from([0, 1, 2, 255, 254])]);
    const { key, sha256 } = await store.put(meetingId, data);
    expect(key).toMatch(new RegExp(`^${meetingId}/[0-9a-f-]{36}\\.pdf$`));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.get(key)).equals(data)).toBe(true);
    expect(await stored()).toContain(key);
    if (s3) {
      // In the bucket, under the documents/ prefix, as a PDF.
      expect((await s3.object(`documents/${key}`)).equals(data)).toBe(true);
    }
  });

  it('never replaces what is stored under a key', async () => {
    const key = `${randomUUID()}/${randomUUID()}.pdf`;
    await storage.write(key, TINY_PDF);
    await expect(storage.write(key, Buffer.from('%PDF-1.4 another'))).rejects.toBeInstanceOf(DocumentExistsError);
    expect((await storage.read(key)).equals(TINY_PDF)).toBe(true);
  });

  it('deletes, treats a missing key as missing, and deletes a missing key without error', async () => {
    const key = `${randomUUID()}/${randomUUID()}.pdf`;
    await storage.write(key, TINY_PDF);
    await storage.delete(key);
    expect(await stored()).not.toContain(key);
    await expect(storage.read(key)).rejects.toBeInstanceOf(DocumentMissingError);
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('reports itself ready when it can be written', async () => {
    await expect(storage.check()).resolves.toBeUndefined();
  });

  it('refuses a key it did not make, before touching the backend', async () => {
    const before = await stored();
    for (const key of ['../../etc/passwd', `${randomUUID()}/../x.pdf`, 'documents/x.pdf']) {
      await expect(storage.write(key, TINY_PDF)).rejects.toThrow(/Not a document key/);
      await expect(storage.read(key)).rejects.toThrow(/Not a document key/);
    }
    expect(await stored()).toEqual(before);
  });
});

describe('the S3 document storage with wrong credentials', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.close();
  });

  it('reports a server that refuses the credentials instead of pretending to store', async () => {
    const wrong = lazyS3Storage({ endpoint: s3.endpoint, bucket: s3.bucket, region: 'eu-south-1', accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret', forcePathStyle: true });
    const before = await s3.keys();
    await expect(wrong.write(`${randomUUID()}/${randomUUID()}.pdf`, TINY_PDF)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(await s3.keys()).toEqual(before);
  });

  it('is not ready with wrong credentials or a bucket that does not exist', async () => {
    const base = { endpoint: s3.endpoint, region: 'eu-south-1', accessKeyId: 'S3RVER', forcePathStyle: true };
    await expect(lazyS3Storage({ ...base, bucket: s3.bucket, secretAccessKey: 'not-the-secret' }).check()).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(lazyS3Storage({ ...base, bucket: 'no-such-bucket', secretAccessKey: 'S3RVER' }).check()).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

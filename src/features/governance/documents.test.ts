import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiskDocumentStorage, DocumentStore, lazyS3Storage } from './documents.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the document store', () => {
  it('uses the local disk unless S3 is configured', () => {
    expect(DocumentStore.fromConfig({ dataDir: '/tmp/x' }).storage).toBeInstanceOf(DiskDocumentStorage);
    const s3 = DocumentStore.fromConfig({ dataDir: '/tmp/x', s3: { endpoint: 'http://127.0.0.1:9', bucket: 'b-1', region: 'eu-south-1', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true } });
    expect(s3.storage.kind).toBe('s3');
  });

  it('loads the AWS SDK only on the first use of an S3 store, never at start-up', () => {
    const importers = sources(SRC).filter((file) => /from\s+['"]@aws-sdk\//.test(fs.readFileSync(file, 'utf8')));
    expect(importers.map((f) => path.relative(SRC, f))).toEqual([path.join('features', 'governance', 'documents-s3.ts')]);
    for (const file of sources(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      // Only a dynamic import() may name the module that loads the SDK.
      expect(/(?:from|import)\s+['"][^'"]*documents-s3\.js['"]/.test(text), path.relative(SRC, file)).toBe(false);
    }
  });

  it('refuses a key it did not make', async () => {
    const storage = lazyS3Storage({ endpoint: 'http://127.0.0.1:9', bucket: 'b-1', region: 'eu-south-1', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true });
    await expect(storage.read('../secrets.pdf')).rejects.toThrow(/Not a document key/);
  });
});

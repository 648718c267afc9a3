// Loaded only when S3_* is configured (see lazyS3Storage in ./documents.ts): never import this
// module statically, so that an installation without S3 does not load the AWS SDK at start-up.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Config } from '../../config.js';
import { DocumentExistsError, DocumentMissingError, type DocumentStorage } from './documents.js';

/** Objects of meeting documents are kept under this prefix, so the bucket may hold other things. */
export const S3_PREFIX = 'documents/';

function notFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);
}

/** Meeting documents in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW, …). */
export class S3DocumentStorage implements DocumentStorage {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Send and check the optional CRC checksums only where the operation requires them: many
      // S3-compatible servers do not understand the aws-chunked trailers the SDK adds by default.
      // Integrity is kept by the SHA-256 recorded with each document and the signed payload hash.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  private objectKey(key: string): string {
    return `${S3_PREFIX}${key}`;
  }

  /**
   * Never replaces an object: the keys are random (a clash is practically impossible), and an
   * existing one is refused as on disk. A HEAD first rather than a conditional PUT (If-None-Match),
   * which not every S3-compatible server supports.
   */
  async write(key: string, data: Buffer): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      throw new DocumentExistsError(key);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: data, ContentType: 'application/pdf', ContentLength: data.length }));
  }

  async read(key: string): Promise<Buffer> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!object.Body) throw new DocumentMissingError(key);
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (notFound(error)) throw new DocumentMissingError(key);
      throw error;
    }
  }

  /** Deleting what is not there succeeds, as S3 itself answers. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /**
   * The bucket answers and these credentials may read it: a GET of a key that is never written,
   * nothing written. "No such key" is the healthy answer; a missing bucket, refused credentials or
   * an unreachable server reject. (Object-level, because bucket-level requests are not signed and
   * answered alike by every S3-compatible server.)
   */
  async check(): Promise<void> {
    try {
      await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${S3_PREFIX}.readiness-probe` }));
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return;
      throw error;
    }
  }
}

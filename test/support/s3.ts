import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The only credentials s3rver knows; it checks every request's signature against them. */
const ACCESS_KEY = 'S3RVER';

export interface TestS3Server {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  bucket: string;
  /** The S3_* variables that point the application at this server's bucket. */
  env: Record<string, string>;
  /** A client of its own, to look into the bucket behind the application's back. */
  client: S3Client;
  /** Every key in the bucket, sorted. */
  keys(): Promise<string[]>;
  object(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver: the S3 REST API over HTTP, objects on disk in a temporary
 * folder, signatures checked) on 127.0.0.1 at a random port, with one empty bucket.
 */
export async function startS3Server(bucket = 'clusterhub-test'): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterhub-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: 'eu-south-1', S3_ACCESS_KEY_ID: ACCESS_KEY, S3_SECRET_ACCESS_KEY: ACCESS_KEY, S3_FORCE_PATH_STYLE: 'true' };
  const client = new S3Client({
    endpoint,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    env,
    client,
    async keys() {
      // From the server's own store: its bucket-level HTTP listing (ListObjects) disagrees with how
      // the current SDK signs a bucket's path, and the application never lists anyway.
      const listed = await server.store.listObjects(bucket, {});
      return listed.objects.map((o) => o.key).sort();
    },
    async object(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    async close() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

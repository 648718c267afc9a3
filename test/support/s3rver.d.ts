// The maintained fork of s3rver ships no type declarations; what the tests use of it.
declare module '@20minutes/s3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    /** The filesystem store behind the server. */
    store: { listObjects(bucket: string, options: { prefix?: string }): Promise<{ objects: { key: string }[] }> };
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

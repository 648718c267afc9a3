import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/ch',
      DATABASE_URL: 'postgres://u:p@db:5432/ch',
      BASE_URL: 'https://cluster.example.org/',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'x'.repeat(32),
      CONTACT_EMAIL: 'accessibilita@example.org',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/tmp/ch',
      databaseUrl: 'postgres://u:p@db:5432/ch',
      baseUrl: 'https://cluster.example.org',
      logLevel: 'warn',
      contactEmail: 'accessibilita@example.org',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['BASE_URL', 'ftp://example.org'],
    ['LOG_LEVEL', 'loud'],
    ['SESSION_SECRET', 'short'],
    ['NODE_ENV', 'staging'],
    ['CONTACT_EMAIL', 'nobody'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes database credentials in its error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://admin:s3cret@db/x' })).toThrow(/mysql:/);
    try {
      loadConfig({ DATABASE_URL: 'http//admin:s3cret@db' });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
    }
  });

  describe('the S3 document store', () => {
    const full = {
      S3_ENDPOINT: 'https://s3.eu-south-1.amazonaws.com/',
      S3_BUCKET: 'clusterhub-documenti',
      S3_REGION: 'eu-south-1',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'very-secret-key',
    };
    const refusal = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    };

    it('is off without any S3_* variable, and read whole when all are set', () => {
      expect(loadConfig({}).s3).toBeUndefined();
      expect(loadConfig(full).s3).toEqual({
        endpoint: 'https://s3.eu-south-1.amazonaws.com',
        bucket: 'clusterhub-documenti',
        region: 'eu-south-1',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'very-secret-key',
        forcePathStyle: false,
      });
      expect(loadConfig({ ...full, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'TRUE' }).s3).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    });

    it.each(['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])('is all or nothing: without %s it names that variable', (name) => {
      const env: Record<string, string> = { ...full };
      delete env[name];
      const error = refusal(env);
      expect(error.variable).toBe(name);
      expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${name} is required when any S3_\\* variable is set`));
      expect(error.message).not.toContain('very-secret-key');
    });

    it('counts S3_FORCE_PATH_STYLE alone as asking for S3, and names the first missing variable', () => {
      expect(refusal({ S3_FORCE_PATH_STYLE: 'true' }).variable).toBe('S3_ENDPOINT');
    });

    it.each([
      ['S3_ENDPOINT', 'ftp://files.example.org'],
      ['S3_ENDPOINT', 'https://key:secret@s3.example.org'],
      ['S3_BUCKET', 'Bucket_With_Capitals'],
      ['S3_BUCKET', 'ab'],
      ['S3_REGION', 'eu south'],
      ['S3_FORCE_PATH_STYLE', 'maybe'],
    ])('refuses %s=%s with one line naming the variable', (name, value) => {
      const error = refusal({ ...full, [name]: value });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.variable).toBe(name);
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain('secret@');
    });
  });
});

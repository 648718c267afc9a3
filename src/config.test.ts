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
});

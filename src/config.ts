import path from 'node:path';

/** Validated configuration, read once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** Directory for the embedded database and other local files. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded PGlite database. */
  databaseUrl: string | undefined;
  baseUrl: string;
  logLevel: LogLevel;
  /** Secret used to sign cookies; at least 32 characters when given. */
  sessionSecret: string | undefined;
  nodeEnv: 'development' | 'production' | 'test';
  /** Public contact for accessibility feedback and privacy requests. */
  contactEmail: string | undefined;
  /** SMTP server (smtp:// or smtps://); without it mails are written to DATA_DIR/outbox as .eml files. */
  smtpUrl: string | undefined;
  /** Sender address of platform mails. */
  mailFrom: string;
  /** OpenID Connect login (e.g. a SPID/CIE gateway); enabled when issuer, client id and secret are set. */
  oidc: OidcConfig | undefined;
  /** An S3-compatible bucket for board meeting documents; without it they stay under DATA_DIR/documents. */
  s3: S3Config | undefined;
}

/** Where meeting documents go when S3_* is configured (all of it, or none). */
export interface S3Config {
  /** http(s) URL of the S3 API, e.g. https://s3.eu-south-1.amazonaws.com or a MinIO server. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Address the bucket in the path (endpoint/bucket/key) rather than as a host name; most S3-compatible servers need it. */
  forcePathStyle: boolean;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Label of the login button, e.g. "SPID / CIE". */
  label: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Raised for an invalid environment variable; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parsePort(env: Env): number {
  const raw = nonEmpty(env, 'PORT');
  if (raw === undefined) return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError('PORT', `must be an integer between 0 and 65535 (got "${raw}")`);
  }
  return Number(raw);
}

function parseUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (got "${redact(raw)}")`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${url.protocol}")`);
  }
  return raw;
}

/** Hide credentials when echoing a bad URL back. */
function redact(raw: string): string {
  return raw.replace(/\/\/[^@/]*@/, '//***@');
}

export function loadConfig(env: Env = process.env): Config {
  const port = parsePort(env);
  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(nonEmpty(env, 'DATA_DIR') ?? './data');
  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const baseUrl = (parseUrl(env, 'BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const sessionSecret = nonEmpty(env, 'SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long');
  }
  const nodeEnvRaw = nonEmpty(env, 'NODE_ENV') ?? 'development';
  const nodeEnv = (['development', 'production', 'test'] as const).find((v) => v === nodeEnvRaw);
  if (nodeEnv === undefined) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const contactEmail = nonEmpty(env, 'CONTACT_EMAIL');
  if (contactEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail)) {
    throw new ConfigError('CONTACT_EMAIL', `must be an e-mail address (got "${contactEmail}")`);
  }
  const smtpUrl = parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const mailFrom = nonEmpty(env, 'MAIL_FROM') ?? `Clusterhub <noreply@${new URL(baseUrl).hostname}>`;
  if (!/@/.test(mailFrom)) throw new ConfigError('MAIL_FROM', `must contain an e-mail address (got "${mailFrom}")`);
  const oidc = parseOidc(env);
  const s3 = parseS3(env);
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    baseUrl,
    logLevel,
    sessionSecret,
    nodeEnv,
    contactEmail,
    smtpUrl,
    mailFrom,
    oidc,
    s3,
  };
}

function parseOidc(env: Env): OidcConfig | undefined {
  const issuer = parseUrl(env, 'OIDC_ISSUER', ['https:', 'http:']);
  const clientId = nonEmpty(env, 'OIDC_CLIENT_ID');
  const clientSecret = nonEmpty(env, 'OIDC_CLIENT_SECRET');
  const given = [issuer, clientId, clientSecret].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3) {
    const missing = !issuer ? 'OIDC_ISSUER' : !clientId ? 'OIDC_CLIENT_ID' : 'OIDC_CLIENT_SECRET';
    throw new ConfigError(missing, 'is required when any OIDC_* variable is set');
  }
  return { issuer: issuer!, clientId: clientId!, clientSecret: clientSecret!, label: nonEmpty(env, 'OIDC_LABEL') ?? 'SPID / CIE' };
}

/** Variables of the S3 document store, in the order a missing one is reported. */
const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

function parseS3(env: Env): S3Config | undefined {
  const given = [...S3_REQUIRED, 'S3_FORCE_PATH_STYLE'].filter((name) => nonEmpty(env, name) !== undefined);
  if (given.length === 0) return undefined;
  const missing = S3_REQUIRED.find((name) => nonEmpty(env, name) === undefined);
  if (missing) throw new ConfigError(missing, `is required when any S3_* variable is set (set: ${given.join(', ')})`);
  const endpoint = parseUrl(env, 'S3_ENDPOINT', ['https:', 'http:'])!;
  const parsed = new URL(endpoint);
  if (parsed.username || parsed.password) throw new ConfigError('S3_ENDPOINT', 'must not contain credentials (use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)');
  if (parsed.search || parsed.hash) throw new ConfigError('S3_ENDPOINT', 'must not have a query or a fragment');
  const bucket = nonEmpty(env, 'S3_BUCKET')!;
  // The S3 naming rules for buckets: 3–63 lower-case letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new ConfigError('S3_BUCKET', `must be a bucket name: 3–63 lower-case letters, digits, dots and hyphens (got "${bucket}")`);
  }
  const region = nonEmpty(env, 'S3_REGION')!;
  if (!/^[a-z0-9-]{1,40}$/.test(region)) throw new ConfigError('S3_REGION', `must be a region name such as eu-south-1 (got "${region}")`);
  const pathStyle = (nonEmpty(env, 'S3_FORCE_PATH_STYLE') ?? 'false').toLowerCase();
  if (pathStyle !== 'true' && pathStyle !== 'false') throw new ConfigError('S3_FORCE_PATH_STYLE', `must be true or false (got "${pathStyle}")`);
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    bucket,
    region,
    accessKeyId: nonEmpty(env, 'S3_ACCESS_KEY_ID')!,
    secretAccessKey: nonEmpty(env, 'S3_SECRET_ACCESS_KEY')!,
    forcePathStyle: pathStyle === 'true',
  };
}

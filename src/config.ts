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

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { seedFoundingMemberships, seedRegistry } from './db/seed/seed.js';
import { oidcRoutes } from './features/accounts/oidc-routes.js';
import { accountRoutes } from './features/accounts/routes.js';
import { AccountService } from './features/accounts/service.js';
import { apiDocsRoutes } from './features/api-docs/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { importRoutes } from './features/imports/routes.js';
import { membershipRoutes } from './features/memberships/routes.js';
import { MembershipService } from './features/memberships/service.js';
import { organisationRoutes } from './features/organisations/routes.js';
import { OrganisationService } from './features/organisations/service.js';
import { clusterRoutes } from './features/clusters/routes.js';
import { ClusterService } from './features/clusters/service.js';
import { healthRoutes } from './features/health/routes.js';
import { siteRoutes } from './features/site/routes.js';
import { declareScopeAccess, enforceAccessDeclarations, type DeclaredRoute } from './platform/access.js';
import auth from './platform/auth/plugin.js';
import { SessionStore } from './platform/auth/sessions.js';
import { createMailer, type Mailer } from './platform/mail/mailer.js';
import { ErrorResponse } from './platform/schemas.js';
import { getOrCreateSecret } from './platform/settings.js';
import { MAX_UPLOAD_BYTES } from './platform/uploads.js';
import web, { genRequestId } from './platform/web.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = (await import('node:module')).createRequire(import.meta.url);
const BOOTSTRAP_ITALIA_DIST = path.join(path.dirname(require.resolve('bootstrap-italia/package.json')), 'dist');
const VERSION = (require(path.join(ROOT, 'package.json')) as { version: string }).version;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    mailer: Mailer;
    services: Services;
    /** Every route with its declared access, filled in when the app is ready. */
    declaredRoutes: DeclaredRoute[];
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  mailer: Mailer;
}

export interface Services {
  clusters: ClusterService;
  accounts: AccountService;
  organisations: OrganisationService;
  memberships: MembershipService;
}

/** The whole application as one Fastify plugin: platform first, then features. */
async function clusterhubPlugin(app: FastifyInstance, { config, database, mailer }: AppOptions): Promise<void> {
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('mailer', mailer);
  const secureCookies = config.baseUrl.startsWith('https://');
  // One secret for every instance: configured, or generated once and kept in the database.
  const cookieSecret = config.sessionSecret ?? (await getOrCreateSecret(database.db, 'cookie_secret'));
  app.decorate('declaredRoutes', enforceAccessDeclarations(app));

  // 1. Third-party plugins.
  await app.register(fastifyCookie, { secret: cookieSecret });
  await app.register(fastifyFormbody, { bodyLimit: 1024 * 1024 });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clusterhub API',
        version: VERSION,
        description: 'API of the platform of the Lombardy Technology Clusters (Cluster Tecnologici Lombardi).',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: config.baseUrl }],
      tags: [
        { name: 'clusters', description: 'The cluster registry' },
        { name: 'organisations', description: 'Organisations and the member directory' },
        { name: 'memberships', description: 'Applications and the membership lifecycle' },
        { name: 'accounts', description: 'The signed-in person' },
        { name: 'audit', description: 'The audit log: who changed what, when' },
        { name: 'platform', description: 'Operational endpoints' },
      ],
    },
  });
  app.addSchema(ErrorResponse);
  await app.register(async (assets) => {
    declareScopeAccess(assets, 'public');
    await assets.register(fastifyStatic, {
      root: BOOTSTRAP_ITALIA_DIST,
      prefix: '/static/bi/',
      maxAge: '7d',
      allowedPath: (pathName) => !pathName.endsWith('.map'),
    });
    await assets.register(fastifyStatic, {
      root: path.join(ROOT, 'public'),
      prefix: '/static/app/',
      decorateReply: false,
      maxAge: '1d',
    });
  });

  // 2. Our shared services.
  const db = database.db;
  const sessions = new SessionStore(db);
  const clusters = new ClusterService(db);
  const accounts = new AccountService(db, sessions, mailer, config.baseUrl);
  const organisations = new OrganisationService(db);
  const memberships = new MembershipService(db, clusters, organisations, accounts, mailer, config.baseUrl);
  app.decorate('services', { clusters, accounts, organisations, memberships });
  await app.register(web);
  await app.register(auth, {
    sessions,
    secureCookies,
    resolver: {
      clusterIdBySlug: (slug) => clusters.idBySlug(slug),
      clustersOfOrganisation: (id) => memberships.clustersOfOrganisation(id),
      organisationExists: (id) => organisations.exists(id),
    },
  });

  // 3. Features.
  await app.register(healthRoutes, { database });
  await app.register(siteRoutes, { clusters, contactEmail: config.contactEmail });
  await app.register(clusterRoutes, { clusters });
  await app.register(accountRoutes, {
    accounts,
    secureCookies,
    oidcLabel: config.oidc?.label,
    onEmailVerified: (personId) => memberships.onApplicantVerified(personId),
  });
  await app.register(oidcRoutes, { config, accounts, db, onEmailVerified: (personId) => memberships.onApplicantVerified(personId) });
  await app.register(organisationRoutes, { organisations, clusters, accounts });
  await app.register(membershipRoutes, { memberships, clusters, accounts });
  await app.register(importRoutes, { db, clusters, memberships, dataDir: config.dataDir });
  await app.register(auditRoutes, { db, clusters, mailer, dataDir: config.dataDir });
  await app.register(apiDocsRoutes);
}

export const clusterhub = fp(clusterhubPlugin, { name: 'clusterhub', fastify: '5.x' });

export interface BuildOptions {
  config: Config;
  /** An open database; when omitted one is opened from the configuration and closed with the app. */
  database?: Database;
  /** A mailer; when omitted one is made from the configuration (SMTP_URL or the outbox). */
  mailer?: Mailer;
  logger?: FastifyServerOptions['logger'];
}

/**
 * Open the database, bring the schema up to date (embedded mode) or check it is (PostgreSQL),
 * seed the registry, and build the application. Used by the server, the CLI and the tests.
 */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options;
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (database.mode === 'pglite') {
      await migrateToLatest(database.db);
    } else {
      const pending = await pendingMigrations(database.db);
      if (pending.length > 0) {
        throw new Error(
          `The PostgreSQL database is not up to date (${pending.length} pending migration(s): ${pending.join(', ')}). Run \`npx clusterhub migrate\` first.`,
        );
      }
    }
    await seedRegistry(database.db);
    await seedFoundingMemberships(database.db);
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    genReqId: genRequestId,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const mailer =
    options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, dataDir: config.dataDir, logger: app.log });
  await app.register(clusterhub, { config, database, mailer });
  app.addHook('onClose', async () => {
    if (!options.mailer) await mailer.close();
    if (!options.database) await database.close();
  });
  return app;
}

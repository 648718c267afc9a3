import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
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
import { restoreDeferredIndexes } from './db/deferred-indexes.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { seedAll } from './db/seed/seed.js';
import { oidcRoutes } from './features/accounts/oidc-routes.js';
import { accountRoutes } from './features/accounts/routes.js';
import { AccountService } from './features/accounts/service.js';
import { apiDocsRoutes } from './features/api-docs/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { governanceRoutes } from './features/governance/routes.js';
import { GovernanceService } from './features/governance/service.js';
import { importRoutes } from './features/imports/routes.js';
import { membershipRoutes } from './features/memberships/routes.js';
import { MembershipService } from './features/memberships/service.js';
import { collaborationRoutes } from './features/collaborations/routes.js';
import { CollaborationService } from './features/collaborations/service.js';
import { matchingRoutes } from './features/matching/routes.js';
import { MatchingService } from './features/matching/service.js';
import { offerRoutes } from './features/offers/routes.js';
import { OfferService } from './features/offers/service.js';
import { isActive } from './features/offers/service.js';
import { itemTitle } from './features/offers/presenter.js';
import { OrganisationTradeSection } from './features/offers/pages.js';
import { Fragment, h } from 'preact';
import { EmbeddedMaintenance } from './db/embedded-maintenance.js';
import { JobScheduler, nextDaily, nextMinute, nextWeekly, type JobLogger } from './platform/jobs.js';
import { organisationRoutes } from './features/organisations/routes.js';
import { competenceRoutes, organisationProfileSections } from './features/competences/routes.js';
import { OrganisationCompetenceSections } from './features/competences/pages.js';
import { CompetenceService } from './features/competences/service.js';
import { searchRoutes } from './features/search/routes.js';
import { SearchService } from './features/search/service.js';
import { OrganisationService } from './features/organisations/service.js';
import { clusterRoutes } from './features/clusters/routes.js';
import { ClusterService } from './features/clusters/service.js';
import { healthRoutes } from './features/health/routes.js';
import { siteRoutes } from './features/site/routes.js';
import responseCache, { frontServer, type ResponseCache, type ResponseCacheOptions } from './platform/cache.js';
import { declareScopeAccess, enforceAccessDeclarations, type DeclaredRoute } from './platform/access.js';
import auth from './platform/auth/plugin.js';
import { SessionStore } from './platform/auth/sessions.js';
import { createMailer, type Mailer } from './platform/mail/mailer.js';
import { MailQueue } from './platform/mail/queue.js';
import { ErrorResponse } from './platform/schemas.js';
import { getOrCreateSecret } from './platform/settings.js';
import { MAX_UPLOAD_BYTES } from './platform/uploads.js';
import web, { genRequestId } from './platform/web.js';
import { lazySchemaCompilers } from './platform/lazy-schemas.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = (await import('node:module')).createRequire(import.meta.url);
const BOOTSTRAP_ITALIA_DIST = path.join(path.dirname(require.resolve('bootstrap-italia/package.json')), 'dist');
const VERSION = (require(path.join(ROOT, 'package.json')) as { version: string }).version;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    mailer: MailQueue;
    services: Services;
    /** Every route with its declared access, filled in when the app is ready. */
    declaredRoutes: DeclaredRoute[];
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  mailer: Mailer;
  responseCache?: ResponseCacheOptions | undefined;
}

export interface Services {
  clusters: ClusterService;
  accounts: AccountService;
  organisations: OrganisationService;
  memberships: MembershipService;
  offers: OfferService;
  matching: MatchingService;
  collaborations: CollaborationService;
  jobs: JobScheduler;
  /** Vacuums and analyses the embedded database's tables (null on PostgreSQL, whose autovacuum does it). */
  maintenance: EmbeddedMaintenance | null;
  search: SearchService;
  competences: CompetenceService;
  governance: GovernanceService;
}

/** The whole application as one Fastify plugin: platform first, then features. */
async function clusterhubPlugin(app: FastifyInstance, { config, database, mailer: transport, responseCache: cacheOptions }: AppOptions): Promise<void> {
  app.decorate('config', config);
  app.decorate('database', database);
  // A mail the mail server cannot take now is kept and sent again later (platform/mail/queue.ts).
  const mailer = new MailQueue(database.db, transport, app.log);
  app.decorate('mailer', mailer);
  const secureCookies = config.baseUrl.startsWith('https://');
  // One secret for every instance: configured, or generated once and kept in the database.
  const cookieSecret = config.sessionSecret ?? (await getOrCreateSecret(database.db, 'cookie_secret'));
  app.decorate('declaredRoutes', enforceAccessDeclarations(app));

  // 1. Third-party plugins.
  await app.register(fastifyCookie, { secret: cookieSecret });
  // First request hook after the cookies: a cached anonymous answer is sent before any other plugin's
  // hooks run (sessions, CSRF, language, access, body parsers): docs/decisions/007-performance.md.
  await app.register(responseCache, cacheOptions ?? { store: config.nodeEnv !== 'test' });
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
        { name: 'offers', description: 'Technology offers and needs' },
        { name: 'matching', description: 'Ranked cross-language matchmaking with reasons' },
        { name: 'collaborations', description: 'Expressions of interest, introductions and the collaboration pipeline' },
        { name: 'search', description: 'One search over the whole network, and the map of members' },
        { name: 'competences', description: 'Competence taxonomies, organisations’ competences and facilities, people’s expertise, coverage' },
        { name: 'governance', description: 'The board (Consiglio Direttivo): composition, meetings, votes' },
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
  const governance = new GovernanceService(db, clusters, memberships, mailer, { baseUrl: config.baseUrl, mailFrom: config.mailFrom, dataDir: config.dataDir, s3: config.s3, logger: app.log });
  // Where the statute gives admissions to the board, a manager can no longer decide them directly.
  memberships.setAdmissionGate((clusterId) => governance.boardDecidesAdmissions(clusterId));
  const search = new SearchService(db);
  const competences = new CompetenceService(db, search);
  // Technology transfer: offers and needs, the matcher, interests and collaborations, their jobs.
  const offers = new OfferService(db, (id) => memberships.clustersOfOrganisation(id), mailer, config.baseUrl);
  const matching = new MatchingService(db, offers, taxonomyConceptSource(app));
  // Profiles (organisations, facilities, people's expertise) are matched from their search documents,
  // rewritten with them in the same transaction, and shown only to whom the search would show them.
  matching.setProfileVisibility((ids, principal) => search.visibleIds(ids, principal));
  let taxonomySeen: unknown = null;
  search.onIndexed(async (conn, docs, owners, taxonomy) => {
    if (taxonomy !== taxonomySeen) {
      matching.addTaxonomyConcepts(taxonomyAreas(taxonomy.byKey.values()));
      taxonomySeen = taxonomy;
    }
    await matching.indexProfiles(conn, docs, owners);
  });
  const collaborations = new CollaborationService(db, offers, matching, (id) => memberships.clustersOfOrganisation(id), mailer, config.baseUrl);
  const jobs = new JobScheduler(db, app.log);
  jobs.register({ name: 'weekly_digest', next: (after) => nextWeekly(after, 8), run: async (now) => void (await collaborations.runWeeklyDigest(now)) });
  jobs.register({ name: 'renewal_reminders', next: (after) => nextDaily(after, 7), run: async (now) => void (await offers.sendRenewalReminders(now)) });
  // Online votes whose window has ended are closed by themselves (docs/decisions/008-board-governance.md).
  jobs.register({ name: 'close_voting_windows', next: nextMinute, leaseMs: 5 * 60_000, run: async (now) => closeVotingWindows(governance, app.log, now) });
  // Mails the mail server could not take, sent again when due (platform/mail/queue.ts).
  jobs.register({ name: 'mail_retry', next: nextMinute, leaseMs: 10 * 60_000, run: async (now) => void (await mailer.retryDue(now)) });
  // Only a listening server runs the jobs (not the CLI); tests drive them by hand with jobs.tick.
  if (config.nodeEnv !== 'test') app.addHook('onListen', async () => jobs.start());
  // Build the matcher's index (and any missing documents) in the background, before the first query.
  // Not deferred further: on the embedded database its statements run on this thread, so a later
  // start would only move the wait to whoever arrives then (decision 007, "Cold start and memory").
  // Requests that arrive meanwhile are read between its statements (the PGlite connection lets the
  // event loop turn during long chains of exchanges); a match request waits for it (MatchingService.ready).
  if (config.nodeEnv !== 'test') app.addHook('onListen', async () => void matching.ready().catch((err: unknown) => app.log.error({ err }, 'matching documents not built')));
  app.addHook('onClose', async () => jobs.stop());
  // The embedded database has no autovacuum: this server vacuums and analyses its tables (src/db/embedded-maintenance.ts).
  const maintenance = database.mode === 'pglite' ? new EmbeddedMaintenance(db, app.log) : null;
  if (maintenance && config.nodeEnv !== 'test') app.addHook('onListen', async () => maintenance.start());
  app.addHook('onClose', async () => maintenance?.stop());
  app.decorate('services', { clusters, accounts, organisations, memberships, governance, search, competences, offers, matching, collaborations, jobs, maintenance });
  await app.register(web);
  await app.register(auth, {
    sessions,
    secureCookies,
    resolver: {
      clusterIdBySlug: (slug) => clusters.idBySlug(slug),
      clustersOfOrganisation: (id) => memberships.clustersOfOrganisation(id),
      organisationExists: (id) => organisations.exists(id),
      holdsBoardSeat: (personId, clusterId) => governance.holdsSeatFrom(personId, clusterId),
    },
  });
  // After the response cache (it keeps uncompressed bodies and serves its own compressed forms,
  // brotli first: each is compressed once per entry). Answers made for one request are compressed
  // in one call on this thread up to 64 KiB (pages, search results); the plugin's default on two
  // cores (8 KiB) sent them through a compression stream on the thread pool, which added ~0.7 ms to
  // each. They prefer gzip at level 3: for a 28 KB search answer ~70 µs and 5.5 KB, against brotli
  // at the plugin's quality 4 ~200 µs and 5.3 KB (decision 007). Larger bodies and streams
  // (exports) still take the stream.
  await app.register(fastifyCompress, { global: true, threshold: 1024, syncThreshold: 64 * 1024, encodings: ['gzip', 'br'], zlibOptions: { level: 3 } });

  // 3. Features.
  await app.register(healthRoutes, { database, storage: governance.documents.storage });
  await app.register(siteRoutes, { clusters, contactEmail: config.contactEmail });
  await app.register(clusterRoutes, { clusters });
  await app.register(accountRoutes, {
    accounts,
    secureCookies,
    oidcLabel: config.oidc?.label,
    onEmailVerified: (personId) => memberships.onApplicantVerified(personId),
  });
  await app.register(oidcRoutes, { config, accounts, db, onEmailVerified: (personId) => memberships.onApplicantVerified(personId) });
  await app.register(organisationRoutes, {
    organisations,
    clusters,
    accounts,
    profileSections: async (orgId, principal, lang, canEdit) =>
      withSections(OrganisationCompetenceSections({ lang, orgId, ...(await organisationProfileSections(competences, orgId, principal, lang, canEdit)) }), await tradeSection(offers, orgId, principal, lang)),
  });
  await app.register(competenceRoutes, { competences, clusters, organisations, baseUrl: config.baseUrl });
  await app.register(searchRoutes, { search, clusters, baseUrl: config.baseUrl });
  await app.register(membershipRoutes, { memberships, clusters, accounts });
  await app.register(governanceRoutes, { governance, clusters, memberships, baseUrl: config.baseUrl });
  await app.register(importRoutes, { db, dbMode: database.mode, clusters, memberships, dataDir: config.dataDir });
  await app.register(auditRoutes, { db, clusters, mailer, dataDir: config.dataDir });
  await app.register(offerRoutes, { offers, organisations, accounts });
  await app.register(matchingRoutes, { matching, offers, accounts });
  await app.register(collaborationRoutes, { collaborations, offers, organisations, clusters });
  await app.register(apiDocsRoutes);
}

export const clusterhub = fp(clusterhubPlugin, { name: 'clusterhub', fastify: '5.x' });

export interface BuildOptions {
  config: Config;
  /** An open database; when omitted one is opened from the configuration and closed with the app. */
  database?: Database;
  /** A database already being opened for this app (server.ts starts it early); closed with the app. */
  opening?: Promise<Database>;
  /** A mailer; when omitted one is made from the configuration (SMTP_URL or the outbox). */
  mailer?: Mailer;
  logger?: FastifyServerOptions['logger'];
  /** The in-process response cache; by default it stores outside NODE_ENV=test only. */
  responseCache?: ResponseCacheOptions;
}

/**
 * Open the database, bring the schema up to date (embedded mode) or check it is (PostgreSQL),
 * seed the registry, and build the application. Used by the server, the CLI and the tests.
 */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options;
  const owned = !options.database;
  const database =
    options.database ?? (await (options.opening ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })));
  // Applied before the logger exists: logged once the application is built.
  let lateMigrations: string[] = [];
  try {
    if (database.mode === 'pglite') {
      await migrateToLatest(database.db, { onOutOfOrder: (names) => (lateMigrations = names) });
    } else {
      const pending = await pendingMigrations(database.db);
      if (pending.length > 0) {
        throw new Error(
          `The PostgreSQL database is not up to date (${pending.length} pending migration(s): ${pending.join(', ')}). Run \`npx clusterhub migrate\` first.`,
        );
      }
    }
    // Indexes a bulk load dropped and was killed before building again (src/db/deferred-indexes.ts).
    await restoreDeferredIndexes(database.db);
    await seedAll(database.db);
  } catch (error) {
    if (owned) await database.close();
    throw error;
  }

  // Set once the plugins are registered: the server asks it first for every request (frontServer).
  let front: ResponseCache | undefined;
  const app = Fastify({
    serverFactory: (handler, settings) => frontServer(handler, settings, () => front),
    logger: options.logger ?? { level: config.logLevel },
    genReqId: genRequestId,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    // Each route's schemas are compiled on its first request, not at start-up.
    schemaController: { compilersFactory: lazySchemaCompilers() },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const mailer =
    options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, dataDir: config.dataDir, logger: app.log });
  if (lateMigrations.length > 0) app.log.warn({ migrations: lateMigrations }, 'applied migrations older than ones this database already had (a branch landed late)');
  await app.register(clusterhub, { config, database, mailer, responseCache: options.responseCache });
  front = app.responseCache;
  app.addHook('onClose', async () => {
    if (!options.mailer) await mailer.close();
    if (owned) await database.close();
  });
  return app;
}

/**
 * The competence taxonomies (IT/EN labels and synonyms of every cluster's areas) as concepts for
 * the matcher, read through the search feature when it is there.
 */
function taxonomyConceptSource(app: FastifyInstance): import('./features/matching/concepts.js').ConceptSource | undefined {
  return {
    async concepts() {
      const search = (app.services as unknown as { search?: { currentTaxonomy(): Promise<{ byKey: Map<string, { key: string; labelIt: string; labelEn: string | null; synonymsIt: string[]; synonymsEn: string[]; retired: boolean }> }> } }).search;
      if (!search) return [];
      const taxonomy = await search.currentTaxonomy();
      return taxonomyAreas(taxonomy.byKey.values());
    },
  };
}

/** The competence areas in force as the matcher's taxonomy concepts (`tax:<cluster>:<code>`). */
function taxonomyAreas(areas: Iterable<{ key: string; labelIt: string; labelEn: string | null; synonymsIt: string[]; synonymsEn: string[]; retired: boolean }>) {
  return [...areas]
    .filter((a) => !a.retired)
    .map((a) => ({ code: a.key, labelIt: a.labelIt, labelEn: a.labelEn ?? a.labelIt, synonymsIt: a.synonymsIt, synonymsEn: a.synonymsEn }));
}

/**
 * The voting-window job: settle every motion whose online vote has ended. A motion that cannot be
 * settled is logged and fails the run (the scheduler keeps the error and tries again at the next
 * tick); the others are settled all the same.
 */
export async function closeVotingWindows(governance: GovernanceService, log: JobLogger, now: Date): Promise<void> {
  const { decided, lapsed, failed } = await governance.closeEndedVotes(now);
  if (decided.length > 0 || lapsed.length > 0) log.info({ decided, lapsed }, 'voting windows closed');
  for (const f of failed) log.error({ err: f.error, motionId: f.motionId }, 'voting window not closed');
  if (failed.length > 0) throw new Error(`${failed.length} ended vote(s) could not be settled: ${failed.map((f) => f.motionId).join(', ')}`);
}

/** Profile sections of several features, one after the other. */
function withSections(...sections: (import('preact').VNode | null)[]): import('preact').VNode {
  return h(Fragment, null, ...sections);
}

/** The organisation's offers and needs the reader may see; links for its own people. */
async function tradeSection(offers: OfferService, orgId: string, principal: import('./platform/auth/principal.js').Principal | null, lang: 'it' | 'en') {
  const viewer = await offers.viewerOf(principal);
  const member = viewer.organisationIds.includes(orgId) || viewer.region;
  const items = [];
  for (const kind of ['offer', 'need'] as const) {
    const { items: rows } = await offers.list(kind, viewer, { organisationId: orgId, pageSize: 20, includeInactive: member });
    for (const r of rows) items.push({ kind, id: r.id, title: itemTitle(r, lang), active: isActive(r) });
  }
  return OrganisationTradeSection({ lang, orgId, items, member });
}

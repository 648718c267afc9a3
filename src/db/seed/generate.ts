/**
 * Deterministic synthetic data for benchmarks and demos (`clusterhub generate --scale S --seed N`).
 *
 * Everything derives from one seeded PRNG — ids, names, P.IVA, places, dates — so the same scale and
 * seed give the same rows on PGlite and PostgreSQL (checked by `dataChecksum`). Rows are written
 * with multi-row INSERTs in chunks (one round trip per chunk, inside one transaction), which keeps
 * the region scale in seconds on PGlite; on PostgreSQL the same chunks keep europe in minutes.
 * The tables of features still being built (competences, offers, needs) are filled only when
 * their migration exists; that part is in `generateFeatureRows` below, kept apart to adapt easily.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  LOMBARDY_PROVINCES,
  computeSizeClass,
  findComune,
  partitaIvaCheckDigit,
  type Comune,
} from '../../platform/identifiers/index.js';
import type { DB } from '../schema.js';
import { SEED_ORGANISATIONS } from './registry-data.js';
import {
  ACTIVITY_EN,
  ACTIVITY_IT,
  ATECO_CODES,
  CLUSTER_TOPICS,
  COMPANY_FORMS,
  FIRST_NAMES,
  LAST_NAMES,
  NAME_CORES,
  NAME_PREFIXES,
  NEED_EN,
  NEED_IT,
  type Topic,
} from './generate-words.js';

export const SCALES = {
  cluster: { organisations: 150, people: 450, competences: 450, offers: 75, needs: 75 },
  region: { organisations: 5_000, people: 20_000, competences: 20_000, offers: 5_000, needs: 5_000 },
  europe: { organisations: 200_000, people: 50_000, competences: 200_000, offers: 200_000, needs: 20_000 },
} as const;
export type Scale = keyof typeof SCALES;
export const SCALE_NAMES = Object.keys(SCALES) as Scale[];

export interface GenerateOptions {
  scale: Scale;
  seed: number;
  /** Progress lines (table, rows, seconds); silent when absent. */
  log?: (line: string) => void;
}

export interface GenerateReport {
  scale: Scale;
  seed: number;
  counts: Record<string, number>;
  /** Tables of features not (yet) in the schema, skipped. */
  skipped: string[];
  ms: number;
}

/** The database holds data beyond the seeded registry: generation would mix synthetic and real data. */
export class GenerateRefusedError extends Error {
  constructor(reason: string) {
    super(`Refusing to generate synthetic data: ${reason}. Use an empty database (only the seeded cluster registry).`);
    this.name = 'GenerateRefusedError';
  }
}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (~30 columns). */
const CHUNK = 1000;
/** A fixed clock, so timestamps are part of the deterministic data. */
const EPOCH = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

// ------------------------------------------------------------------ deterministic randomness

/** mulberry32: tiny, fast, good enough for synthetic data; same seed → same sequence everywhere. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }
  /** A version-4-shaped UUID from the sequence (not random: reproducible). */
  uuid(): string {
    const hex = (n: number) => Math.floor(this.next() * 16 ** n).toString(16).padStart(n, '0');
    const variant = (8 + Math.floor(this.next() * 4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
}

// ------------------------------------------------------------------ reference data

/** Members by province, roughly as businesses are spread in Lombardy; 5% from the rest of Italy. */
const PROVINCE_WEIGHTS: [string, number][] = [
  ['MI', 34], ['BS', 12], ['BG', 11], ['VA', 8], ['MB', 8], ['CO', 5], ['PV', 4], ['CR', 3], ['MN', 3], ['LC', 3], ['LO', 2], ['SO', 2],
];
const OUTSIDE_PROVINCES = ['001', '058', '037', '048', '027', '063', '028', '023']; // TO, RM, BO, FI, VE, NA, PD, VR (ISTAT)

const TYPE_WEIGHTS: [string, number][] = [
  ['company', 72], ['spin_off', 8], ['research_centre', 5], ['association', 5], ['university', 2], ['public_body', 2],
  ['its_academy', 1.5], ['school', 1.5], ['chamber_of_commerce', 0.5], ['other', 2.5],
];

/** Municipalities of a province by its three-digit ISTAT code (codes are dense from 001). */
function comuniOf(provinceIstat: string): Comune[] {
  const out: Comune[] = [];
  for (let n = 1; n <= 260; n++) {
    const c = findComune(`${provinceIstat}${String(n).padStart(3, '0')}`);
    if (c) out.push(c);
  }
  return out;
}

let placesCache: { lombardy: Map<string, Comune[]>; outside: Comune[] } | null = null;
function places() {
  if (!placesCache) {
    const lombardy = new Map(LOMBARDY_PROVINCES.map((p) => [p.sigla, comuniOf(p.istatCode)]));
    placesCache = { lombardy, outside: OUTSIDE_PROVINCES.flatMap(comuniOf) };
  }
  return placesCache;
}

// ------------------------------------------------------------------ guards and helpers

const SEED_REFS = SEED_ORGANISATIONS.map((o) => o.ref);

/** Refuse a database that holds anything beyond the seeded registry and founding members. */
export async function assertGeneratable(db: Kysely<DB>): Promise<void> {
  const orgs = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('external_ref', 'is', null), eb('external_ref', 'not in', SEED_REFS)]))
    .executeTakeFirstOrThrow();
  if (Number(orgs.n) > 0) throw new GenerateRefusedError(`it already holds ${orgs.n} organisation(s) besides the seeded registry`);
  const people = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(people.n) > 0) throw new GenerateRefusedError(`it already holds ${people.n} account(s)`);
}

export async function existingTables(db: Kysely<any> | Transaction<any>): Promise<Set<string>> {
  const result = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db);
  return new Set(result.rows.map((r) => r.table_name));
}

async function insertChunks(trx: Transaction<any>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK)).execute();
  }
}

function at(rng: Rng, fromDays: number, toDays: number): Date {
  return new Date(EPOCH - rng.int(fromDays, toDays) * DAY - rng.int(0, 86_399) * 1000);
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function sentenceCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ------------------------------------------------------------------ the generator

interface GeneratedOrg {
  id: string;
  name: string;
  clusterSlug: string;
  type: string;
  topics: Topic[];
}

export async function generate(db: Kysely<DB>, options: GenerateOptions): Promise<GenerateReport> {
  const spec = SCALES[options.scale];
  const log = options.log ?? (() => {});
  const started = performance.now();
  await assertGeneratable(db);
  const rng = new Rng(options.seed);
  const counts: Record<string, number> = {};
  const skipped: string[] = [];
  const step = async (table: string, rows: Record<string, unknown>[], trx: Transaction<any>) => {
    const t = performance.now();
    await insertChunks(trx, table, rows);
    counts[table] = (counts[table] ?? 0) + rows.length;
    log(`${table.padEnd(26)} ${String(rows.length).padStart(8)} rows  ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };

  await (db as Kysely<any>).transaction().execute(async (trx) => {
    const clusters: { id: string; slug: string }[] = await trx.selectFrom('clusters').select(['id', 'slug']).orderBy('number').execute();
    if (clusters.length === 0) throw new GenerateRefusedError('the cluster registry is not seeded (run `clusterhub migrate` first)');
    // One ordinary member class per cluster (kept if a manager already made it).
    await trx
      .insertInto('member_classes')
      .values(clusters.map((c) => ({ cluster_id: c.id, code: 'ordinario', name_it: 'Socio ordinario', name_en: 'Ordinary member', voting: true, annual_fee_cents: 50_000, position: 1 })))
      .onConflict((oc: any) => oc.columns(['cluster_id', 'code']).doNothing())
      .execute();
    const classes = await trx.selectFrom('member_classes').select(['id', 'cluster_id']).where('code', '=', 'ordinario').execute();
    const classOf = new Map(classes.map((c: { id: string; cluster_id: string }) => [c.cluster_id, c.id]));
    // Clusters have very different sizes; cosmetics (the newest) is smaller.
    const clusterWeights = clusters.map((c, i) => [c, c.slug === 'cosmetica' ? 6 : 10 + ((i * 7) % 9)] as const);

    // ---- organisations and memberships
    const { lombardy, outside } = places();
    const orgs: GeneratedOrg[] = [];
    const orgRows: Record<string, unknown>[] = [];
    const membershipRows: Record<string, unknown>[] = [];
    for (let i = 0; i < spec.organisations; i++) {
      const id = rng.uuid();
      const type = rng.weighted(TYPE_WEIGHTS);
      const comune = rng.chance(0.05) ? rng.pick(outside) : rng.pick(lombardy.get(rng.weighted(PROVINCE_WEIGHTS))!);
      const cluster = rng.weighted(clusterWeights);
      const topics = CLUSTER_TOPICS[cluster.slug] ?? CLUSTER_TOPICS.cosmetica!;
      const core = `${rng.pick(NAME_PREFIXES)} ${rng.pick(NAME_CORES)}`;
      const name =
        type === 'university' ? `Università ${rng.pick(NAME_CORES)} di ${comune.name} ${i}`
        : type === 'research_centre' ? `Centro Ricerche ${core} ${i}`
        : type === 'association' ? `Associazione ${core} ${i}`
        : type === 'public_body' ? `Comune di ${comune.name} ${i}`
        : type === 'its_academy' ? `ITS Academy ${core} ${i}`
        : type === 'school' ? `Istituto Tecnico ${rng.pick(NAME_CORES)} ${i}`
        : type === 'chamber_of_commerce' ? `Camera di Commercio di ${comune.provinceName} ${i}`
        : `${core} ${i} ${rng.pick(COMPANY_FORMS)}`;
      // Head-counts: many micro and small firms, a long tail of large ones.
      const employees = Math.max(1, Math.round(Math.exp(rng.next() * rng.next() * 8.5)));
      const perHead = rng.int(60_000, 260_000) * 100;
      const turnover = employees * perHead;
      const balance = Math.round(turnover * (0.4 + rng.next()));
      const size = computeSizeClass({ employees, turnoverCents: turnover, balanceSheetCents: balance }).sizeClass;
      // P.IVA: seven-digit serial, three-digit provincial office (the province's ISTAT code), check digit.
      const first10 = `${String(1_000_000 + options.seed * 7919 + i).slice(-7)}${comune.istatCode.slice(0, 3)}`;
      const mine = [rng.pick(topics), rng.pick(topics)];
      const descIt = `${rng.pick(ACTIVITY_IT)} ${mine[0]!.it}; inoltre ${mine[1]!.it}. Sede a ${comune.name} (${comune.provinceCode}).`;
      const descEn = `${rng.pick(ACTIVITY_EN)} ${mine[0]!.en}; also ${mine[1]!.en}. Based in ${comune.name}, Italy.`;
      const created = at(rng, 30, 900);
      orgRows.push({
        id,
        external_ref: `gen:${options.seed}:${i}`,
        legal_name: name,
        short_name: core,
        type,
        website: `https://www.${slugify(core)}-${i}.example.it`,
        city: comune.name,
        province_code: comune.provinceCode,
        country_code: 'IT',
        comune_istat: comune.istatCode,
        address: `Via ${rng.pick(NAME_CORES)} ${rng.int(1, 200)}`,
        postcode: `2${String(rng.int(0, 9999)).padStart(4, '0')}`,
        vat_number: type === 'university' || type === 'public_body' ? null : `${first10}${partitaIvaCheckDigit(first10)}`,
        ateco_codes: [rng.pick(ATECO_CODES)],
        employees,
        turnover_cents: turnover,
        balance_sheet_cents: balance,
        size_class_computed: size,
        pec: `${slugify(core)}-${i}@pec.example.it`,
        email: `info@${slugify(core)}-${i}.example.it`,
        description_it: descIt,
        description_en: rng.chance(0.7) ? descEn : null,
        created_at: created,
        updated_at: created,
      });
      orgs.push({ id, name, clusterSlug: cluster.slug, type, topics });
      const status = rng.weighted([['admitted', 92], ['applied', 4], ['suspended', 2], ['ended', 2]] as const);
      const applied = new Date(created.getTime() + DAY);
      const inClusters = [cluster, ...(rng.chance(0.2) ? [rng.weighted(clusterWeights)] : [])].filter((c, k, all) => all.findIndex((x) => x.id === c.id) === k);
      for (const [k, c] of inClusters.entries()) {
        const s = k === 0 ? status : 'admitted';
        membershipRows.push({
          id: rng.uuid(),
          cluster_id: c.id,
          organisation_id: id,
          member_class_id: classOf.get(c.id) ?? null,
          status: s,
          applied_at: applied,
          application_verified_at: applied,
          admitted_at: s === 'applied' ? null : new Date(applied.getTime() + 20 * DAY),
          closed_at: s === 'ended' ? new Date(applied.getTime() + 200 * DAY) : null,
          created_at: applied,
          updated_at: applied,
        });
      }
    }
    await step('organisations', orgRows, trx);
    await step('memberships', membershipRows, trx);

    // ---- people: an administrator per organisation, then members
    const peopleRows: Record<string, unknown>[] = [];
    const grantRows: Record<string, unknown>[] = [];
    for (let i = 0; i < spec.people; i++) {
      const org = i < orgs.length ? orgs[i]! : orgs[rng.int(0, orgs.length - 1)]!;
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const id = rng.uuid();
      const created = at(rng, 10, 600);
      peopleRows.push({
        id,
        email: `${slugify(first)}.${slugify(last)}.${i}@example.org`,
        email_verified_at: created,
        password_hash: null,
        display_name: `${first} ${last}`,
        preferred_lang: rng.chance(0.85) ? 'it' : 'en',
        created_at: created,
        updated_at: created,
      });
      grantRows.push({ id: rng.uuid(), person_id: id, role: i < orgs.length ? 'org_admin' : 'org_member', organisation_id: org.id, created_at: created });
    }
    await step('people', peopleRows, trx);
    await step('role_grants', grantRows, trx);

    await generateFeatureRows(trx, rng, spec, orgs, options.seed, step, skipped);
  });
  // Fresh planner statistics: without them the first plans over the new rows are guesses
  // (the directory's semi-join took 60 ms instead of 14 ms at region scale before ANALYZE). And a
  // visibility map: the directory reads its covering indexes without the rows only on pages marked
  // all-visible (at the Europe scale 31 ms instead of 140), which autovacuum would do later, and
  // the embedded database never.
  await sql`VACUUM (ANALYZE)`.execute(db);
  const ms = performance.now() - started;
  log(`generated ${options.scale} (seed ${options.seed}) in ${(ms / 1000).toFixed(1)} s`);
  return { scale: options.scale, seed: options.seed, counts, skipped, ms };
}

// ------------------------------------------------------------------ tables of features in progress

/**
 * Competences, offers and needs: written only when their tables exist, with only the columns the
 * generator knows, so that a change in those migrations touches this function alone.
 */
async function generateFeatureRows(
  trx: Transaction<any>,
  rng: Rng,
  spec: (typeof SCALES)[Scale],
  orgs: GeneratedOrg[],
  seed: number,
  step: (table: string, rows: Record<string, unknown>[], trx: Transaction<any>) => Promise<void>,
  skipped: string[],
): Promise<void> {
  const tables = await existingTables(trx);
  const areas: { id: string; code: string; slug: string }[] = tables.has('competence_areas')
    ? await trx
        .selectFrom('competence_areas as a')
        .innerJoin('clusters as c', 'c.id', 'a.cluster_id')
        .select(['a.id', 'a.code', 'c.slug'])
        .where('a.parent_id', 'is not', null)
        .where('a.retired_at', 'is', null)
        .orderBy('a.code')
        .execute()
    : [];
  const areasBySlug = new Map<string, typeof areas>();
  for (const a of areas) areasBySlug.set(a.slug, [...(areasBySlug.get(a.slug) ?? []), a]);
  const pickOrg = (k: number) => orgs[k % orgs.length]!;

  if (tables.has('organisation_competences')) {
    const rows: Record<string, unknown>[] = [];
    const used = new Set<string>();
    for (let i = 0; i < spec.competences; i++) {
      const org = i < orgs.length ? orgs[i]! : orgs[rng.int(0, orgs.length - 1)]!;
      const topic = rng.pick(org.topics);
      const own = areasBySlug.get(org.clusterSlug) ?? [];
      let area: string | null = null;
      if (own.length > 0) {
        const a = rng.pick(own);
        if (!used.has(`${org.id}:${a.id}`)) {
          used.add(`${org.id}:${a.id}`);
          area = a.id;
        }
      }
      const created = at(rng, 5, 400);
      rows.push({
        id: rng.uuid(),
        organisation_id: org.id,
        area_id: area,
        level: rng.weighted([['core', 40], ['experienced', 40], ['emerging', 20]] as const),
        description_it: sentenceCase(topic.it),
        description_en: rng.chance(0.6) ? sentenceCase(topic.en) : null,
        created_at: created,
        updated_at: created,
      });
    }
    await step('organisation_competences', rows, trx);
  } else skipped.push('organisation_competences');

  const codesFor = (org: GeneratedOrg) => {
    const own = areasBySlug.get(org.clusterSlug) ?? [];
    return own.length > 0 ? [`${org.clusterSlug}:${rng.pick(own).code}`] : [];
  };
  if (tables.has('technology_offers')) {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < spec.offers; i++) {
      const org = pickOrg(rng.int(0, orgs.length - 1));
      const topic = rng.pick(org.topics);
      const ip = rng.weighted([['patent', 25], ['know_how', 55], ['open', 20]] as const);
      const published = at(rng, 1, 300);
      rows.push({
        id: rng.uuid(),
        organisation_id: org.id,
        external_ref: `gen:${seed}:offer:${i}`,
        status: 'published',
        title_it: sentenceCase(topic.it),
        title_en: sentenceCase(topic.en),
        summary_it: `${rng.pick(ACTIVITY_IT)} ${topic.it}.`,
        summary_en: `${rng.pick(ACTIVITY_EN)} ${topic.en}.`,
        description_it: `${rng.pick(ACTIVITY_IT)} ${topic.it} per imprese del territorio; ${rng.pick(org.topics).it}.`,
        description_en: rng.chance(0.8) ? `${rng.pick(ACTIVITY_EN)} ${topic.en} for regional companies; ${rng.pick(org.topics).en}.` : null,
        taxonomy_codes: codesFor(org),
        trl: rng.int(2, 9),
        ip_status: ip,
        patent_number: ip === 'patent' ? `EP${rng.int(3_000_000, 4_200_000)}` : null,
        collaboration_types: [rng.pick(['licence', 'contract_research', 'joint_project', 'supply', 'investment', 'testing_service'])],
        visibility: rng.weighted([['public', 85], ['members', 15]] as const),
        published_at: published,
        created_at: published,
        updated_at: published,
      });
    }
    await step('technology_offers', rows, trx);
  } else skipped.push('technology_offers');

  if (tables.has('technology_needs')) {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < spec.needs; i++) {
      const org = pickOrg(rng.int(0, orgs.length - 1));
      const topic = rng.pick(org.topics);
      const trlMin = rng.int(3, 7);
      const published = at(rng, 1, 200);
      rows.push({
        id: rng.uuid(),
        organisation_id: org.id,
        external_ref: `gen:${seed}:need:${i}`,
        status: 'published',
        title_it: `${rng.pick(NEED_IT)} ${topic.it}`,
        title_en: rng.chance(0.5) ? `${rng.pick(NEED_EN)} ${topic.en}` : null,
        description_it: `${rng.pick(NEED_IT)} ${topic.it}: ${rng.pick(org.topics).it}.`,
        description_en: null,
        taxonomy_codes: codesFor(org),
        trl_min: trlMin,
        trl_max: Math.min(9, trlMin + rng.int(0, 3)),
        budget_min_cents: rng.int(1, 20) * 1_000_000,
        budget_max_cents: rng.int(21, 100) * 1_000_000,
        partner_types: [rng.pick(['university', 'research_centre', 'company', 'spin_off'])],
        visibility: 'public',
        published_at: published,
        created_at: published,
        updated_at: published,
      });
    }
    await step('technology_needs', rows, trx);
  } else skipped.push('technology_needs');
}

// ------------------------------------------------------------------ checksum

/**
 * md5 over the generated rows in a fixed order (content columns only, no server-side clocks):
 * the same scale and seed give the same checksum on any database.
 */
export async function dataChecksum(db: Kysely<any>): Promise<string> {
  const tables = await existingTables(db);
  const parts: string[] = [];
  const digest = async (query: string) => {
    const r = await sql<{ h: string | null }>`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM (${sql.raw(query)}) t`.execute(db);
    parts.push(r.rows[0]?.h ?? '-');
  };
  await digest(`SELECT id, external_ref, legal_name, short_name, type, city, province_code, comune_istat, vat_number, ateco_codes, employees, turnover_cents, size_class_computed, description_it, description_en, created_at FROM organisations WHERE external_ref LIKE 'gen:%'`);
  await digest(`SELECT m.id, m.organisation_id, c.slug, m.status, m.applied_at FROM memberships m JOIN clusters c ON c.id = m.cluster_id JOIN organisations o ON o.id = m.organisation_id WHERE o.external_ref LIKE 'gen:%'`);
  await digest(`SELECT id, email, display_name, preferred_lang, created_at FROM people`);
  await digest(`SELECT person_id, role, organisation_id FROM role_grants`);
  if (tables.has('organisation_competences')) await digest(`SELECT id, organisation_id, level, description_it, description_en FROM organisation_competences`);
  if (tables.has('technology_offers')) await digest(`SELECT id, organisation_id, title_it, title_en, trl, ip_status, taxonomy_codes FROM technology_offers WHERE external_ref LIKE 'gen:%'`);
  if (tables.has('technology_needs')) await digest(`SELECT id, organisation_id, title_it, trl_min, trl_max FROM technology_needs WHERE external_ref LIKE 'gen:%'`);
  const all = await sql<{ h: string }>`SELECT md5(${parts.join(':')}) AS h`.execute(db);
  return all.rows[0]!.h;
}

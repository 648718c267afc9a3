import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, SearchKind } from '../../db/schema.js';
import { isRegionAdmin, managedClusterIds, organisationIds, type Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/i18n.js';
import { LOMBARDY_PROVINCES } from '../../platform/identifiers/index.js';
import { documentWords, facilityDocument, organisationDocument, personDocument, type DocumentPayload, type DocumentRow, type SourceOrganisation } from './indexer.js';
import { jsonWeight, LruCache } from './lru.js';
import { buildQuery, carriesMeaning, type BuiltQuery, type TokenAnalysis } from './query.js';
import { FACET_NAMES, SearchRepository, type FacetName, type SearchFilters, type VisibilityScope } from './repository.js';
import type { HighlightField } from './schemas.js';
import { TaxonomySnapshot } from './taxonomy.js';
import { correctable, highlight, matchesAny, normalise, queryTokens, type Highlight } from './text.js';

/** Anonymous results kept in memory, at most (about 200–500 results). */
const RESULT_CACHE_BYTES = 16 * 1024 * 1024;

type Conn = Kysely<DB> | Transaction<DB>;

export interface SearchInput {
  q?: string | undefined;
  lang: Lang;
  cluster?: string | undefined;
  type?: string | undefined;
  province?: string | undefined;
  competence?: string | undefined;
  size?: string | undefined;
  kind?: SearchKind | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  score: number;
  payload: DocumentPayload;
  highlights: { field: HighlightField; text: string; ranges: [number, number][] }[];
  /** Competences (labels in the reader's language) that the query matched or named. */
  matchedCompetences: string[];
}

export interface SearchResult {
  q: string;
  total: number;
  items: SearchHit[];
  facets: Record<FacetName, FacetValue[]>;
  /**
   * More documents matched than a search reads (COUNT_CAP): the facet counts are counted over
   * those read, so each is a lower bound ("at least"). False: all exact.
   */
  approximate: boolean;
  /** `total` is a lower bound too (with filters it can be exact while the facets are not). */
  totalApproximate: boolean;
  nextCursor: string | null;
  /** No document had all the words: these results have any of them. */
  relaxed: boolean;
  corrections: { from: string; to: string }[];
  /** Taxonomy areas the words named (their synonyms in both languages were searched too). */
  expandedAreas: { key: string; label: string }[];
  ignored: string[];
  /** For an empty result: what to try instead. */
  suggestions: { kind: 'correction' | 'remove_filters' | 'area'; label: string; query: Record<string, string> }[];
  cached: boolean;
}

export type IndexListener = (conn: Transaction<DB>, docs: DocumentRow[], owners: { organisationIds: string[]; personIds: string[] }, taxonomy: TaxonomySnapshot) => Promise<void>;

export interface SearchOptions {
  /** How often (ms) an instance looks for changes made by other instances or other features. */
  syncIntervalMs?: number;
  cacheSize?: number;
  /** Documents read at most to count a search (COUNT_CAP); beyond it counts are lower bounds. */
  countCap?: number;
  /** The same for a search with words on a large table (LARGE_COUNT_CAP). */
  largeCountCap?: number;
}

const MAX_PAGE = 50;
const QUEUE_BATCH = 200;
const LOMBARDY = LOMBARDY_PROVINCES.map((p) => p.sigla);

interface CursorData {
  h: string;
  s?: number;
  k?: string;
  i: string;
}

function invalidCursor(lang: Lang): AppError {
  return new AppError('request.invalid', {}, [
    { in: 'query', field: 'cursor', message: lang === 'it' ? 'non è un cursore valido per questa ricerca' : 'is not a valid cursor for this search' },
  ]);
}

/**
 * The one search over organisations, facilities and people of the whole network, and the
 * maintenance of its pre-computed documents. See docs/decisions/005-search.md for the design.
 */
export class SearchService {
  readonly repo: SearchRepository;
  private taxonomy: TaxonomySnapshot | null = null;
  private taxonomyVersion = -1;
  private version = -1;
  private lastSync = 0;
  private syncing: Promise<void> | null = null;
  private readonly results: LruCache<string, SearchResult>;
  private readonly tokens = new LruCache<string, TokenAnalysis>(5000);
  private readonly syncIntervalMs: number;

  constructor(
    private readonly db: Kysely<DB>,
    options: SearchOptions = {},
  ) {
    this.repo = new SearchRepository(db, { countCap: options.countCap, largeCountCap: options.largeCountCap });
    this.syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.results = new LruCache<string, SearchResult>(options.cacheSize ?? 500, { max: RESULT_CACHE_BYTES, sizeOf: jsonWeight });
  }

  // ------------------------------------------------------------------ freshness

  /**
   * Bring this instance up to date: re-index what other features queued, drop cached results
   * when the documents changed (here or in another instance). At most once per interval unless forced.
   */
  async sync(force = false): Promise<void> {
    if (!force && Date.now() - this.lastSync < this.syncIntervalMs) return;
    if (this.syncing) return this.syncing;
    this.syncing = (async () => {
      try {
        let state = await this.repo.state();
        if (state.taxonomyVersion !== this.taxonomyVersion) await this.loadTaxonomy(state.taxonomyVersion);
        // Forced (tests, after a write here): everything queued. Otherwise one batch inline and
        // the rest in the background, so a bulk load never stalls a search for long.
        while (state.pending) {
          const drained = await this.drain();
          state = await this.repo.state();
          if (drained === 0) break;
          if (!force && state.pending) {
            this.drainInBackground();
            break;
          }
        }
        if (state.version !== this.version) {
          this.results.clear();
          // New documents bring new words to the dictionary: a word unknown before may be known now.
          this.tokens.clear();
          this.version = state.version;
        }
        this.lastSync = Date.now();
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private backgroundDrain: Promise<void> | null = null;

  private drainInBackground(): void {
    if (this.backgroundDrain) return;
    this.backgroundDrain = (async () => {
      try {
        while ((await this.drain()) > 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch {
        // Left in the queue: the next sync takes it up again.
      } finally {
        this.backgroundDrain = null;
        this.lastSync = 0;
      }
    })();
  }

  /** Wait for a background re-index to finish (tests, shutdown). */
  async idle(): Promise<void> {
    await this.backgroundDrain;
  }

  /** Re-index the queued organisations and people, one batch; returns how many were taken. */
  async drain(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const queued = await this.repo.takeQueued(trx, QUEUE_BATCH);
      if (queued.length === 0) return 0;
      const orgIds = queued.filter((q) => q.kind === 'organisation').map((q) => q.entity_id);
      const personIds = queued.filter((q) => q.kind === 'person').map((q) => q.entity_id);
      await this.reindex(trx, { organisationIds: orgIds, personIds });
      await this.repo.bump(trx);
      return queued.length;
    });
  }

  private async loadTaxonomy(version: number): Promise<TaxonomySnapshot> {
    const snapshot = new TaxonomySnapshot(await this.repo.loadTaxonomy());
    await snapshot.prepare((words) => this.repo.stemWords(words));
    this.taxonomy = snapshot;
    this.taxonomyVersion = version;
    this.results.clear();
    return snapshot;
  }

  /** The taxonomy as of the last sync (loaded on first use). */
  async currentTaxonomy(): Promise<TaxonomySnapshot> {
    if (!this.taxonomy) await this.sync(true);
    return this.taxonomy!;
  }

  /** After a write in this instance: the next search sees it at once. */
  private invalidate(): void {
    this.lastSync = 0;
  }

  // ------------------------------------------------------------------ indexing

  /**
   * Rebuild the documents of these organisations (with their facilities and experts) and people,
   * inside the caller's transaction. Call `changed(trx)` too, or use `afterWrite`.
   */
  async reindex(conn: Transaction<DB>, owners: { organisationIds?: string[]; personIds?: string[] }, taxonomy?: TaxonomySnapshot): Promise<void> {
    const tax = taxonomy ?? (await this.freshTaxonomy(conn));
    const orgIds = [...new Set(owners.organisationIds ?? [])];
    const orgs = await this.repo.organisations(conn, orgIds);
    const [competences, facilities, expertIds, offers] = await Promise.all([
      this.repo.competencesOf(conn, orgIds),
      this.repo.facilitiesOf(conn, orgIds),
      this.repo.expertsOfOrganisations(conn, orgIds),
      this.repo.offersOf(conn, orgIds),
    ]);
    const docs: DocumentRow[] = [];
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const [competencesOf, facilitiesOf, offersOf] = [byOrganisation(competences), byOrganisation(facilities), byOrganisation(offers)];
    for (const org of orgs) {
      const theirFacilities = facilitiesOf.get(org.id) ?? [];
      docs.push(organisationDocument(org, competencesOf.get(org.id) ?? [], theirFacilities, tax, offersOf.get(org.id) ?? []));
      for (const f of theirFacilities) docs.push(facilityDocument(f, org, tax));
    }
    const personIds = [...new Set([...(owners.personIds ?? []), ...expertIds])];
    const experts = await this.repo.expertise(conn, personIds);
    const missingOrgs = [...new Set(experts.map((e) => e.organisation_id).filter((id): id is string => !!id && !orgById.has(id)))];
    for (const o of await this.repo.organisations(conn, missingOrgs)) orgById.set(o.id, o);
    for (const e of experts) docs.push(personDocument(e, e.organisation_id ? (orgById.get(e.organisation_id) ?? null) : null, tax));
    const words = [...new Set(docs.flatMap(documentWords))];
    await this.repo.writeDocuments(conn, docs, { organisationIds: orgIds, personIds }, words);
    // Features that derive from these documents follow them in the same transaction (matchmaking's profiles).
    for (const listener of this.indexListeners) await listener(conn, docs, { organisationIds: orgIds, personIds }, tax);
  }

  /** The taxonomy as stored now (a write may just have changed it in this transaction). */
  private async freshTaxonomy(conn: Conn): Promise<TaxonomySnapshot> {
    const state = await conn.selectFrom('search_state').select('taxonomy_version').where('id', '=', 1).executeTakeFirst();
    const version = Number(state?.taxonomy_version ?? 0);
    if (this.taxonomy && version === this.taxonomyVersion) return this.taxonomy;
    // Inside a transaction that changed the taxonomy: read it through that transaction.
    const repo = new SearchRepository(conn as Kysely<DB>);
    const snapshot = new TaxonomySnapshot(await repo.loadTaxonomy());
    await snapshot.prepare((words) => repo.stemWords(words));
    return snapshot;
  }

  /** Record that documents changed (same transaction as the write). */
  async changed(conn: Conn, options: { taxonomy?: boolean } = {}): Promise<void> {
    await this.repo.bump(conn, options.taxonomy ?? false);
  }

  /** Queue organisations for re-indexing (many at once, e.g. after a taxonomy rename). */
  enqueue(conn: Conn, kind: 'organisation' | 'person', ids: string[]): Promise<void> {
    return this.repo.enqueue(conn, kind, ids);
  }

  /** After the transaction of a write committed: make this instance see it now. */
  async afterWrite(): Promise<void> {
    this.invalidate();
    await this.sync(true);
  }

  /** Rebuild every document (after a bulk load, or to recover). */
  async rebuildAll(): Promise<number> {
    const ids = await this.repo.allOrganisationIds();
    // Outside the transactions: the embedded database has a single connection.
    const taxonomy = await this.currentTaxonomy();
    // The facet counts are not kept batch by batch (each would re-count what the next changes
    // again) but counted once at the end.
    // Large batches: the derived match profiles written with each batch cost per statement as much
    // as per document (they update the document frequency of every feature they touch).
    for (let i = 0; i < ids.length; i += 2_500) {
      await this.db.transaction().execute(async (trx) => {
        await this.repo.deferFacetCounts(trx);
        await this.reindex(trx, { organisationIds: ids.slice(i, i + 2_500) }, taxonomy);
      });
    }
    const loners = await this.repo.allExpertIds();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.deferFacetCounts(trx);
      if (loners.length > 0) await this.reindex(trx, { personIds: loners });
      await this.repo.rebuildFacetCounts(trx);
      await this.repo.bump(trx);
    });
    // Fresh statistics for the planner (the embedded database has no autovacuum to take them).
    await this.repo.analyse();
    await this.afterWrite();
    return ids.length;
  }

  // ------------------------------------------------------------------ searching

  private readonly indexListeners: IndexListener[] = [];

  /** Be told, inside the transaction, each time documents are rewritten (their owners and the new documents). */
  onIndexed(listener: IndexListener): void {
    this.indexListeners.push(listener);
  }

  /** Of these documents, the ids the principal may see (the rules of the search itself). */
  async visibleIds(ids: string[], principal: Principal | null): Promise<Set<string>> {
    return this.repo.visibleIds(ids, this.scopeOf(principal));
  }

  private scopeOf(principal: Principal | null): VisibilityScope {
    if (!principal) return { kind: 'anonymous' };
    if (isRegionAdmin(principal)) return { kind: 'region_admin', personId: principal.personId };
    // The clusters where these organisations are admitted are found by the search query itself.
    return { kind: 'person', personId: principal.personId, orgIds: organisationIds(principal), managedClusterIds: managedClusterIds(principal) };
  }

  private async analyse(tokens: string[]): Promise<TokenAnalysis[]> {
    const missing = tokens.filter((t) => !this.tokens.get(t));
    if (missing.length > 0) for (const a of await this.repo.analyseTokens(missing)) this.tokens.set(a.token, a);
    return tokens.map((t) => this.tokens.get(t)!);
  }

  private filtersOf(input: SearchInput, taxonomy: TaxonomySnapshot): SearchFilters {
    const NIL = '00000000-0000-0000-0000-000000000000';
    return {
      // An unknown cluster is not an error: it simply has no members.
      clusterId: input.cluster ? (taxonomy.clustersBySlug.get(input.cluster)?.id ?? NIL) : undefined,
      type: input.type,
      province: input.province?.toUpperCase(),
      size: input.size,
      competence: input.competence,
      kind: input.kind,
    };
  }

  private cacheKey(input: SearchInput, q: string, limit: number): string {
    return JSON.stringify([input.lang, q, input.cluster, input.type, input.province?.toUpperCase(), input.competence, input.size, input.kind, limit, input.cursor ?? '']);
  }

  private hashOf(input: SearchInput, q: string): string {
    return createHash('sha256')
      .update(JSON.stringify([q, input.cluster, input.type, input.province?.toUpperCase(), input.competence, input.size, input.kind]))
      .digest('base64url')
      .slice(0, 10);
  }

  private decodeCursor(raw: string, hash: string, lang: Lang): CursorData {
    let data: CursorData;
    try {
      data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as CursorData;
    } catch {
      throw invalidCursor(lang);
    }
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const valid =
      data !== null &&
      typeof data === 'object' &&
      data.h === hash &&
      typeof data.i === 'string' &&
      uuid.test(data.i) &&
      ((typeof data.s === 'number' && Number.isFinite(data.s) && data.k === undefined) || (typeof data.k === 'string' && data.k.length <= 500 && data.s === undefined));
    if (!valid) throw invalidCursor(lang);
    return data;
  }

  async search(input: SearchInput, principal: Principal | null, options: { facets?: readonly FacetName[]; exact?: boolean } = {}): Promise<SearchResult> {
    await this.sync();
    const taxonomy = await this.currentTaxonomy();
    const q = (input.q ?? '').trim().replace(/\s+/g, ' ');
    const limit = Math.min(MAX_PAGE, Math.max(1, input.limit ?? 20));
    const facetNames = options.facets ?? FACET_NAMES;
    const key = principal ? null : this.cacheKey(input, q, limit) + (options.facets || options.exact ? JSON.stringify([options.facets, options.exact]) : '');
    if (key) {
      const hit = this.results.get(key);
      if (hit) return { ...hit, cached: true };
    }
    const hash = this.hashOf(input, q);
    const cursor = input.cursor ? this.decodeCursor(input.cursor, hash, input.lang) : null;
    const scope = this.scopeOf(principal);
    const filters = this.filtersOf(input, taxonomy);
    const tokens = queryTokens(q);
    const analysis = tokens.length > 0 ? await this.analyse(tokens) : [];
    const built: BuiltQuery | null = tokens.length > 0 ? buildQuery(analysis, taxonomy.expansion) : null;
    // The trigram path on names is for a name typed wrong or in part that the dictionary cannot
    // correct: short, with a word no document holds and no likely correction. Words the dictionary
    // knows, or corrects ("verdy" → verdi), are found by the text index, a name's words with the
    // highest weight. Taken for any short query, it read and compared up to COUNT_CAP names (half a
    // query's time at the Europe scale) and put names merely close to the words first: "Digital
    // Ticino" above every "digital twin".
    const trigram = q.length >= 4 && q.length <= 30 && tokens.length <= 3 && analysis.some(uncorrectable) ? normalise(q) : null;

    let relaxed = false;
    let rows;
    if (tokens.length === 0) {
      if (cursor && cursor.k === undefined) throw invalidCursor(input.lang);
      rows = await this.repo.search({
        tsquery: null, trigram: null, areaKeys: [], scope, filters,
        cursor: cursor ? { sortKey: cursor.k!, id: cursor.i } : null, limit, facets: facetNames, exact: options.exact,
      });
    } else if (!built?.strict) {
      rows = { total: 0, page: [], facets: Object.fromEntries(FACET_NAMES.map((n) => [n, []])) as unknown as Record<FacetName, [string, number][]>, approximate: false, totalApproximate: false };
    } else {
      if (cursor && cursor.s === undefined) throw invalidCursor(input.lang);
      const run = (tsquery: string) =>
        this.repo.search({
          tsquery, rankQuery: built!.rank, trigram, areaKeys: built!.areaKeys, scope, filters,
          cursor: cursor ? { score: cursor.s!, id: cursor.i } : null, limit, facets: facetNames, exact: options.exact,
        });
      rows = await run(built.strict);
      // Nothing has every word: show what has some of them, and say so. (The first page decides.)
      if (rows.total === 0 && built.relaxed && (!cursor || cursor.h === hash)) {
        const second = await run(built.relaxed);
        if (second.total > 0) {
          rows = second;
          relaxed = true;
        }
      }
    }

    const more = rows.page.length > limit;
    const page = rows.page.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      more && last
        ? Buffer.from(JSON.stringify(tokens.length === 0 ? { h: hash, k: last.sort_key, i: last.id } : { h: hash, s: last.score, i: last.id })).toString('base64url')
        : null;
    const lexemes = built?.lexemes ?? [];
    const areaKeys = new Set(built?.areaKeys ?? []);
    const items = page.map((r) => this.hit(r, lexemes, areaKeys, input.lang));
    const facets = this.presentFacets(rows.facets, taxonomy, input.lang);
    const expandedAreas = [...areaKeys].filter((k) => taxonomy.byKey.has(k)).map((k) => ({ key: k, label: taxonomy.labelOfKey(k, input.lang) }));
    const result: SearchResult = {
      q,
      total: rows.total,
      items,
      facets,
      approximate: rows.approximate,
      totalApproximate: rows.totalApproximate,
      nextCursor,
      relaxed,
      corrections: built?.corrections ?? [],
      expandedAreas,
      ignored: built?.ignored ?? [],
      suggestions: rows.total === 0 ? this.suggest(input, q, built, taxonomy) : [],
      cached: false,
    };
    if (key) this.results.set(key, result);
    return result;
  }

  private hit(row: { id: string; kind: SearchKind; score: number; payload: unknown }, lexemes: string[], areaKeys: Set<string>, lang: Lang): SearchHit {
    const payload = row.payload as DocumentPayload;
    const highlights: SearchHit['highlights'] = [];
    const add = (field: HighlightField, text: string | null | undefined) => {
      if (!text) return;
      const h: Highlight | null = highlight(text, lexemes);
      if (h) highlights.push({ field, ...h });
    };
    add('name', payload.name);
    const description = lang === 'en' ? (payload.descriptionEn ?? payload.descriptionIt) : (payload.descriptionIt ?? payload.descriptionEn);
    add('description', description);
    const otherDescription = lang === 'en' ? payload.descriptionIt : payload.descriptionEn;
    if (!highlights.some((h) => h.field === 'description')) add('description', otherDescription);
    const label = (c: DocumentPayload['competences'][number]) => (lang === 'en' ? (c.en ?? c.it) : c.it);
    const matched = payload.competences.filter((c) => areaKeys.has(c.key) || matchesAny(`${c.it} ${c.en ?? ''} ${c.textIt ?? ''} ${c.textEn ?? ''}`, lexemes));
    const competenceText = payload.competences.map(label).join(' · ');
    add('competences', competenceText);
    if (payload.facilities?.length) add('facilities', payload.facilities.join(' · '));
    if (payload.offers?.length) add('offers', payload.offers.join(' · '));
    if (payload.facility) {
      add('accreditations', payload.facility.accreditations.join(' · '));
      add('access', lang === 'en' ? (payload.facility.accessEn ?? payload.facility.accessIt) : (payload.facility.accessIt ?? payload.facility.accessEn));
    }
    if (payload.person) {
      add('headline', payload.person.headline);
      add('keywords', payload.person.keywords.join(' · '));
    }
    // Once each: two competences can read alike (the same words typed twice, areas of two clusters).
    return { kind: row.kind, id: row.id, score: row.score, payload, highlights, matchedCompetences: [...new Set(matched.map(label))] };
  }

  private presentFacets(raw: Record<FacetName, [string, number][]>, taxonomy: TaxonomySnapshot, lang: Lang): Record<FacetName, FacetValue[]> {
    const out = {} as Record<FacetName, FacetValue[]>;
    for (const name of FACET_NAMES) {
      out[name] = (raw[name] ?? []).map(([value, count]) => {
        if (name === 'cluster') {
          const c = taxonomy.clustersById.get(value);
          return { value: c?.slug ?? value, label: c?.name ?? value, count };
        }
        if (name === 'competence') return { value, label: taxonomy.labelOfKey(value, lang), count };
        if (name === 'province') return { value, label: LOMBARDY_PROVINCES.find((p) => p.sigla === value)?.name ?? value, count };
        return { value, label: value, count };
      });
    }
    return out;
  }

  private suggest(input: SearchInput, q: string, built: BuiltQuery | null, taxonomy: TaxonomySnapshot): SearchResult['suggestions'] {
    const out: SearchResult['suggestions'] = [];
    const base: Record<string, string> = {};
    if (q) base.q = q;
    for (const c of built?.corrections ?? []) {
      out.push({ kind: 'correction', label: q.replace(new RegExp(`\\b${c.from}\\b`, 'i'), c.to), query: { ...base, q: normalise(q).replace(c.from, c.to) } });
    }
    if (input.cluster || input.type || input.province || input.competence || input.size || input.kind) {
      out.push({ kind: 'remove_filters', label: q, query: base });
    }
    // The first areas of the taxonomy whose label shares a word start with the query, else top areas.
    const tokens = queryTokens(q);
    const areas = [...taxonomy.byId.values()].filter((a) => !a.retired);
    const related = areas.filter((a) => {
      const label = normalise(`${a.labelIt} ${a.labelEn ?? ''} ${a.synonymsIt.join(' ')} ${a.synonymsEn.join(' ')}`);
      return tokens.some((t) => t.length >= 4 && label.includes(t.slice(0, 4)));
    });
    const pick = (related.length > 0 ? related : areas.filter((a) => !a.parentId)).slice(0, 6);
    for (const a of pick) out.push({ kind: 'area', label: taxonomy.label(a, input.lang), query: { competence: a.key } });
    return out;
  }

  // ------------------------------------------------------------------ the map

  /** Members (organisations) per province, with the same visibility and filters as the search. */
  async membersByProvince(input: { cluster?: string | undefined; competence?: string | undefined; lang: Lang }, principal: Principal | null) {
    // Exact counts (a choropleth is read as numbers), and only the province facet.
    const result = await this.search({ lang: input.lang, cluster: input.cluster, competence: input.competence, kind: 'organisation', limit: 1 }, principal, { facets: ['province'], exact: true });
    const byProvince = new Map(result.facets.province.map((f) => [f.value, f.count]));
    const taxonomy = await this.currentTaxonomy();
    const outside = await this.repo.outside(this.scopeOf(principal), { ...this.filtersOf({ ...input, kind: 'organisation' }, taxonomy) }, LOMBARDY, 50);
    return {
      total: result.total,
      provinces: LOMBARDY_PROVINCES.map((p) => ({ code: p.sigla, name: p.name, nuts3: p.nuts3, count: byProvince.get(p.sigla) ?? 0 })),
      outside: { total: outside.total, items: outside.items.map((i) => ({ id: i.id, payload: i.payload as DocumentPayload })) },
    };
  }
}

/**
 * A word the dictionary neither holds nor can correct. Only words the dictionary could hold count
 * (four letters or more, not a number, not a stop word): "3d", "ai", "di" and "40" are never in it,
 * and would otherwise send every query with one of them to the names.
 */
function uncorrectable(a: TokenAnalysis): boolean {
  return !a.known && a.corrections.length === 0 && correctable(a.token) && carriesMeaning(a);
}

/** Rows grouped by their organisation (one pass, not one filter per organisation). */
function byOrganisation<T extends { organisation_id: string | null }>(rows: T[]): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const row of rows) {
    const list = out.get(row.organisation_id);
    if (list) list.push(row);
    else out.set(row.organisation_id, [row]);
  }
  return out;
}

import type { Kysely, Transaction } from 'kysely';
import type { DB, MatchKind } from '../../db/schema.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { t, type Lang } from '../../platform/i18n.js';
import type { Viewer } from '../offers/repository.js';
import { isActive, todayIso, type OfferService } from '../offers/service.js';
import { analyse, analyseQuery, ANALYZER_VERSION, type Analysed } from './analyse.js';
import { ConceptMatcher, lexiconConcepts, taxonomyConcepts, type ConceptSource } from './concepts.js';
import { complementarity, geography, history, partnerPreference, trlFit, type ContextReason, type Side } from './context.js';
import { documentLengths, MatchEngine, type Candidate, type CollectionStats, type EngineConfig, type SimilarForm } from './engine.js';
import { itemFields, profileFields, type ProfileSource } from './fields.js';
import { mtm } from './messages.js';
import { MatchingRepository, type AnyMeta, type CandidateRow, type DocumentMeta, type DocumentWrite, type ProfileKind, type ProfileMeta } from './repository.js';
import { TEXT_LANGS, type TextLang } from './text.js';

type Conn = Kysely<DB> | Transaction<DB>;

export const MATCH_TEXT_MAX = 10_000;
export const MATCH_LIMIT_MAX = 50;

/**
 * How far the candidate search reaches (docs/decisions/006-matchmaking.md): the postings read per
 * query feature (best impact first), the query features used, and the documents re-ranked exactly.
 */
export interface CandidateBounds {
  perFeature: number;
  features: number;
  documents: number;
}
/** Items per transaction in a full rebuild (`rebuildAll`). */
const BULK_BATCH = 2_500;

export const DEFAULT_CANDIDATE_BOUNDS: CandidateBounds = { perFeature: 200, features: 80, documents: 60 };

/** Which profiles (search documents) a principal may see: the search's own visibility rules. */
export type ProfileVisibility = (ids: string[], principal: Principal | null) => Promise<Set<string>>;

export type Reason =
  | { type: 'concepts'; text: string; concepts: { id: string; label: string }[] }
  | { type: 'terms'; text: string; terms: { query: string; match: string; via: string }[] }
  | ({ text: string } & ContextReason);

export interface MatchResult {
  score: number;
  kind: 'offer' | 'need';
  item: { id: string; title: string; externalRef: string | null; trl: number | null; url: string };
  organisation: { id: string; name: string; externalRef: string | null; type: string; provinceCode: string | null };
  reasons: Reason[];
}

/** An organisation, a facility or a person whose declared competences answer the query. */
export interface ProfileResult {
  score: number;
  kind: ProfileKind;
  id: string;
  name: string;
  url: string;
  organisation: { id: string; name: string; externalRef: string | null; type: string | null; provinceCode: string | null };
  /** Its declared competences that the query shares (labels in the reader's language). */
  competences: string[];
  reasons: Reason[];
}

/** The query side of a match when it is a stored item (its owner and constraints). */
interface QueryContext extends Side {
  trlMin?: number | null;
  trlMax?: number | null;
  trl?: number | null;
  partnerTypes?: string[];
}

interface Ranked<M extends AnyMeta> {
  candidate: Candidate;
  row: CandidateRow & { meta: M };
}

interface Retrieval<M extends AnyMeta> {
  stats: CollectionStats;
  ranked: Ranked<M>[];
  similar: Map<string, SimilarForm[]>;
}

/**
 * Ranked matchmaking between needs, offers and the profiles of the competence map. Every write
 * stores the item's analysis with its postings (PostgreSQL); a query reads a bounded set of
 * candidates from the postings, re-ranks them exactly, checks who may see each result, and
 * explains every match in the reader's language. Nothing is held per instance but the concepts.
 */
export class MatchingService {
  readonly repo: MatchingRepository;
  private readonly matcher = new ConceptMatcher(lexiconConcepts());
  private readonly engine: MatchEngine;
  private taxonomyLoadedAt = 0;
  private readiness: Promise<void> | null = null;
  private profileVisibility: ProfileVisibility | undefined;
  bounds: CandidateBounds;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly offers: OfferService,
    private readonly conceptSource?: ConceptSource,
    config?: EngineConfig,
    bounds: CandidateBounds = DEFAULT_CANDIDATE_BOUNDS,
  ) {
    this.repo = new MatchingRepository(db);
    this.engine = new MatchEngine(this.matcher, config);
    this.bounds = bounds;
    offers.onChange((kind, id) => this.refreshItem(kind, id));
  }

  /** Profiles are matched only when the search tells who may see them. */
  setProfileVisibility(visibility: ProfileVisibility): void {
    this.profileVisibility = visibility;
  }

  /** For the evaluation: try another engine configuration on the same documents. */
  reconfigure(config: EngineConfig): void {
    this.engine.config = config;
  }

  get engineConfig(): EngineConfig {
    return this.engine.config;
  }

  // ------------------------------------------------------------------ documents

  private write(kind: MatchKind, itemId: string, organisationId: string, active: boolean, doc: Analysed, meta: AnyMeta): DocumentWrite {
    const { surface, ...bags } = doc;
    return { kind, itemId, organisationId, active, payload: { doc: bags, surface }, lengths: documentLengths(bags), meta };
  }

  /** Analyse one item and store its match document (inactive items are kept, flagged). */
  async refreshItem(kind: 'offer' | 'need', id: string): Promise<void> {
    const row = await this.repo.itemForDocument(kind, id);
    if (!row) {
      await this.repo.deactivate(kind, id);
      return;
    }
    const doc = await this.itemDocument(kind, row);
    await this.db.transaction().execute((trx) => this.repo.writeDocuments(trx, [doc]));
  }

  /**
   * Documents for every offer and need that has none or an outdated one, in batches (after a bulk
   * load such as `clusterhub generate`, or a new analyser). Returns how many were built.
   */
  async rebuildStale(batchSize = 500): Promise<number> {
    await this.loadTaxonomy();
    let built = 0;
    // The stale items are listed many at a time (the listing reads both tables), built a batch at a time.
    for (;;) {
      const stale = await this.repo.staleDocuments(ANALYZER_VERSION, 50_000);
      if (stale.length === 0) return built;
      for (let i = 0; i < stale.length; i += batchSize) {
        const batch = stale.slice(i, i + batchSize);
        for (const kind of ['offer', 'need'] as const) {
          const rows = await this.repo.itemsForDocuments(kind, batch.filter((s) => s.kind === kind).map((s) => s.item_id));
          const docs: DocumentWrite[] = [];
          for (const row of rows) docs.push(await this.itemDocument(kind, row));
          await this.db.transaction().execute((trx) => this.repo.writeDocuments(trx, docs));
          built += docs.length;
        }
      }
    }
  }

  /** Profiles for every organisation whose search documents have none or outdated ones; orphans dropped. */
  async rebuildProfiles(batchSize = 500): Promise<number> {
    await this.loadTaxonomy();
    let built = 0;
    for (;;) {
      const stale = await this.repo.staleProfileOwners(ANALYZER_VERSION, 50_000);
      if (stale.length === 0) break;
      for (let i = 0; i < stale.length; i += batchSize) {
        const owners = stale.slice(i, i + batchSize);
        built += await this.db.transaction().execute(async (trx) => {
          const sources = await this.repo.profileSources(trx, owners);
          return this.indexProfiles(trx, sources as ProfileRow[], { organisationIds: owners, personIds: [] });
        });
      }
    }
    await this.repo.deleteOrphanProfiles();
    return built;
  }

  /** Every document, offers, needs and profiles (after a bulk load: `clusterhub generate`). */
  async rebuildAll(): Promise<number> {
    // Bigger batches than on a start-up: each write also updates the document frequency of every
    // feature it touches (match_features), a cost per statement more than per document.
    const items = await this.rebuildStale(BULK_BATCH);
    const profiles = await this.rebuildProfiles(BULK_BATCH);
    await this.repo.maintain();
    this.readiness = Promise.resolve();
    return items + profiles;
  }

  /**
   * Once per process, before the first match: documents missing or made by an older analyser are
   * built and, when that wrote rows or the postings changed much since they were last analysed,
   * the tables vacuumed and analysed (repository.maintain). A start with nothing to do pays one
   * small statistics query instead of a vacuum (about a second on the embedded database).
   */
  ready(): Promise<void> {
    this.readiness ??= (async () => {
      // The lexicon first, in slices: it needs no database, and requests are read between slices.
      await this.matcher.prepare();
      const built = (await this.rebuildStale()) + (await this.rebuildProfiles());
      if (built > 0 || (await this.repo.needsMaintenance())) await this.repo.maintain();
    })().catch((error: unknown) => {
      this.readiness = null;
      throw error;
    });
    return this.readiness;
  }

  /**
   * The search rewrote the documents of these owners (same transaction): rewrite their profiles.
   * Only the connection given is used (inside the search's transaction).
   */
  async indexProfiles(conn: Transaction<DB>, sources: ProfileRow[], owners: { organisationIds: string[]; personIds: string[] }): Promise<number> {
    await this.repo.deleteProfiles(conn, owners);
    const docs: DocumentWrite[] = [];
    const seen = new Set<string>();
    for (const source of sources) {
      // People without an organisation are found by the search, not offered as partners here.
      if (!source.organisation_id || seen.has(source.id) || !['organisation', 'facility', 'person'].includes(source.kind)) continue;
      seen.add(source.id);
      docs.push(this.profileDocument(source));
    }
    await this.repo.writeDocuments(conn, docs);
    return docs.length;
  }

  /** Taxonomy concepts given by the search (no database access: inside its transaction). */
  addTaxonomyConcepts(rows: Parameters<typeof taxonomyConcepts>[0]): void {
    for (const concept of taxonomyConcepts(rows)) this.matcher.add(concept);
  }

  private profileDocument(source: ProfileRow): DocumentWrite {
    const p = source.payload;
    const doc = analyse(profileFields(source), this.matcher);
    for (const c of p.competences) if (c.key) doc.concepts[`tax:${c.key}`] = (doc.concepts[`tax:${c.key}`] ?? 0) + 3;
    const organisation = p.organisation ?? { id: source.organisation_id!, name: p.name };
    const meta: ProfileMeta = {
      kind: 'profile',
      profileKind: source.kind as ProfileKind,
      id: source.id,
      name: p.name,
      organisationId: source.organisation_id!,
      organisationName: organisation.name,
      organisationExternalRef: null,
      organisationType: p.orgType ?? null,
      provinceCode: p.provinceCode ?? null,
      countryCode: p.countryCode ?? null,
      competences: p.competences.filter((c) => c.key).slice(0, 20).map((c) => ({ key: c.key, it: c.it, en: c.en })),
    };
    return this.write('profile', source.id, source.organisation_id!, true, doc, meta);
  }

  private async itemDocument(kind: 'offer' | 'need', row: NonNullable<Awaited<ReturnType<MatchingRepository['itemForDocument']>>>): Promise<DocumentWrite> {
    const labels = await this.taxonomyLabels(row.taxonomy_codes);
    const doc = analyse(itemFields({ ...row, taxonomyLabels: labels }), this.matcher);
    for (const code of row.taxonomy_codes) doc.concepts[`tax:${code}`] = (doc.concepts[`tax:${code}`] ?? 0) + 3;
    const meta: DocumentMeta = {
      kind,
      id: row.id,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationExternalRef: row.organisation_external_ref,
      organisationType: row.organisation_type,
      provinceCode: row.province_code,
      countryCode: row.country_code,
      externalRef: row.external_ref,
      titleIt: row.title_it,
      titleEn: row.title_en,
      status: row.status,
      visibility: row.visibility,
      expiresOn: row.expires_on,
      trl: row.trl ?? null,
      trlMin: row.trl_min ?? null,
      trlMax: row.trl_max ?? null,
      partnerTypes: row.partner_types ?? [],
    };
    return this.write(kind, row.id, row.organisation_id, row.status === 'published', doc, meta);
  }

  private async taxonomyLabels(codes: string[]): Promise<string[]> {
    if (codes.length === 0 || !this.conceptSource) return [];
    await this.loadTaxonomy();
    return codes.flatMap((code) => {
      const c = this.matcher.byId.get(`tax:${code}`);
      return c ? [c.labelIt, c.labelEn] : [];
    });
  }

  /** Taxonomy concepts (labels and synonyms IT/EN) join the lexicon; refreshed every minute. */
  private async loadTaxonomy(): Promise<void> {
    if (!this.conceptSource || Date.now() - this.taxonomyLoadedAt < 60_000) return;
    this.taxonomyLoadedAt = Date.now();
    try {
      this.addTaxonomyConcepts(await this.conceptSource.concepts());
    } catch {
      // The taxonomy is a bridge, not a requirement: match on the lexicon alone meanwhile.
    }
  }

  // ------------------------------------------------------------------ retrieval

  /**
   * The candidates of one kind for a query with their fused scores, best first: statistics and the
   * query's features (two small reads), close forms of its words the collection lacks (one, only
   * if any), then one bounded statement that reads the best postings of each feature and scores
   * the documents found (repository.candidates).
   */
  private async retrieve<M extends AnyMeta>(query: Analysed, kind: MatchKind, wanted: number): Promise<Retrieval<M>> {
    const translated = this.engine.translated(query);
    const keys = new Set([...Object.keys(query.stems), ...Object.keys(translated), ...Object.keys(query.concepts), ...Object.keys(query.cognates), ...Object.keys(query.forms)]);
    const [kindStats, features] = await Promise.all([this.repo.stats(kind), this.repo.features(kind, [...keys])]);
    const absent = Object.keys(query.forms).filter((f) => !features.has(f));
    const similar = new Map<string, SimilarForm[]>();
    if (absent.length > 0 && this.engine.config.weights.fuzzy > 0) {
      const near = await this.repo.similarForms(kind, absent);
      for (const [form, rows] of near) {
        for (const r of rows) features.set(r.feature, { id: r.id, df: r.df });
        similar.set(form, this.engine.closeForms(form, rows.map((r) => r.feature)));
      }
    }
    const stats: CollectionStats = { docs: kindStats.docs, averageLength: kindStats.averageLength, df: (f) => features.get(f)?.df ?? 0 };
    const bags = this.engine.queryBags(query, stats, similar);
    const { terms, norm } = this.engine.searchTerms(bags, stats);
    // The strongest features of the query (a long text has hundreds; the weak ones change no ranking).
    const chosen = terms
      .map((t) => ({ id: features.get(t.feature)?.id ?? -1, ranker: t.ranker, weight: t.weight, share: t.weight * norm[t.ranker] }))
      .filter((t) => t.id >= 0)
      .sort((a, b) => b.share - a.share)
      .slice(0, this.bounds.features);
    // Enough documents for the results asked, after what the reader may not see is set aside.
    const rows = await this.repo.candidates(kind, chosen, norm, stats.averageLength, { perFeature: this.bounds.perFeature, limit: Math.max(this.bounds.documents, wanted * 6) });
    const byKey = new Map(rows.map((r) => [String(r.doc_id), r]));
    const ranked = this.engine
      .fuse(rows.map((r) => ({ key: String(r.doc_id), scores: r.scores })))
      .map((candidate) => ({ candidate, row: byKey.get(candidate.key)! as CandidateRow & { meta: M } }));
    return { stats, ranked, similar };
  }

  /** The query's words as written next to each result's, for the final results only. */
  private async explainAll<M extends AnyMeta>(query: Analysed, chosen: Ranked<M>[], stats: CollectionStats, lang: Lang, similar: Map<string, SimilarForm[]>) {
    // What an explanation can name: the query's features, its concepts' and its absent words' close forms.
    const keys = new Set([...Object.keys(query.stems), ...Object.keys(query.concepts), ...Object.keys(query.cognates), ...Object.keys(query.forms)]);
    for (const list of similar.values()) for (const s of list) keys.add(s.form);
    const found = await this.repo.explanations(chosen.map((c) => c.row.doc_id), [...keys]);
    return chosen.map((c) => {
      const data = found.get(c.row.doc_id) ?? { lang: 'it' as const, weights: {}, surface: {} };
      // The document reduced to what it shares with the query (enough to explain, much smaller).
      const doc: Analysed = { lang: data.lang, stems: {}, concepts: {}, cognates: {}, forms: {}, surface: data.surface };
      for (const [key, weight] of Object.entries(data.weights)) {
        const bag = key.startsWith('it:') || key.startsWith('en:') ? doc.stems : key.startsWith('c:') ? doc.cognates : key.startsWith('f:') ? doc.forms : doc.concepts;
        bag[key] = Number(weight);
      }
      const explained = this.engine.explain(query, doc, stats, similar);
      const reasons: Reason[] = [];
      if (explained.concepts.length > 0) {
        // A lexicon concept and a taxonomy area may share a label ("cura della pelle"): named once.
        const labels = new Set<string>();
        const concepts = explained.concepts
          .map((id) => ({ id, label: this.matcher.label(id, lang) }))
          .filter((c) => !labels.has(c.label.toLowerCase()) && labels.add(c.label.toLowerCase()))
          .slice(0, 6);
        reasons.push({ type: 'concepts', text: mtm(lang, 'reason.concepts', { list: concepts.map((x) => x.label).join(', ') }), concepts });
      }
      if (explained.terms.length > 0) {
        const terms = explained.terms.map((x) => ({ query: x.query, match: x.document, via: x.via }));
        const list = terms
          .map((x) => (x.via === 'same' ? `«${x.query}»` : `«${x.query}» → «${x.match}» (${mtm(lang, `via.${x.via as 'same'}`)})`))
          .join(', ');
        reasons.push({ type: 'terms', text: mtm(lang, 'reason.terms', { list: lang === 'en' ? list.replace(/«/g, '“').replace(/»/g, '”') : list }), terms });
      }
      return { explained, reasons };
    });
  }

  // ------------------------------------------------------------------ matching

  /** Check a free-text query: not empty, not too long, a known language. */
  static checkText(text: string, lang: string | undefined): { text: string; lang: TextLang | undefined } {
    const trimmed = text.trim();
    if (lang !== undefined && !(TEXT_LANGS as readonly string[]).includes(lang)) throw new AppError('match.lang_unknown', { lang: lang.slice(0, 20) });
    if (trimmed.length > MATCH_TEXT_MAX) throw new AppError('match.text_too_long', { length: trimmed.length, max: MATCH_TEXT_MAX });
    if (!/[\p{L}\p{N}]{2,}/u.test(trimmed)) throw new AppError('match.text_empty');
    return { text: trimmed, lang: lang as TextLang | undefined };
  }

  /** Anonymous text matching over public, active offers (POST /api/v1/match and the match page). */
  async matchText(input: { text: string; lang?: string | undefined; limit?: number }, viewer: Viewer, readerLang: Lang) {
    const { text, lang } = MatchingService.checkText(input.text, input.lang);
    await this.ready();
    await this.loadTaxonomy();
    const query = analyseQuery(text, lang, this.matcher);
    const results = await this.rankItems(query, 'offer', { limit: input.limit ?? 10, viewer, readerLang, context: {} });
    return { lang: query.lang, results };
  }

  /**
   * For a stored need: the offers and the profiles (organisations, facilities, expertise) that
   * answer it; for a stored offer: the needs and the profiles of potential adopters. Only what the
   * viewer may see; profiles only when a principal's visibility can be checked.
   */
  async matchesFor(kind: 'offer' | 'need', id: string, viewer: Viewer, readerLang: Lang, options: { limit?: number; principal?: Principal | null; profiles?: boolean } = {}) {
    const limit = options.limit ?? 10;
    const { item } = await this.offers.get(kind, id, viewer);
    if (!isActive(item)) throw new AppError('item.inactive', { expiresOn: item.expires_on ?? '—' });
    await this.ready();
    let stored = await this.repo.document(kind, id);
    if (!stored || stored.analyzer_version !== ANALYZER_VERSION || !stored.active) {
      await this.refreshItem(kind, id);
      stored = await this.repo.document(kind, id);
    }
    if (!stored) throw new AppError(kind === 'offer' ? 'offer.not_found' : 'need.not_found');
    const meta = stored.meta as DocumentMeta;
    const query: Analysed = { ...stored.payload.doc, surface: stored.payload.surface };
    const context: QueryContext = {
      organisationId: meta.organisationId,
      organisationType: meta.organisationType,
      provinceCode: meta.provinceCode,
      countryCode: meta.countryCode,
      trl: meta.trl,
      trlMin: meta.trlMin,
      trlMax: meta.trlMax,
      partnerTypes: meta.partnerTypes,
    };
    const [results, organisations] = await Promise.all([
      this.rankItems(query, kind === 'need' ? 'offer' : 'need', { limit, viewer, readerLang, context, exclude: id }),
      options.profiles === false
        ? Promise.resolve([])
        : this.rankProfiles(query, { limit: Math.min(limit, 10), principal: options.principal ?? null, readerLang, context, target: kind === 'need' ? 'provider' : 'adopter' }),
    ]);
    return { item, results, organisations };
  }

  private factors(target: 'offer' | 'need' | 'profile', context: QueryContext, side: Side & { trl?: number | null; trlMin?: number | null; trlMax?: number | null }, pastCount: number) {
    return [
      target === 'offer' ? trlFit(side.trl ?? null, context.trlMin ?? null, context.trlMax ?? null) : target === 'need' ? trlFit(context.trl ?? null, side.trlMin ?? null, side.trlMax ?? null) : { factor: 1 },
      complementarity(context, side),
      geography(context, side),
      history(pastCount),
      target !== 'need' ? partnerPreference(context.partnerTypes ?? [], side.organisationType) : { factor: 1 },
    ];
  }

  /**
   * The last step of every ranking: each candidate's text score times its context factors (TRL,
   * complementarity, geography, earlier collaborations with the query's owner), best first, cut to
   * the limit, explained, with the context reasons after the textual ones.
   */
  private async rankAndExplain<M extends AnyMeta>(
    query: Analysed,
    candidates: Ranked<M>[],
    options: { limit: number; stats: CollectionStats; similar: Map<string, SimilarForm[]>; lang: Lang; context: QueryContext; target: 'offer' | 'need' | 'profile'; side: (meta: M) => Parameters<MatchingService['factors']>[2] },
  ): Promise<{ meta: M; score: number; reasons: Reason[]; concepts: string[] }[]> {
    const { context, lang } = options;
    const pastCounts = context.organisationId ? await this.repo.collaborationCounts(context.organisationId, [...new Set(candidates.map((r) => r.row.meta.organisationId))]) : new Map<string, number>();
    const scored = candidates.map((r) => {
      const factors = this.factors(options.target, context, options.side(r.row.meta), pastCounts.get(r.row.meta.organisationId) ?? 0);
      return { r, factors, score: r.candidate.score * factors.reduce((p, f) => p * f.factor, 1) };
    });
    scored.sort((a, b) => b.score - a.score);
    const chosen = scored.slice(0, options.limit);
    const explained = await this.explainAll(query, chosen.map((c) => c.r), options.stats, lang, options.similar);
    return chosen.map(({ r, factors, score }, i) => {
      const reasons = explained[i]!.reasons;
      for (const f of factors) if (f.reason) reasons.push({ ...f.reason, text: contextText(f.reason, lang) });
      return { meta: r.row.meta, score, reasons, concepts: explained[i]!.explained.concepts };
    });
  }

  private async rankItems(query: Analysed, target: 'offer' | 'need', options: { limit: number; viewer: Viewer; readerLang: Lang; context: QueryContext; exclude?: string }): Promise<MatchResult[]> {
    const { viewer, context } = options;
    const limit = Math.min(Math.max(options.limit, 1), MATCH_LIMIT_MAX);
    const today = todayIso();
    const { stats, ranked, similar } = await this.retrieve<DocumentMeta>(query, target, limit);
    // Visibility: public items are decided here; the others are checked against the database below.
    const restricted: DocumentMeta[] = [];
    const accepted = ranked.filter(({ row: { meta } }) => {
      if (meta.kind !== target || meta.status !== 'published' || meta.id === options.exclude) return false;
      if (meta.expiresOn && meta.expiresOn < today) return false;
      if (context.organisationId && meta.organisationId === context.organisationId) return false;
      if (meta.visibility !== 'public') {
        if (viewer.organisationIds.length === 0 && viewer.clusterIds.length === 0 && !viewer.region) return false;
        restricted.push(meta);
      }
      return true;
    });
    const hidden = new Set<string>();
    if (restricted.length > 0 && !viewer.region) {
      const audiences = await this.offers.audiences(target, restricted.map((m) => ({ id: m.id, organisation_id: m.organisationId })));
      for (const m of restricted) {
        const audience = audiences.get(m.id)!;
        const own = viewer.organisationIds.includes(m.organisationId);
        const shared = m.visibility === 'members' ? audience.ownerClusters : audience.chosenClusters;
        if (!own && !shared.some((c) => viewer.clusterIds.includes(c))) hidden.add(m.id);
      }
    }
    const visible = accepted.filter((r) => !hidden.has(r.row.meta.id)).slice(0, Math.max(limit * 3, 30));
    const lang = options.readerLang;
    const best = await this.rankAndExplain(query, visible, { limit, stats, similar, lang, context, target, side: (meta) => ({ organisationId: meta.organisationId, organisationType: meta.organisationType, provinceCode: meta.provinceCode, countryCode: meta.countryCode, trl: meta.trl, trlMin: meta.trlMin, trlMax: meta.trlMax }) });
    return best.map(({ meta, score, reasons }) => {
      if (target === 'offer' && meta.trl !== null && !reasons.some((x) => x.type === 'trl')) {
        reasons.push({ type: 'trl', fit: 'inside', trl: meta.trl, min: null, max: null, text: mtm(lang, 'reason.trl.only', { trl: meta.trl }) });
      }
      return {
        score: Math.round(score * 1000) / 1000,
        kind: target,
        item: {
          id: meta.id,
          title: (lang === 'en' ? (meta.titleEn ?? meta.titleIt) : (meta.titleIt ?? meta.titleEn)) ?? '',
          externalRef: meta.externalRef,
          trl: target === 'offer' ? meta.trl : null,
          url: target === 'offer' ? `/offerte/${meta.id}` : `/fabbisogni/${meta.id}`,
        },
        organisation: { id: meta.organisationId, name: meta.organisationName, externalRef: meta.organisationExternalRef, type: meta.organisationType, provinceCode: meta.provinceCode },
        reasons,
      } satisfies MatchResult;
    });
  }

  /**
   * Profiles answering a query, best first: the organisations, facilities and experts whose
   * declared competences meet it (for a need), or the potential adopters of an offer. Visibility
   * is the search's: members-only and private profiles never reach who may not see them.
   */
  async rankProfiles(query: Analysed, options: { limit: number; principal: Principal | null; readerLang: Lang; context: QueryContext; target?: 'provider' | 'adopter' }): Promise<ProfileResult[]> {
    if (!this.profileVisibility) return [];
    const { context } = options;
    const limit = Math.min(Math.max(options.limit, 1), MATCH_LIMIT_MAX);
    const { stats, ranked, similar } = await this.retrieve<ProfileMeta>(query, 'profile', limit * 2);
    // The query's own organisation is no match for itself; of those the reader may see, the best
    // two of each organisation are enough (an organisation and its laboratory, not all its people).
    const pool = ranked.filter(({ row: { meta } }) => meta.kind === 'profile' && meta.organisationId !== context.organisationId).slice(0, Math.max(limit * 8, 80));
    const visible = await this.profileVisibility(pool.map((r) => r.row.meta.id), options.principal);
    const perOrganisation = new Map<string, number>();
    const shown = pool
      .filter((r) => visible.has(r.row.meta.id))
      .filter(({ row: { meta } }) => {
        const n = perOrganisation.get(meta.organisationId) ?? 0;
        perOrganisation.set(meta.organisationId, n + 1);
        return n < 2;
      })
      .slice(0, Math.max(limit * 3, 30));
    const lang = options.readerLang;
    const best = await this.rankAndExplain(query, shown, { limit, stats, similar, lang, context, target: options.target === 'adopter' ? 'need' : 'profile', side: (meta) => ({ organisationId: meta.organisationId, organisationType: meta.organisationType, provinceCode: meta.provinceCode, countryCode: meta.countryCode }) });
    return best.map(({ meta, score, reasons, concepts }) => {
      const shared = new Set(concepts);
      return {
        score: Math.round(score * 1000) / 1000,
        kind: meta.profileKind,
        id: meta.id,
        name: meta.name,
        url: meta.profileKind === 'organisation' ? `/organizzazioni/${meta.id}` : meta.profileKind === 'facility' ? `/strutture/${meta.id}` : `/persone/${meta.id}`,
        organisation: { id: meta.organisationId, name: meta.organisationName, externalRef: meta.organisationExternalRef, type: meta.organisationType, provinceCode: meta.provinceCode },
        competences: meta.competences.filter((c) => shared.has(`tax:${c.key}`)).map((c) => (lang === 'en' ? (c.en ?? c.it) : c.it)),
        reasons,
      } satisfies ProfileResult;
    });
  }

  /** Active items published after `since` that match an organisation's own active items (digest). */
  async newMatchesFor(organisationId: string, since: Date, viewer: Viewer, lang: Lang, limitPerItem = 5): Promise<{ item: { kind: 'offer' | 'need'; id: string; title: string }; results: MatchResult[] }[]> {
    await this.ready();
    const today = todayIso();
    const own = (await this.repo.activeItemsOf(organisationId)).filter((m) => m.status === 'published' && (!m.expiresOn || m.expiresOn >= today));
    const fresh = new Set(await this.repo.publishedSince(since));
    const out: { item: { kind: 'offer' | 'need'; id: string; title: string }; results: MatchResult[] }[] = [];
    for (const m of own) {
      const { results } = await this.matchesFor(m.kind, m.id, viewer, lang, { limit: 20, profiles: false });
      const recent = results.filter((r) => fresh.has(`${r.kind}:${r.item.id}`) && r.score >= 0.25).slice(0, limitPerItem);
      if (recent.length > 0) out.push({ item: { kind: m.kind, id: m.id, title: (lang === 'en' ? (m.titleEn ?? m.titleIt) : (m.titleIt ?? m.titleEn)) ?? '' }, results: recent });
    }
    return out;
  }

  /** Active documents of a kind (for health and the evaluation). */
  count(kind: MatchKind = 'offer'): Promise<number> {
    return this.repo.activeCount(kind);
  }
}

/** A search document as the profiles read it (a row of search_documents, or one being written). */
export interface ProfileRow extends ProfileSource {
  id: string;
  kind: string;
  organisation_id: string | null;
  payload: ProfileSource['payload'] & {
    organisation?: { id: string; name: string } | null;
    orgType?: string | null;
    provinceCode?: string | null;
    countryCode?: string | null;
  };
}

function window(min: number | null, max: number | null): string {
  return `${min ?? 1}–${max ?? 9}`;
}

function contextText(reason: ContextReason, lang: Lang): string {
  switch (reason.type) {
    case 'trl':
      return mtm(lang, `reason.trl.${reason.fit}`, { trl: reason.trl, window: window(reason.min, reason.max) });
    case 'complementarity':
      return mtm(lang, 'reason.complementarity', { from: t(lang, `orgType.${reason.from as 'company'}`), to: t(lang, `orgType.${reason.to as 'company'}`) });
    case 'geography':
      return mtm(lang, reason.scope === 'province' ? 'reason.geography.province' : 'reason.geography.lombardy', { province: reason.province ?? '' });
    case 'collaboration':
      return mtm(lang, 'reason.collaboration', { count: reason.count });
    case 'partner_type':
      return mtm(lang, 'reason.partner_type', { type: t(lang, `orgType.${reason.organisationType as 'company'}`) });
  }
}

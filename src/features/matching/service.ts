import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { t, type Lang } from '../../platform/i18n.js';
import type { Viewer } from '../offers/repository.js';
import { isActive, todayIso, type OfferService } from '../offers/service.js';
import { analyse, analyseQuery, ANALYZER_VERSION, type Analysed } from './analyse.js';
import { ConceptMatcher, lexiconConcepts, taxonomyConcepts, type ConceptSource } from './concepts.js';
import { complementarity, geography, history, partnerPreference, trlFit, type ContextReason, type Side } from './context.js';
import { MatchEngine, type EngineConfig } from './engine.js';
import { itemFields } from './fields.js';
import { mtm } from './messages.js';
import { MatchingRepository, type DocumentMeta } from './repository.js';
import { TEXT_LANGS, type TextLang } from './text.js';

/**
 * Organisations, facilities and people whose declared competences answer a need (the competence
 * search of the network, issue 5), only what the reader may see.
 */
export type CompetenceFinder = (text: string, lang: Lang, principal: Principal | null) => Promise<CompetenceHit[]>;
export interface CompetenceHit {
  kind: string;
  id: string;
  name: string;
  url: string;
  competences: string[];
}

export const MATCH_TEXT_MAX = 10_000;
export const MATCH_LIMIT_MAX = 50;
/** How stale the in-memory index may be with respect to writes made by other app instances. */
export const SYNC_INTERVAL_MS = 1000;

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

interface StoredPayload {
  doc: Analysed;
  meta: DocumentMeta;
}

/** The query side of a match when it is a stored item (its owner and constraints). */
interface QueryContext extends Side {
  trlMin?: number | null;
  trlMax?: number | null;
  trl?: number | null;
  partnerTypes?: string[];
}

/**
 * Ranked matchmaking between needs and offers. Keeps the in-memory engine in step with the
 * `match_documents` table (delta by revision, so several app instances agree), checks who may see
 * each result, and explains every match in the reader's language.
 */
export class MatchingService {
  readonly repo: MatchingRepository;
  private matcher = new ConceptMatcher(lexiconConcepts());
  private engine: MatchEngine;
  private readonly meta = new Map<string, DocumentMeta>();
  private revision = -1;
  private loading: Promise<void> | null = null;
  private taxonomyLoadedAt = 0;
  private syncedAt = 0;
  private stale = true;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly offers: OfferService,
    private readonly conceptSource?: ConceptSource,
    config?: EngineConfig,
  ) {
    this.repo = new MatchingRepository(db);
    this.engine = new MatchEngine(this.matcher, config);
    offers.onChange((kind, id) => this.refreshItem(kind, id));
  }

  private competenceFinder: CompetenceFinder | undefined;

  setCompetenceFinder(finder: CompetenceFinder): void {
    this.competenceFinder = finder;
  }

  /** Competences, facilities and expertise matching a need; empty when the search is not there or fails. */
  async competencesFor(text: string, lang: Lang, principal: Principal | null): Promise<CompetenceHit[]> {
    if (!this.competenceFinder || !text.trim()) return [];
    try {
      return await this.competenceFinder(text, lang, principal);
    } catch {
      return [];
    }
  }

  /** For the evaluation: try another engine configuration on the same documents. */
  reconfigure(config: EngineConfig): void {
    this.engine.config = config;
  }

  get engineConfig(): EngineConfig {
    return this.engine.config;
  }

  /** Analyse one item and store its match document (inactive items are kept, flagged). */
  async refreshItem(kind: 'offer' | 'need', id: string): Promise<void> {
    const row = await this.repo.itemForDocument(kind, id);
    if (!row) {
      await this.repo.deactivate(kind, id);
      this.stale = true;
      return;
    }
    const { doc, meta } = await this.document(kind, row);
    await this.repo.upsertDocument({ kind, itemId: id, organisationId: row.organisation_id, active: row.status === 'published', payload: { doc, meta } });
    this.stale = true;
  }

  /**
   * Documents for every item that has none or an outdated one, in batches (after a bulk load such
   * as `clusterhub generate`, or a new analyser). Returns how many were built.
   */
  async rebuildStale(batchSize = 500): Promise<number> {
    let built = 0;
    for (;;) {
      const stale = await this.repo.staleDocuments(ANALYZER_VERSION, batchSize);
      if (stale.length === 0) return built;
      for (const kind of ['offer', 'need'] as const) {
        const rows = await this.repo.itemsForDocuments(kind, stale.filter((s) => s.kind === kind).map((s) => s.item_id));
        const docs = [];
        for (const row of rows) {
          const { doc, meta } = await this.document(kind, row);
          docs.push({ kind, itemId: row.id, organisationId: row.organisation_id, active: row.status === 'published', payload: { doc, meta } });
        }
        await this.repo.upsertDocuments(docs);
        built += docs.length;
      }
      this.stale = true;
    }
  }

  private async document(kind: 'offer' | 'need', row: NonNullable<Awaited<ReturnType<MatchingRepository['itemForDocument']>>>): Promise<StoredPayload> {
    const id = row.id;
    const labels = await this.taxonomyLabels(row.taxonomy_codes);
    const doc = analyse(itemFields({ ...row, taxonomyLabels: labels }), this.matcher);
    for (const code of row.taxonomy_codes) doc.concepts[`tax:${code}`] = (doc.concepts[`tax:${code}`] ?? 0) + 3;
    const meta: DocumentMeta = {
      kind,
      id,
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
    return { doc, meta };
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
      const rows = await this.conceptSource.concepts();
      for (const concept of taxonomyConcepts(rows)) this.matcher.add(concept);
    } catch {
      // The taxonomy is a bridge, not a requirement: match on the lexicon alone meanwhile.
    }
  }

  /**
   * Load what changed since the last call (everything the first time); rebuild stale documents.
   * Writes through this instance mark it stale at once; writes by other instances are picked up
   * within SYNC_INTERVAL_MS (one indexed max() query).
   */
  async sync(): Promise<void> {
    if (this.loading) return this.loading;
    if (!this.stale && Date.now() - this.syncedAt < SYNC_INTERVAL_MS) return;
    this.stale = false;
    this.syncedAt = Date.now();
    this.loading = (async () => {
      try {
        await this.loadTaxonomy();
        if (this.revision < 0) await this.rebuildStale();
        const latest = await this.repo.latestRevision();
        if (latest <= this.revision) return;
        for (const row of await this.repo.documentsSince(this.revision)) {
          const key = `${row.kind}:${row.item_id}`;
          const payload = row.payload as StoredPayload;
          if (row.active && row.analyzer_version === ANALYZER_VERSION) {
            this.engine.upsert(key, payload.doc);
            this.meta.set(key, payload.meta);
          } else {
            this.engine.remove(key);
            this.meta.delete(key);
          }
          this.revision = Math.max(this.revision, Number(row.revision));
        }
        this.revision = Math.max(this.revision, latest);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

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
    await this.sync();
    const query = analyseQuery(text, lang, this.matcher);
    const results = await this.rank(query, 'offer', { limit: input.limit ?? 10, viewer, readerLang, context: {} });
    return { lang: query.lang, results };
  }

  /** Offers for a stored need, or needs for a stored offer, that the viewer may see. */
  async matchesFor(kind: 'offer' | 'need', id: string, viewer: Viewer, readerLang: Lang, limit = 10) {
    const { item } = await this.offers.get(kind, id, viewer);
    if (!isActive(item)) throw new AppError('item.inactive', { expiresOn: item.expires_on ?? '—' });
    await this.sync();
    let doc = this.engine.document(`${kind}:${id}`);
    if (!doc) {
      await this.refreshItem(kind, id);
      await this.sync();
      doc = this.engine.document(`${kind}:${id}`);
    }
    const meta = this.meta.get(`${kind}:${id}`);
    if (!doc || !meta) throw new AppError(kind === 'offer' ? 'offer.not_found' : 'need.not_found');
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
    const results = await this.rank(doc, kind === 'need' ? 'offer' : 'need', { limit, viewer, readerLang, context, exclude: `${kind}:${id}` });
    return { item, results };
  }

  private async rank(query: Analysed, target: 'offer' | 'need', options: { limit: number; viewer: Viewer; readerLang: Lang; context: QueryContext; exclude?: string }): Promise<MatchResult[]> {
    const { viewer, context } = options;
    const limit = Math.min(Math.max(options.limit, 1), MATCH_LIMIT_MAX);
    const today = todayIso();
    // Visibility: public items are decided here; others are checked against the database below.
    const restricted: string[] = [];
    const candidates = this.engine.search(query, {
      limit: Math.max(limit * 3, 30),
      exclude: options.exclude,
      accept: (key) => {
        const meta = this.meta.get(key);
        if (!meta || meta.kind !== target || meta.status !== 'published') return false;
        if (meta.expiresOn && meta.expiresOn < today) return false;
        if (context.organisationId && meta.organisationId === context.organisationId) return false;
        if (meta.visibility !== 'public') {
          if (viewer.organisationIds.length === 0 && viewer.clusterIds.length === 0 && !viewer.region) return false;
          restricted.push(key);
        }
        return true;
      },
    });
    let allowed = new Set(candidates.map((c) => c.key));
    if (restricted.length > 0 && !viewer.region) {
      const metas = restricted.map((k) => this.meta.get(k)!);
      const audiences = await this.offers.audiences(target, metas.map((m) => ({ id: m.id, organisation_id: m.organisationId })));
      for (const m of metas) {
        const audience = audiences.get(m.id)!;
        const own = viewer.organisationIds.includes(m.organisationId);
        const shared = m.visibility === 'members' ? audience.ownerClusters : audience.chosenClusters;
        if (!own && !shared.some((c) => viewer.clusterIds.includes(c))) allowed.delete(`${m.kind}:${m.id}`);
      }
    }
    const visible = candidates.filter((c) => allowed.has(c.key));
    const pastCounts = context.organisationId ? await this.repo.collaborationCounts(context.organisationId, visible.map((c) => this.meta.get(c.key)!.organisationId)) : new Map<string, number>();
    const lang = options.readerLang;
    const scored = visible.map((c) => {
      const meta = this.meta.get(c.key)!;
      const side: Side = { organisationId: meta.organisationId, organisationType: meta.organisationType, provinceCode: meta.provinceCode, countryCode: meta.countryCode };
      const factors = [
        target === 'offer' ? trlFit(meta.trl, context.trlMin ?? null, context.trlMax ?? null) : trlFit(context.trl ?? null, meta.trlMin, meta.trlMax),
        complementarity(context, side),
        geography(context, side),
        history(pastCounts.get(meta.organisationId) ?? 0),
        target === 'offer' ? partnerPreference(context.partnerTypes ?? [], meta.organisationType) : { factor: 1 },
      ];
      return { c, meta, factors, score: c.score * factors.reduce((p, f) => p * f.factor, 1) };
    });
    scored.sort((a, b) => b.score - a.score);
    const similar = new Map<string, { form: string; similarity: number }[]>();
    return scored.slice(0, limit).map(({ c, meta, factors, score }) => {
      const explained = this.engine.explain(query, c.key, similar);
      const reasons: Reason[] = [];
      if (explained.concepts.length > 0) {
        const concepts = explained.concepts.slice(0, 6).map((id) => ({ id, label: this.matcher.label(id, lang) }));
        reasons.push({ type: 'concepts', text: mtm(lang, 'reason.concepts', { list: concepts.map((x) => x.label).join(', ') }), concepts });
      }
      if (explained.terms.length > 0) {
        const terms = explained.terms.map((x) => ({ query: x.query, match: x.document, via: x.via }));
        const list = terms
          .map((x) => (x.via === 'same' ? `«${x.query}»` : `«${x.query}» → «${x.match}» (${mtm(lang, `via.${x.via as 'same'}`)})`))
          .join(', ');
        reasons.push({ type: 'terms', text: mtm(lang, 'reason.terms', { list: lang === 'en' ? list.replace(/«/g, '“').replace(/»/g, '”') : list }), terms });
      }
      for (const f of factors) if (f.reason) reasons.push({ ...f.reason, text: contextText(f.reason, lang) });
      if (target === 'offer' && meta.trl !== null && !reasons.some((r) => r.type === 'trl')) {
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

  /** Active items published after `since` that match an organisation's own active items (digest). */
  async newMatchesFor(organisationId: string, since: Date, viewer: Viewer, lang: Lang, limitPerItem = 5): Promise<{ item: { kind: 'offer' | 'need'; id: string; title: string }; results: MatchResult[] }[]> {
    await this.sync();
    const own = [...this.meta.values()].filter((m) => m.organisationId === organisationId && m.status === 'published' && (!m.expiresOn || m.expiresOn >= todayIso()));
    const fresh = new Set(await this.repo.publishedSince(since));
    const out: { item: { kind: 'offer' | 'need'; id: string; title: string }; results: MatchResult[] }[] = [];
    for (const m of own) {
      const { results } = await this.matchesFor(m.kind, m.id, viewer, lang, 20);
      const recent = results.filter((r) => fresh.has(`${r.kind}:${r.item.id}`) && r.score >= 0.25).slice(0, limitPerItem);
      if (recent.length > 0) out.push({ item: { kind: m.kind, id: m.id, title: (lang === 'en' ? (m.titleEn ?? m.titleIt) : (m.titleIt ?? m.titleEn)) ?? '' }, results: recent });
    }
    return out;
  }

  /** Number of documents in the engine (for health and the evaluation). */
  get size(): number {
    return this.engine.size;
  }
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

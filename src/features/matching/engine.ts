import { translatedStems, type Analysed } from './analyse.js';
import { Bm25Index, type FeatureBag } from './bm25.js';
import type { ConceptMatcher } from './concepts.js';
import { trigrams, trigramSimilarity } from './text.js';

export const RANKERS = ['stems', 'concepts', 'cognates', 'fuzzy'] as const;
export type Ranker = (typeof RANKERS)[number];

export interface EngineConfig {
  /** Weight of each ranker in the fusion; 0 switches a ranker off (ablation). */
  weights: Record<Ranker, number>;
  /** Translate query concepts into the other language's stems (and same-language synonyms). */
  translate: { other: number; same: number };
  /** `max`: each ranker's scores divided by its best score for the query; `rrf`: reciprocal rank fusion. */
  fusion: 'max' | 'rrf';
  /** Fuzzy ranker: minimal trigram similarity between a query word and a corpus word. */
  fuzzyThreshold: number;
}

/** Tuned on the tuning half of bench/matchmaking (see docs/decisions/005-matchmaking.md). */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  weights: { stems: 1, concepts: 1, cognates: 0.5, fuzzy: 0.3 },
  translate: { other: 0.6, same: 0.25 },
  fusion: 'max',
  fuzzyThreshold: 0.62,
};

export interface Candidate {
  key: string;
  /** Fused score in [0, 1]. */
  score: number;
  parts: Record<Ranker, number>;
}

interface DocEntry {
  slot: number;
  doc: Analysed;
}

/**
 * The in-memory ranking engine: four BM25 rankers over the precomputed documents, fused.
 *  - stems: Snowball stems, the query widened with the translation of its concepts;
 *  - concepts: lexicon and taxonomy concept ids (language-neutral);
 *  - cognates: six-letter cognate keys shared by Italian and English words of the same root;
 *  - fuzzy: query words missing from the corpus expanded to corpus words with similar trigrams.
 */
export class MatchEngine {
  private readonly indexes: Record<Ranker, Bm25Index>;
  private readonly entries = new Map<string, DocEntry>();
  private keysBySlot: string[] = [];
  /** Trigram index of the corpus' cognate forms, for the fuzzy ranker. */
  private readonly formGrams = new Map<string, Set<string>>();
  private readonly formTrigrams = new Map<string, string[]>();
  private dead = 0;

  constructor(
    readonly matcher: ConceptMatcher,
    public config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  ) {
    this.indexes = this.newIndexes();
  }

  private newIndexes(): Record<Ranker, Bm25Index> {
    return {
      stems: new Bm25Index({ k1: 1.2, b: 0.75 }),
      concepts: new Bm25Index({ k1: 1.2, b: 0.5 }),
      cognates: new Bm25Index({ k1: 1.2, b: 0.75 }),
      fuzzy: new Bm25Index({ k1: 1.2, b: 0.75 }),
    };
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  document(key: string): Analysed | undefined {
    return this.entries.get(key)?.doc;
  }

  upsert(key: string, doc: Analysed): void {
    if (this.entries.has(key)) this.remove(key);
    const slot = this.keysBySlot.length;
    this.keysBySlot.push(key);
    this.entries.set(key, { slot, doc });
    this.indexes.stems.add(slot, doc.stems);
    this.indexes.concepts.add(slot, doc.concepts);
    this.indexes.cognates.add(slot, doc.cognates);
    this.indexes.fuzzy.add(slot, doc.forms);
    for (const form of Object.keys(doc.forms)) this.indexForm(form);
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    for (const index of Object.values(this.indexes)) index.remove(entry.slot);
    this.entries.delete(key);
    this.dead++;
    if (this.dead > 1000 && this.dead > this.entries.size / 4) this.compact();
  }

  /** Rebuild the indexes without tombstones. */
  private compact(): void {
    const docs = [...this.entries.entries()];
    Object.assign(this.indexes, this.newIndexes());
    this.entries.clear();
    this.keysBySlot = [];
    this.dead = 0;
    for (const [key, entry] of docs) this.upsert(key, entry.doc);
  }

  private indexForm(form: string): void {
    if (this.formTrigrams.has(form)) return;
    const grams = trigrams(form.slice(2));
    this.formTrigrams.set(form, grams);
    for (const g of grams) {
      let set = this.formGrams.get(g);
      if (!set) {
        set = new Set();
        this.formGrams.set(g, set);
      }
      set.add(form);
    }
  }

  /** Corpus forms similar to a query form (typos, near-cognates), with their similarity. */
  similarForms(form: string): { form: string; similarity: number }[] {
    const grams = trigrams(form.slice(2));
    const counts = new Map<string, number>();
    for (const g of grams) for (const candidate of this.formGrams.get(g) ?? []) counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    const out: { form: string; similarity: number }[] = [];
    for (const [candidate, shared] of counts) {
      if (candidate === form) continue;
      const other = this.formTrigrams.get(candidate)!;
      const similarity = (2 * shared) / (grams.length + other.length);
      if (similarity >= this.config.fuzzyThreshold) out.push({ form: candidate, similarity });
    }
    return out.sort((a, b) => b.similarity - a.similarity).slice(0, 5);
  }

  /** The query bag each ranker looks for. */
  queryBags(query: Analysed): Record<Ranker, FeatureBag> {
    const stems: FeatureBag = { ...query.stems };
    for (const [key, w] of Object.entries(translatedStems(query, this.matcher, this.config.translate))) stems[key] = Math.max(stems[key] ?? 0, w);
    const fuzzy: FeatureBag = {};
    for (const [form, w] of Object.entries(query.forms)) {
      if (this.indexes.fuzzy.has(form)) fuzzy[form] = w;
      else for (const s of this.similarForms(form)) fuzzy[s.form] = Math.max(fuzzy[s.form] ?? 0, w * s.similarity);
    }
    return { stems, concepts: { ...query.concepts }, cognates: { ...query.cognates }, fuzzy };
  }

  /**
   * Rank every document for the query. `accept` filters by key (kind, visibility, expiry…) and is
   * only called on candidates with a score, best first, until `limit` are accepted.
   */
  search(query: Analysed, options: { limit: number; accept?: (key: string) => boolean; exclude?: string }): Candidate[] {
    const n = this.keysBySlot.length;
    if (n === 0) return [];
    const bags = this.queryBags(query);
    const perRanker = {} as Record<Ranker, Float64Array>;
    const fused = new Float64Array(n);
    const active = RANKERS.filter((r) => this.config.weights[r] > 0);
    for (const ranker of active) {
      const scores = new Float64Array(n);
      this.indexes[ranker].score(bags[ranker], scores);
      perRanker[ranker] = scores;
    }
    if (this.config.fusion === 'max') {
      for (const ranker of active) {
        const scores = perRanker[ranker];
        let max = 0;
        for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
        if (max <= 0) continue;
        const w = this.config.weights[ranker];
        for (let i = 0; i < n; i++) if (scores[i]! > 0) fused[i] = fused[i]! + (w * scores[i]!) / max;
      }
    } else {
      for (const ranker of active) {
        const scores = perRanker[ranker];
        const order = [...scores.keys()].filter((i) => scores[i]! > 0).sort((a, b) => scores[b]! - scores[a]!);
        const w = this.config.weights[ranker];
        order.forEach((slot, rank) => {
          fused[slot] = fused[slot]! + w / (60 + rank + 1);
        });
      }
    }
    const totalWeight = active.reduce((sum, r) => sum + this.config.weights[r], 0) || 1;
    const order: number[] = [];
    for (let i = 0; i < n; i++) if (fused[i]! > 0) order.push(i);
    order.sort((a, b) => fused[b]! - fused[a]!);
    const out: Candidate[] = [];
    for (const slot of order) {
      const key = this.keysBySlot[slot]!;
      if (!this.entries.has(key) || this.entries.get(key)!.slot !== slot) continue;
      if (key === options.exclude) continue;
      if (options.accept && !options.accept(key)) continue;
      const parts = {} as Record<Ranker, number>;
      for (const r of RANKERS) parts[r] = perRanker[r]?.[slot] ?? 0;
      out.push({ key, score: this.config.fusion === 'max' ? fused[slot]! / totalWeight : fused[slot]!, parts });
      if (out.length >= options.limit) break;
    }
    return out;
  }

  /**
   * Why a document matched, in features a person can check: shared concepts, and query words
   * with the document words they met (same stem, translation, cognate or similar spelling).
   */
  explain(query: Analysed, key: string, similar: Map<string, { form: string; similarity: number }[]> = new Map()): { concepts: string[]; terms: { query: string; document: string; via: 'same' | 'translation' | 'cognate' | 'similar' }[] } {
    const doc = this.entries.get(key)?.doc;
    if (!doc) return { concepts: [], terms: [] };
    const concepts = Object.keys(query.concepts)
      .filter((c) => doc.concepts[c])
      .sort((a, b) => this.indexes.concepts.idf(b) * (doc.concepts[b] ?? 0) - this.indexes.concepts.idf(a) * (doc.concepts[a] ?? 0));
    const terms: { query: string; document: string; via: 'same' | 'translation' | 'cognate' | 'similar' }[] = [];
    const seen = new Set<string>();
    const push = (q: string, d: string, via: (typeof terms)[number]['via']) => {
      const k = `${q}→${d}`;
      if (seen.has(q) || seen.has(k)) return;
      seen.add(q);
      seen.add(k);
      terms.push({ query: q, document: d, via });
    };
    // Same stem (same language), strongest first.
    const byIdf = (bag: FeatureBag, index: Bm25Index) => Object.keys(bag).sort((a, b) => index.idf(b) - index.idf(a));
    for (const s of byIdf(query.stems, this.indexes.stems)) if (doc.stems[s]) push(query.surface[s] ?? s, doc.surface[s] ?? s, 'same');
    // Translations of the query's concepts.
    for (const c of concepts) push(query.surface[c] ?? c, doc.surface[c] ?? c, query.lang === doc.lang ? 'same' : 'translation');
    // Cognates and similar spellings.
    for (const k of byIdf(query.cognates, this.indexes.cognates)) if (doc.cognates[k]) push(query.surface[k] ?? k, doc.surface[k] ?? k, query.surface[k] === doc.surface[k] ? 'same' : 'cognate');
    for (const f of Object.keys(query.forms)) {
      if (doc.forms[f]) continue;
      if (!similar.has(f)) similar.set(f, this.similarForms(f));
      for (const s of similar.get(f)!) if (doc.forms[s.form]) push(query.surface[f] ?? f, doc.surface[s.form] ?? s.form, 'similar');
    }
    return { concepts, terms: terms.filter((t) => t.query !== t.document || t.via === 'same').slice(0, 8) };
  }
}

export { trigramSimilarity };

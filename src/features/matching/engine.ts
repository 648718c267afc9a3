import { translatedStems, type Analysed } from './analyse.js';
import { bagLength, bm25, ceiling, idf, saturation, type Bm25Options, type FeatureBag } from './bm25.js';
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

/** Tuned on the tuning half of bench/matchmaking (see docs/decisions/006-matchmaking.md). */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  weights: { stems: 1, concepts: 1, cognates: 0.5, fuzzy: 0.3 },
  translate: { other: 0.6, same: 0.25 },
  fusion: 'max',
  fuzzyThreshold: 0.62,
};

export const BM25: Record<Ranker, Bm25Options> = {
  stems: { k1: 1.2, b: 0.75 },
  concepts: { k1: 1.2, b: 0.5 },
  cognates: { k1: 1.2, b: 0.75 },
  fuzzy: { k1: 1.2, b: 0.75 },
};

/** The feature bags of a document (what is scored), without the words as written. */
export type DocumentBags = Pick<Analysed, 'lang' | 'stems' | 'concepts' | 'cognates' | 'forms'>;

/** The bag each ranker reads of a document. */
export function rankerBag(doc: DocumentBags, ranker: Ranker): FeatureBag {
  return ranker === 'fuzzy' ? doc.forms : doc[ranker];
}

/** Which ranker a feature belongs to, by its prefix (`it:`/`en:` stems, `c:` cognates, `f:` forms). */
export function rankerOf(feature: string): Ranker {
  if (feature.startsWith('it:') || feature.startsWith('en:')) return 'stems';
  if (feature.startsWith('c:')) return 'cognates';
  if (feature.startsWith('f:')) return 'fuzzy';
  return 'concepts';
}

/** Each ranker's length of a document (BM25 normalises by it). */
export function documentLengths(doc: DocumentBags): Record<Ranker, number> {
  return { stems: bagLength(doc.stems), concepts: bagLength(doc.concepts), cognates: bagLength(doc.cognates), fuzzy: bagLength(doc.forms) };
}

/** What BM25 needs to know of the collection a query is ranked against (one kind of document). */
export interface CollectionStats {
  docs: number;
  averageLength: Record<Ranker, number>;
  /** Documents holding the feature (0 when none). */
  df(feature: string): number;
}

export interface RankDoc {
  key: string;
  doc: DocumentBags;
  lengths: Record<Ranker, number>;
}

export interface Candidate {
  key: string;
  /** Fused score in [0, 1]. */
  score: number;
  parts: Record<Ranker, number>;
}

export interface SimilarForm {
  form: string;
  similarity: number;
}

export interface Explanation {
  concepts: string[];
  terms: { query: string; document: string; via: 'same' | 'translation' | 'cognate' | 'similar' }[];
}

/**
 * The ranking: four BM25 rankers over the documents' precomputed feature bags, fused.
 *  - stems: Snowball stems, the query widened with the translation of its concepts;
 *  - concepts: lexicon and taxonomy concept ids (language-neutral);
 *  - cognates: six-letter cognate keys shared by Italian and English words of the same root;
 *  - fuzzy: query words missing from the collection expanded to its words with similar trigrams.
 * It holds no documents: the collection statistics and the candidates come from the caller (the
 * database, bounded by the postings; or `MemoryCollection` below for tests and small sets).
 */
export class MatchEngine {
  constructor(
    readonly matcher: ConceptMatcher,
    public config: EngineConfig = DEFAULT_ENGINE_CONFIG,
  ) {}

  /** Of the collection's words similar to a form (candidates from a trigram index), the close ones. */
  closeForms(form: string, candidates: Iterable<string>): SimilarForm[] {
    const grams = trigrams(form.slice(2));
    const out: SimilarForm[] = [];
    for (const candidate of candidates) {
      if (candidate === form) continue;
      const similarity = trigramSimilarity(grams, trigrams(candidate.slice(2)));
      if (similarity >= this.config.fuzzyThreshold) out.push({ form: candidate, similarity });
    }
    return out.sort((a, b) => b.similarity - a.similarity || (a.form < b.form ? -1 : 1)).slice(0, 5);
  }

  /** The stems a query is widened with (translations of its concepts). */
  translated(query: Analysed): FeatureBag {
    return translatedStems(query, this.matcher, this.config.translate);
  }

  /**
   * The query bag each ranker looks for. `similar` holds, for the query's word forms that no
   * document of the collection has, the collection's close forms.
   */
  queryBags(query: Analysed, stats: CollectionStats, similar: Map<string, SimilarForm[]>): Record<Ranker, FeatureBag> {
    const stems: FeatureBag = { ...query.stems };
    for (const [key, w] of Object.entries(this.translated(query))) stems[key] = Math.max(stems[key] ?? 0, w);
    const fuzzy: FeatureBag = {};
    for (const [form, w] of Object.entries(query.forms)) {
      if (stats.df(form) > 0) fuzzy[form] = w;
      else for (const s of similar.get(form) ?? []) fuzzy[s.form] = Math.max(fuzzy[s.form] ?? 0, w * s.similarity);
    }
    return { stems, concepts: { ...query.concepts }, cognates: { ...query.cognates }, fuzzy };
  }

  private idfOf(stats: CollectionStats) {
    return (feature: string) => idf(stats.df(feature), stats.docs);
  }

  /**
   * What the candidate search needs of a query: each feature the collection has, with its ranker
   * and BM25 query weight (qtf × idf), and per ranker the factor that turns a sum of those into a
   * share of the fusion (the ranker's weight over its best possible score).
   */
  searchTerms(bags: Record<Ranker, FeatureBag>, stats: CollectionStats): { terms: { feature: string; ranker: Ranker; weight: number }[]; norm: Record<Ranker, number> } {
    const idfOf = this.idfOf(stats);
    const terms: { feature: string; ranker: Ranker; weight: number }[] = [];
    const norm = { stems: 0, concepts: 0, cognates: 0, fuzzy: 0 } as Record<Ranker, number>;
    for (const ranker of RANKERS) {
      const w = this.config.weights[ranker];
      if (!(w > 0)) continue;
      const present: FeatureBag = {};
      for (const [feature, qtf] of Object.entries(bags[ranker])) if (stats.df(feature) > 0 && qtf > 0) present[feature] = qtf;
      const top = ceiling(present, idfOf, BM25[ranker]);
      if (!(top > 0)) continue;
      norm[ranker] = w / top;
      for (const [feature, qtf] of Object.entries(present)) terms.push({ feature, ranker, weight: qtf * idfOf(feature) });
    }
    return { terms, norm };
  }

  /** Each ranker's BM25 score of each document. */
  scoreAll(bags: Record<Ranker, FeatureBag>, docs: RankDoc[], stats: CollectionStats): { key: string; scores: Record<Ranker, number> }[] {
    const idfOf = this.idfOf(stats);
    return docs.map((d) => {
      const scores = { stems: 0, concepts: 0, cognates: 0, fuzzy: 0 } as Record<Ranker, number>;
      for (const ranker of RANKERS) {
        if (this.config.weights[ranker] > 0) scores[ranker] = bm25(bags[ranker], rankerBag(d.doc, ranker), d.lengths[ranker], stats.averageLength[ranker], idfOf, BM25[ranker]);
      }
      return { key: d.key, scores };
    });
  }

  /** Every candidate's fused score, best first (only those with a score). */
  rank(bags: Record<Ranker, FeatureBag>, docs: RankDoc[], stats: CollectionStats): Candidate[] {
    return this.fuse(this.scoreAll(bags, docs, stats));
  }

  /**
   * Fusion of the rankers' scores: CombSUM of each score divided by the ranker's best among the
   * documents (or reciprocal rank fusion), over the sum of the weights; best first.
   */
  fuse(scored: { key: string; scores: Record<Ranker, number> }[]): Candidate[] {
    const active = RANKERS.filter((r) => this.config.weights[r] > 0);
    const fused = new Float64Array(scored.length);
    if (this.config.fusion === 'max') {
      for (const ranker of active) {
        let max = 0;
        for (const d of scored) if (d.scores[ranker] > max) max = d.scores[ranker];
        if (max <= 0) continue;
        const w = this.config.weights[ranker];
        scored.forEach((d, i) => {
          if (d.scores[ranker] > 0) fused[i] = fused[i]! + (w * d.scores[ranker]) / max;
        });
      }
    } else {
      for (const ranker of active) {
        const order = [...scored.keys()].filter((i) => scored[i]!.scores[ranker] > 0).sort((a, b) => scored[b]!.scores[ranker] - scored[a]!.scores[ranker]);
        const w = this.config.weights[ranker];
        order.forEach((slot, rank) => {
          fused[slot] = fused[slot]! + w / (60 + rank + 1);
        });
      }
    }
    const totalWeight = active.reduce((sum, r) => sum + this.config.weights[r], 0) || 1;
    const out: Candidate[] = [];
    scored.forEach((d, i) => {
      if (!(fused[i]! > 0)) return;
      out.push({ key: d.key, score: this.config.fusion === 'max' ? fused[i]! / totalWeight : fused[i]!, parts: { ...d.scores } });
    });
    return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
  }

  /**
   * Why a document matched, in features a person can check: shared concepts, and query words
   * with the document words they met (same stem, translation, cognate or similar spelling).
   */
  explain(query: Analysed, doc: Analysed, stats: CollectionStats, similar: Map<string, SimilarForm[]> = new Map()): Explanation {
    const idfOf = this.idfOf(stats);
    const concepts = Object.keys(query.concepts)
      .filter((c) => doc.concepts[c])
      .sort((a, b) => idfOf(b) * (doc.concepts[b] ?? 0) - idfOf(a) * (doc.concepts[a] ?? 0));
    const terms: Explanation['terms'] = [];
    const seen = new Set<string>();
    const push = (q: string, d: string, via: Explanation['terms'][number]['via']) => {
      const k = `${q}→${d}`;
      if (seen.has(q) || seen.has(k)) return;
      seen.add(q);
      seen.add(k);
      terms.push({ query: q, document: d, via });
    };
    // Same stem (same language), strongest first.
    const byIdf = (bag: FeatureBag) => Object.keys(bag).sort((a, b) => idfOf(b) - idfOf(a));
    for (const s of byIdf(query.stems)) if (doc.stems[s]) push(query.surface[s] ?? s, doc.surface[s] ?? s, 'same');
    // Translations of the query's concepts.
    for (const c of concepts) push(query.surface[c] ?? c, doc.surface[c] ?? c, query.lang === doc.lang ? 'same' : 'translation');
    // Cognates, then the collection's close forms of query words it lacks (typos, near-cognates).
    for (const k of byIdf(query.cognates)) if (doc.cognates[k]) push(query.surface[k] ?? k, doc.surface[k] ?? k, query.surface[k] === doc.surface[k] ? 'same' : 'cognate');
    for (const f of Object.keys(query.forms)) {
      if (doc.forms[f]) continue;
      for (const s of similar.get(f) ?? []) if (doc.forms[s.form]) push(query.surface[f] ?? f, doc.surface[s.form] ?? s.form, 'similar');
    }
    return { concepts, terms: terms.filter((t) => t.query !== t.document || t.via === 'same').slice(0, 8) };
  }
}

/**
 * A collection held in memory: statistics and candidates over every document. For unit tests and
 * small sets; the application reads both from PostgreSQL (repository.ts).
 */
export class MemoryCollection {
  private readonly docs = new Map<string, Analysed>();

  constructor(private readonly engine: MatchEngine) {}

  upsert(key: string, doc: Analysed): void {
    this.docs.set(key, doc);
  }

  remove(key: string): void {
    this.docs.delete(key);
  }

  get size(): number {
    return this.docs.size;
  }

  stats(): CollectionStats {
    const df = new Map<string, number>();
    const total: Record<Ranker, number> = { stems: 0, concepts: 0, cognates: 0, fuzzy: 0 };
    for (const doc of this.docs.values()) {
      for (const ranker of RANKERS) for (const f of Object.keys(rankerBag(doc, ranker))) df.set(f, (df.get(f) ?? 0) + 1);
      const lengths = documentLengths(doc);
      for (const r of RANKERS) total[r] += lengths[r];
    }
    const n = Math.max(this.docs.size, 1);
    return {
      docs: this.docs.size,
      averageLength: { stems: total.stems / n, concepts: total.concepts / n, cognates: total.cognates / n, fuzzy: total.fuzzy / n },
      df: (feature) => df.get(feature) ?? 0,
    };
  }

  search(query: Analysed, options: { limit: number; accept?: (key: string) => boolean }): Candidate[] {
    const stats = this.stats();
    const bags = this.engine.queryBags(query, stats, this.similar(query));
    const docs = [...this.docs.entries()].map(([key, doc]) => ({ key, doc, lengths: documentLengths(doc) }));
    return this.engine
      .rank(bags, docs, stats)
      .filter((c) => !options.accept || options.accept(c.key))
      .slice(0, options.limit);
  }

  explain(query: Analysed, key: string): Explanation {
    const doc = this.docs.get(key);
    return doc ? this.engine.explain(query, doc, this.stats(), this.similar(query)) : { concepts: [], terms: [] };
  }

  private similar(query: Analysed): Map<string, SimilarForm[]> {
    const vocabulary = new Set([...this.docs.values()].flatMap((d) => Object.keys(d.forms)));
    const similar = new Map<string, SimilarForm[]>();
    for (const form of Object.keys(query.forms)) if (!vocabulary.has(form)) similar.set(form, this.engine.closeForms(form, vocabulary));
    return similar;
  }
}

export { saturation, trigramSimilarity };

/** Weighted term frequencies of one document or query, by feature (stem, concept, cognate key…). */
export type FeatureBag = Record<string, number>;

export interface Bm25Options {
  k1: number;
  b: number;
}

/** Inverse document frequency (the BM25+ form, never negative). */
export function idf(df: number, docs: number): number {
  const N = Math.max(docs, 1);
  return Math.log(1 + (N - df + 0.5) / (df + 0.5));
}

/**
 * How much a document's weight for a feature counts, before the idf: saturated by k1, normalised
 * by the document's length against the average (b). At most k1 + 1; it is also the "impact" the
 * postings are ordered by.
 */
export function saturation(tf: number, length: number, averageLength: number, { k1, b }: Bm25Options): number {
  if (!(tf > 0)) return 0;
  const avg = averageLength > 0 ? averageLength : 1;
  return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avg));
}

/** Sum of the weights of a bag (the document's length for BM25). */
export function bagLength(bag: FeatureBag): number {
  let total = 0;
  for (const tf of Object.values(bag)) if (tf > 0) total += tf;
  return total;
}

/** A document's Okapi BM25 score for a query bag, given each feature's idf. */
export function bm25(query: FeatureBag, doc: FeatureBag, length: number, averageLength: number, idfOf: (feature: string) => number, options: Bm25Options): number {
  let score = 0;
  for (const [feature, qtf] of Object.entries(query)) {
    const tf = doc[feature];
    if (!tf || !(qtf > 0)) continue;
    score += qtf * idfOf(feature) * saturation(tf, length, averageLength, options);
  }
  return score;
}

/** The highest score a document could reach for this query (every feature present, saturated). */
export function ceiling(query: FeatureBag, idfOf: (feature: string) => number, options: Bm25Options): number {
  let total = 0;
  for (const [feature, qtf] of Object.entries(query)) if (qtf > 0) total += qtf * idfOf(feature) * (options.k1 + 1);
  return total;
}

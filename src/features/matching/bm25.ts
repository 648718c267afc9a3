/** Weighted term frequencies of one document or query, by feature (stem, concept, cognate key…). */
export type FeatureBag = Record<string, number>;

export interface Bm25Options {
  k1: number;
  b: number;
}

/**
 * An inverted index scored with Okapi BM25 over weighted features. Documents are dense integer
 * slots; removing a document leaves a tombstone that scoring skips (the engine compacts by
 * rebuilding when too many accumulate).
 */
export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly lengths: number[] = [];
  private readonly alive: boolean[] = [];
  private readonly slotFeatures: string[][] = [];
  /** Live documents per feature (tombstones excluded), for the idf. */
  private readonly liveDf = new Map<string, number>();
  private totalLength = 0;
  private liveCount = 0;

  constructor(private readonly options: Bm25Options = { k1: 1.2, b: 0.75 }) {}

  get size(): number {
    return this.liveCount;
  }

  /** Number of live documents containing the feature. */
  df(feature: string): number {
    return this.liveDf.get(feature) ?? 0;
  }

  has(feature: string): boolean {
    return this.df(feature) > 0;
  }

  add(slot: number, bag: FeatureBag): void {
    let length = 0;
    const features: string[] = [];
    for (const [feature, tf] of Object.entries(bag)) {
      if (!(tf > 0)) continue;
      let list = this.postings.get(feature);
      if (!list) {
        list = { docs: [], tfs: [] };
        this.postings.set(feature, list);
      }
      list.docs.push(slot);
      list.tfs.push(tf);
      length += tf;
      features.push(feature);
      this.liveDf.set(feature, (this.liveDf.get(feature) ?? 0) + 1);
    }
    this.slotFeatures[slot] = features;
    this.lengths[slot] = length;
    this.alive[slot] = true;
    this.totalLength += length;
    this.liveCount++;
  }

  remove(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = false;
    this.totalLength -= this.lengths[slot] ?? 0;
    for (const feature of this.slotFeatures[slot] ?? []) this.liveDf.set(feature, (this.liveDf.get(feature) ?? 1) - 1);
    this.liveCount--;
  }

  idf(feature: string): number {
    const n = this.df(feature);
    const N = Math.max(this.liveCount, 1);
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** Add each document's BM25 score for the query, times `weight`, into `scores` (indexed by slot). */
  score(query: FeatureBag, scores: Float64Array): void {
    const { k1, b } = this.options;
    const avg = this.liveCount > 0 ? this.totalLength / this.liveCount : 1;
    for (const [feature, qtf] of Object.entries(query)) {
      const list = this.postings.get(feature);
      if (!list || !(qtf > 0)) continue;
      const idf = this.idf(feature);
      const { docs, tfs } = list;
      for (let i = 0; i < docs.length; i++) {
        const slot = docs[i]!;
        if (!this.alive[slot]) continue;
        const tf = tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.lengths[slot]!) / avg);
        scores[slot] = scores[slot]! + qtf * idf * ((tf * (k1 + 1)) / norm);
      }
    }
  }

  /** The highest score a document could reach for this query (every feature present, saturated). */
  ceiling(query: FeatureBag): number {
    let total = 0;
    for (const [feature, qtf] of Object.entries(query)) if (this.postings.has(feature) && qtf > 0) total += qtf * this.idf(feature) * (this.options.k1 + 1);
    return total;
  }
}

/** Ranking metrics with graded judgements (2 = strong, 1 = plausible). */
export type Judgements = Record<string, number>;

export function ndcgAt(ranked: string[], judgements: Judgements, k = 10): number {
  const gain = (g: number) => 2 ** g - 1;
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += gain(judgements[id] ?? 0) / Math.log2(i + 2);
  });
  const ideal = Object.values(judgements).sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => {
    idcg += gain(g) / Math.log2(i + 2);
  });
  return idcg > 0 ? dcg / idcg : 0;
}

/** Precision at k: share of the first k results judged relevant (grade ≥ 1). */
export function precisionAt(ranked: string[], judgements: Judgements, k = 5): number {
  return ranked.slice(0, k).filter((id) => (judgements[id] ?? 0) >= 1).length / k;
}

/** Reciprocal rank of the first relevant result (grade ≥ 1). */
export function reciprocalRank(ranked: string[], judgements: Judgements): number {
  const i = ranked.findIndex((id) => (judgements[id] ?? 0) >= 1);
  return i < 0 ? 0 : 1 / (i + 1);
}

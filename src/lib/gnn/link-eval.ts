/**
 * Ranking metrics for link prediction: for each query (a child whose parent edge was held
 * out), where do its true parents rank among all candidates? Hits@k is the share of queries
 * with a true parent in the top k; MRR is the mean of 1 / rank.
 */

/** Hits@k for each requested k, MRR, and how many queries they average over. */
export interface RankingMetrics {
  queries: number;
  hits: Record<number, number>;
  mrr: number;
}

/**
 * The rank (1 = best) of the best-scored true candidate among `scores`. Candidates listed in
 * `ignore` (the query itself, parents known from training) take no place in the ranking.
 * Ties count half: a true candidate tied with t others ranks `1 + better + t / 2`, so a
 * scorer that gives everything the same score gets the rank of a random guess, not the best.
 *
 * @example
 *   rankOfTrue(Float32Array.of(0.1, 0.9, 0.5), [2]); // 2: only candidate 1 scores higher
 */
export function rankOfTrue(
  scores: ArrayLike<number>,
  trueCandidates: readonly number[],
  ignore: ReadonlySet<number> = new Set(),
): number {
  if (trueCandidates.length === 0) {
    throw new RangeError('A ranking query needs at least one true candidate.');
  }
  const truth = new Set(trueCandidates);
  let best = -Infinity;
  for (const candidate of truth) best = Math.max(best, scores[candidate]);

  let better = 0;
  let tied = 0;
  for (let c = 0; c < scores.length; c++) {
    if (ignore.has(c) || truth.has(c)) continue;
    if (scores[c] > best) better++;
    else if (scores[c] === best) tied++;
  }
  return 1 + better + tied / 2;
}

/** Hits@k and MRR over the ranks of many queries. */
export function rankingMetrics(
  ranks: readonly number[],
  ks: readonly number[] = [1, 10],
): RankingMetrics {
  const hits: Record<number, number> = {};
  for (const k of ks) {
    hits[k] = ranks.length === 0 ? 0 : ranks.filter((rank) => rank <= k).length / ranks.length;
  }
  const mrr =
    ranks.length === 0 ? 0 : ranks.reduce((sum, rank) => sum + 1 / rank, 0) / ranks.length;
  return { queries: ranks.length, hits, mrr };
}

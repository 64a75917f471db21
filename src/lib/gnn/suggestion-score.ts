/**
 * The score "likely parents" ranks by: the GNN's link probability blended with name
 * similarity. The lineage evaluation (scripts/gnn/lineage.mjs) found the blend stronger than
 * either alone, and on a young registry with few links the GNN alone has little to learn
 * from, while names already say a lot. The weights are fixed rather than tuned per registry,
 * so the held-out score the worker reports measures exactly this ranking.
 */

/** How much name similarity (0 to 1) counts against the link probability (0 to 1). */
export const NAME_WEIGHT = 0.5;

/** The blend of a decoder logit and a name similarity, 0 to 1. */
export function suggestionScore(logit: number, nameSimilarity: number): number {
  const probability = 1 / (1 + Math.exp(-logit));
  return (1 - NAME_WEIGHT) * probability + NAME_WEIGHT * nameSimilarity;
}

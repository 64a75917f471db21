/**
 * The held-out link-prediction score of a training run: how far a user can trust "likely
 * parents". Some children (versions with a recorded parent) have every parent link taken out
 * of training; after training, every version is ranked as a candidate parent of each such
 * child, and the ranks of the true parents give Hits@k and MRR (link-eval.ts). Holding out
 * children rather than single links matches how suggestions are used: on a version with no
 * recorded parent at all.
 */
import type { EdgeList } from './graph';
import { rankingMetrics, rankOfTrue, type RankingMetrics } from './link-eval';
import { SeededRandom } from './random';

/** Parent -> child links as two parallel arrays: link k is source[k] (parent) -> target[k]. */
export interface LinkList {
  source: Int32Array;
  target: Int32Array;
}

export interface HeldOutSplit {
  train: LinkList;
  heldOut: LinkList;
  /** Held-out child -> its held-out parents. */
  parentsOf: Map<number, number[]>;
  /** Child -> parents it keeps in training (ignored when ranking: they are known). */
  trainParentsOf: Map<number, number[]>;
}

/** Fewer links than this leave nothing worth measuring once a tenth is held out. */
export const MIN_LINKS_TO_SCORE = 3;

/**
 * Holds out about `share` of the children (at least one), with all their parent links, and
 * never so many that training keeps no link. Returns null when the graph has too few links
 * to score (`MIN_LINKS_TO_SCORE`).
 *
 * @example
 *   const split = holdOutChildren({ source: [0, 0, 1], target: [1, 2, 3] }, 0.1, 7);
 */
export function holdOutChildren(edges: EdgeList, share: number, seed: number): HeldOutSplit | null {
  const count = edges.source.length;
  if (count < MIN_LINKS_TO_SCORE) return null;

  const parentsOfChild = new Map<number, number[]>();
  for (let k = 0; k < count; k++) {
    const child = edges.target[k];
    if (!parentsOfChild.has(child)) parentsOfChild.set(child, []);
    parentsOfChild.get(child)!.push(edges.source[k]);
  }
  // Sorted before shuffling so the split depends on the seed and the graph, not on row order.
  const children = new SeededRandom(seed).shuffle([...parentsOfChild.keys()].sort((a, b) => a - b));
  const wanted = Math.max(1, Math.round(children.length * share));
  const heldOutChildren = new Set<number>();
  let heldOutLinks = 0;
  for (const child of children) {
    if (heldOutChildren.size >= wanted) break;
    const links = parentsOfChild.get(child)!.length;
    if (count - heldOutLinks - links < 1) continue;
    heldOutChildren.add(child);
    heldOutLinks += links;
  }
  if (heldOutChildren.size === 0) return null;

  const train = { source: [] as number[], target: [] as number[] };
  const heldOut = { source: [] as number[], target: [] as number[] };
  for (let k = 0; k < count; k++) {
    const side = heldOutChildren.has(edges.target[k]) ? heldOut : train;
    side.source.push(edges.source[k]);
    side.target.push(edges.target[k]);
  }
  const parentsOf = new Map([...heldOutChildren].map((c) => [c, parentsOfChild.get(c)!]));
  const trainParentsOf = new Map<number, number[]>();
  train.target.forEach((child, k) => {
    if (!trainParentsOf.has(child)) trainParentsOf.set(child, []);
    trainParentsOf.get(child)!.push(train.source[k]);
  });
  return {
    train: { source: Int32Array.from(train.source), target: Int32Array.from(train.target) },
    heldOut: { source: Int32Array.from(heldOut.source), target: Int32Array.from(heldOut.target) },
    parentsOf,
    trainParentsOf,
  };
}

/**
 * Ranks every node as a parent of each held-out child with `scoresFor(child)` (one score per
 * node, higher is likelier), leaving out the child and its training parents.
 */
export function scoreHeldOut(
  split: HeldOutSplit,
  scoresFor: (child: number) => ArrayLike<number>,
  ks: readonly number[] = [1, 10],
): RankingMetrics {
  const ranks: number[] = [];
  for (const [child, parents] of split.parentsOf) {
    const ignore = new Set([child, ...(split.trainParentsOf.get(child) ?? [])]);
    ranks.push(rankOfTrue(scoresFor(child), parents, ignore));
  }
  return rankingMetrics(ranks, ks);
}

/** Inner products of one node's embedding with every node's: the decoder's logits. */
export function innerProductScores(
  embeddings: Float32Array,
  dimension: number,
  node: number,
): Float32Array {
  const count = embeddings.length / dimension;
  const scores = new Float32Array(count);
  const base = node * dimension;
  for (let j = 0; j < count; j++) {
    let dot = 0;
    const row = j * dimension;
    for (let t = 0; t < dimension; t++) dot += embeddings[base + t] * embeddings[row + t];
    scores[j] = dot;
  }
  return scores;
}

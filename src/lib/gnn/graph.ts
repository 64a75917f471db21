/**
 * The graph a GCN layer propagates over, in the form message passing wants: one entry per
 * message (sender j, receiver i, coefficient 1/sqrt(d_i d_j)), self-loops included, as typed
 * arrays. Precomputing the coefficients once keeps every training step to a gather, a scale
 * and a segment sum, and never builds the N x N adjacency matrix.
 */
import { GraphShapeError } from './errors';

/** Undirected edges as two parallel arrays of node indices: edge k joins source[k], target[k]. */
export interface EdgeList {
  source: ArrayLike<number>;
  target: ArrayLike<number>;
}

/**
 * The symmetrically normalised adjacency with self-loops, `D^-1/2 (A + I) D^-1/2`, stored as
 * its non-zero entries. Entry m carries a message from node `source[m]` to node `target[m]`
 * weighted by `coefficient[m]`. Entries are sorted by target, then source.
 */
export interface NormalisedGraph {
  readonly nodeCount: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly coefficient: Float32Array;
  /** Degree of each node counting its self-loop: d_i = 1 + number of distinct neighbours. */
  readonly degree: Float32Array;
}

/**
 * Builds the normalised graph from undirected edges. Duplicate edges (either direction) count
 * once and self-loops in the input are ignored, because every node gets exactly one self-loop:
 * the degrees, and so the coefficients, then match the published GCN's `A + I`.
 *
 * @example
 *   const graph = normaliseGraph(3, { source: [0, 1], target: [1, 2] });
 *   graph.coefficient; // 1/sqrt(d_i d_j) per message, e.g. 1/sqrt(2*3) between nodes 0 and 1
 */
export function normaliseGraph(nodeCount: number, edges: EdgeList): NormalisedGraph {
  if (!Number.isInteger(nodeCount) || nodeCount < 0) {
    throw new GraphShapeError(`A graph needs a whole, non-negative node count, not ${nodeCount}.`);
  }
  if (edges.source.length !== edges.target.length) {
    throw new GraphShapeError(
      `Edge lists differ in length (${edges.source.length} sources, ` +
        `${edges.target.length} targets); give one source and one target per edge.`,
    );
  }

  const neighbours = distinctNeighbours(nodeCount, edges);

  const degree = new Float32Array(nodeCount);
  let messageCount = 0;
  for (let i = 0; i < nodeCount; i++) {
    degree[i] = neighbours[i].length + 1;
    messageCount += degree[i];
  }

  const source = new Int32Array(messageCount);
  const target = new Int32Array(messageCount);
  const coefficient = new Float32Array(messageCount);
  let m = 0;
  for (let i = 0; i < nodeCount; i++) {
    const senders = [...neighbours[i], i].sort((a, b) => a - b);
    for (const j of senders) {
      source[m] = j;
      target[m] = i;
      coefficient[m] = 1 / Math.sqrt(degree[i] * degree[j]);
      m++;
    }
  }
  return { nodeCount, source, target, coefficient, degree };
}

/** Each node's distinct neighbours, self excluded, checking every index on the way. */
function distinctNeighbours(nodeCount: number, edges: EdgeList): number[][] {
  const neighbours: number[][] = Array.from({ length: nodeCount }, () => []);
  const seen = new Set<number>();
  for (let k = 0; k < edges.source.length; k++) {
    const u = edges.source[k];
    const v = edges.target[k];
    if (!isNodeIndex(u, nodeCount) || !isNodeIndex(v, nodeCount)) {
      throw new GraphShapeError(
        `Edge ${k} joins ${u} and ${v}, but node indices run from 0 to ${nodeCount - 1}. ` +
          `Drop the edge or add the missing nodes.`,
      );
    }
    if (u === v) continue;

    const key = Math.min(u, v) * nodeCount + Math.max(u, v);
    if (seen.has(key)) continue;
    seen.add(key);
    neighbours[u].push(v);
    neighbours[v].push(u);
  }
  return neighbours;
}

function isNodeIndex(value: number, nodeCount: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < nodeCount;
}

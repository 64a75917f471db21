/**
 * "Likely parents" and "similar models" from the stored embeddings. A parent candidate is
 * scored by the link decoder the GNN was trained with (the sigmoid of the inner product of
 * the two embeddings) blended with name similarity (suggestion-score.ts); the held-out score
 * on the insights page measures exactly this ranking. A version registered after training
 * has no embedding: its candidates are ranked by name similarity alone, and the page says so.
 */
import { NameSimilarityIndex } from '../gnn/name-similarity';
import { parentReasons } from '../gnn/parent-reasons';
import { EmbeddingIndex } from '../gnn/similarity';
import { suggestionScore } from '../gnn/suggestion-score';
import type { LineageRegistry } from './api';
import { UnknownVersionError } from './errors';
import type { RegistryGraph } from './insights-graph';
import type { ParentSuggestions, SimilarVersion } from './insights-types';
import type { EmbeddingRow } from '../store/schema';

/** Candidates are never the version itself, its descendants (a cycle) or archived versions. */
export async function likelyParents(
  lineage: Pick<LineageRegistry, 'lineageDescendants'>,
  graph: RegistryGraph,
  row: EmbeddingRow | null,
  versionId: string,
  count: number,
): Promise<ParentSuggestions> {
  const child = graph.nodes.findIndex((node) => node.id === versionId);
  if (child < 0) throw new UnknownVersionError('(any model)', versionId);
  if (graph.links.target.includes(child)) {
    return { state: 'has-parents', basis: 'gnn', suggestions: [] };
  }
  if (!row) return { state: 'untrained', basis: 'gnn', suggestions: [] };

  const descendants = new Set((await lineage.lineageDescendants(versionId)).map((node) => node.id));
  const names = new NameSimilarityIndex(graph.nodes.map((node) => node.modelName));
  const nameScores = names.scoresFor(child);
  const embedded = row.nodeIds.indexOf(versionId);
  const scores = embedded >= 0 ? blendedScores(graph, row, embedded, nameScores) : nameScores;

  const candidates = graph.nodes
    .map((node, index) => ({ node, index, score: scores[index] }))
    .filter(
      ({ node, index, score }) =>
        index !== child && !node.archived && !descendants.has(node.id) && !Number.isNaN(score),
    )
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, count);
  return {
    state: 'suggested',
    basis: embedded >= 0 ? 'gnn' : 'names',
    suggestions: candidates.map(({ node, index, score }) => ({
      versionId: node.id,
      modelName: node.modelName,
      number: node.number,
      score,
      reasons: parentReasons(graph.nodes[child], node, {
        score: nameScores[index],
        sharedTokens: names.sharedTokens(child, index),
      }),
    })),
  };
}

/**
 * The suggestion score of each node of the graph as a parent of embedded row `embedded`;
 * NaN for nodes registered after training.
 */
function blendedScores(
  graph: RegistryGraph,
  row: EmbeddingRow,
  embedded: number,
  nameScores: Float32Array,
) {
  const d = row.dimension;
  const position = new Map(row.nodeIds.map((id, i) => [id, i]));
  return Float32Array.from(graph.nodes, (node, index) => {
    const j = position.get(node.id);
    if (j === undefined) return NaN;
    let dot = 0;
    for (let t = 0; t < d; t++) dot += row.vectors[embedded * d + t] * row.vectors[j * d + t];
    return suggestionScore(dot, nameScores[index]);
  });
}

/** The nearest versions by cosine similarity; null when the version has no embedding. */
export function similarVersions(
  graph: RegistryGraph,
  row: EmbeddingRow | null,
  versionId: string,
  count: number,
): SimilarVersion[] | null {
  if (!graph.nodes.some((node) => node.id === versionId)) {
    throw new UnknownVersionError('(any model)', versionId);
  }
  const embedded = row ? row.nodeIds.indexOf(versionId) : -1;
  if (!row || embedded < 0) return null;
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const index = new EmbeddingIndex(row.vectors, row.dimension);
  // A few extra, in case some of the nearest no longer exist in this registry.
  const similar: SimilarVersion[] = [];
  for (const { index: j, score } of index.nearestTo(embedded, count + 5)) {
    const node = nodes.get(row.nodeIds[j]);
    if (!node || similar.length >= count) continue;
    similar.push({
      versionId: node.id,
      modelName: node.modelName,
      number: node.number,
      similarity: score,
    });
  }
  return similar;
}

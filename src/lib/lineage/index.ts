/**
 * Lineage: the registry's family tree. Edges point parent -> child (see `types.ts`).
 *
 * - `LineageGraphIndex`: the in-memory index and its queries (ancestors, descendants, path,
 *   nearest common ancestors, downstream of a dataset, diff, neighbourhood).
 * - `foldEdges` / `LineageEdgeFold`: edge add and remove events folded the same way on every
 *   peer, dropping the adds that would close a cycle.
 * - PROV-JSON, triples (JSON, CSV) and Hugging Face card lineage in and out.
 * - `toVisData`: a subgraph as vis-network nodes, edges and options; `lineageSvg`: a drawn
 *   view as a standalone SVG document.
 * - `filterSubgraph` / `matchesNodeFilter`: narrowing a subgraph by kind, model, alias, tag.
 */
export * from './types';
export * from './errors';
export { LineageGraphIndex } from './graph-index';
export type { NeighbourhoodOptions } from './queries';
export * from './fold';
export * from './prov';
export * from './triples';
export * from './hf-card-lineage';
export * from './vis-adapter';
export { clusterAnchor, clusterKey, clusterNodeId } from './vis-folding';
export * from './subgraph-filter';
export * from './svg-export';

/**
 * The Hugging Face lineage graph as JSON lines (`nodes.jsonl`: `{id, ...hub metadata}`,
 * `edges.jsonl`: `{parent, child, relation}`), read and imported as a registry: every model
 * id becomes a model with version 1 (tagged with what the hub metadata says), every edge a
 * typed link. Writes go through the registry's batch paths, a few thousand per transaction.
 *
 * Relations: `finetune` -> fine-tuned from, `merge` -> merged from, `adapter` -> adapter of,
 * `quantized` -> quantized from; `unknown` and `unknown_annotated` (the parent was parsed
 * from card text or annotated without a type) -> derived from.
 *
 * @example const report = await importHfLineageGraph(registry, readHfLineageGraph(n, e));
 */
import type { Registry } from '../../registry/api';
import type { RegisterVersionInput } from '../../registry/types';
import { normaliseHfModelId } from '../../lineage/hf-card-lineage';
import type { LineageRelation } from '../../lineage/types';
import { importLocatedEdges, type LocatedEdge } from '../triples/import-triples';
import { emptyReport, skip, type ImportReport } from '../triples/report';
import { TargetResolver } from '../triples/targets';
import { InvalidLineageGraphLineError } from './errors';

const RELATIONS: Record<string, LineageRelation> = {
  finetune: 'fine-tuned-from',
  merge: 'merged-from',
  adapter: 'adapter-of',
  quantized: 'quantized-from',
};

export interface HfGraphNode {
  id: string;
  pipeline_tag?: string | null;
  library_name?: string | null;
  license?: string | null;
  downloads?: number | null;
  likes?: number | null;
  model_type?: string | null;
  parameters?: number | null;
  tags?: string[] | null;
}

export interface HfLineageGraph {
  /** Hub metadata by normalised id; ids only for most nodes. */
  nodes: Map<string, HfGraphNode>;
  edges: LocatedEdge[];
  problems: InvalidLineageGraphLineError[];
}

function jsonLines(text: string, file: string, problems: InvalidLineageGraphLineError[]) {
  const rows: { line: number; value: Record<string, unknown> }[] = [];
  text.split('\n').forEach((raw, index) => {
    if (!raw.trim()) return;
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error('not an object');
      }
      rows.push({ line: index + 1, value: value as Record<string, unknown> });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      problems.push(
        new InvalidLineageGraphLineError(file, index + 1, `not a JSON object (${why})`),
      );
    }
  });
  return rows;
}

/** Parses both files; bad lines are collected, not thrown. */
export function readHfLineageGraph(nodesText: string, edgesText: string): HfLineageGraph {
  const problems: InvalidLineageGraphLineError[] = [];
  const nodes = new Map<string, HfGraphNode>();
  for (const { line, value } of jsonLines(nodesText, 'nodes.jsonl', problems)) {
    const id = typeof value.id === 'string' ? normaliseHfModelId(value.id) : '';
    if (!id) {
      problems.push(new InvalidLineageGraphLineError('nodes.jsonl', line, 'it has no "id"'));
      continue;
    }
    if (!nodes.has(id) || value.metadata_available === true) {
      nodes.set(id, { ...(value as object), id } as HfGraphNode);
    }
  }

  const edges: LocatedEdge[] = [];
  const seen = new Set<string>();
  for (const { line, value } of jsonLines(edgesText, 'edges.jsonl', problems)) {
    const from = typeof value.parent === 'string' ? normaliseHfModelId(value.parent) : '';
    const to = typeof value.child === 'string' ? normaliseHfModelId(value.child) : '';
    if (!from || !to || from === to) {
      const why =
        from === to && from ? 'the parent is the child itself' : 'a parent or child is missing';
      problems.push(new InvalidLineageGraphLineError('edges.jsonl', line, why));
      continue;
    }
    const relation = RELATIONS[String(value.relation)] ?? 'derived-from';
    const key = JSON.stringify([from, to, relation]);
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ line, edge: { id: key, from, to, relation } });
  }
  return { nodes, edges, problems };
}

/** What version 1 of a model records from the hub metadata. */
export function hubVersionInput(node: HfGraphNode | undefined, id: string) {
  const tags: Record<string, string> = { 'hf.id': id };
  // Tag values are capped (5,000 characters); hub tag lists can run long.
  const put = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') {
      tags[key] = String(value).slice(0, 2_000);
    }
  };
  put('pipeline_tag', node?.pipeline_tag);
  put('library', node?.library_name);
  put('license', node?.license);
  put('model_type', node?.model_type);
  if (Array.isArray(node?.tags) && node.tags.length > 0) put('hf.tags', node.tags.join(', '));
  const input: Omit<RegisterVersionInput, 'model'> = { tags };
  const metrics: Record<string, number> = {};
  for (const key of ['downloads', 'likes', 'parameters'] as const) {
    const value = node?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
  }
  if (Object.keys(metrics).length > 0) input.metrics = metrics;
  return input;
}

export interface GraphImportProgress {
  phase: 'models' | 'links';
  done: number;
  total: number;
}

/** Imports a parsed graph; returns what was imported and what was skipped, by file line. */
export async function importHfLineageGraph(
  registry: Registry,
  graph: HfLineageGraph,
  options: { onProgress?: (progress: GraphImportProgress) => void; chunk?: number } = {},
): Promise<ImportReport> {
  const report = emptyReport();
  for (const problem of graph.problems) skip(report, problem.file, problem.line, problem);

  const resolver = new TargetResolver(registry, report, {
    namesOnly: true,
    chunk: options.chunk,
    newModel: () => ({ tags: { source: 'huggingface' } }),
    newVersion: (name) => hubVersionInput(graph.nodes.get(name), name),
    onProgress: (done, total) => options.onProgress?.({ phase: 'models', done, total }),
  });
  // Every node first, so models without links are registered too.
  await resolver.resolve([...graph.nodes.keys()].map((term) => ({ kind: 'version', term })));

  const chunk = options.chunk ?? 2_000;
  for (let start = 0; start < graph.edges.length; start += chunk) {
    const slice = graph.edges.slice(start, start + chunk);
    await importLocatedEdges(registry, slice, 'edges.jsonl', report, {
      resolver,
      edgeChunk: chunk,
    });
    options.onProgress?.({
      phase: 'links',
      done: Math.min(graph.edges.length, start + chunk),
      total: graph.edges.length,
    });
  }
  return report;
}

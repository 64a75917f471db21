/**
 * The Hugging Face lineage graph files read and imported as a registry: hand-made lines for
 * the mapping and bad lines, then a slice of the real graph in ../shared/data/lineage (read
 * in place, never copied), skipped with its path in the title when that folder is absent.
 */
import { describe, expect, test } from 'vitest';
import { importHfLineageGraph, readHfLineageGraph } from '../../src/lib/interop/hf/lineage-graph';
import { freshRegistry } from './support/registry';

interface FileSystem {
  existsSync(path: URL): boolean;
  readFileSync(path: URL, encoding: 'utf8'): string;
}
const { existsSync, readFileSync } = (await import(
  /* @vite-ignore */ `node:${'fs'}`
)) as FileSystem;

const DIR = new URL('../../../shared/data/lineage/', import.meta.url);
const present = existsSync(new URL('edges.jsonl', DIR));

describe('Hugging Face lineage graph import', () => {
  test('maps relations and metadata, skips bad lines by number, and cycles by name', async () => {
    const nodes = [
      '{"id": "org/base/", "metadata_available": false}',
      '{"id": "org/base", "pipeline_tag": "text-generation", "library_name": "transformers",' +
        ' "license": "mit", "downloads": 10, "tags": ["llama"], "metadata_available": true}',
      'not json',
      '{"id": "org/lonely"}',
    ].join('\n');
    const edges = [
      '{"parent": "org/base", "child": "org/tuned", "relation": "finetune"}',
      '{"parent": "org/tuned", "child": "org/gguf", "relation": "unknown"}',
      '{"parent": "org/tuned", "child": "org/gguf", "relation": "unknown"}',
      '{"parent": "org/gguf", "child": "org/base", "relation": "merge"}',
      '{"parent": "x", "child": "x", "relation": "merge"}',
    ].join('\n');
    const graph = readHfLineageGraph(nodes, edges);
    expect(graph.edges).toHaveLength(3);

    const registry = await freshRegistry('hf-graph');
    const report = await importHfLineageGraph(registry, graph, { chunk: 2 });
    expect(report.created).toMatchObject({ models: 4, versions: 4, edges: 2 });
    expect(report.skipped.map((s) => `${s.source}:${s.line} ${s.code}`)).toEqual([
      'nodes.jsonl:3 invalid-lineage-graph-line',
      'edges.jsonl:5 invalid-lineage-graph-line',
      'edges.jsonl:4 lineage-cycle',
    ]);
    const base = await registry.getVersion('org/base', 1);
    expect(base.tags).toMatchObject({ pipeline_tag: 'text-generation', license: 'mit' });
    expect(base.metrics).toEqual({ downloads: 10 });
    const gguf = await registry.getVersion('org/gguf', 1);
    const up = await registry.lineageAncestors(gguf.id);
    expect(up.map((node) => node.label)).toEqual(['org/tuned v1', 'org/base v1']);
  });

  const title = present
    ? `a slice of the real graph (${DIR.pathname})`
    : `a slice of the real graph (skipped: ${DIR.pathname} not found)`;
  test.skipIf(!present)(
    title,
    async () => {
      const edgeLines = readFileSync(new URL('edges.jsonl', DIR), 'utf8').split('\n').slice(0, 600);
      const graph = readHfLineageGraph('', edgeLines.join('\n'));
      const registry = await freshRegistry('hf-graph-real');
      const report = await importHfLineageGraph(registry, graph);
      const ends = new Set(graph.edges.flatMap(({ edge }) => [edge.from, edge.to]));
      expect(report.created.models).toBe(ends.size);
      expect(report.created.edges + report.skipped.length).toBe(graph.edges.length);
      expect(report.skipped.every((item) => item.code === 'lineage-cycle')).toBe(true);
      expect(await registry.log.db.versions.count()).toBe(ends.size);
    },
    120_000,
  );
});

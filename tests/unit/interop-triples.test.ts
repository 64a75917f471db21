/**
 * Importing lineage triples into the registry: terms that name versions and datasets link to
 * them, unknown model ids become models with a version 1, a second import adds nothing, a
 * triple closing a cycle is refused with the cycle named while the rest go in, bad rows are
 * skipped with their line.
 */
import { describe, expect, test } from 'vitest';
import { importLineageTriples } from '../../src/lib/interop/triples/import-triples';
import { toTriplesCsv, toTriplesJson } from '../../src/lib/lineage/triples';
import { freshRegistry } from './support/registry';

describe('importLineageTriples', () => {
  test('links known nodes, makes models for unknown ids, and is idempotent', async () => {
    const registry = await freshRegistry('triples');
    await registry.createModel({ name: 'bert' });
    const [v1] = await registry.registerVersions([{ model: 'bert' }]);
    const squad = await registry.recordDataset({ name: 'squad' });
    const csv = [
      'subject,predicate,object,note,weight',
      `org/bert-ner,fine-tuned-from,${v1.id},"tuned, twice",`,
      `org/bert-ner,trained-on,${squad.id},,`,
      'org/bert-ner,trained-on,conll2003,,',
      'org/merged,merged-from,org/bert-ner,,0.5',
      'org/merged,merged-from,https://huggingface.co/org/other/,,0.5',
      'org/merged,frobbed-from,org/x,,',
      'bert v1,derived-from,org/merged,,',
      'org/q,quantized-from,models:/bert/1,,',
    ].join('\r\n');

    const report = await importLineageTriples(registry, csv, { fileName: 'lineage.csv' });
    expect(report.created).toEqual({ models: 4, versions: 4, datasets: 1, runs: 0, edges: 6 });
    expect(report.skipped.map((s) => [s.line, s.code])).toEqual([
      [7, 'invalid-triple'],
      [8, 'lineage-cycle'],
    ]);
    expect(report.skipped[1].reason).toMatch(
      /org\/merged v1 -> bert v1 -> org\/bert-ner v1 -> org\/merged v1/,
    );

    const ner = await registry.getVersion('org/bert-ner', 1);
    const parents = await registry.lineageAncestors(ner.id, { maxDepth: 1 });
    expect(parents.map((node) => node.label).sort()).toEqual(['bert v1', 'conll2003', 'squad']);
    const edges = await registry.lineageEdgesOf(ner.id);
    expect(edges.find((edge) => edge.from === v1.id)?.note).toBe('tuned, twice');
    const merged = await registry.getVersion('org/merged', 1);
    const mergeEdges = (await registry.lineageEdgesOf(merged.id)).filter((e) => e.to === merged.id);
    expect(mergeEdges.map((e) => [e.fromLabel, e.weight]).sort()).toEqual([
      ['org/bert-ner v1', 0.5],
      ['org/other v1', 0.5],
    ]);
    expect((await registry.getVersion('org/q', 1)).id).toBeTruthy();

    const events = await registry.log.db.events.count();
    const again = await importLineageTriples(registry, csv, { fileName: 'lineage.csv' });
    expect(again.created).toEqual({ models: 0, versions: 0, datasets: 0, runs: 0, edges: 0 });
    expect(again.existingEdges).toBe(6);
    expect(await registry.log.db.events.count()).toBe(events);
  });

  test('what Stemma exports imports back into an empty registry as the same graph', async () => {
    const source = await freshRegistry('triples-out');
    await source.createModel({ name: 'base' });
    const [a, b, c] = await source.registerVersions([
      { model: 'base' },
      { model: 'base' },
      { model: 'base' },
    ]);
    await source.addLineageEdge({ from: a.id, to: b.id, relation: 'fine-tuned-from' });
    await source.addLineageEdge({ from: b.id, to: c.id, relation: 'quantized-from', note: 'q4' });
    const subgraph = await source.lineageNeighbourhood(b.id);

    for (const [name, text] of [
      ['view.triples.json', JSON.stringify(toTriplesJson(subgraph.edges))],
      ['view.triples.csv', toTriplesCsv(subgraph.edges)],
    ]) {
      const target = await freshRegistry('triples-in');
      const report = await importLineageTriples(target, text, { fileName: name });
      expect(report.skipped).toEqual([]);
      expect(report.created.edges).toBe(2);
      // Version ids are unknown to another registry, so each becomes a model of that name.
      const child = await target.getVersion(c.id, 1);
      const up = await target.lineageAncestors(child.id);
      expect(up.map((node) => [node.label, node.depth])).toEqual([
        [`${b.id} v1`, 1],
        [`${a.id} v1`, 2],
      ]);
    }
  });

  test('a file that is not triples is one skipped item; nothing is written', async () => {
    const registry = await freshRegistry('triples-bad');
    const before = await registry.log.db.events.count();
    const report = await importLineageTriples(registry, '{"triples": 3', { fileName: 'x.json' });
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ source: 'x.json', code: 'lineage-import' });
    const csv = await importLineageTriples(registry, 'a,b\r\n1,2\r\n', { fileName: 'x.csv' });
    expect(csv.skipped[0].reason).toMatch(/unknown column "a"/);
    const json = await importLineageTriples(
      registry,
      '[{"subject":"a","predicate":"x","object":"b"}]',
    );
    expect(json.skipped[0]).toMatchObject({ line: 1, code: 'invalid-triple' });
    expect(await registry.log.db.events.count()).toBe(before);
  });
});

/**
 * The registry's batch paths for imports: many links in one transaction (each refused one
 * reported with the error the single add throws, the rest added), models made only where
 * missing, and versions looked up many at a time.
 */
import { describe, expect, test } from 'vitest';
import { LineageCycleError } from '../../src/lib/lineage/errors';
import { UnknownLineageNodeError } from '../../src/lib/registry/lineage-errors';
import { InvalidInputError } from '../../src/lib/registry/errors';
import { freshRegistry } from './support/registry';

async function chain() {
  const registry = await freshRegistry('batch');
  await registry.createModel({ name: 'm' });
  const v = await registry.registerVersions([1, 2, 3, 4].map(() => ({ model: 'm' })));
  const data = await registry.recordDataset({ name: 'squad' });
  return { registry, ids: v.map((version) => version.id), data };
}

describe('addLineageEdges', () => {
  test('adds what it can, reports the rest by index, and a second run adds nothing', async () => {
    const { registry, ids, data } = await chain();
    const [a, b, c, d] = ids;
    await registry.addLineageEdge({ from: a, to: b, relation: 'fine-tuned-from' });
    const inputs = [
      { from: b, to: c, relation: 'fine-tuned-from' as const },
      { from: a, to: b, relation: 'fine-tuned-from' as const },
      { from: c, to: d, relation: 'quantized-from' as const },
      // Closes d -> a through the two links above, both from this same batch.
      { from: d, to: a, relation: 'derived-from' as const },
      { from: 'nothing-here', to: d, relation: 'derived-from' as const },
      { from: data.id, to: d, relation: 'fine-tuned-from' as const },
      { from: data.id, to: d, relation: 'trained-on' as const },
      { from: b, to: c, relation: 'fine-tuned-from' as const },
    ];
    const result = await registry.addLineageEdges(inputs);
    expect(result.added.map((edge) => [edge.from, edge.to])).toEqual([
      [b, c],
      [c, d],
      [data.id, d],
    ]);
    expect(result.existing).toEqual([1, 7]);
    expect(result.refused.map((r) => r.index)).toEqual([3, 4, 5]);
    const cycle = result.refused[0].error as LineageCycleError;
    expect(cycle).toBeInstanceOf(LineageCycleError);
    expect(cycle.cycle).toEqual(['m v4', 'm v1', 'm v2', 'm v3', 'm v4']);
    expect(result.refused[1].error).toBeInstanceOf(UnknownLineageNodeError);
    expect(result.refused[2].error).toBeInstanceOf(InvalidInputError);
    expect(await registry.droppedLineageEdges()).toEqual([]);

    const events = await registry.log.db.events.count();
    const again = await registry.addLineageEdges(inputs);
    expect(again.added).toEqual([]);
    expect(again.existing).toEqual([0, 1, 2, 6, 7]);
    expect(await registry.log.db.events.count()).toBe(events);
    expect((await registry.lineageAncestors(d)).map((n) => n.label).sort()).toEqual([
      'm v1',
      'm v2',
      'm v3',
      'squad',
    ]);
  });

  test('a single link closing a cycle is refused by the live graph, nothing written', async () => {
    const { registry, ids } = await chain();
    await registry.addLineageEdge({ from: ids[0], to: ids[1], relation: 'fine-tuned-from' });
    const before = await registry.stateHash();
    const result = await registry.addLineageEdges([
      { from: ids[1], to: ids[0], relation: 'derived-from' },
    ]);
    expect(result.refused[0].error).toBeInstanceOf(LineageCycleError);
    expect(result.refused[0].error.message).toContain('m v2 -> m v1 -> m v2');
    expect(await registry.stateHash()).toBe(before);
  });
});

describe('ensureModels and findVersions', () => {
  test('creates only the missing models, once, and finds versions by name and number', async () => {
    const { registry, ids } = await chain();
    const first = await registry.ensureModels([{ name: 'm' }, { name: 'x/y' }, { name: 'x/y' }]);
    expect(first.created).toEqual(['x/y']);
    expect(first.models.map((model) => model.name)).toEqual(['m', 'x/y', 'x/y']);
    expect(first.models[0].versionCount).toBe(4);
    const second = await registry.ensureModels([{ name: 'x/y', description: 'changed' }]);
    expect(second.created).toEqual([]);
    expect(second.models[0].description).toBe('');

    const found = await registry.findVersions([
      { model: 'm', version: 2 },
      { model: 'x/y', version: 1 },
      { model: 'nope', version: 1 },
      { model: first.models[0].id, version: 4 },
    ]);
    expect(found.map((version) => version?.id ?? null)).toEqual([ids[1], null, null, ids[3]]);
    await expect(registry.findVersions([{ model: 'm', version: 0 }])).rejects.toThrow(
      InvalidInputError,
    );
  });
});

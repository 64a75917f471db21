/**
 * The lineage graph snapshot: columns that round-trip the index exactly, and the projection
 * using a stored snapshot only while it is of exactly the stored edge events (a new edge, a
 * late event or a damaged value sends it back to the rows).
 */
import { expect, test, vi } from 'vitest';
import { LineageGraphIndex } from '../../src/lib/lineage/graph-index';
import { graphFromSnapshot, snapshotGraph } from '../../src/lib/lineage/graph-snapshot';
import { LINEAGE_RELATIONS } from '../../src/lib/lineage/types';
import { LineageProjection } from '../../src/lib/registry/lineage-projection';
import { seededRandom } from './support/random';
import { freshRegistry } from './support/registry';

function randomIndex(seed: number, nodes: number, edges: number): LineageGraphIndex {
  const random = seededRandom(seed);
  const list = [];
  for (let k = 0; k < edges; k++) {
    const child = 1 + random.int(nodes - 1);
    const relation = LINEAGE_RELATIONS[k % LINEAGE_RELATIONS.length];
    list.push({
      id: `e${k}`,
      from: `n${random.int(child)}`,
      to: `n${child}`,
      relation,
      ...(k % 7 === 0 ? { note: `note ${k} · ünïcode` } : {}),
      ...(relation === 'merged-from' ? { weight: k / edges } : {}),
    });
  }
  const index = LineageGraphIndex.build([{ id: 'lonely', kind: 'dataset' }], list);
  index.removeEdge('e3');
  return index;
}

test('a snapshot rebuilds the same nodes, kinds, edges, notes and weights', () => {
  const index = randomIndex(11, 300, 900);
  const again = graphFromSnapshot(snapshotGraph(index));
  expect(again.nodes()).toEqual(index.nodes());
  expect(again.edges()).toEqual(index.edges());
  expect(again.edge('e3')).toBeUndefined();
  expect(again.ancestors('n250')).toEqual(index.ancestors('n250'));
  const empty = graphFromSnapshot(snapshotGraph(new LineageGraphIndex()));
  expect([empty.nodeCount, empty.edgeCount]).toEqual([0, 0]);
});

test('the projection reads a current snapshot and ignores a stale or damaged one', async () => {
  const registry = await freshRegistry('snapshot');
  const db = registry.log.db;
  await registry.createModel({ name: 'm' });
  const [a, b, c] = await registry.registerVersions([
    { model: 'm' },
    { model: 'm' },
    { model: 'm' },
  ]);
  await registry.addLineageEdge({ from: a.id, to: b.id, relation: 'fine-tuned-from', note: 'x' });

  // A fresh projection (a new start) builds from the rows and stores a snapshot.
  await new LineageProjection().graph(db);
  const stored = async () =>
    (await db.meta.get('lineage:graph-snapshot'))?.value as { events: number } | undefined;
  await vi.waitFor(async () => expect((await stored())?.events).toBe(1));

  // The next start uses it: make it distinguishable by planting an extra edge in it.
  const planted = snapshotGraph(
    LineageGraphIndex.build(
      [],
      [{ id: 'planted', from: a.id, to: c.id, relation: 'derived-from' }],
    ),
  );
  const row = (await db.meta.get('lineage:graph-snapshot'))!;
  await db.meta.put({ ...row, value: { ...(row.value as object), graph: planted } });
  const fromSnapshot = await new LineageProjection().graph(db);
  expect(fromSnapshot.edges().map((edge) => edge.id)).toEqual(['planted']);

  // One more edge event makes it stale: the rows are read again.
  await registry.addLineageEdge({ from: b.id, to: c.id, relation: 'fine-tuned-from' });
  const fromRows = await new LineageProjection().graph(db);
  const ends = fromRows.edges().map((edge) => [edge.from, edge.to, edge.note]);
  expect(ends).toHaveLength(2);
  expect(ends).toEqual(
    expect.arrayContaining([
      [a.id, b.id, 'x'],
      [b.id, c.id, undefined],
    ]),
  );
  await vi.waitFor(async () => expect((await stored())?.events).toBe(2));

  // A damaged value is ignored, not trusted and not fatal.
  const current = (await db.meta.get('lineage:graph-snapshot'))!;
  await db.meta.put({ ...current, value: { ...(current.value as object), graph: { format: 1 } } });
  expect((await new LineageProjection().graph(db)).edgeCount).toBe(2);
  registry.close();
});

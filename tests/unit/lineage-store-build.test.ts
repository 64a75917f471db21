/**
 * Building the in-memory lineage graph from the stored edge rows, as a registry does when it
 * opens. By default a 10k-node graph keeps the suite quick; `STEMMA_LINEAGE_SCALE=1` runs the
 * issue's size (100k nodes, 200k edges) and prints the timings.
 */
import { expect, test } from 'vitest';
import { openEventRegistry } from '../../src/lib/registry';
import { LineageProjection } from '../../src/lib/registry/lineage-projection';
import type { LineageEdgeRow } from '../../src/lib/store/schema';
import { WorkspaceDb } from '../../src/lib/store/schema';
import { seededRandom, uniqueName } from './support/random';

const full = process.env.STEMMA_LINEAGE_SCALE === '1';
const NODES = full ? 100_000 : 10_000;
const EDGES = NODES * 2;

/** A random DAG as active edge rows: every edge runs from a lower node number to a higher. */
function dagRows(seed: number): LineageEdgeRow[] {
  const random = seededRandom(seed);
  const rows: LineageEdgeRow[] = [];
  for (let k = 0; k < EDGES; k++) {
    // Each node gets at least one edge in, so the node count is the one asked for.
    const child = k < NODES - 1 ? k + 1 : 1 + random.int(NODES - 1);
    const parent = random.int(child);
    rows.push({
      id: `e${k}`,
      from: `n${parent}`,
      to: `n${child}`,
      relation: k % 3 === 0 ? 'trained-on' : 'fine-tuned-from',
      state: 'active',
      reason: null,
      cycle: [],
      droppedEvent: null,
      tags: [`add${k}`],
      accepted: 1,
      addedAt: k,
      addedBy: 'bench',
      updatedAt: k,
    });
  }
  return rows;
}

test(`builds the graph of ${NODES} nodes and ${EDGES} edges from Dexie`, async () => {
  const workspaceId = uniqueName('build');
  const db = new WorkspaceDb(`stemma-ws-${workspaceId}`);
  const rows = dagRows(7);
  let started = performance.now();
  for (let start = 0; start < rows.length; start += 20_000) {
    await db.lineageEdges.bulkPut(rows.slice(start, start + 20_000));
  }
  const storeMs = performance.now() - started;

  const projection = new LineageProjection();
  started = performance.now();
  const graph = await projection.graph(db);
  const buildMs = performance.now() - started;
  expect(graph.nodeCount).toBe(NODES);
  expect(graph.edgeCount).toBe(EDGES);

  started = performance.now();
  const again = await projection.graph(db);
  const cachedMs = performance.now() - started;
  expect(again).toBe(graph);

  started = performance.now();
  const ancestors = graph.ancestors(`n${NODES - 1}`);
  const descendants = graph.descendants('n0');
  const queryMs = performance.now() - started;
  expect(ancestors).toContain('n0');
  expect(descendants).toHaveLength(NODES - 1);

  // A link made through the registry folds into the graph in memory, with no rebuild.
  db.close();
  const registry = await openEventRegistry({ workspaceId, identityDb: uniqueName('id') });
  await registry.createModel({ name: 'big' });
  const [v1, v2] = await registry.registerVersions([{ model: 'big' }, { model: 'big' }]);
  await registry.lineageAncestors(v2.id);
  started = performance.now();
  await registry.addLineageEdge({ from: v1.id, to: v2.id, relation: 'fine-tuned-from' });
  const linkMs = performance.now() - started;
  started = performance.now();
  const parents = await registry.lineageAncestors(v2.id);
  const registryQueryMs = performance.now() - started;
  expect(parents.map((node) => node.label)).toEqual(['big v1']);

  console.log(
    `lineage graph from Dexie (fake-indexeddb, Node): ${NODES} nodes / ${EDGES} edges: ` +
      `store ${storeMs.toFixed(0)} ms, build ${buildMs.toFixed(0)} ms, ` +
      `cached ${cachedMs.toFixed(1)} ms, ancestors + descendants ${queryMs.toFixed(1)} ms, ` +
      `addLineageEdge ${linkMs.toFixed(0)} ms, lineageAncestors ${registryQueryMs.toFixed(1)} ms`,
  );
  registry.close();
}, 300_000);

/**
 * The fold and the walks on the real Hugging Face lineage graph in ../shared/data/lineage
 * (20,052 parent -> child edges, licence unstated: read in place, never copied here). The
 * suite skips, saying so in its title, on a clone without that folder.
 */
import { describe, expect, it } from 'vitest';
import { foldEdges, type LineageEdgeEvent } from '../../src/lib/lineage/fold';
import { normaliseHfModelId } from '../../src/lib/lineage/hf-card-lineage';
import { fromTriplesCsv, toTriplesCsv, tripleEdgeId } from '../../src/lib/lineage/triples';
import type { LineageEdge, LineageRelation } from '../../src/lib/lineage/types';
import { ReferenceGraph, seededRandom } from './lineage-reference';

// The project carries no Node type definitions, so the two calls used here are typed locally.
interface FileSystem {
  existsSync(path: URL): boolean;
  readFileSync(path: URL, encoding: 'utf8'): string;
}
const { existsSync, readFileSync } = (await import(
  /* @vite-ignore */ `node:${'fs'}`
)) as FileSystem;

const EDGES_FILE = new URL('../../../shared/data/lineage/edges.jsonl', import.meta.url);
const present = existsSync(EDGES_FILE);
const title = present
  ? `real Hugging Face lineage graph (${EDGES_FILE.pathname})`
  : `real Hugging Face lineage graph (skipped: ${EDGES_FILE.pathname} not found)`;

const RELATIONS: Record<string, LineageRelation> = {
  finetune: 'fine-tuned-from',
  merge: 'merged-from',
};

/**
 * One add event per line, in file order, ids normalised as card ids are. The two sources
 * sometimes give one parent and child two relations, so the relation is part of the edge id.
 */
function readEvents(): LineageEdgeEvent[] {
  const lines = readFileSync(EDGES_FILE, 'utf8').split('\n').filter(Boolean);
  return lines.map((line, n) => {
    const row = JSON.parse(line) as { parent: string; child: string; relation: string };
    const from = normaliseHfModelId(row.parent);
    const to = normaliseHfModelId(row.child);
    const relation = RELATIONS[row.relation] ?? 'derived-from';
    const hlc = String(n).padStart(6, '0');
    const edge = { id: tripleEdgeId(to, relation, from), from, to, relation };
    return { id: `line${hlc}`, hlc, op: 'add', edge };
  });
}

describe.skipIf(!present)(title, () => {
  it('drops exactly the edges a naive reachability check drops, naming shortest cycles', () => {
    const events = readEvents();
    const { graph, dropped } = foldEdges(events);

    const reference = new ReferenceGraph();
    const expectedDrops: { eventId: string; cycleLength: number }[] = [];
    const liveIds = new Set<string>();
    for (const event of events) {
      if (event.op !== 'add' || liveIds.has(event.edge.id)) continue;
      const { from, to } = event.edge;
      const distance = from === to ? 0 : reference.reach(to, true).get(from);
      if (distance !== undefined) {
        expectedDrops.push({ eventId: event.id, cycleLength: distance + 2 });
        continue;
      }
      reference.add(event.edge);
      liveIds.add(event.edge.id);
    }

    const actualDrops = dropped.map((d) => ({ eventId: d.eventId, cycleLength: d.cycle.length }));
    expect(actualDrops).toEqual(expectedDrops);
    expect(graph.edgeCount).toBe(liveIds.size);
    console.info(
      `real lineage: ${events.length} edge lines, ${liveIds.size} distinct edges kept, ` +
        `${graph.nodeCount} models, ${dropped.length} dropped as cycles ` +
        `(${dropped.filter((d) => d.cycle.length === 2).length} self-loops)`,
    );
  });

  it('walks every sampled family like the reference', () => {
    const { graph } = foldEdges(readEvents());
    const reference = new ReferenceGraph(graph.edges());
    const random = seededRandom(4);
    const nodes = graph.nodes();
    for (let trial = 0; trial < 300; trial++) {
      const id = nodes[Math.floor(random() * nodes.length)].id;
      expect(new Set(graph.ancestors(id))).toEqual(new Set(reference.reach(id, false).keys()));
      expect(new Set(graph.descendants(id))).toEqual(new Set(reference.reach(id, true).keys()));
    }
  });

  it('exports and re-reads the whole graph as triples', () => {
    const { graph } = foldEdges(readEvents());
    const edges: LineageEdge[] = graph.edges();
    const back = fromTriplesCsv(toTriplesCsv(edges));
    expect(back.map((edge) => [edge.from, edge.to, edge.relation])).toEqual(
      edges.map((edge) => [edge.from, edge.to, edge.relation]),
    );
  });
});

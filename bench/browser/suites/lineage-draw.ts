/**
 * Laying out and drawing 1,000 lineage nodes with vis-network in the page, the way the
 * explorer does: `toVisData` on a subgraph, then a hierarchical, physics-free `Network` in a
 * visible 1200 x 800 frame, timed until its first `afterDrawing` and the next frame.
 * Target: <= 2 s. Main-thread tasks over 50 ms are reported too (the longest is what makes
 * a page feel stuck).
 */
import { DataSet } from 'vis-data';
import { Network, type Edge, type Node } from 'vis-network';
import 'vis-network/styles/vis-network.css';
import { toVisData } from '../../../src/lib/lineage/vis-adapter';
import { LINEAGE_RELATIONS, type LineageSubgraph } from '../../../src/lib/lineage/types';
import type { BenchSuite } from '../suite';

const settings = new URLSearchParams(location.search);
const NODES = Number(settings.get('drawNodes') ?? 1_000);
const RUNS = 3;

/** A seeded DAG shaped like model families: each node takes one or two earlier parents. */
function familyGraph(count: number): LineageSubgraph {
  let state = 0x2545f491;
  const random = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  const kinds = ['version', 'version', 'version', 'dataset', 'run'] as const;
  const nodes: LineageSubgraph['nodes'] = [];
  const edges: LineageSubgraph['edges'] = [];
  for (let i = 0; i < count; i++) {
    const kind = i === 0 ? 'version' : kinds[Math.floor(random() * kinds.length)];
    nodes.push({ id: `n${i}`, kind, label: `${kind} ${i}`, depth: 0 });
    if (i === 0) continue;
    const parents = random() < 0.4 ? 2 : 1;
    const seen = new Set<number>();
    for (let p = 0; p < parents; p++) {
      const parent = Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 40)));
      if (seen.has(parent)) continue;
      seen.add(parent);
      const relation = LINEAGE_RELATIONS[Math.floor(random() * LINEAGE_RELATIONS.length)];
      edges.push({ id: `e${edges.length}`, from: `n${parent}`, to: `n${i}`, relation });
    }
  }
  return { center: 'n0', nodes, edges, truncated: false };
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

async function drawOnce(subgraph: LineageSubgraph) {
  const frame = document.createElement('div');
  frame.style.cssText = 'width:1200px;height:800px;border:1px solid #ccc;background:#fff';
  document.body.append(frame);

  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });

  const started = performance.now();
  const view = toVisData(subgraph, { facts: (id) => ({ family: `f${Number(id.slice(1)) % 60}` }) });
  const adapted = performance.now();
  const drawn = new Promise<void>((resolve) => {
    const network = new Network(
      frame,
      { nodes: new DataSet<Node>(view.nodes), edges: new DataSet<Edge>(view.edges) },
      view.options,
    );
    network.once('afterDrawing', () => resolve());
    (frame as HTMLDivElement & { network?: Network }).network = network;
  });
  await drawn;
  await nextFrame();
  const finished = performance.now();

  observer.disconnect();
  (frame as HTMLDivElement & { network?: Network }).network?.destroy();
  frame.remove();
  return {
    totalMs: finished - started,
    adaptMs: adapted - started,
    drawnNodes: view.nodes.length,
    drawnEdges: view.edges.length,
    longestTaskMs: Math.max(0, ...longTasks),
  };
}

const round = (ms: number) => Math.round(ms);

const suite: BenchSuite = {
  name: 'lineage-draw',
  async run() {
    const subgraph = familyGraph(NODES);
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await drawOnce(subgraph));
    const totals = runs.map((run) => run.totalMs).sort((a, b) => a - b);
    return {
      nodes: NODES,
      edges: subgraph.edges.length,
      drawnNodes: runs[0].drawnNodes,
      drawnEdges: runs[0].drawnEdges,
      layoutAndDrawMs: { median: round(totals[1]), runs: runs.map((run) => round(run.totalMs)) },
      toVisDataMs: runs.map((run) => round(run.adaptMs)),
      longestTaskMs: runs.map((run) => round(run.longestTaskMs)),
      target: 'median <= 2000 ms',
    };
  },
};

export default suite;

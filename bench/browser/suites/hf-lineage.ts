/**
 * The real Hugging Face lineage graph (../shared/data/lineage, about 29k models and 20k
 * links) imported as a registry into real IndexedDB, then the neighbourhood of its largest
 * family drawn by the app's own LineageGraph component. Reports the import time and the
 * longest main-thread task while drawing (PerformanceObserver 'longtask'; the target:
 * none over 200 ms). Without the shared data folder the suite fails, saying so.
 *
 *   npm run bench -- --suite hf-lineage
 */
import { flushSync, mount, unmount } from 'svelte';
import { toVisData } from '$lib/lineage';
import LineageGraph from '$lib/ui/LineageGraph.svelte';
import {
  importHfLineageGraph,
  readHfLineageGraph,
} from '../../../src/lib/interop/hf/lineage-graph';
import { openEventRegistry } from '../../../src/lib/registry';
import type { EventRegistry } from '../../../src/lib/registry/registry';
import type { BenchSuite } from '../suite';

const files = import.meta.glob<string>('../../../../shared/data/lineage/*.jsonl', {
  query: '?raw',
  import: 'default',
});
const WORKSPACE = 'hf-lineage-bench';
const TARGET_MS = 200;

async function load(name: string): Promise<string> {
  const loader = files[`../../../../shared/data/lineage/${name}`];
  if (!loader) {
    throw new Error(
      `../shared/data/lineage/${name} is missing; this suite needs the shared data folder.`,
    );
  }
  return loader();
}

async function deleteDatabase(name: string) {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Runs `work` while recording main-thread tasks over 50 ms (what 'longtask' reports). */
async function watchLongTasks<T>(work: () => Promise<T>) {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const value = await work();
  // Entries arrive after their task; give the observer a moment to deliver the last ones.
  await new Promise((resolve) => setTimeout(resolve, 300));
  observer.takeRecords().forEach((entry) => tasks.push(entry.duration));
  observer.disconnect();
  return { value, tasks };
}

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));

/** Draws the neighbourhood with LineageGraph and waits until it has painted and settled. */
async function draw(registry: EventRegistry, centre: string, depth: number, maxNodes: number) {
  const host = document.createElement('div');
  host.style.width = '1200px';
  document.body.append(host);
  const { value, tasks } = await watchLongTasks(async () => {
    const started = performance.now();
    const subgraph = await registry.lineageNeighbourhood(centre, { depth, maxNodes });
    const queried = performance.now();
    const view = toVisData(subgraph, { facts: (id) => subgraph.facts[id] });
    const component = mount(LineageGraph, {
      target: host,
      props: { view, label: 'bench', height: '800px' },
    });
    flushSync();
    await frame();
    await frame();
    const drawn = performance.now();
    unmount(component);
    return {
      nodes: subgraph.nodes.length,
      edges: subgraph.edges.length,
      truncated: subgraph.truncated,
      visNodes: view.nodes.length,
      queryMs: Math.round(queried - started),
      drawMs: Math.round(drawn - queried),
    };
  });
  host.remove();
  const longest = Math.round(Math.max(0, ...tasks));
  return {
    depth,
    maxNodes,
    ...value,
    longTasks: tasks.length,
    longestTaskMs: longest,
    target: `no task over ${TARGET_MS} ms`,
    met: longest <= TARGET_MS,
  };
}

const suite: BenchSuite = {
  name: 'hf-lineage',
  async run() {
    const [nodesText, edgesText] = await Promise.all([load('nodes.jsonl'), load('edges.jsonl')]);
    const parseStarted = performance.now();
    const graph = readHfLineageGraph(nodesText, edgesText);
    const parseMs = Math.round(performance.now() - parseStarted);

    await deleteDatabase(`stemma-ws-${WORKSPACE}`);
    const registry = await openEventRegistry({ workspaceId: WORKSPACE });
    const importStarted = performance.now();
    const { value: report, tasks: importTasks } = await watchLongTasks(() =>
      importHfLineageGraph(registry, graph, {
        onProgress: ({ phase, done, total }) => console.log(`import ${phase}: ${done}/${total}`),
      }),
    );
    const importMs = Math.round(performance.now() - importStarted);

    // The largest family: the parent with the most children in the file.
    const children = new Map<string, number>();
    for (const { edge } of graph.edges) children.set(edge.from, (children.get(edge.from) ?? 0) + 1);
    const [family, childCount] = [...children].sort((a, b) => b[1] - a[1])[0];
    const [centre] = await registry.findVersions([{ model: family, version: 1 }]);
    if (!centre) throw new Error(`The import did not register ${family}.`);
    const descendants = (await registry.lineageDescendants(centre.id)).length;

    // The explorer's own settings (depth 2, at most 400 nodes), then a deeper, larger view.
    const explorer = await draw(registry, centre.id, 2, 400);
    const large = await draw(registry, centre.id, 3, 1500);
    registry.close();
    return {
      models: graph.nodes.size,
      linksInFile: graph.edges.length,
      parseMs,
      importMs,
      imported: report.created,
      skipped: report.skipped.length,
      skippedByCode: report.skipped.reduce<Record<string, number>>((counts, item) => {
        counts[item.code] = (counts[item.code] ?? 0) + 1;
        return counts;
      }, {}),
      longestTaskDuringImportMs: Math.round(Math.max(0, ...importTasks)),
      family: { id: family, children: childCount, descendants },
      drawExplorer: explorer,
      drawLarge: large,
    };
  },
};

export default suite;

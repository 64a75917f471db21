/**
 * Registry benchmarks, run in Chromium against real IndexedDB:
 * - registering 100k versions through the registry (hash, sign, fold, write) against a raw
 *   Dexie bulkPut of exactly the rows the registry wrote, in the same run;
 * - search latency (first page) over those 100k versions.
 * The populated workspace is left in place (workspace `default`) so the runner can then time
 * the app's first list paint over it.
 */
import { openEventRegistry } from '../../../src/lib/registry';
import type { RegisterVersionInput } from '../../../src/lib/registry/types';
import { PROJECTION_TABLES, WorkspaceDb } from '../../../src/lib/store/schema';

const settings = new URLSearchParams(location.search);
const VERSIONS = Number(settings.get('versions') ?? 100_000);
/** With `reuse=1`, a workspace of VERSIONS versions left by an earlier run is searched as is. */
const REUSE = settings.get('reuse') === '1';
const MODELS = 100;
const CHUNK = 1_000;
const TEAMS = ['nlp', 'vision', 'speech', 'ranking'];

function versionInput(index: number): RegisterVersionInput {
  // A fixed arithmetic pattern rather than randomness keeps runs comparable.
  const model = `model-${String(index % MODELS).padStart(3, '0')}`;
  return {
    model,
    params: { lr: String(((index % 7) + 1) / 1000), layers: String(2 + (index % 10)), opt: 'adam' },
    metrics: { acc: ((index * 7919) % 10_000) / 10_000, loss: ((index * 104729) % 1000) / 500 },
    tags: { team: TEAMS[index % TEAMS.length], stage: index % 10 === 0 ? 'prod' : 'dev' },
    files: [{ name: 'model.safetensors', size: 1000 + index, sha256: hex64(index) }],
  };
}

function hex64(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/** Polls `check` every 100 ms for up to 10 s; false when it never held. */
async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  for (let tries = 0; tries < 100; tries++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Chromium's JS heap in MB, where it tells; null elsewhere. */
function usedHeap(): number | null {
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? Math.round(memory.usedJSHeapSize / 2 ** 20) : null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function deleteDatabase(name: string) {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function registerAll() {
  await deleteDatabase('stemma-ws-default');
  const registry = await openEventRegistry({ workspaceId: 'default' });
  await registry.setDisplayName('Benchmark');
  for (let m = 0; m < MODELS; m++) {
    await registry.createModel({ name: `model-${String(m).padStart(3, '0')}` });
  }
  const started = performance.now();
  for (let start = 0; start < VERSIONS; start += CHUNK) {
    const inputs = [];
    for (let i = start; i < Math.min(VERSIONS, start + CHUNK); i++) inputs.push(versionInput(i));
    await registry.registerVersions(inputs);
  }
  return { registry, ms: performance.now() - started };
}

/** Opens the workspace an earlier run left, refusing one of another size. */
async function reuseWorkspace() {
  const registry = await openEventRegistry({ workspaceId: 'default' });
  const stored = await registry.log.db.versions.count();
  if (stored !== VERSIONS) {
    registry.close();
    throw new Error(
      `reuse=1 found ${stored} stored versions, not ${VERSIONS}; run once without reuse=1 ` +
        'and with the same --profile first.',
    );
  }
  return { registry, ms: 0 };
}

/** Copies the rows the registry wrote and times a raw bulkPut of them into a fresh database. */
async function rawBaseline(source: WorkspaceDb) {
  const tables = ['events', ...PROJECTION_TABLES] as const;
  const rows: Record<string, unknown[]> = {};
  let count = 0;
  for (const name of tables) {
    rows[name] = await source.table(name).toArray();
    count += rows[name].length;
  }
  await deleteDatabase('stemma-bench-raw');
  const raw = new WorkspaceDb('stemma-bench-raw');
  await raw.open();
  const started = performance.now();
  // Same chunking as the registry: one transaction per 1,000 versions' worth of rows.
  const chunks = Math.ceil(VERSIONS / CHUNK);
  for (let c = 0; c < chunks; c++) {
    await raw.transaction('rw', [...tables], async () => {
      for (const name of tables) {
        const all = rows[name];
        const size = Math.ceil(all.length / chunks);
        await raw.table(name).bulkPut(all.slice(c * size, (c + 1) * size));
      }
    });
  }
  const ms = performance.now() - started;
  raw.close();
  await deleteDatabase('stemma-bench-raw');
  return { ms, rows: count };
}

const QUERIES = [
  '',
  "name = 'model-042'",
  "name LIKE 'model-04%'",
  'metrics.acc > 0.99',
  'metrics.acc > 0.5',
  "tags.team = 'nlp' AND metrics.acc >= 0.9",
  "params.lr < 0.003 OR tags.stage = 'prod'",
  "(tags.team = 'vision' OR tags.team = 'speech') AND params.layers = '5'",
  "name ILIKE '%-01%' AND metrics.loss < 0.5",
  'version = 7',
  "tags.team IN ('nlp', 'ranking') AND metrics.acc < 0.1",
];
const SORTS = ['created', 'name', 'metrics.acc'] as const;

export default {
  name: 'registry',
  async run() {
    const reused = REUSE ? await reuseWorkspace() : null;
    const { registry, ms: registerMs } = reused ?? (await registerAll());
    const baseline = reused ? null : await rawBaseline(registry.log.db);

    // Searches while the in-memory index builds go through IndexedDB; the first one starts it.
    const heapBefore = usedHeap();
    const buildStarted = performance.now();
    const whileBuilding: number[] = [];
    for (const query of QUERIES) {
      const started = performance.now();
      await registry.search({ query, sort: 'created', pageSize: 25 });
      whileBuilding.push(performance.now() - started);
    }
    await registry.prepareSearch();
    const buildMs = performance.now() - buildStarted;
    const heapAfter = usedHeap();
    whileBuilding.sort((a, b) => a - b);

    const samples: number[] = [];
    const paths: Record<string, number> = {};
    const perQuery: Record<string, { p50: number; p95: number; slowest: string }> = {};
    for (const query of QUERIES) {
      const mine: number[] = [];
      let slowest = { ms: 0, how: '' };
      for (const sort of SORTS) {
        for (let repeat = 0; repeat < 5; repeat++) {
          const order = repeat % 2 ? 'asc' : 'desc';
          const started = performance.now();
          const page = await registry.search({ query, sort, order, pageSize: 25 });
          const ms = performance.now() - started;
          mine.push(ms);
          paths[page.via] = (paths[page.via] ?? 0) + 1;
          if (ms > slowest.ms) slowest = { ms, how: `${sort} ${order} ${Math.round(ms)} ms` };
        }
      }
      mine.sort((a, b) => a - b);
      perQuery[query || '(empty)'] = {
        p50: Number(percentile(mine, 50).toFixed(2)),
        p95: Number(percentile(mine, 95).toFixed(2)),
        slowest: slowest.how,
      };
      samples.push(...mine);
    }

    // One version changed, then a search: the index takes in the change from the journal.
    // (A tag, not a new version, so that `reuse=1` still finds VERSIONS versions.)
    const [newest] = (await registry.search({ query: '', pageSize: 1 })).versions;
    await registry.setTag({ kind: 'version', id: newest.id }, 'bench', String(Date.now()));
    const afterWriteStarted = performance.now();
    const afterWrite = await registry.search({ query: "tags.bench != ''", pageSize: 25 });
    const afterWriteMs = performance.now() - afterWriteStarted;

    // A second tab: it loads the index the first one saved, then catches up.
    const saved = await waitFor(async () => (await registry.log.db.searchCache.count()) > 0);
    const secondTab = await openEventRegistry({ workspaceId: 'default' });
    const loadStarted = performance.now();
    await secondTab.prepareSearch();
    const loadedFirst = await secondTab.search({ query: "tags.team = 'nlp'", pageSize: 25 });
    const loadSavedMs = performance.now() - loadStarted;
    secondTab.close();
    samples.sort((a, b) => a - b);
    registry.close();

    return {
      versions: VERSIONS,
      register: baseline && {
        registryMs: Math.round(registerMs),
        rawBulkPutMs: Math.round(baseline.ms),
        rowsWritten: baseline.rows,
        ratio: Number((registerMs / baseline.ms).toFixed(2)),
        target: 'ratio <= 1.5',
      },
      search: {
        firstPageP50Ms: Number(percentile(samples, 50).toFixed(2)),
        firstPageP95Ms: Number(percentile(samples, 95).toFixed(2)),
        target: 'p95 <= 15 ms',
        answeredBy: paths,
        perQuery,
        index: {
          buildMs: Math.round(buildMs),
          heapGrowthMB: heapBefore === null || heapAfter === null ? null : heapAfter - heapBefore,
          whileBuildingP50Ms: Number(percentile(whileBuilding, 50).toFixed(2)),
          whileBuildingMaxMs: Number(whileBuilding[whileBuilding.length - 1].toFixed(2)),
          searchAfterOneWriteMs: Number(afterWriteMs.toFixed(2)),
          searchAfterOneWriteVia: afterWrite.via,
          savedIndexFound: saved,
          loadSavedAndFirstSearchMs: Math.round(loadSavedMs),
          loadSavedFirstSearchVia: loadedFirst.via,
        },
      },
    };
  },
};

// MLflow import benchmark: a generated file store of 1,000 runs, each with two params and a
// 100-point metric history, every tenth run logging a model (100 logged models, each becoming
// a version that keeps its run's whole curve), plus a registered model of 50 versions,
// imported into a fresh registry on fake-indexeddb (target <= 10 s), then imported again
// (nothing new).
// Also reports the longest stretch without a progress report, which the import page's
// progress bar depends on.
// Run: node bench/mlflow.mjs   (writes bench/mlflow-results.json)
// The TypeScript sources load through Vite's module runner, so no build step is needed.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = {
  configFile: false,
  logLevel: 'error',
  resolve: { alias: { $lib: resolve(root, 'src/lib') } },
};
const load = async (path) => (await runnerImport(resolve(root, path), config)).module;
const { importMlflow, openEventRegistry } = await load('bench/mlflow-entry.ts');

const RUNS = 1000;
const POINTS = 100;
const VERSIONS = 50;
/** Every this-many runs logs a model, as in a sweep where only some runs are kept. */
const MODEL_EVERY = 10;
const TARGET_MS = 10_000;
const T0 = 1_700_000_000_000;

const runId = (i) => i.toString(16).padStart(32, '0');

function generateStore() {
  const files = {
    'mlruns/1/meta.yaml':
      'artifact_location: file:///tmp/mlruns/1\ncreation_time: 1700000000000\n' +
      "experiment_id: '1'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: bench\n",
  };
  for (let i = 0; i < RUNS; i++) {
    const id = runId(i);
    const base = `mlruns/1/${id}`;
    files[`${base}/meta.yaml`] =
      `artifact_uri: file:///tmp/mlruns/1/${id}/artifacts\nend_time: ${T0 + i * 1000 + 900}\n` +
      `experiment_id: '1'\nlifecycle_stage: active\nrun_id: '${id}'\nrun_name: run-${i}\n` +
      `run_uuid: '${id}'\nstart_time: ${T0 + i * 1000}\nstatus: 3\ntags: []\nuser_id: bench\n`;
    files[`${base}/params/lr`] = String(0.001 * (1 + (i % 10)));
    files[`${base}/params/depth`] = String(2 + (i % 8));
    const lines = [];
    for (let step = 0; step < POINTS; step++) {
      lines.push(`${T0 + i * 1000 + step} ${(1 / (1 + step + i / RUNS)).toFixed(6)} ${step}`);
    }
    files[`${base}/metrics/loss`] = `${lines.join('\n')}\n`;
    files[`${base}/tags/mlflow.runName`] = `run-${i}`;
    files[`${base}/tags/mlflow.source.git.commit`] = `${i.toString(16).padStart(40, '0')}`;
    if (i % MODEL_EVERY !== 0) continue;
    files[`${base}/artifacts/model/MLmodel`] =
      `artifact_path: model\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n` +
      `mlflow_version: 2.16.2\nmodel_uuid: u${id}\nrun_id: '${id}'\n` +
      `utc_time_created: '2024-01-01 00:00:${String(i % 60).padStart(2, '0')}.0'\n`;
  }
  files['mlruns/models/bench-model/meta.yaml'] =
    'creation_timestamp: 1700000000000\ndescription: bench\n' +
    'last_updated_timestamp: 1700000000000\n' +
    'name: bench-model\n';
  files['mlruns/models/bench-model/aliases/champion'] = String(VERSIONS);
  for (let v = 1; v <= VERSIONS; v++) {
    const id = runId((v - 1) * MODEL_EVERY);
    files[`mlruns/models/bench-model/version-${v}/meta.yaml`] =
      `creation_timestamp: ${T0 + v}\ncurrent_stage: None\ndescription: ''\n` +
      `last_updated_timestamp: ${T0 + v}\nname: bench-model\nrun_id: '${id}'\n` +
      `source: file:///tmp/mlruns/1/${id}/artifacts/model\nstatus: READY\nversion: ${v}\n`;
  }
  return Object.entries(files).map(([path, content]) => ({ path, file: new Blob([content]) }));
}

async function timedImport(registry, entries) {
  let last = performance.now();
  let longestGapMs = 0;
  let reports = 0;
  const started = performance.now();
  const summary = await importMlflow(registry, entries, {
    onProgress: () => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      reports++;
    },
  });
  longestGapMs = Math.max(longestGapMs, performance.now() - last);
  return { ms: Math.round(performance.now() - started), summary, reports, longestGapMs };
}

const entries = generateStore();
const registry = await openEventRegistry({ workspaceId: `bench-mlflow-${Date.now()}` });
const first = await timedImport(registry, entries);
const second = await timedImport(registry, entries);
const issues = first.summary.issues.filter((issue) => issue.severity === 'skipped');

const results = {
  when: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
  command: 'node bench/mlflow.mjs',
  loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
  store: {
    files: entries.length,
    runs: RUNS,
    pointsPerRun: POINTS,
    loggedModels: RUNS / MODEL_EVERY,
    registeredVersions: VERSIONS,
  },
  firstImport: {
    ms: first.ms,
    targetMs: TARGET_MS,
    met: first.ms <= TARGET_MS,
    added: first.summary.added,
    unchanged: first.summary.unchanged,
    updated: first.summary.updated,
    progressReports: first.reports,
    longestMsWithoutProgress: Math.round(first.longestGapMs),
  },
  secondImport: {
    ms: second.ms,
    addedNothing: Object.values(second.summary.added).every((n) => n === 0),
  },
  skippedIssues: issues.length,
  firstSkipped: issues.slice(0, 5),
};
writeFileSync(resolve(root, 'bench/mlflow-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
registry.close();
const ok =
  first.summary.added.runs === RUNS && results.secondImport.addedNothing && issues.length === 0;
process.exit(ok ? 0 : 1);

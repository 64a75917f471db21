// `npm run bench`: the Node benchmarks (model-file headers, streamed hashing against
// sha256sum, the lineage index, the MLflow import, team sync), then the in-browser suites,
// gathered in bench/results.json.
// With `--suite NAME` only those browser suites run, and the Node benchmarks are skipped.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const onlySuites = args.includes('--suite');

/** Runs a Node benchmark script; returns its exit status and, if asked, its stdout. */
function runScript(script, scriptArgs = [], captureStdout = false) {
  console.log(`\n== node bench/${script} ${scriptArgs.join(' ')}`);
  const result = spawnSync(process.execPath, [`${benchDir}${script}`, ...scriptArgs], {
    stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (captureStdout) process.stdout.write(result.stdout ?? '');
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

const node = {};
let failed = false;
/** Notes a script's exit status; a missed target in one bench must not skip the next. */
const note = (status) => {
  failed = failed || status !== 0;
};
if (!onlySuites) {
  const formats = runScript('formats.mjs', [], true);
  note(formats.status);
  const start = formats.stdout.indexOf('{');
  node.formats = start >= 0 ? JSON.parse(formats.stdout.slice(start)) : null;

  note(runScript('hash.mjs').status);
  node.hash = await readJson(`${benchDir}hash-results.json`);

  note(runScript('lineage.mjs').status);
  node.lineage = await readJson(`${benchDir}lineage-results.json`);

  note(runScript('mlflow.mjs').status);
  node.mlflow = await readJson(`${benchDir}mlflow-results.json`);

  // Team sync: two Chromium profiles over y-webrtc, and reopening a large shared workspace.
  note(runScript('sync.mjs').status);
  node.sync = await readJson(`${benchDir}sync-results.json`);
}

const browser = runScript('run.mjs', args);
note(browser.status);

if (!onlySuites) {
  const resultsPath = `${benchDir}results.json`;
  const results = (await readJson(resultsPath)) ?? {};
  await writeFile(resultsPath, `${JSON.stringify({ ...results, node }, null, 2)}\n`);
  console.log(`\nWrote ${resultsPath} (browser suites and Node benchmarks)`);
}
process.exit(failed ? 1 : 0);

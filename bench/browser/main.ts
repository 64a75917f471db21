// The benchmark page: runs the suites named in `?suite=` (all of them when absent), one after
// another, and leaves the report in `window.__benchResult` for bench/run.mjs to collect.
import { describeEnvironment } from './environment';
import type { BenchReport, BenchSuite, SuiteOutcome } from './suite';

declare global {
  interface Window {
    __benchResult?: BenchReport;
  }
}

// Lazy, so that running one suite does not load (or initialise) the others.
const loaders = import.meta.glob<{ default: BenchSuite }>('./suites/*.ts');
const suiteNames = Object.keys(loaders)
  .map((path) => path.slice('./suites/'.length, -'.ts'.length))
  .sort();

function progress(line: string): void {
  document.getElementById('progress')!.textContent += `${line}\n`;
  console.log(line);
}

async function runSuite(name: string): Promise<SuiteOutcome> {
  const started = performance.now();
  try {
    const suite = (await loaders[`./suites/${name}.ts`]()).default;
    if (suite?.name !== name) {
      throw new Error(
        `suites/${name}.ts must default-export a BenchSuite named '${name}', ` +
          `found ${suite ? `'${suite.name}'` : 'no default export'}.`,
      );
    }
    const result = await suite.run();
    return { ok: true, wallMs: Math.round(performance.now() - started), result };
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ok: false, wallMs: Math.round(performance.now() - started), error: text };
  }
}

async function runSelected(selected: string[]): Promise<BenchReport> {
  const environment = await describeEnvironment();
  const unknown = selected.filter((name) => !suiteNames.includes(name));
  if (unknown.length > 0) {
    const error = `No suite named ${unknown.join(', ')}. Suites: ${suiteNames.join(', ')}.`;
    return { ok: false, error, environment, suites: {} };
  }

  const suites: Record<string, SuiteOutcome> = {};
  for (const name of selected.length > 0 ? selected : suiteNames) {
    progress(`running ${name}`);
    suites[name] = await runSuite(name);
    const outcome = suites[name];
    progress(`${name}: ${outcome.ok ? `done in ${outcome.wallMs} ms` : 'failed'}`);
  }
  return { ok: Object.values(suites).every((outcome) => outcome.ok), environment, suites };
}

const query = new URLSearchParams(location.search);
// bench/sync.mjs drives pages in this mode itself, from Node; they run no suite.
const syncPeer = query.get('sync-peer');
if (syncPeer !== null) {
  const { startSyncPeer } = await import('./sync-peer');
  startSyncPeer(syncPeer);
} else {
  window.__benchResult = await runSelected(query.getAll('suite'));
}

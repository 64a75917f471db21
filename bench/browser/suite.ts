/**
 * One benchmark suite: a file in bench/browser/suites/ whose default export is a BenchSuite
 * named like the file (`suites/dexie-bulk-put.ts` exports `name: 'dexie-bulk-put'`).
 * `run()` measures in the page and resolves to plain JSON: timings in milliseconds, sizes,
 * and whatever a reader needs to interpret them (the backend used, the row count...).
 */
export interface BenchSuite {
  name: string;
  run(): Promise<Record<string, unknown>>;
}

/** What one suite produced, as the runner writes it into bench/results.json. */
export type SuiteOutcome =
  | { ok: true; wallMs: number; result: Record<string, unknown> }
  | { ok: false; wallMs: number; error: string };

/** What the page leaves in `window.__benchResult` when every selected suite has finished. */
export interface BenchReport {
  ok: boolean;
  error?: string;
  environment: Record<string, unknown>;
  suites: Record<string, SuiteOutcome>;
}

/**
 * Model-file inspection: the public API the registry uses.
 *
 * - `inspectFiles(files)` / `inspectFile(file)`: read headers on the calling thread.
 * - `InspectionClient`: the same in a Web Worker, with a watchdog per file.
 * - `summarizeInspection(result)`: the bounded JSON a version stores.
 */
export { inspectFile, inspectFiles } from './inspect';
export { InspectionClient } from './client';
export type { ClientInspectOptions, InspectProgress, WorkerLike } from './client';
export { summarizeInspection, MAX_SUMMARY_CHARS } from './summary';
export type { ModelFileSummary } from './summary';
export { DEFAULT_LIMITS } from './limits';
export type { InspectLimits } from './limits';
export * from './errors';
export type * from './types';
export { diffVersions } from './diff';
export { suggestRelation } from './suggest';
export type * from './diff-types';

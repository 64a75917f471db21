/**
 * Opens the registry of this browser: the signing identity, the workspace's event log and
 * the clock. Pages call `openRegistry()` once and use the returned `Registry`.
 *
 * @example const registry = await openRegistry(); await registry.createModel({ name: 'bert' });
 */
import type { Registry } from './api';
import { openWorkspaceLog } from './lineage-projection';
import { EventRegistry } from './registry';
import { HybridClock } from '../store/hlc';
import { loadIdentity } from '../store/identity';

export type { LineageRegistry, Registry, VersionSelector } from './api';
export * from './errors';
export * from './lineage-errors';
export { LineageCycleError } from '../lineage/errors';
export { openWorkspaceLog } from './lineage-projection';
export type * from './types';
export type * from './lineage-types';
export type * from './insights-types';
export type * from './team-types';
export * from './workspaces';

export interface OpenOptions {
  /** Which workspace's log to open; one browser can hold several. */
  workspaceId?: string;
  /** Where the identity lives; tests give each simulated peer its own. */
  identityDb?: string;
}

export async function openRegistry(options: OpenOptions = {}): Promise<Registry> {
  return openEventRegistry(options);
}

/** The concrete registry, for tests and benchmarks that need the log underneath. */
export async function openEventRegistry(options: OpenOptions = {}): Promise<EventRegistry> {
  const identityDb = options.identityDb ?? 'stemma-identity';
  const { log, lineage } = openWorkspaceLog(options.workspaceId ?? 'default');
  // Two databases to open on a cold start: at once, not one after the other.
  const [identity, latest] = await Promise.all([
    loadIdentity(identityDb),
    log.db.open().then(() => log.latestStamp()),
  ]).catch((error: unknown) => {
    log.close();
    throw error;
  });
  const clock = new HybridClock();
  if (latest) clock.observe(latest);
  // Built in the background: the first page paints without waiting for lineage.
  lineage.prepare(log.db);
  return new EventRegistry(log, identity, clock, lineage, identityDb);
}
export { RELATION_ENDS } from './lineage-validate';
export {
  RUN_POINTS_PER_METRIC,
  RUN_POINTS_PER_RUN,
  THINNING_RULE,
  thinHistories,
} from './run-metric-history';
export { hlcTime } from '../store/hlc';

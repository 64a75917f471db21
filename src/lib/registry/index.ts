/**
 * Opens the registry of this browser: the signing identity, the workspace's event log and
 * the clock. Pages call `openRegistry()` once and use the returned `Registry`.
 *
 * @example const registry = await openRegistry(); await registry.createModel({ name: 'bert' });
 */
import type { Registry } from './api';
import { EventRegistry } from './registry';
import { HybridClock } from '../store/hlc';
import { loadIdentity } from '../store/identity';
import { EventLog } from '../store/log';

export type { Registry, VersionSelector } from './api';
export * from './errors';
export type * from './types';

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
  const identity = await loadIdentity(identityDb);
  const log = new EventLog(options.workspaceId ?? 'default');
  await log.db.open();
  const clock = new HybridClock();
  const latest = await log.latestStamp();
  if (latest) clock.observe(latest);
  return new EventRegistry(log, identity, clock, identityDb);
}

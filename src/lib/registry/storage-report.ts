/** How much this browser stores for the workspace, and whether it may evict it. */
import type { StorageReport } from './types';
import type { WorkspaceDb } from '../store/schema';

export async function storageReport(db: WorkspaceDb): Promise<StorageReport> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
  return {
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    persisted,
    events: await db.events.count(),
    models: await db.models.count(),
    versions: await db.versions.count(),
  };
}

/** Asks the browser to keep this site's data under storage pressure. */
export async function persistStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}

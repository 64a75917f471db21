/**
 * What a workspace's sync finds when it starts again: the entries known to be forged, the team
 * events it verified before (those in the audit chain), and the entries of the stored document
 * that the log does not hold yet. Updates are stored as they come and folded after (see
 * `doc-store.ts`), so a page closed in between leaves entries stored and unfolded; they are
 * taken in again rather than trusted.
 */
import type * as Y from 'yjs';
import { strip } from './entries';
import { isTeamEvent, type TeamEvent } from './team-events';
import type { StemmaEvent } from '../store/event';
import type { WorkspaceDb } from '../store/schema';

/** Where the reasons of forged or malformed entries are kept. */
export const INVALID_KEY = 'sync:invalid';

/** Whether a document entry has the shape of a team event (verified or not). */
export function isTeamEntry(value: unknown): boolean {
  return typeof value === 'object' && value !== null && isTeamEvent(value as { type: string });
}

export interface StoredState {
  invalid: Map<string, string>;
  /** Team events verified when they were folded: each is in the audit chain. */
  team: Map<string, TeamEvent>;
}

/** Reads the forged entries and the verified team events; the audit checks both again. */
export async function readStoredState(db: WorkspaceDb, events: Y.Map<unknown>) {
  const stored = (await db.meta.get(INVALID_KEY))?.value as [string, string][] | undefined;
  const invalid = new Map(stored ?? []);
  const teamKeys: string[] = [];
  for (const [key, value] of events) {
    if (!invalid.has(key) && isTeamEntry(value)) teamKeys.push(key);
  }
  const chained = await db.syncChain.where('id').anyOf(teamKeys).toArray();
  const team = new Map(chained.map(({ id }) => [id, events.get(id) as TeamEvent]));
  return { invalid, team } satisfies StoredState;
}

/**
 * The ids the log holds, and its events the document lacks: made while sync was not running,
 * or before the workspace was shared. They are published when the sync starts.
 */
export async function unpublishedEvents(db: WorkspaceDb, events: Y.Map<unknown>) {
  const ids = (await db.events.toCollection().primaryKeys()) as string[];
  const missing = ids.filter((id) => !events.has(id));
  const rows = missing.length ? await db.events.bulkGet(missing) : [];
  const unpublished = rows.flatMap((row) => (row ? [strip(row) as StemmaEvent] : []));
  return { inLog: new Set(ids), unpublished };
}

/**
 * Entries of the document the log does not hold: received, and the page closed before their
 * fold, or refused (not allowed, held), which are judged again. Team events first, so that the
 * rules they change judge the rest; forged entries are known and skipped.
 */
export function unfoldedEntries(
  events: Y.Map<unknown>,
  inLog: ReadonlySet<string>,
  known: StoredState,
): string[] {
  const team: string[] = [];
  const store: string[] = [];
  for (const [key, value] of events) {
    if (inLog.has(key) || known.team.has(key) || known.invalid.has(key)) continue;
    (isTeamEntry(value) ? team : store).push(key);
  }
  return [...team, ...store];
}

/** The latest clock stamp among the entries, so that new events sort after all of them. */
export function latestStamp(events: Y.Map<unknown>): string | null {
  let latest = '';
  for (const value of events.values()) {
    const hlc = (value as { hlc?: unknown } | null)?.hlc;
    if (typeof hlc === 'string' && hlc > latest) latest = hlc;
  }
  return latest || null;
}

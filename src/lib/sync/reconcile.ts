/**
 * Which store events the log should hold, given the team rules: the verdicts of a round's new
 * events, or, after the rules changed, of every event of the document; and the change to the
 * log they call for. All run inside the round's transaction and touch only the log there.
 */
import type * as Y from 'yjs';
import type { Authority } from './authority';
import { strip } from './entries';
import { isTeamEvent } from './team-events';
import type { StemmaEvent } from '../store/event';
import type { EventLog } from '../store/log';
import type { WorkspaceDb } from '../store/schema';
import { logger } from '../logging/logger';

const log = logger('sync');

export interface LogChange {
  /** Events that count and belong in the log. */
  add: StemmaEvent[];
  /** Ids in the log that no longer count. */
  remove: string[];
}

/** Verdicts for new store events only: team rules did not change. */
export async function judgeNew(
  authority: Authority,
  db: WorkspaceDb,
  events: StemmaEvent[],
): Promise<LogChange> {
  const add = events.filter((event) => authority.verdict(event).status === 'counted');
  const refused = events.filter((event) => !add.includes(event)).map((event) => event.id);
  const present = refused.length ? await db.events.bulkGet(refused) : [];
  return { add, remove: refused.filter((_, index) => present[index]) };
}

export interface DocumentEntries {
  events: Y.Map<unknown>;
  /** Entries known to be forged or malformed. */
  invalid: ReadonlyMap<string, string>;
  /** Entries that changed and are not verified yet: a later round judges them. */
  unverified(key: string): boolean;
}

/** Team rules changed: judge every store event of the document again. */
export async function judgeAll(
  authority: Authority,
  db: WorkspaceDb,
  entries: DocumentEntries,
): Promise<LogChange> {
  const { events, invalid, unverified } = entries;
  const counted = new Map<string, StemmaEvent>();
  for (const [key, value] of events) {
    const event = value as StemmaEvent;
    if (invalid.has(key) || unverified(key) || isTeamEvent(event)) continue;
    if (authority.verdict(event).status === 'counted') {
      counted.set(key, strip(event) as StemmaEvent);
    }
  }
  const inLog = new Set((await db.events.toCollection().primaryKeys()) as string[]);
  // Local events not yet published are judged when they are.
  const remove = [...inLog].filter((id) => events.has(id) && !unverified(id) && !counted.has(id));
  const add = [...counted.values()].filter((event) => !inLog.has(event.id));
  return { add, remove };
}

/**
 * Makes the log hold what the verdicts say, inside the round's transaction: events that stopped
 * counting are taken out with a rebuild of the projections; otherwise the new ones go through
 * the fold local commands use. Returns whether the log changed.
 */
export async function applyChange(eventLog: EventLog, change: LogChange): Promise<boolean> {
  const { add, remove } = change;
  if (remove.length) {
    await eventLog.db.events.bulkDelete(remove);
    if (add.length) await eventLog.append(add);
    await eventLog.rebuildProjections();
    log.info('events stopped counting after a membership change', { count: remove.length });
    return true;
  }
  if (add.length === 0) return false;
  return (await eventLog.append(add)).added.length > 0;
}

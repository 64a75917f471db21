/** The public shape of `WorkspaceSync`'s host and options (see `workspace-sync.ts`). */
import type { StemmaEvent } from '../store/event';
import type { EventLog } from '../store/log';

/** What sync needs from the registry it serves (`EventRegistry` fits). */
export interface SyncHost {
  readonly log: EventLog;
  /** Called after peers' events changed the log: move the clock past `latest`, refresh views. */
  absorbed(latest: string | null): void;
  /** Lets sync refuse, before anything is stored, local writes the member's role forbids. */
  setCommitGuard?(guard: ((events: StemmaEvent[]) => void) | null): void;
}

export interface WorkspaceSyncOptions {
  /** The workspace creator's actor id, from the invite link; an owner forever. */
  rootOwner: string;
  /** Where this browser's signing identity lives (tests give each peer its own). */
  identityDb?: string;
  /** Stored update rows are merged into one past this count. */
  compactAfter?: number;
  /** Most events per Yjs transaction when publishing, so that each update stays small. */
  publishBatch?: number;
  /** Most entries one round verifies and writes; the next round's are verified meanwhile. */
  roundEntries?: number;
}

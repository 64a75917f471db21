/**
 * The plug-in point for scopes the model fold does not project.
 *
 * Some events fold by rules the store must not know: lineage edges, for one, are dropped when
 * they would close a cycle, and the cycle check lives in `$lib/lineage`, a layer above the
 * store. The layer that knows the rules gives the `EventLog` a `ScopeFold` for a scope prefix
 * (see `needsScopeFold` in `event.ts`). The log keeps everything else it does for any scope:
 * storing events, ordering, duplicates, marks, and the choice between folding a batch
 * incrementally and replaying the scope when an event arrives late.
 *
 * Both methods run inside the log's IndexedDB transaction, so an implementation may await only
 * requests on `db` (read what the fold needs, fold synchronously, write what changed); awaiting
 * anything else would commit the transaction early.
 */
import type { StemmaEvent } from './event';
import type { WorkspaceDb } from './schema';

/** The last event folded into a scope: where incremental application resumes. */
export interface EventMark {
  hlc: string;
  id: string;
}

/** New events of one scope, all sorting after `mark` (absent for a scope not seen before). */
export interface ScopeBatch {
  events: StemmaEvent[];
  mark: EventMark | undefined;
}

export interface ScopeFold {
  /** The fold owns every scope whose name starts with this. */
  readonly scopePrefix: string;

  /** Folds each scope's batch onto the stored projection, events in `(hlc, id)` order. */
  applyNew(db: WorkspaceDb, batches: Map<string, ScopeBatch>): Promise<void>;

  /**
   * Replaces each scope's projection rows with the fold of all its events (given in
   * `(hlc, id)` order, from the first). A rebuild calls it with every scope of the fold.
   */
  replay(db: WorkspaceDb, scopes: Map<string, StemmaEvent[]>): Promise<void>;

  /**
   * Forgets any state kept in memory: the transaction it was built in failed, or the log was
   * wiped. The next call must start from what is stored.
   */
  discard(): void;
}

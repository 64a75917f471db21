/**
 * What the sync pump has still to take in: the document keys that changed and the Yjs updates
 * that carried them. The pump takes the keys a bounded batch at a time, so that it can verify
 * one batch while the batch before it is being written.
 *
 * Updates go out only with the batch that empties the queue of keys. A stored update is never
 * folded again (see `doc-store.ts`), so it must be stored in the transaction that folds the
 * last of the events it carried, never earlier. Yjs calls the map's observers before it emits
 * the update, both in the same call, so an update's keys are always queued before it is.
 */
import type { SortedEntries } from './entries';

export interface IntakeBatch {
  keys: string[];
  updates: Uint8Array[];
}

/** A batch taken from the intake, its entries being sorted. */
export interface Prepared {
  batch: IntakeBatch;
  sorted: Promise<SortedEntries>;
  /** The batch's keys, for asking whether an entry is among them. */
  keys: ReadonlySet<string>;
}

export class Intake {
  private readonly keys = new Set<string>();
  private updates: Uint8Array[] = [];

  /** @param batchKeys the most keys one batch takes */
  constructor(private readonly batchKeys: number) {}

  addKeys(keys: Iterable<string>): void {
    for (const key of keys) this.keys.add(key);
  }

  addUpdate(update: Uint8Array): void {
    this.updates.push(update);
  }

  get empty(): boolean {
    return this.keys.size === 0 && this.updates.length === 0;
  }

  /** Whether `key` is waiting to be taken (and so is not verified yet). */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** The next batch: up to `batchKeys` keys, and the updates once no key is left waiting. */
  take(): IntakeBatch {
    const keys: string[] = [];
    for (const key of this.keys) {
      if (keys.length === this.batchKeys) break;
      keys.push(key);
    }
    for (const key of keys) this.keys.delete(key);
    if (this.keys.size > 0) return { keys, updates: [] };
    const updates = this.updates;
    this.updates = [];
    return { keys, updates };
  }

  /** Queues a taken batch again: it was verified but never written. */
  giveBack(batch: IntakeBatch): void {
    this.addKeys(batch.keys);
    this.updates = [...batch.updates, ...this.updates];
  }
}

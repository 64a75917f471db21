/**
 * What the sync pump has still to take in: the document keys that changed. The pump takes them
 * a bounded batch at a time, so that it can verify one batch while the batch before it is
 * being written. (The updates that carried them are stored as they come, see `doc-store.ts`;
 * entries stored and not yet folded are found again when the workspace opens.)
 */
import type { SortedEntries } from './entries';

export interface IntakeBatch {
  keys: string[];
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

  /** @param batchKeys the most keys one batch takes */
  constructor(private readonly batchKeys: number) {}

  addKeys(keys: Iterable<string>): void {
    for (const key of keys) this.keys.add(key);
  }

  get empty(): boolean {
    return this.keys.size === 0;
  }

  /** How many keys wait to be taken. */
  get size(): number {
    return this.keys.size;
  }

  /** Whether `key` is waiting to be taken (and so is not verified yet). */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** The next batch: up to `batchKeys` keys, oldest first. */
  take(): IntakeBatch {
    const keys: string[] = [];
    for (const key of this.keys) {
      if (keys.length === this.batchKeys) break;
      keys.push(key);
    }
    for (const key of keys) this.keys.delete(key);
    return { keys };
  }

  /** Queues a taken batch again: it was verified but never written. */
  giveBack(batch: IntakeBatch): void {
    this.addKeys(batch.keys);
  }
}

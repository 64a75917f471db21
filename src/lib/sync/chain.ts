/**
 * The audit chain: one hash chain per workspace log, in the order this browser took events
 * in. Record n holds `hash_n = SHA-256(hash_(n-1) + "\n" + id_n)`, starting from the workspace
 * id. An event's id is already the SHA-256 of its content, so the chain covers content and
 * order: altering a stored event breaks its id, removing one leaves a gap, and moving one
 * breaks the hash at the first record out of place. The head is signed with this browser's
 * key, so rewriting the whole chain is caught too.
 *
 * Why per log and not per actor: per-actor chains would have to be inside the signed event
 * (a `prev` field every event carries), changing the event format every peer already holds.
 * Each peer's own chain, with the signatures of the events themselves, lets the audit name the
 * exact stored event that was altered, removed or put out of order.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import type { SyncChainRow, WorkspaceDb } from '../store/schema';

export const HEAD_KEY = 'sync:chain-head';

export interface ChainHead {
  seq: number;
  hash: string;
  /** This browser's signature over `${seq}:${hash}`. */
  sig: string;
  actor: string;
}

let hasher: Promise<IHasher> | null = null;

/** A synchronous SHA-256 (hash-wasm), usable inside an IndexedDB transaction. */
export async function chainHasher(): Promise<(prev: string, id: string) => string> {
  const h = await (hasher ??= createSHA256());
  return (prev, id) => {
    h.init();
    h.update(`${prev}\n${id}`);
    return h.digest('hex');
  };
}

export class Chain {
  private constructor(
    private readonly db: WorkspaceDb,
    private readonly genesis: string,
    private readonly link: (prev: string, id: string) => string,
  ) {}

  static async open(db: WorkspaceDb, workspaceId: string): Promise<Chain> {
    return new Chain(db, workspaceId, await chainHasher());
  }

  /**
   * Adds the ids not already chained, in the given order. Call inside a transaction that
   * includes `syncChain`; it awaits only requests on it. Returns the ids it added.
   */
  async extend(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const table = this.db.syncChain;
    const known = await table.where('id').anyOf(ids).toArray();
    const seen = new Set(known.map((row) => row.id));
    const last = await table.orderBy('seq').last();
    let seq = last?.seq ?? 0;
    let hash = last?.hash ?? this.genesis;
    const rows: SyncChainRow[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      hash = this.link(hash, id);
      rows.push({ seq: ++seq, id, hash });
    }
    await table.bulkAdd(rows);
    return rows.map((row) => row.id);
  }

  /** The hash a record should hold given the one before it. */
  expected(prev: string | null, id: string): string {
    return this.link(prev ?? this.genesis, id);
  }
}

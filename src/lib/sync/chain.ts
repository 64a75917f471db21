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
import { Dexie } from 'dexie';
import { createSHA256, type IHasher } from 'hash-wasm';
import type { Identity } from '../store/identity';
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
   *
   * The unique index on `id` is the test for "already chained": looking the ids up first
   * (an `anyOf` cursor over the index) cost as much as writing them, and almost every id of
   * a round is new. When some were chained already (another tab of this browser took them
   * in, or a peer's deletion made this browser restore an entry), the index refuses exactly
   * those; the attempt is taken back and the rest chained again, in the same transaction.
   */
  async extend(ids: string[]): Promise<string[]> {
    const fresh = [...new Set(ids)];
    if (fresh.length === 0) return [];
    const table = this.db.syncChain;
    const last = await table.orderBy('seq').last();
    const lastSeq = last?.seq ?? 0;
    const attempt = this.links(last, fresh);
    try {
      await table.bulkAdd(attempt);
      return fresh;
    } catch (error) {
      const chained = alreadyChained(error, fresh);
      if (!chained) throw error;
      // Every record after the first refused one was hashed over it: none of them stand.
      await table.where('seq').above(lastSeq).delete();
      const rest = fresh.filter((id) => !chained.has(id));
      await table.bulkAdd(this.links(last, rest));
      return rest;
    }
  }

  /** Records for `ids` in order, continuing from `last` (the genesis when there is none). */
  private links(last: SyncChainRow | undefined, ids: string[]): SyncChainRow[] {
    let seq = last?.seq ?? 0;
    let hash = last?.hash ?? this.genesis;
    return ids.map((id) => {
      hash = this.link(hash, id);
      return { seq: ++seq, id, hash };
    });
  }

  /** The hash a record should hold given the one before it. */
  expected(prev: string | null, id: string): string {
    return this.link(prev ?? this.genesis, id);
  }
}

/** Signs the chain's last record, so that a rewritten chain is caught. */
export async function signHead(db: WorkspaceDb, identity: Identity): Promise<void> {
  const last = await db.syncChain.orderBy('seq').last();
  if (!last) return;
  const sig = await identity.sign(`${last.seq}:${last.hash}`);
  const head: ChainHead = { seq: last.seq, hash: last.hash, actor: identity.actor, sig };
  await db.meta.put({ key: HEAD_KEY, value: head });
}

/**
 * The ids the unique index refused because they are chained already; null when the error is
 * anything else (it is then not this module's to handle).
 */
function alreadyChained(error: unknown, ids: string[]): Set<string> | null {
  if (!(error instanceof Dexie.BulkError)) return null;
  const refused = Object.entries(error.failuresByPos);
  if (refused.length === 0) return null;
  if (!refused.every(([, failure]) => failure.name === 'ConstraintError')) return null;
  return new Set(refused.map(([pos]) => ids[Number(pos)]));
}

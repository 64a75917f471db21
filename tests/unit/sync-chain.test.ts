/**
 * The audit chain's `extend`: ids already chained (by another tab of this browser, or an entry
 * restored after a peer deleted it) are skipped, and the records written are exactly those a
 * chain of only the new ids would hold, so the audit still verifies link by link.
 */
import { describe, expect, test } from 'vitest';
import { uniqueName } from './support/random';
import { Chain } from '../../src/lib/sync/chain';
import { WorkspaceDb } from '../../src/lib/store/schema';

const ids = (...names: string[]) => names.map((name) => `id-${name}`);

/** A chain over a database of its own; `workspaceId` (the genesis) may be shared. */
async function openChain(label: string, workspaceId = uniqueName(`chain-${label}`)) {
  const db = new WorkspaceDb(uniqueName(`stemma-ws-${label}`));
  return { db, workspaceId, chain: await Chain.open(db, workspaceId) };
}

/** Extends inside a transaction, as a sync round does. */
function extend(db: WorkspaceDb, chain: Chain, batch: string[]) {
  return db.transaction('rw', db.syncChain, () => chain.extend(batch));
}

/** Every record's hash recomputed from the one before it. */
async function linksHold(db: WorkspaceDb, chain: Chain) {
  const rows = await db.syncChain.orderBy('seq').toArray();
  let prev: string | null = null;
  return rows.every((row, index) => {
    const ok = row.seq === index + 1 && row.hash === chain.expected(prev, row.id);
    prev = row.hash;
    return ok;
  });
}

describe('audit chain', () => {
  test('chains new ids in order and leaves out repeats within a batch', async () => {
    const { db, chain } = await openChain('order');
    expect(await extend(db, chain, ids('a', 'b', 'a', 'c'))).toEqual(ids('a', 'b', 'c'));
    const rows = await db.syncChain.orderBy('seq').toArray();
    expect(rows.map((row) => row.id)).toEqual(ids('a', 'b', 'c'));
    expect(await linksHold(db, chain)).toBe(true);
    db.close();
  });

  test('ids chained before are skipped; the rest link on as if they came alone', async () => {
    const { db, chain, workspaceId } = await openChain('repeat');
    await extend(db, chain, ids('a', 'b'));
    expect(await extend(db, chain, ids('c', 'a', 'd', 'b', 'e'))).toEqual(ids('c', 'd', 'e'));

    // The same genesis, so the hashes themselves must agree, not only the order.
    const clean = await openChain('repeat-clean', workspaceId);
    await extend(clean.db, clean.chain, ids('a', 'b'));
    await extend(clean.db, clean.chain, ids('c', 'd', 'e'));
    const rows = await db.syncChain.orderBy('seq').toArray();
    expect(rows).toEqual(await clean.db.syncChain.orderBy('seq').toArray());
    expect(rows.map((row) => row.id)).toEqual(ids('a', 'b', 'c', 'd', 'e'));
    expect(await linksHold(db, chain)).toBe(true);
    db.close();
    clean.db.close();
  });

  test('a batch of only chained ids adds nothing', async () => {
    const { db, chain } = await openChain('nothing-new');
    await extend(db, chain, ids('a', 'b'));
    expect(await extend(db, chain, ids('b', 'a'))).toEqual([]);
    expect(await db.syncChain.count()).toBe(2);
    db.close();
  });

  test('a round that fails later takes its chain records back with it', async () => {
    const { db, chain } = await openChain('rollback');
    await extend(db, chain, ids('a'));
    const failed = db.transaction('rw', db.syncChain, async () => {
      await chain.extend(ids('a', 'b', 'c'));
      throw new Error('the fold failed');
    });
    await expect(failed).rejects.toThrow('the fold failed');
    expect((await db.syncChain.toArray()).map((row) => row.id)).toEqual(ids('a'));
    db.close();
  });
});

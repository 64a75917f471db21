/**
 * Protected aliases, the audit of stored history (tamper, delete, reorder, rewrite), and
 * starting again from what is stored.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type PeerOptions, SimNet } from './support/sync-net';
import { storeUpdates } from '../../src/lib/sync/doc-store';
import { NotAllowedError } from '../../src/lib/sync/errors';

async function championOf(peer: SimNet['peers'][number]) {
  return (await peer.registry.resolveUri('models:/bert@champion')).number;
}

async function team(label: string, options: PeerOptions = {}) {
  const net = await SimNet.open(3, label, options);
  const [owner, maintainer, other] = net.peers;
  await owner.sync.setRole(maintainer.registry.actor.id, 'maintainer');
  await owner.sync.setRole(other.registry.actor.id, 'maintainer');
  await owner.registry.createModel({ name: 'bert' });
  await owner.registry.registerVersions([{ model: 'bert' }, { model: 'bert' }]);
  await net.converge();
  return { net, owner, maintainer, other };
}

describe('protected aliases', () => {
  test('a maintainer move waits for another member; an owner move does not', async () => {
    const { net, owner, maintainer, other } = await team('protect');
    const model = await owner.registry.getModel('bert');
    await owner.registry.setAlias('bert', 'champion', 1);
    await owner.sync.protectAlias(model.id, 'champion');
    await net.converge();

    await maintainer.registry.setAlias('bert', 'champion', 2);
    await net.converge();
    for (const peer of net.peers) {
      expect(await championOf(peer)).toBe(1);
      expect(peer.sync.refused().map((entry) => entry.status)).toEqual(['held']);
    }
    const [held] = other.sync.refused();
    await expect(maintainer.sync.approveAliasMove(held.id)).rejects.toThrow(NotAllowedError);
    await other.sync.approveAliasMove(held.id);
    await net.converge();
    for (const peer of net.peers) {
      expect(await championOf(peer)).toBe(2);
      expect(peer.sync.refused()).toEqual([]);
      // Both the request and the approval are in the history.
      const history = await peer.registry.aliasHistory('bert', 'champion');
      expect(history.map((entry) => entry.actor)).toContain(maintainer.registry.actor.id);
      expect(peer.sync.teamEvents().map((event) => event.type)).toContain('alias.move.approved');
    }

    await owner.registry.setAlias('bert', 'champion', 1);
    await net.converge();
    expect(await championOf(maintainer)).toBe(1);
    await net.close();
  });
});

describe('audit', () => {
  test('a clean log passes, with every event and its signature status', async () => {
    const { net, maintainer } = await team('audit-clean');
    const report = await maintainer.sync.audit();
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(maintainer.sync.events.size);
    expect(report.entries.every((entry) => entry.signature === 'valid')).toBe(true);
    await net.close();
  });

  test('an altered stored event is named', async () => {
    const { net, maintainer } = await team('audit-alter');
    const db = maintainer.registry.log.db;
    const row = (await db.events.toArray()).find((e) => e.type === 'version.registered')!;
    await db.events.put({ ...row, payload: { ...row.payload, description: 'changed' } });
    const report = await maintainer.sync.audit();
    expect(report.first).toMatchObject({ kind: 'altered', eventId: row.id });
    expect(report.first!.message).toMatch(/does not match its id/);
    await net.close();
  });

  test('a removed stored event is named', async () => {
    const { net, maintainer } = await team('audit-remove');
    const db = maintainer.registry.log.db;
    const row = (await db.events.toArray()).find((e) => e.type === 'model.created')!;
    await db.events.delete(row.id);
    const report = await maintainer.sync.audit();
    expect(report.first).toMatchObject({ kind: 'removed', eventId: row.id });
    await net.close();
  });

  test('a removed chain record is named at the event after the gap', async () => {
    const { net, maintainer } = await team('audit-gap');
    const db = maintainer.registry.log.db;
    const rows = await db.syncChain.orderBy('seq').toArray();
    await db.syncChain.delete(rows[2].seq);
    const report = await maintainer.sync.audit();
    expect(report.first).toMatchObject({ kind: 'removed', seq: 4, eventId: rows[3].id });
    await net.close();
  });

  test('reordered history is named at the first event out of place', async () => {
    const { net, maintainer } = await team('audit-order');
    const db = maintainer.registry.log.db;
    const rows = await db.syncChain.orderBy('seq').toArray();
    await db.transaction('rw', db.syncChain, async () => {
      await db.syncChain.bulkDelete([rows[1].seq, rows[2].seq]);
      await db.syncChain.bulkAdd([
        { ...rows[1], id: rows[2].id },
        { ...rows[2], id: rows[1].id },
      ]);
    });
    const report = await maintainer.sync.audit();
    expect(report.first).toMatchObject({ kind: 'reordered', seq: 2, eventId: rows[2].id });
    await net.close();
  });

  test('a chain rewritten with fresh hashes is caught by the signed head', async () => {
    const { net, maintainer } = await team('audit-rewrite');
    const db = maintainer.registry.log.db;
    const { chainHasher } = await import('../../src/lib/sync/chain');
    const link = await chainHasher();
    const rows = await db.syncChain.orderBy('seq').toArray();
    const ids = rows.map((row) => row.id);
    [ids[0], ids[1]] = [ids[1], ids[0]];
    let prev = maintainer.workspaceId;
    const rewritten = ids.map((id, index) => {
      prev = link(prev, id);
      return { seq: index + 1, id, hash: prev };
    });
    await db.transaction('rw', db.syncChain, async () => {
      await db.syncChain.clear();
      await db.syncChain.bulkAdd(rewritten);
    });
    const report = await maintainer.sync.audit();
    expect(report.ok).toBe(false);
    expect(report.problems.map((problem) => problem.kind)).toEqual(['reordered']);
    expect(report.problems[0].message).toMatch(/signed head/);
    await net.close();
  });
});

describe('starting again', () => {
  test('a restart loads the stored document and folds nothing again', async () => {
    const { net, maintainer } = await team('restart');
    const before = await maintainer.registry.stateHash();
    const size = maintainer.sync.events.size;
    const db = maintainer.registry.log.db;
    const chainBefore = await db.syncChain.count();
    await net.restart(1);
    const again = net.peers[1];
    expect(again.sync.events.size).toBe(size);
    expect(await again.registry.log.db.syncChain.count()).toBe(chainBefore);
    expect(await again.registry.stateHash()).toBe(before);
    expect((await again.sync.audit()).ok).toBe(true);
    // Still in the team: its writes reach the others.
    await again.registry.registerVersion({ model: 'bert' });
    await net.converge();
    expect(await net.peers[0].registry.listVersions('bert')).toHaveLength(3);
    await net.close();
  });

  test('entries stored but not folded (the page closed first) are folded on the next start', async () => {
    const { net, owner, maintainer, other } = await team('unfolded');
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ]) {
      net.setBlocked(a, b, true);
    }
    // Apart: the owner removes `other`, who registers a version after that, unaware; the owner
    // registers one that counts.
    await owner.sync.setRole(other.registry.actor.id, 'removed');
    await owner.registry.registerVersion({ model: 'bert' });
    await other.registry.registerVersion({ model: 'bert' });
    await Promise.all([owner.sync.settled(), other.sync.settled()]);

    // The maintainer's page stores both teammates' updates as they come, and closes before
    // its pump has folded them.
    const db = maintainer.registry.log.db;
    const known = Y.encodeStateVector(maintainer.sync.doc);
    const updates = [owner, other].map((peer) => Y.encodeStateAsUpdate(peer.sync.doc, known));
    await db.transaction('rw', db.syncUpdates, () => storeUpdates(db, updates));
    net.inbox.length = 0;
    await net.restart(1);

    const again = net.peers[1];
    // Taken in after opening, in the background, so that connecting does not wait for them.
    await again.sync.settled();
    expect(again.sync.merging).toBe(0);
    expect(again.sync.roleOf(other.registry.actor.id)).toBeUndefined();
    expect(await again.registry.listVersions('bert')).toHaveLength(3);
    expect(again.sync.refused().map((entry) => entry.status)).toEqual(['rejected']);
    expect((await again.sync.audit()).ok).toBe(true);
    await net.converge();
    const hashes = await Promise.all(net.peers.map((peer) => peer.registry.stateHash()));
    expect(new Set(hashes).size).toBe(1);
    await net.close();
  });

  test('stored updates are compacted into one row', async () => {
    const { net, owner } = await team('compact');
    const { compactDoc } = await import('../../src/lib/sync/doc-store');
    const db = owner.registry.log.db;
    expect(await db.syncUpdates.count()).toBeGreaterThan(1);
    expect(await compactDoc(db, 1)).toBe(true);
    expect(await db.syncUpdates.count()).toBe(1);
    const size = owner.sync.events.size;
    await net.restart(0);
    expect(net.peers[0].sync.events.size).toBe(size);
    await net.close();
  });

  test('compaction keeps rows near a size, and later compactions start past them', async () => {
    // Compacted only when the test says so.
    const { net, owner } = await team('compact-sized', { compactAfter: Infinity });
    const { compactDoc } = await import('../../src/lib/sync/doc-store');
    const db = owner.registry.log.db;
    const setup = await db.syncUpdates.count();
    // Each version settled on its own: one stored row each, of about the same size.
    for (let i = 0; i < 12; i++) {
      await owner.registry.registerVersion({ model: 'bert' });
      await owner.sync.settled();
    }
    const rows = await db.syncUpdates.toArray();
    const largest = Math.max(...rows.slice(setup).map((row) => row.update.byteLength));
    const target = largest * 3;

    expect(await compactDoc(db, 1, target)).toBe(true);
    const merged = await db.syncUpdates.toArray();
    expect(merged.length).toBeGreaterThan(1);
    expect(merged.length).toBeLessThan(rows.length);
    // A merged row is a little smaller than its parts added up, never past the target.
    for (const row of merged) expect(row.update.byteLength).toBeLessThanOrEqual(target);
    const mark = (await db.meta.get('sync:compactedThrough'))?.value as number;
    expect(mark).toBeGreaterThan(0);

    // Only rows past the mark are read again: the ones before it stay as they are.
    const before = merged.filter((row) => row.seq! <= mark);
    for (let i = 0; i < 4; i++) await owner.registry.registerVersion({ model: 'bert' });
    await owner.sync.settled();
    await compactDoc(db, 1, target);
    const after = await db.syncUpdates.where('seq').belowOrEqual(mark).toArray();
    expect(after).toEqual(before);

    const size = owner.sync.events.size;
    const hash = await owner.registry.stateHash();
    await net.restart(0);
    expect(net.peers[0].sync.events.size).toBe(size);
    expect(await net.peers[0].registry.stateHash()).toBe(hash);
    expect((await net.peers[0].sync.audit()).ok).toBe(true);
    await net.close();
  });
});

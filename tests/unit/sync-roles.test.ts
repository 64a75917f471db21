/**
 * Membership, roles, forged events and protected aliases, between simulated peers that
 * exchange Yjs updates directly.
 */
import { describe, expect, test } from 'vitest';
import { SimNet } from './support/sync-net';
import { sealEvent } from '../../src/lib/store/event';
import { NotAllowedError } from '../../src/lib/sync/errors';
import { sealTeamEvent } from '../../src/lib/sync/team-events';

async function team(label: string, count = 3) {
  const net = await SimNet.open(count, label);
  return { net, peers: net.peers, ids: net.peers.map((peer) => peer.registry.actor.id) };
}

async function sameEverywhere(net: SimNet) {
  const hashes = await Promise.all(net.peers.map((peer) => peer.registry.stateHash()));
  expect(new Set(hashes).size).toBe(1);
}

describe('roles', () => {
  test("a viewer's and a stranger's writes change nothing others see; both listed", async () => {
    const { net, peers, ids } = await team('viewer');
    const [owner, viewer, stranger] = peers;
    await owner.sync.setRole(ids[1], 'viewer');
    await owner.registry.createModel({ name: 'bert' });
    await net.converge();

    // An honest client refuses up front; a modified one (no guard) publishes anyway.
    await expect(viewer.registry.createModel({ name: 'viewer-model' })).rejects.toThrow(
      NotAllowedError,
    );
    viewer.registry.setCommitGuard(null);
    stranger.registry.setCommitGuard(null);
    await viewer.registry.createModel({ name: 'viewer-model' });
    await stranger.registry.createModel({ name: 'stranger-model' });
    await viewer.registry.setDisplayName('Vera');
    await net.converge();
    for (const peer of peers) {
      const names = (await peer.registry.listModels()).models.map((model) => model.name);
      expect(names).toEqual(['bert']);
      const refused = peer.sync.refused();
      expect(refused.map((entry) => [entry.type, entry.status])).toEqual([
        ['model.created', 'rejected'],
        ['model.created', 'rejected'],
      ]);
      expect(refused.map((entry) => entry.reason).sort()).toEqual([
        'a viewer cannot make changes (model.created)',
        'its author is not a member of this workspace at its time',
      ]);
    }
    // A viewer may still name themself.
    expect((await owner.registry.log.db.actors.get(ids[1]))?.displayName).toBe('Vera');
    await sameEverywhere(net);
    await net.close();
  });

  test('only owners change membership; the creator stays owner', async () => {
    const { net, peers, ids } = await team('members');
    const [owner, maintainer] = peers;
    await owner.sync.setRole(ids[1], 'maintainer', 'Max');
    await net.converge();
    await expect(maintainer.sync.setRole(ids[2], 'maintainer')).rejects.toThrow(NotAllowedError);
    await owner.sync.setRole(ids[1], 'owner');
    await net.converge();
    await expect(maintainer.sync.setRole(ids[0], 'viewer')).rejects.toThrow(
      /creator's ownership cannot be changed/,
    );
    expect(maintainer.sync.members().map((m) => [m.name, m.role])).toEqual([
      ['', 'owner'],
      ['Max', 'owner'],
    ]);
    await net.close();
  });

  test('a grant that arrives late makes the waiting events count', async () => {
    const { net, peers, ids } = await team('late-grant');
    const [owner, newcomer, third] = peers;
    net.setBlocked(0, 2, true);
    await owner.sync.setRole(ids[1], 'maintainer');
    net.exchange(0, 1);
    await net.settle();
    net.inbox.length = 0;
    // The newcomer's write reaches the third peer before the owner's grant does.
    await newcomer.registry.createModel({ name: 'whisper' });
    await newcomer.sync.settled();
    const toThird = net.inbox.findIndex((message) => message.from === 1 && message.to === 2);
    expect(net.deliver(toThird)).toBe(true);
    await third.sync.settled();
    expect((await third.registry.listModels()).models).toEqual([]);
    expect(third.sync.refused().map((entry) => entry.status)).toEqual(['rejected']);

    await net.converge();
    expect((await third.registry.listModels()).models.map((m) => m.name)).toEqual(['whisper']);
    expect(third.sync.refused()).toEqual([]);
    await sameEverywhere(net);
    await net.close();
  });

  test('after a concurrent demotion, later events stop counting everywhere', async () => {
    const { net, peers, ids } = await team('demote');
    const [owner, maintainer] = peers;
    await owner.sync.setRole(ids[1], 'maintainer');
    await owner.registry.createModel({ name: 'bert' });
    await net.converge();
    // Apart: the owner demotes; afterwards (later stamp) the maintainer registers a version.
    net.setBlocked(0, 1, true);
    net.setBlocked(1, 2, true);
    await owner.sync.setRole(ids[1], 'viewer');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await maintainer.registry.registerVersion({ model: 'bert' });
    expect(await maintainer.registry.listVersions('bert')).toHaveLength(1);
    await net.converge();
    for (const peer of peers) {
      expect(await peer.registry.listVersions('bert')).toHaveLength(0);
      expect(peer.sync.refused().map((entry) => entry.type)).toEqual(['version.registered']);
    }
    await sameEverywhere(net);
    await net.close();
  });

  test('concurrent membership changes resolve by stamp order on every peer', async () => {
    const { net, peers, ids } = await team('concurrent', 4);
    const [root, second] = peers;
    await root.sync.setRole(ids[1], 'owner');
    await net.converge();
    // Apart: the root removes the second owner; the second owner, later, adds a maintainer.
    net.setBlocked(0, 1, true);
    net.setBlocked(1, 2, true);
    net.setBlocked(1, 3, true);
    await root.sync.setRole(ids[1], 'removed');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await second.sync.setRole(ids[2], 'maintainer');
    await net.converge();
    for (const peer of peers) {
      expect(peer.sync.members().map((member) => member.actor)).toEqual([ids[0]]);
      expect(peer.sync.refused().map((entry) => [entry.type, entry.reason])).toEqual([
        ['member.role.set', 'only an owner can change membership'],
      ]);
    }
    await net.close();
  });
});

describe('forged events', () => {
  test('a valid-looking event with a wrong signature is rejected everywhere', async () => {
    const { net, peers, ids } = await team('forged', 2);
    const [owner, other] = peers;
    await owner.registry.createModel({ name: 'bert' });
    await net.converge();
    // Signed by the other peer's key but claiming to be the owner's.
    const forged = await sealEvent(
      {
        hlc: '000999999999999:000000',
        actor: ids[0],
        type: 'model.created',
        entity: 'f'.repeat(32),
        payload: { name: 'forged', description: '', tags: {} },
      },
      { actor: ids[0], displayName: '', sign: (id) => signWith(other, id) },
    );
    other.sync.doc.transact(() => other.sync.events.set(forged.id, forged));
    const forgedTeam = await sealTeamEvent(
      {
        hlc: '000999999999999:000001',
        actor: ids[0],
        type: 'member.role.set',
        entity: ids[1],
        payload: { role: 'owner' },
      },
      { actor: ids[0], displayName: '', sign: (id) => signWith(other, id) },
    );
    other.sync.doc.transact(() => other.sync.events.set(forgedTeam.id, forgedTeam));
    await net.converge();
    for (const peer of peers) {
      expect((await peer.registry.listModels()).models.map((m) => m.name)).toEqual(['bert']);
      expect(peer.sync.roleOf(ids[1])).toBeUndefined();
      const refused = peer.sync.refused();
      expect(refused.map((entry) => [entry.status, entry.reason])).toEqual([
        ['invalid', expect.stringMatching(/signature does not verify/)],
        ['invalid', expect.stringMatching(/signature does not verify/)],
      ]);
    }
    await net.close();
  });

  test('a peer that deletes or overwrites an entry cannot take the event away', async () => {
    const { net, peers } = await team('grow-only', 2);
    const [owner, other] = peers;
    await owner.registry.createModel({ name: 'bert' });
    await net.converge();
    const [id] = [...other.sync.events.keys()];
    other.sync.doc.transact(() => other.sync.events.delete(id));
    await net.converge();
    for (const peer of peers) {
      expect(peer.sync.events.has(id)).toBe(true);
      expect((await peer.registry.listModels()).models).toHaveLength(1);
    }
    await net.close();
  });
});

async function signWith(peer: { sync: { doc: unknown } }, id: string) {
  // The other peer's real key, reached the way a hostile page could: its own identity.
  const { loadIdentity } = await import('../../src/lib/store/identity');
  const identity = await loadIdentity((peer as unknown as { identityDb: string }).identityDb);
  return identity.sign(id);
}

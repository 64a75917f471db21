import { expect, test } from 'vitest';
import { openPeers, SimNet } from './support/sync-net';

test('a maintainer registers, the others see it', async () => {
  const peers = await openPeers(3, 'smoke');
  const net = new SimNet(peers);
  const [owner, maint, viewer] = peers;
  await owner.sync.setRole(maint.registry.actor.id, 'maintainer');
  await owner.sync.setRole(viewer.registry.actor.id, 'viewer');
  await owner.registry.createModel({ name: 'bert' });
  await net.converge();
  await maint.registry.registerVersion({ model: 'bert' });
  await expect(viewer.registry.createModel({ name: 'sneaky' })).rejects.toThrow(/not made/);
  viewer.registry.setCommitGuard(null);
  await viewer.registry.createModel({ name: 'sneaky' });
  await net.converge();
  for (const peer of peers) {
    expect((await peer.registry.listVersions('bert')).length).toBe(1);
    await expect(peer.registry.getModel('sneaky')).rejects.toThrow();
  }
  expect(viewer.sync.refused().map((r) => r.type)).toEqual(['model.created']);
  const hashes = await Promise.all(peers.map((p) => p.registry.stateHash()));
  expect(new Set(hashes).size).toBe(1);
  await net.close();
});

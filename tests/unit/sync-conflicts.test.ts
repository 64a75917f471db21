/** Conflicts resolved while apart, and what every peer tells its user about them. */
import { expect, test } from 'vitest';
import { SimNet } from './support/sync-net';
import { resolvedConflicts } from '../../src/lib/sync/conflicts';

test('two "v2" registered apart and two alias moves at once: same outcome and story', async () => {
  const net = await SimNet.open(2, 'conflicts');
  const [ada, bob] = net.peers;
  await ada.sync.setRole(bob.registry.actor.id, 'maintainer');
  await net.converge();
  await ada.registry.setDisplayName('Ada');
  await bob.registry.setDisplayName('Bob');
  await ada.registry.createModel({ name: 'bert' });
  await ada.registry.registerVersion({ model: 'bert' });
  await ada.registry.setAlias('bert', 'champion', 1);
  await net.converge();

  net.setBlocked(0, 1, true);
  const adas = await ada.registry.registerVersion({ model: 'bert' });
  await ada.registry.setAlias('bert', 'champion', 2);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const bobs = await bob.registry.registerVersion({ model: 'bert' });
  await bob.registry.setAlias('bert', 'champion', 2);
  expect([adas.number, bobs.number]).toEqual([2, 2]);
  await net.converge();

  const reports = [];
  for (const peer of net.peers) {
    const versions = await peer.registry.listVersions('bert');
    expect(versions.map((v) => [v.id, v.number])).toEqual([
      [versions[0].id, 1],
      [adas.id, 2],
      [bobs.id, 3],
    ]);
    expect((await peer.registry.resolveUri('models:/bert@champion')).id).toBe(bobs.id);
    reports.push((await resolvedConflicts(peer.registry.log)).map((c) => c.message));
  }
  expect(reports[0]).toEqual(reports[1]);
  expect(reports[0]).toEqual([
    "bert: Bob registered v2, but Ada's version v2 was registered at the same time and " +
      'comes first (earlier clock stamp), so it is v3.',
    'bert@champion: Ada moved it to v2 and Bob to v3 at the same time; the later clock ' +
      "stamp wins, so Bob's move stands and Ada's was overridden.",
  ]);
  await net.close();
});

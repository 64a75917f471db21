/**
 * One seeded run of the sync convergence test, in the style of the Yjs random tests: peers
 * with random roles issue random commands of every kind while the simulated network holds,
 * reorders, duplicates and late-delivers updates, and partitions come and go. Peers also
 * forge events and restart from storage. `runSeed` returns what the checks need.
 */
import { seededRandom } from './random';
import { type PeerOptions, SimNet, type SimPeer } from './sync-net';
import { StemmaError } from '../../../src/lib/registry/errors';
import { sealEvent, type StemmaEvent } from '../../../src/lib/store/event';
import { Authority } from '../../../src/lib/sync/authority';
import type { Role } from '../../../src/lib/sync/team-events';
import { isTeamEvent, verifySyncEvent } from '../../../src/lib/sync/team-events';

type Rng = ReturnType<typeof seededRandom>;

const NAMES = ['bert', 'whisper', 'llama'];
const ALIASES = ['champion', 'staging'];
const ROLES: Role[] = ['owner', 'maintainer', 'maintainer', 'viewer'];

async function quiet<T>(action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof StemmaError) return undefined;
    throw error;
  }
}

async function someVersion(peer: SimPeer, rng: Rng) {
  const versions = await peer.registry.log.db.versions.toArray();
  return versions.length ? rng.pick(versions) : undefined;
}

/** One random registry, team, forgery or network command. */
async function step(net: SimNet, rng: Rng, commands: Map<string, number>) {
  const peer = rng.pick(net.peers);
  const r = peer.registry;
  const kind = rng.pick([
    'create',
    'register',
    'register',
    'describe',
    'archive',
    'tag',
    'alias',
    'alias',
    'name',
    'lineage',
    'unlink',
    'role',
    'protect',
    'approve',
    'forge',
    'deliver',
    'deliver',
    'deliver',
    'deliver',
    'duplicate',
    'partition',
    'exchange',
    'restart',
  ] as const);
  commands.set(kind, (commands.get(kind) ?? 0) + 1);
  if (process.env.SYNC_TRACE) console.log('step', peer.index, kind);
  const version = await someVersion(peer, rng);
  switch (kind) {
    case 'create':
      await quiet(() => r.createModel({ name: rng.pick(NAMES), tags: { team: 'nlp' } }));
      break;
    case 'register': {
      const model = await r.log.db.models.toArray();
      if (model.length) {
        const name = rng.pick(model).name;
        const count = 1 + rng.int(2);
        const inputs = Array.from({ length: count }, () => ({
          model: name,
          metrics: { f1: rng.next() },
          params: { lr: String(rng.int(5)) },
        }));
        await quiet(() => r.registerVersions(inputs));
      }
      break;
    }
    case 'describe':
      if (version) {
        const target =
          rng.next() < 0.5
            ? { kind: 'version' as const, id: version.id }
            : {
                kind: 'model' as const,
                id: version.modelId,
              };
        await quiet(() => r.describe(target, `text ${rng.int(100)}`));
      }
      break;
    case 'archive':
      if (version) {
        const target = { kind: 'version' as const, id: version.id };
        await quiet(() => (rng.next() < 0.5 ? r.archive(target) : r.restore(target)));
      }
      break;
    case 'tag':
      if (version) {
        const target = { kind: 'version' as const, id: version.id };
        await quiet(() =>
          rng.next() < 0.7
            ? r.setTag(target, 'stage', `s${rng.int(3)}`)
            : r.removeTag(target, 'stage'),
        );
      }
      break;
    case 'alias':
      if (version) {
        const alias = rng.pick(ALIASES);
        await quiet(() =>
          rng.next() < 0.8
            ? r.setAlias(version.modelId, alias, version.id)
            : r.removeAlias(version.modelId, alias),
        );
      }
      break;
    case 'name':
      await quiet(() => r.setDisplayName(`peer ${peer.index}.${rng.int(9)}`));
      break;
    case 'lineage': {
      const other = await someVersion(peer, rng);
      if (version && other && other.id !== version.id) {
        await quiet(() =>
          r.addLineageEdge({ from: other.id, to: version.id, relation: 'fine-tuned-from' }),
        );
      } else {
        await quiet(() => r.recordDataset({ name: `data-${rng.int(3)}` }));
      }
      break;
    }
    case 'unlink': {
      const edges = await r.log.db.lineageEdges.toArray();
      if (edges.length) await quiet(() => r.removeLineageEdge(rng.pick(edges).id));
      break;
    }
    case 'role': {
      const target = rng.pick(net.peers.slice(1));
      const role = rng.next() < 0.15 ? 'removed' : rng.pick(ROLES);
      await quiet(() => peer.sync.setRole(target.registry.actor.id, role));
      break;
    }
    case 'protect': {
      const models = await r.log.db.models.toArray();
      if (models.length) {
        const model = rng.pick(models);
        await quiet(() => peer.sync.protectAlias(model.id, rng.pick(ALIASES), rng.next() < 0.8));
      }
      break;
    }
    case 'approve': {
      const held = peer.sync.refused().filter((entry) => entry.status === 'held');
      if (held.length) await quiet(() => peer.sync.approveAliasMove(rng.pick(held).id));
      break;
    }
    case 'forge':
      await forge(peer, rng);
      break;
    case 'deliver':
      if (net.inbox.length) net.deliver(rng.int(net.inbox.length));
      break;
    case 'duplicate':
      if (net.inbox.length) net.deliver(rng.int(net.inbox.length), true);
      break;
    case 'partition': {
      const a = rng.int(net.peers.length);
      const b = rng.int(net.peers.length);
      if (a !== b) net.setBlocked(a, b, rng.next() < 0.6);
      break;
    }
    case 'exchange': {
      const a = rng.int(net.peers.length);
      const b = rng.int(net.peers.length);
      if (a !== b) net.exchange(a, b);
      break;
    }
    case 'restart':
      await net.restart(peer.index);
      break;
  }
  if (rng.next() < 0.3) await peer.sync.settled();
}

/** A peer puts a forged event straight into the document, as a hostile client could. */
async function forge(peer: SimPeer, rng: Rng) {
  const entries = [...peer.sync.events.values()] as StemmaEvent[];
  const honest = entries.filter((event) => !isTeamEvent(event));
  let forged: { id: string };
  if (honest.length && rng.next() < 0.7) {
    // Valid shape and id, in another member's name, carrying a signature that is not theirs.
    const base = rng.pick(honest);
    const donor = rng.pick(entries);
    forged = await sealEvent(
      {
        hlc: base.hlc,
        actor: base.actor,
        type: base.type,
        entity: base.entity,
        payload: { ...(base.payload as object), forged: rng.int(1000) } as never,
      },
      { actor: base.actor, displayName: '', sign: async () => donor.sig },
    );
  } else {
    forged = { id: `bad-${rng.int(1e6)}` };
  }
  peer.sync.doc.transact(() => peer.sync.events.set(forged.id, forged), 'forger');
}

/** Everything the final checks compare. */
export interface PeerState {
  stateHash: string;
  rebuiltHash: string;
  logIds: string[];
  expectedIds: string[];
  refused: string[];
  members: string[];
}

/** What a fresh reader of the document would count: verified anew, judged anew. */
async function expectedCounted(peer: SimPeer, rootOwner: string): Promise<string[]> {
  const verified = [];
  for (const [key, value] of peer.sync.events) {
    try {
      const event = await verifySyncEvent(value);
      if (event.id === key) verified.push(event);
    } catch {
      // Forged entries count for nobody.
    }
  }
  const authority = new Authority(rootOwner, verified.filter(isTeamEvent));
  return verified
    .filter((event): event is StemmaEvent => !isTeamEvent(event))
    .filter((event) => authority.verdict(event).status === 'counted')
    .map((event) => event.id)
    .sort();
}

export async function peerState(peer: SimPeer, rootOwner: string): Promise<PeerState> {
  const log = peer.registry.log;
  const stateHash = await log.stateHash();
  await log.rebuildProjections();
  return {
    stateHash,
    rebuiltHash: await log.stateHash(),
    logIds: ((await log.db.events.toCollection().primaryKeys()) as string[]).sort(),
    expectedIds: await expectedCounted(peer, rootOwner),
    refused: peer.sync.refused().map((entry) => `${entry.id}:${entry.status}`),
    members: peer.sync
      .members()
      .map((member) => `${member.actor}:${member.role}`)
      .sort(),
  };
}

export interface SeedResult {
  states: PeerState[];
  commands: Map<string, number>;
  events: number;
}

export async function runSeed(
  seed: number,
  steps: number,
  peerCount = 5,
  options: PeerOptions = {},
): Promise<SeedResult> {
  const rng = seededRandom(seed);
  const net = await SimNet.open(peerCount, `fuzz${seed}`, options);
  try {
    const [owner, ...others] = net.peers;
    // A starting team, so that most commands have someone allowed to make them; the last
    // peer stays a stranger unless a random command lets it in.
    for (const peer of others.slice(0, -1)) {
      await owner.sync.setRole(peer.registry.actor.id, rng.pick(ROLES));
    }
    await owner.registry.createModel({ name: rng.pick(NAMES) });
    await net.converge();
    const commands = new Map<string, number>();
    for (let i = 0; i < steps; i++) await step(net, rng, commands);
    await net.converge();
    const root = owner.registry.actor.id;
    const states = [];
    for (const peer of net.peers) states.push(await peerState(peer, root));
    const events = net.peers[0].sync.events.size;
    return { states, commands, events };
  } finally {
    await net.close();
  }
}

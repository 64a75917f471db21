/**
 * Simulated peers for sync tests: each has its own fake-IndexedDB workspace, identity, registry
 * and `WorkspaceSync`; a `SimNet` carries Yjs updates between their documents with no network,
 * and can hold, reorder, duplicate and deliver them late.
 */
import * as Y from 'yjs';
import { uniqueName } from './random';
import { openEventRegistry } from '../../../src/lib/registry';
import type { EventRegistry } from '../../../src/lib/registry/registry';
import { WorkspaceSync, type WorkspaceSyncOptions } from '../../../src/lib/sync/workspace-sync';

/** Options every peer of a net opens its sync with (the root owner and identity are set). */
export type PeerOptions = Omit<WorkspaceSyncOptions, 'rootOwner' | 'identityDb'>;

export const REMOTE = Symbol('sim-remote');

export interface SimPeer {
  index: number;
  label: string;
  workspaceId: string;
  identityDb: string;
  registry: EventRegistry;
  sync: WorkspaceSync;
}

async function openPeer(
  index: number,
  label: string,
  workspaceId: string,
  identityDb: string,
  rootOwner: string | null,
  options: PeerOptions,
): Promise<SimPeer> {
  const registry = await openEventRegistry({ workspaceId, identityDb });
  const sync = await WorkspaceSync.open(registry, {
    ...options,
    rootOwner: rootOwner ?? registry.actor.id,
    identityDb,
  });
  return { index, label: `${label}-${index}`, workspaceId, identityDb, registry, sync };
}

/** Opens the peers; the first one's actor is the workspace's root owner (the creator). */
export async function openPeers(
  count: number,
  label: string,
  options: PeerOptions = {},
): Promise<SimPeer[]> {
  const peers: SimPeer[] = [];
  for (let index = 0; index < count; index++) {
    const workspaceId = uniqueName(`ws-${label}-${index}`);
    const identityDb = uniqueName(`id-${label}-${index}`);
    const root = peers[0]?.registry.actor.id ?? null;
    peers.push(await openPeer(index, label, workspaceId, identityDb, root, options));
  }
  return peers;
}

export interface Message {
  from: number;
  to: number;
  update: Uint8Array;
}

export class SimNet {
  readonly inbox: Message[] = [];
  /** blocked[a][b]: messages from a to b wait. */
  private readonly blocked: boolean[][];

  constructor(
    readonly peers: SimPeer[],
    private readonly options: PeerOptions = {},
  ) {
    this.blocked = peers.map(() => peers.map(() => false));
    for (const peer of peers) this.attach(peer);
  }

  static async open(count: number, label: string, options: PeerOptions = {}): Promise<SimNet> {
    return new SimNet(await openPeers(count, label, options), options);
  }

  /** Sends what a peer's document changes (not what it received) to every other peer. */
  private attach(peer: SimPeer) {
    peer.sync.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      for (const other of this.peers) {
        if (other.index !== peer.index) {
          this.inbox.push({ from: peer.index, to: other.index, update });
        }
      }
    });
  }

  /** Closes a peer and opens it again from what it stored, as a page reload does. */
  async restart(index: number) {
    const old = this.peers[index];
    await old.sync.close();
    old.registry.close();
    const root = this.peers[0].registry.actor.id;
    const label = old.label.slice(0, old.label.lastIndexOf('-'));
    const peer = await openPeer(index, label, old.workspaceId, old.identityDb, root, this.options);
    this.peers[index] = peer;
    this.attach(peer);
  }

  setBlocked(a: number, b: number, blocked: boolean) {
    this.blocked[a][b] = blocked;
    this.blocked[b][a] = blocked;
  }

  healAll() {
    for (const row of this.blocked) row.fill(false);
  }

  /** Delivers message `index` of the inbox (if its link is open); keeps it when `keep`. */
  deliver(index: number, keep = false): boolean {
    const message = this.inbox[index];
    if (!message || this.blocked[message.from][message.to]) return false;
    if (!keep) this.inbox.splice(index, 1);
    Y.applyUpdate(this.peers[message.to].sync.doc, message.update, REMOTE);
    return true;
  }

  /** Both ways, what each lacks (Yjs sync step 2), as a reconnect does. */
  exchange(a: number, b: number) {
    const docA = this.peers[a].sync.doc;
    const docB = this.peers[b].sync.doc;
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB)), REMOTE);
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA)), REMOTE);
  }

  async settle() {
    for (const peer of this.peers) await peer.sync.settled();
  }

  /** Heals, delivers everything and exchanges state until every peer holds the same. */
  async converge() {
    this.healAll();
    for (let pass = 0; pass < 10; pass++) {
      while (this.inbox.length) this.deliver(0);
      await this.settle();
      for (let a = 0; a < this.peers.length; a++) {
        for (let b = a + 1; b < this.peers.length; b++) this.exchange(a, b);
      }
      await this.settle();
      this.inbox.length = 0;
      const vectors = this.peers.map((peer) =>
        Buffer.from(Y.encodeStateVector(peer.sync.doc)).toString('base64'),
      );
      if (vectors.every((vector) => vector === vectors[0])) {
        await this.settle();
        return;
      }
    }
    throw new Error('peers did not converge in 10 passes');
  }

  async close() {
    for (const peer of this.peers) {
      await peer.sync.close();
      peer.registry.close();
    }
  }
}

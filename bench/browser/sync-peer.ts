/**
 * One teammate for bench/sync.mjs: the page at `/__bench/?sync-peer=NAME` runs no suite and
 * instead puts `window.__syncPeer` in reach of the Node script, which drives two such pages
 * (two Chromium profiles, so two identities and two IndexedDBs) step by step through real
 * registries, `WorkspaceSync` and `SyncTransport` over a local y-webrtc signaling server.
 * Times are epoch milliseconds (`performance.timeOrigin + performance.now()`), so that the
 * Node script can compare moments taken in two browser processes.
 */
import * as Y from 'yjs';
import { chooseWorkspace, openEventRegistry, TEAM_META_KEY } from '../../src/lib/registry';
import type { StoredTeam } from '../../src/lib/registry';
import type { EventRegistry } from '../../src/lib/registry/registry';
import type { RegisterVersionInput } from '../../src/lib/registry/types';
import { loadDoc } from '../../src/lib/sync/doc-store';
import { newTeamSecrets, type Invite } from '../../src/lib/sync/invite';
import type { TransportState } from '../../src/lib/sync/states';
import { SyncTransport } from '../../src/lib/sync/transport';
import { WorkspaceSync } from '../../src/lib/sync/workspace-sync';
import { loadIdentity } from '../../src/lib/store/identity';

const MODELS = 10;
const CHUNK = 1_000;

const now = () => performance.timeOrigin + performance.now();

/** What the Node script reads while waiting; plain JSON. */
export interface PeerStatus {
  state: TransportState | 'none';
  connectedAt: number | null;
  docEntries: number;
  logEvents: number;
  docCompleteAt: number | null;
  /** When the update that completed the document was stored (it survives a closed tab). */
  docStoredAt: number | null;
  /** When the log first held more than before connecting: the first round written. */
  logGrewAt: number | null;
  logCompleteAt: number | null;
  /** Counted once both are complete: listing every entry on each poll would slow the pump. */
  refused: number | null;
  lastError: string | null;
  /** y-webrtc's connections, to tell a slow sync from one that never opened. */
  links: { connected: boolean; synced: boolean; ice: string | null }[];
}

/** The parts of y-webrtc's room (not public API) that `links` reads. */
interface RoomView {
  room: {
    webrtcConns: Map<
      string,
      { connected: boolean; synced: boolean; peer: { _pc?: RTCPeerConnection | null } }
    >;
  } | null;
}

function versionInput(model: string, index: number): RegisterVersionInput {
  // A fixed pattern, like the registry suite, so that runs are comparable.
  return {
    model,
    params: { lr: String(((index % 7) + 1) / 1000), layers: String(2 + (index % 10)) },
    metrics: { acc: ((index * 7919) % 10_000) / 10_000 },
    tags: { stage: index % 10 === 0 ? 'prod' : 'dev' },
    files: [{ name: 'model.safetensors', size: 1000 + index, sha256: hex64(index) }],
  };
}

function hex64(n: number): string {
  return n.toString(16).padStart(64, '0');
}

/**
 * Writes `count` events: MODELS model.created events, then version.registered events in
 * batches of CHUNK through `registerVersions`, the registry's own batch path (the one the
 * registry suite times for 100k versions).
 */
async function writeEvents(registry: EventRegistry, count: number, prefix: string) {
  const models = Math.min(MODELS, count);
  const names = Array.from({ length: models }, (_, m) => `${prefix}-model-${m}`);
  for (const name of names) await registry.createModel({ name });
  for (let start = 0; start < count - models; start += CHUNK) {
    const inputs = [];
    for (let i = start; i < Math.min(count - models, start + CHUNK); i++) {
      inputs.push(versionInput(names[i % models], i));
    }
    await registry.registerVersions(inputs);
  }
}

class SyncPeer {
  private registry: EventRegistry | null = null;
  private sync: WorkspaceSync | null = null;
  private transport: SyncTransport | null = null;
  private invite: Invite | null = null;
  private connectedAt: number | null = null;
  private target = { doc: Infinity, log: Infinity };
  private docCompleteAt: number | null = null;
  private docStoredAt: number | null = null;
  private logGrewAt: number | null = null;
  private logCompleteAt: number | null = null;
  private logEvents = 0;
  private logBefore = Infinity;

  async actor(): Promise<string> {
    return (await loadIdentity()).actor;
  }

  secrets() {
    return newTeamSecrets();
  }

  async open(invite: Invite, workspaceId: string): Promise<void> {
    this.registry = await openEventRegistry({ workspaceId });
    this.sync = await WorkspaceSync.open(this.registry, { rootOwner: invite.owner });
    this.invite = invite;
    const sync = this.sync;
    sync.doc.on('afterTransaction', () => this.noteDocComplete());
    // After every pump round: the log is what the user's list is built from.
    sync.subscribe(() => void this.countLog());
  }

  /** Notes the first moment the document holds every entry, then when that is stored. */
  private noteDocComplete() {
    const sync = this.sync!;
    if (this.docCompleteAt !== null || sync.events.size < this.target.doc) return;
    this.docCompleteAt = now();
    // The update is handed to the writer after this transaction's observers: wait a tick.
    setTimeout(() => void sync.stored().then(() => (this.docStoredAt = now())), 0);
  }

  /** Entries of a document rebuilt from what is stored, as the next start would load it. */
  async storedEntries(): Promise<number> {
    const doc = new Y.Doc();
    await loadDoc(this.registry!.log.db, doc);
    const size = doc.getMap('events').size;
    doc.destroy();
    return size;
  }

  private async countLog() {
    const count = await this.registry!.log.db.events.count();
    this.logEvents = count;
    if (this.logGrewAt === null && count > this.logBefore) this.logGrewAt = now();
    if (this.logCompleteAt === null && count >= this.target.log) this.logCompleteAt = now();
  }

  async grant(actor: string): Promise<void> {
    await this.sync!.setRole(actor, 'maintainer', 'bench teammate');
  }

  role(actor: string): string | null {
    return this.sync!.roleOf(actor) ?? null;
  }

  connect(signaling: string[]): Promise<void> {
    this.connectedAt = null;
    return SyncTransport.start(
      this.sync!,
      this.invite!,
      { signaling, iceServers: [], relayUrl: null, joinTimeoutMs: 600_000 },
      'bench',
    ).then((transport) => {
      this.transport = transport;
      transport.subscribe((state) => {
        if (state === 'connected' && this.connectedAt === null) this.connectedAt = now();
      });
    });
  }

  disconnect(): void {
    this.transport?.stop();
    this.transport = null;
  }

  /** Writes offline (transport stopped), then waits for sync to publish them into its doc. */
  async write(count: number, prefix: string) {
    const started = now();
    await writeEvents(this.registry!, count, prefix);
    const written = now();
    await this.sync!.settled();
    const settled = now();
    await this.countLog();
    return {
      writeMs: Math.round(written - started),
      publishMs: Math.round(settled - written),
      logEvents: this.logEvents,
      docEntries: this.sync!.events.size,
    };
  }

  /** From now on, notes when the doc and the log first hold these many entries. */
  expect(doc: number, log: number): void {
    this.target = { doc, log };
    this.docCompleteAt = this.docStoredAt = this.logCompleteAt = this.logGrewAt = null;
    this.logBefore = this.logEvents;
  }

  async status(): Promise<PeerStatus> {
    await this.countLog();
    const sync = this.sync!;
    this.noteDocComplete();
    const error = sync.lastError;
    return {
      state: this.transport?.state ?? 'none',
      connectedAt: this.connectedAt,
      docEntries: sync.events.size,
      logEvents: this.logEvents,
      docCompleteAt: this.docCompleteAt,
      docStoredAt: this.docStoredAt,
      logGrewAt: this.logGrewAt,
      logCompleteAt: this.logCompleteAt,
      refused: this.docCompleteAt && this.logCompleteAt ? sync.refused().length : null,
      lastError: error ? String(error instanceof Error ? error.message : error) : null,
      links: this.links(),
    };
  }

  private links(): PeerStatus['links'] {
    const webrtc = (this.transport as unknown as { webrtc?: RoomView } | null)?.webrtc;
    return [...(webrtc?.room?.webrtcConns.values() ?? [])].map((conn) => ({
      connected: conn.connected,
      synced: conn.synced,
      ice: conn.peer._pc?.connectionState ?? null,
    }));
  }

  /** Registers one version of `model`, as a user's click would; returns the events logged. */
  async registerOne(model: string, index: number): Promise<number> {
    await this.registry!.registerVersion(versionInput(model, index));
    return this.registry!.log.db.events.count();
  }

  logCount(): Promise<number> {
    return this.registry!.log.db.events.count();
  }

  /** Bytes of the whole document as one update, the most a fresh teammate would receive. */
  docBytes(): number {
    return Y.encodeStateAsUpdate(this.sync!.doc).byteLength;
  }

  async close(): Promise<void> {
    this.disconnect();
    await this.sync?.close();
    this.registry?.close();
    this.sync = null;
    this.registry = null;
  }

  /**
   * Builds a team workspace of `count` events for the reopen measure: marked shared the way
   * `registry.team.share()` marks it (so the app resumes its sync on load), with sync running
   * while the events are written, so that its stored Yjs updates hold every one of them.
   * Leaves it as the workspace the app opens next.
   */
  async prepareReopen(count: number, workspaceId: string) {
    const registry = await openEventRegistry({ workspaceId });
    const team: StoredTeam = { ...newTeamSecrets(), owner: registry.actor.id, signaling: [] };
    await registry.log.db.meta.put({ key: TEAM_META_KEY, value: team });
    const sync = await WorkspaceSync.open(registry, { rootOwner: team.owner });
    const started = now();
    await writeEvents(registry, count, 'reopen');
    const written = now();
    await sync.settled();
    const settled = now();
    const result = {
      writeMs: Math.round(written - started),
      publishMs: Math.round(settled - written),
      logEvents: await registry.log.db.events.count(),
      versions: await registry.log.db.versions.count(),
      docEntries: sync.events.size,
      syncUpdateRows: await registry.log.db.syncUpdates.count(),
    };
    await sync.close();
    registry.close();
    chooseWorkspace(workspaceId, 'Sync benchmark');
    return result;
  }
}

declare global {
  interface Window {
    __syncPeer?: SyncPeer;
  }
}

export function startSyncPeer(name: string): void {
  document.title = `Stemma sync peer ${name}`;
  window.__syncPeer = new SyncPeer();
}

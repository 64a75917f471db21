/**
 * How a workspace's document reaches teammates: y-webrtc (room password, configurable
 * signaling servers and ICE servers, frames kept under data-channel limits), other tabs of
 * this browser (y-webrtc's own BroadcastChannel, on even with no signaling server), and
 * optionally a relay that speaks the Yjs WebSocket protocol (y-websocket server, Hocuspocus).
 *
 * The room name is derived from the workspace id and the password, so a wrong password is a
 * different room: it finds no one, decrypts nothing, raises nothing, and after `joinTimeoutMs`
 * reports "cannot join: wrong password or no peers".
 */
import { WebrtcConn, WebrtcProvider } from 'y-webrtc';
import { WebsocketProvider } from 'y-websocket';
import { chunkPeer, FRAME_BYTES } from './chunking';
import { EchoGuard } from './echo';
import type { FileTransfers } from './file-transfer';
import type { Invite } from './invite';
import { RoomInUseError } from './errors';
import { LINK_TIMINGS, type LinkTimings, LinkWatch, type WatchedConn } from './links';
import { Presence } from './presence';
import type { TransportState } from './states';
import type { WorkspaceSync } from './workspace-sync';
import { sha256Hex } from '../store/bytes';
import { logger } from '../logging/logger';

const log = logger('sync');

/**
 * The rooms this page holds: 'open' while a transport uses one, or the promise of its
 * closing. y-webrtc keeps one room of a name per page and, asked for a second, throws inside
 * a promise (an unhandled rejection, and a provider that never connects); it also lets go of
 * a room only once the room's key is derived. So a new transport waits for a closing one
 * and is refused, with a clear error, while another one is open.
 */
const roomsHere = new Map<string, 'open' | Promise<unknown>>();

export interface TransportSettings {
  /** y-webrtc signaling servers, e.g. `wss://signaling.example`; empty: tabs only. */
  signaling: string[];
  /** `RTCIceServer`s for WebRTC; empty works on one machine or one LAN. */
  iceServers: RTCIceServer[];
  /** A Yjs WebSocket relay, or null. */
  relayUrl: string | null;
  /** How long to look for peers before saying none were found. */
  joinTimeoutMs?: number;
  /** How long the connection watch waits before it acts (see `links.ts`); tests shorten it. */
  linkTimings?: Partial<LinkTimings>;
  /** A WebRTC implementation where the runtime has none (Node: `@roamhq/wrtc`). */
  wrtc?: object;
}

export async function roomName(invite: Pick<Invite, 'workspaceId' | 'password'>) {
  const digest = await sha256Hex(`${invite.workspaceId}\u0000${invite.password}`);
  return `stemma-${digest.slice(0, 40)}`;
}

interface SignalingLike {
  connected: boolean;
  send(message: unknown): void;
}

interface RoomInternals {
  room: {
    peerId: string;
    webrtcConns: Map<
      string,
      WatchedConn & { peer: { initiator?: boolean; once(event: 'close', f: () => void): void } }
    >;
    bcConns: Set<string>;
  } | null;
}

export class SyncTransport {
  state: TransportState = 'connecting';
  readonly presence: Presence;
  private readonly webrtc: WebrtcProvider;
  private readonly relay: WebsocketProvider | null;
  private readonly listeners = new Set<(state: TransportState) => void>();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly watchdog: ReturnType<typeof setInterval>;

  /**
   * y-webrtc reads every answer published in the room, addressed to this peer or not, and
   * first clears the glare token of its connection to the answering peer without checking
   * that it has one. With no connection to that peer the answer cannot be for this peer, so
   * the TypeError it throws (an unhandled rejection of its signaling handler) is dropped here
   * rather than shown as a page error; every other rejection is left alone.
   */
  private readonly strayAnswer = (event: PromiseRejectionEvent) => {
    const reason = event.reason as { message?: unknown } | null;
    if (!(reason instanceof TypeError) || !/glareToken/.test(String(reason.message))) return;
    event.preventDefault();
    log.debug('ignored an answer between two other peers (y-webrtc glare token)');
  };
  private readonly links: LinkWatch;
  private readonly echo: EchoGuard;
  private readonly roomName: string;

  private constructor(
    sync: WorkspaceSync,
    room: string,
    invite: Invite,
    settings: TransportSettings,
    name: string,
    transfers: FileTransfers | null,
  ) {
    this.roomName = room;
    this.presence = new Presence(sync.doc, { actor: sync.actor, name });
    const timings = { ...LINK_TIMINGS, ...settings.linkTimings };
    this.links = new LinkWatch(sync.doc, timings);
    this.echo = new EchoGuard(sync.doc, () => this.room());
    const wrtc = settings.wrtc ? { wrtc: settings.wrtc } : {};
    this.webrtc = new WebrtcProvider(room, sync.doc, {
      signaling: settings.signaling,
      password: invite.password,
      awareness: this.presence.awareness,
      peerOpts: { config: { iceServers: settings.iceServers }, ...wrtc },
    });
    // The provider opens its room once the password's key is derived; its own callback runs
    // first, so the room exists here, before any connection can be made.
    void this.key().then(() => this.frameConnections(transfers));
    this.webrtc.on('peers', ({ removed }: { removed: string[] }) => {
      for (const id of removed) transfers?.detach(id);
      this.refresh();
    });
    this.webrtc.on('synced', () => this.refresh());
    this.relay = settings.relayUrl
      ? new WebsocketProvider(settings.relayUrl, room, sync.doc, {
          awareness: this.presence.awareness,
        })
      : null;
    this.relay?.on('sync', () => this.refresh());
    this.presence.subscribe(() => this.refresh());
    this.timer = setTimeout(() => {
      if (this.state === 'connecting') this.set('no-peers');
    }, settings.joinTimeoutMs ?? 10_000);
    globalThis.addEventListener?.('unhandledrejection', this.strayAnswer);
    this.watchdog = setInterval(() => {
      const conns = this.room()?.webrtcConns;
      if (conns) this.links.check(conns);
    }, timings.checkMs);
  }

  static async start(
    sync: WorkspaceSync,
    invite: Invite,
    settings: TransportSettings,
    displayName = '',
    transfers: FileTransfers | null = null,
  ): Promise<SyncTransport> {
    const room = await roomName(invite);
    const held = roomsHere.get(room);
    if (held === 'open') throw new RoomInUseError();
    if (held) await held;
    if (roomsHere.has(room)) throw new RoomInUseError();
    roomsHere.set(room, 'open');
    return new SyncTransport(sync, room, invite, settings, displayName, transfers);
  }

  /**
   * Cuts every connection of the room into small frames from the moment it is created, and
   * gives its side channel to file transfers. Hooking the room's map of connections, rather
   * than the 'peers' event, also catches the connection y-webrtc makes anew for a peer it
   * already knows (offer glare), which emits no event; an unframed connection on one end
   * would garble everything the other end sends.
   *
   * It also keeps offer glare from happening between Stemma peers. y-webrtc makes an offering
   * connection to every peer it hears announce itself, so two peers that announce at once
   * both offer, and one end was often left with a connection that never opened (9 to 15 s
   * lost in about one start in four in the bench). Here only the peer with the smaller id
   * offers. The other closes the offering connection it was about to make; y-webrtc announces
   * itself again when a connection closes, so the smaller peer hears it and offers. Until the
   * offer comes, an answering connection stands in for the closed one (see `strayAnswer`). A
   * peer without this rule still offers to everyone, which the connection watch copes with as
   * before.
   */
  private frameConnections(transfers: FileTransfers | null) {
    const room = this.room();
    const conns = room?.webrtcConns;
    if (!conns) return;
    const frame = (id: string, conn: WatchedConn) => {
      const side = chunkPeer(conn.peer, FRAME_BYTES, this.links.hooks(conn.peer, this.echo));
      transfers?.detach(id);
      transfers?.attach(id, side);
    };
    for (const [id, conn] of conns) frame(id, conn);
    const set = conns.set.bind(conns);
    conns.set = (id, conn) => {
      if (conn.peer.initiator && room.peerId > id) {
        log.debug('leaving the offer to the peer with the smaller id', { peer: id });
        // Runs after y-webrtc's own 'close' listener, which announces this peer again.
        conn.peer.once('close', () => {
          if (this.state === 'stopped' || conns.has(id)) return;
          conns.set(id, new WebrtcConn(this.signalingFanOut(), false, id, room as never));
        });
        conn.peer.destroy();
        return conns;
      }
      frame(id, conn);
      return set(id, conn);
    };
  }

  /**
   * What an answering connection made here sends its answer through: every signaling server
   * of the provider, as it cannot know which one the offer will come by.
   */
  private signalingFanOut() {
    const servers = (this.webrtc as unknown as { signalingConns: SignalingLike[] }).signalingConns;
    return {
      send: (message: unknown) => {
        for (const server of servers) if (server.connected) server.send(message);
      },
    } as never;
  }

  /** y-webrtc's room: its connections, and the origin it applies peers' messages with. */
  private room() {
    return (this.webrtc as unknown as RoomInternals).room;
  }

  /** Peers reached: WebRTC connections, other tabs, and the relay when it synced. */
  peerCount(): number {
    const room = this.room();
    // A connection counts once its data channel is open, not while it is being negotiated.
    const open = [...(room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected);
    const direct = open.length + (room?.bcConns.size ?? 0);
    return direct + (this.relay?.synced ? 1 : 0);
  }

  private refresh() {
    if (this.state === 'stopped') return;
    const others = this.presence.teammates().some((entry) => entry.online);
    if (this.peerCount() > 0 || others) this.set('connected');
  }

  private set(state: TransportState) {
    if (this.state === state) return;
    this.state = state;
    log.info('sync transport', state);
    for (const listener of this.listeners) listener(state);
  }

  subscribe(listener: (state: TransportState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop() {
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    globalThis.removeEventListener?.('unhandledrejection', this.strayAnswer);
    this.set('stopped');
    this.relay?.destroy();
    this.webrtc.destroy();
    this.echo.destroy();
    this.presence.destroy();
    // Registered after the provider's own release of the room, so it runs after it.
    const release = () => {
      if (roomsHere.get(this.roomName) === released) roomsHere.delete(this.roomName);
    };
    const released = Promise.resolve(this.key()).then(release, release);
    if (roomsHere.get(this.roomName) === 'open') roomsHere.set(this.roomName, released);
  }

  /** The provider's room key: y-webrtc opens and releases its room once it is derived. */
  private key(): PromiseLike<unknown> {
    return (this.webrtc as unknown as { key: PromiseLike<unknown> }).key;
  }
}

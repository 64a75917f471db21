/**
 * Watches each y-webrtc connection until it has done its job: delivered the peer's document.
 *
 * - A connection that never opens is closed (offer glare can leave one side waiting on an
 *   offer nothing answers, and nothing retries); y-webrtc then announces again.
 * - An open connection that delivers messages but not sync step 2 (the peer's answer to the
 *   step 1 y-webrtc sends on connect) is sent step 1 again, a few times, never while frames
 *   are still arriving (a large step 2 takes a while). y-webrtc sends step 1 only once per
 *   connection: a lost one would leave the peers connected and never synced.
 * - An open connection over which nothing at all arrives, or that still has not delivered
 *   step 2 after those tries, is closed, so that y-webrtc negotiates a new one. After offer
 *   glare both ends can report the channel open while neither hears the other (2 runs in 16
 *   of `bench/sync.mjs`; likely each listens on its own data channel while the other writes
 *   to another); asking again cannot cure that, a new connection does.
 */
import type * as Y from 'yjs';
import type { LinkHooks, PeerLike } from './chunking';
import type { EchoGuard } from './echo';
import { syncKind, syncStep1Message } from './messages';
import { logger } from '../logging/logger';

const log = logger('sync');

export interface LinkTimings {
  /** How often connections are looked at. */
  checkMs: number;
  /** A connection not open after this long is closed. */
  stallMs: number;
  /**
   * A connection not open, and still without the other side's offer or answer, after this
   * long is closed: signaling answers in a round trip, so nothing is coming.
   */
  unansweredMs: number;
  /**
   * Up to this much more, at random per connection: when both ends are left waiting, they
   * must not close at the same instant, or both announce at once and the glare repeats.
   */
  unansweredJitterMs: number;
  /** Open this long (or this long since the last ask) without step 2: ask again. */
  resyncMs: number;
  /** ...once no frame has arrived for this long. */
  quietMs: number;
  /** How many times to ask again before closing the connection. */
  resyncTries: number;
  /** Open this long with nothing received at all: close it. */
  silentMs: number;
}

export const LINK_TIMINGS: LinkTimings = {
  checkMs: 1_000,
  stallMs: 8_000,
  // Between Stemma peers only the smaller id offers (see transport.ts), so this is for a peer
  // without that rule: both offer, and y-webrtc's glare rule can leave one side waiting on an
  // offer nobody answers, which cost the full 8 s of `stallMs` in about one start in four.
  unansweredMs: 3_000,
  unansweredJitterMs: 2_000,
  resyncMs: 4_000,
  quietMs: 1_500,
  resyncTries: 3,
  // y-webrtc sends step 1 and its awareness the moment the channel opens: a healthy peer is
  // heard from within a round trip. In the bench, deaf connections never started talking.
  silentMs: 5_000,
};

/** A y-webrtc connection, as far as the watch uses it. */
export interface WatchedConn {
  /** `_pc` is simple-peer's RTCPeerConnection, read for its remote description. */
  peer: PeerLike & { destroy(): void; _pc?: { remoteDescription: unknown } | null };
  connected: boolean;
}

interface Link {
  seenAt: number;
  /** How long this connection may wait for an offer or answer (see `unansweredMs`). */
  patience: number;
  openedAt: number | null;
  /** When the last frame arrived; 0 for never. */
  heardAt: number;
  synced: boolean;
  /** Whether this end has sent its step 1 on the connection. */
  sentStep1: boolean;
  /** Until then, y-webrtc's own step 1 is dropped: one went out early (see `hooks`). */
  skipStep1Until: number;
  asked: number;
  askedAt: number;
}

export class LinkWatch {
  private readonly links = new WeakMap<object, Link>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly timings: LinkTimings,
  ) {}

  private link(peer: object, now = Date.now()): Link {
    let link = this.links.get(peer);
    if (!link) {
      link = {
        seenAt: now,
        patience: this.timings.unansweredMs + Math.random() * this.timings.unansweredJitterMs,
        openedAt: null,
        heardAt: 0,
        synced: false,
        sentStep1: false,
        skipStep1Until: 0,
        asked: 0,
        askedAt: 0,
      };
      this.links.set(peer, link);
    }
    return link;
  }

  /**
   * The framing hooks for one connection's peer (see `chunkPeer`).
   *
   * y-webrtc sends its step 1 on simple-peer's 'connect', which comes only once simple-peer has
   * read the connection's stats: in the bench, up to a second after the other end's step 1 had
   * arrived and been answered. The other end's step 2 then waited for it, and the two
   * documents crossed one after the other instead of at once. So a step 1 that arrives before
   * this end sent its own is answered with ours at once, and y-webrtc's, a moment later, is
   * dropped (it would have the other end send its whole document a second time).
   */
  hooks(peer: PeerLike, echo: EchoGuard): LinkHooks {
    const link = this.link(peer);
    return {
      heard: () => (link.heardAt = Date.now()),
      received: (message) => {
        const kind = syncKind(message);
        if (!link.synced && kind === 'step2') link.synced = true;
        if (kind !== 'step1' || link.sentStep1) return;
        peer.send(syncStep1Message(this.doc));
        link.skipStep1Until = Date.now() + this.timings.resyncMs;
      },
      isEcho: (message) => echo.isEcho(syncKind(message) === 'update'),
      sending: (message) => {
        if (syncKind(message) !== 'step1') return true;
        if (link.sentStep1 && Date.now() < link.skipStep1Until) {
          link.skipStep1Until = 0;
          return false;
        }
        link.sentStep1 = true;
        return true;
      },
    };
  }

  /** Looks at every connection of the room once; called every `checkMs`. */
  check(conns: Iterable<[string, WatchedConn]>, now = Date.now()): void {
    const { stallMs, resyncMs, quietMs, resyncTries, silentMs } = this.timings;
    for (const [id, conn] of conns) {
      if (conn.peer.destroyed) continue;
      const link = this.link(conn.peer, now);
      if (!conn.connected) {
        // Offer glare leaves these now and then; y-webrtc recovers once it is closed.
        const waiting = now - link.seenAt;
        // Without a peer connection to look at, only the longer wait applies.
        const unanswered = conn.peer._pc ? conn.peer._pc.remoteDescription == null : false;
        if (unanswered && waiting >= link.patience) {
          this.close(id, conn, 'got no offer or answer', 'info');
        } else if (waiting >= stallMs) {
          this.close(id, conn, 'never opened', 'info');
        }
        continue;
      }
      link.openedAt ??= now;
      if (link.synced) continue;
      if (link.heardAt === 0 && now - link.openedAt >= silentMs) {
        this.close(id, conn, 'is open but delivered nothing');
        continue;
      }
      // Asking a connection that never delivered a byte is no use: wait to close it instead.
      const waited = now - Math.max(link.openedAt, link.askedAt) >= resyncMs;
      if (link.heardAt === 0 || !waited || now - link.heardAt < quietMs) continue;
      if (link.asked >= resyncTries) {
        this.close(id, conn, `did not deliver the document after ${link.asked} requests`);
        continue;
      }
      link.asked++;
      link.askedAt = now;
      log.warn('asking a peer for its document again (sync step 1)', { peer: id, try: link.asked });
      conn.peer.send(syncStep1Message(this.doc));
    }
  }

  private close(id: string, conn: WatchedConn, why: string, level: 'info' | 'warn' = 'warn') {
    log[level](`closing a WebRTC connection that ${why}`, { peer: id });
    conn.peer.destroy();
  }
}

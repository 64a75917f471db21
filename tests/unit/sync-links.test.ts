/**
 * Real y-webrtc rooms and simple-peer connections over an in-memory channel (see
 * `support/loopback-rtc.ts`), framed and watched by the real `SyncTransport`: a lost sync
 * step 1, a channel that delivers nothing, and updates sent back to the peer they came from.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebrtcConn } from 'y-webrtc';
import { link, loopbackWrtc, roomOf } from './support/loopback-rtc';
import { openPeers, type SimPeer } from './support/sync-net';
import { uniqueName } from './support/random';
import { chunkPeer, FRAME_BYTES, type PeerLike } from '../../src/lib/sync/chunking';
import { EchoGuard } from '../../src/lib/sync/echo';
import { syncKind, syncStep1Message } from '../../src/lib/sync/messages';
import { LINK_TIMINGS, LinkWatch, type WatchedConn } from '../../src/lib/sync/links';
import { SyncTransport } from '../../src/lib/sync/transport';

const timings = { checkMs: 50, resyncMs: 300, quietMs: 100, silentMs: 1_000 };
const open: { transports: SyncTransport[]; peers: SimPeer[] } = { transports: [], peers: [] };

async function transports(count: number, label: string) {
  const peers = await openPeers(count, label);
  open.peers.push(...peers);
  const out: SyncTransport[] = [];
  for (const peer of peers) {
    // One room each (a process holds one room of a name): the loopback links them.
    const invite = {
      workspaceId: uniqueName('room')
        .replace(/[^0-9a-f]/g, '')
        .padEnd(32, 'a'),
      password: 'p'.repeat(20),
      owner: peers[0].registry.actor.id,
    };
    const settings = {
      signaling: [],
      iceServers: [],
      relayUrl: null,
      wrtc: loopbackWrtc,
      linkTimings: timings,
    };
    out.push(await SyncTransport.start(peer.sync, invite, settings));
  }
  open.transports.push(...out);
  return { peers, transports: out };
}

afterEach(async () => {
  for (const transport of open.transports.splice(0)) transport.stop();
  for (const peer of open.peers.splice(0)) {
    await peer.sync.close();
    peer.registry.close();
  }
});

async function until(what: string, condition: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const keys = (peer: SimPeer) => [...peer.sync.events.keys()].sort();

/** Whether a sync step 2 is among the frames. */
const answered = (frames: Uint8Array[]) =>
  frames.some((frame) => syncKind(messageOf(frame) ?? Uint8Array.of(9)) === 'step2');

/** A whole (unsplit) y-webrtc message in a frame, or null for a part of a larger one. */
const messageOf = (frame: Uint8Array) => (frame[0] === 0 ? frame.subarray(1) : null);

describe('the connection watch', () => {
  test('a lost sync step 1 is sent again, and both documents converge', async () => {
    const {
      peers,
      transports: [a, b],
    } = await transports(2, 'lost-step1');
    await peers[0].registry.createModel({ name: 'from-a' });
    peers[1].registry.setCommitGuard(null);
    await peers[1].registry.createModel({ name: 'from-b' });
    let dropped = 0;
    // The network loses the first step 1 a sends: b never answers it with its document.
    const { ab } = await link(a, b, {
      ab: (frame) => {
        const message = messageOf(frame);
        if (dropped > 0 || !message || syncKind(message) !== 'step1') return true;
        dropped++;
        return false;
      },
    });
    await until('both documents to hold both models', () => {
      return keys(peers[0]).join() === keys(peers[1]).join();
    });
    expect(dropped).toBe(1);
    const step1s = ab.sent.filter((frame) => syncKind(messageOf(frame) ?? Uint8Array.of(9)));
    expect(step1s.length).toBeGreaterThanOrEqual(2);
    expect(keys(peers[0]).length).toBeGreaterThanOrEqual(2);
  });

  test('an open connection that delivers nothing is closed, so it can be made again', async () => {
    const {
      transports: [a, b],
    } = await transports(2, 'silent');
    const { connA, connB, roomA, roomB } = await link(a, b, {
      ab: () => false,
      ba: () => false,
    });
    expect(connA.connected && connB.connected).toBe(true);
    await until('both ends to close it', () => connA.closed && connB.closed, 3_000);
    expect(roomA.webrtcConns.size + roomB.webrtcConns.size).toBe(0);
  });
});

describe('sync step 1', () => {
  /** A peer as chunkPeer wraps it, recording the messages it sends (one frame each here). */
  function wrappedPeer(doc: Y.Doc) {
    const watch = new LinkWatch(doc, LINK_TIMINGS);
    const sent: (string | null)[] = [];
    const peer: PeerLike = {
      send: (frame: Uint8Array) => void sent.push(syncKind(frame.subarray(1))),
      emit: () => true,
    };
    chunkPeer(peer, FRAME_BYTES, watch.hooks(peer, new EchoGuard(doc, () => null)));
    // A message as it arrives: one frame, its first byte saying it is whole.
    const receive = (message: Uint8Array) => peer.emit('data', new Uint8Array([0, ...message]));
    return { peer, sent, receive };
  }

  test('one that arrives before this end sent its own is answered with ours, once', () => {
    const doc = new Y.Doc();
    const { peer, sent, receive } = wrappedPeer(doc);
    receive(syncStep1Message(new Y.Doc()));
    expect(sent).toEqual(['step1']);
    // y-webrtc's own, on 'connect' a moment later, would only have the document sent twice.
    peer.send(syncStep1Message(doc));
    expect(sent).toEqual(['step1']);
    // Asked again later (the connection watch), it goes out.
    peer.send(syncStep1Message(doc));
    expect(sent).toEqual(['step1', 'step1']);
  });

  test("after ours went out on connect, the peer's step 1 sends nothing more", () => {
    const doc = new Y.Doc();
    const { peer, sent, receive } = wrappedPeer(doc);
    peer.send(syncStep1Message(doc));
    receive(syncStep1Message(new Y.Doc()));
    expect(sent).toEqual(['step1']);
  });
});

describe('connections that never open', () => {
  /** A connection as y-webrtc holds it, not open; `described` is its remote description. */
  const waiting = (described: unknown) => {
    const conn = {
      connected: false,
      peer: {
        destroyed: false,
        _pc: { remoteDescription: described },
        destroy: () => (conn.peer.destroyed = true),
        send: () => {},
        emit: () => true,
      },
    };
    return conn;
  };

  test('one with no offer or answer after 3 s is closed; one negotiating waits for 8 s', () => {
    const watch = new LinkWatch(new Y.Doc(), { ...LINK_TIMINGS, unansweredJitterMs: 0 });
    const unanswered = waiting(null);
    const negotiating = waiting({ type: 'answer', sdp: '' });
    const conns: [string, WatchedConn][] = [
      ['glare', unanswered as unknown as WatchedConn],
      ['slow', negotiating as unknown as WatchedConn],
    ];
    const start = Date.now();
    watch.check(conns, start);
    watch.check(conns, start + LINK_TIMINGS.unansweredMs - 1);
    expect(unanswered.peer.destroyed).toBe(false);
    watch.check(conns, start + LINK_TIMINGS.unansweredMs);
    expect(unanswered.peer.destroyed).toBe(true);
    // A connection going through TURN can take seconds once answered: it gets the long wait.
    watch.check(conns, start + LINK_TIMINGS.stallMs - 1);
    expect(negotiating.peer.destroyed).toBe(false);
    watch.check(conns, start + LINK_TIMINGS.stallMs);
    expect(negotiating.peer.destroyed).toBe(true);
  });
});

describe('offers', () => {
  test('only the smaller id offers; an answering connection waits for its offer', async () => {
    const {
      transports: [a],
    } = await transports(1, 'offers');
    const room = await roomOf(a);
    // Peer ids are UUIDs: '!' sorts before every one of them and '~' after.
    const [smaller, larger] = ['!smaller', '~larger'];
    const toSmaller = new WebrtcConn(null as never, true, smaller, room as never);
    room.webrtcConns.set(smaller, toSmaller);
    expect(room.webrtcConns.get(smaller)).not.toBe(toSmaller);
    await until('the offering connection to close', () => Boolean(toSmaller.peer.destroyed));
    // y-webrtc reads any answer the smaller peer sends as if it had a connection to it.
    await until('an answering connection to stand in', () => room.webrtcConns.has(smaller));
    const waiting = room.webrtcConns.get(smaller)!;
    expect((waiting.peer as { initiator: boolean }).initiator).toBe(false);

    const toLarger = new WebrtcConn(null as never, true, larger, room as never);
    room.webrtcConns.set(larger, toLarger);
    expect(room.webrtcConns.get(larger)).toBe(toLarger);
    toLarger.destroy();
    waiting.destroy();
  });
});

describe('updates', () => {
  test('are not sent back to the peer they came from, and still reach the others', async () => {
    const {
      peers,
      transports: [a, b, c],
    } = await transports(3, 'echo');
    // b - a - c: a is the only path between b and c.
    const toB = await link(a, b);
    const toC = await link(a, c);
    await until('the links to sync', () =>
      [toB.ab, toB.ba, toC.ab, toC.ba].every((channel) => answered(channel.sent)),
    );
    const [fromAtoB, fromAtoC] = [toB.ab.sent.length, toC.ab.sent.length];
    peers[1].registry.setCommitGuard(null);
    await peers[1].registry.createModel({ name: 'from-b' });
    const entry = [...peers[1].sync.events.keys()][0];
    await until('c to hold b’s entry', () => peers[2].sync.events.has(entry));
    await peers[0].sync.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const clientB = peers[1].sync.doc.clientID;
    /** Updates a sent on a link that carry anything b wrote. */
    const ofB = (frames: Uint8Array[]) =>
      frames.filter((frame) => {
        const message = messageOf(frame);
        if (!message || syncKind(message) !== 'update') return false;
        const decoder = decoding.createDecoder(message);
        decoding.readVarUint(decoder); // y-webrtc's message type
        decoding.readVarUint(decoder); // the sync message type
        const { structs } = Y.decodeUpdate(decoding.readVarUint8Array(decoder));
        return structs.some((struct) => struct.id.client === clientB);
      });
    expect(ofB(toC.ab.sent.slice(fromAtoC)).length).toBeGreaterThan(0);
    expect(ofB(toB.ab.sent.slice(fromAtoB))).toEqual([]);
  });
});

test('an update that completes pending structs still goes back to its sender', async () => {
  const {
    peers,
    transports: [a, b],
  } = await transports(2, 'pending');
  const toB = await link(a, b);
  await until('the link to sync', () => answered(toB.ab.sent) && answered(toB.ba.sent));
  // A fourth writer d: its second change builds on its first.
  const d = new Y.Doc();
  const first = captureUpdate(d, () => d.getMap('scratch').set('k', 'first'));
  const second = captureUpdate(d, () => d.getMap('scratch').set('k', 'second'));
  // a hears of the second change first (say from the relay) and must wait for the first.
  Y.applyUpdate(peers[0].sync.doc, second, 'elsewhere');
  expect(peers[0].sync.doc.store.pendingStructs).not.toBeNull();
  // b sends the first; a can then apply both, and b lacks the second.
  Y.applyUpdate(peers[1].sync.doc, first, 'elsewhere');
  await until('b to receive the second change', () => {
    return peers[1].sync.doc.getMap('scratch').get('k') === 'second';
  });
});

function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const take = (bytes: Uint8Array) => (update = bytes);
  doc.on('update', take);
  change();
  doc.off('update', take);
  return update!;
}

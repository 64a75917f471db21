/**
 * The network under real y-webrtc and simple-peer connections in Node: a `wrtc` whose peer
 * connection negotiates nothing and whose data channels pass each message to the other end
 * on a later task, like a channel over loopback. Tests open a pair of channels between two
 * rooms' `WebrtcConn`s and can lose messages on the way, as a real network (or a glare-broken
 * channel pairing) does. Everything above the channel is the product's and y-webrtc's code.
 */
import { WebrtcConn } from 'y-webrtc';
import type { SyncTransport } from '../../../src/lib/sync/transport';

export class LoopbackChannel {
  binaryType = 'arraybuffer';
  readonly label = 'loopback';
  readyState = 'open';
  readonly bufferedAmount = 0;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  other: LoopbackChannel | null = null;
  /** Every frame this end sent, delivered or not. */
  readonly sent: Uint8Array[] = [];
  /** Returns false for a frame the network loses. */
  deliver: (frame: Uint8Array) => boolean = () => true;

  send(data: Uint8Array) {
    const frame = new Uint8Array(data);
    this.sent.push(frame);
    if (!this.deliver(frame)) return;
    setTimeout(() => this.other?.onmessage?.({ data: frame.buffer }), 0);
  }

  close() {
    this.readyState = 'closed';
  }
}

class LoopbackPeerConnection {
  ondatachannel: ((event: { channel: LoopbackChannel }) => void) | null = null;
  /** An offering end's own channel; it never opens, as nothing is negotiated. */
  createDataChannel() {
    return new LoopbackChannel();
  }
  createOffer() {
    return new Promise(() => {});
  }
  close() {}
}

/** Pass as `TransportSettings.wrtc`. */
export const loopbackWrtc = {
  RTCPeerConnection: LoopbackPeerConnection,
  RTCSessionDescription: class {},
  RTCIceCandidate: class {},
};

interface Room {
  peerId: string;
  webrtcConns: Map<string, WebrtcConn>;
}

export async function roomOf(transport: SyncTransport): Promise<Room> {
  const provider = (transport as unknown as { webrtc: { key: unknown; room: Room } }).webrtc;
  await provider.key;
  // The transport hooks the room's connections in a callback on the same promise.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return provider.room;
}

/**
 * Connects two transports' rooms the way y-webrtc does once signaling succeeded: a
 * `WebrtcConn` on each side, added to the room's connections, opened. Returns the channels,
 * `ab` being the one `a` writes to.
 */
export async function link(a: SyncTransport, b: SyncTransport, lose?: Partial<Lossy>) {
  const [roomA, roomB] = [await roomOf(a), await roomOf(b)];
  const ab = new LoopbackChannel();
  const ba = new LoopbackChannel();
  ab.other = ba;
  ba.other = ab;
  if (lose?.ab) ab.deliver = lose.ab;
  if (lose?.ba) ba.deliver = lose.ba;
  const open = (room: Room, remote: Room, channel: LoopbackChannel) => {
    const conn = new WebrtcConn(null as never, false, remote.peerId, room as never);
    room.webrtcConns.set(remote.peerId, conn);
    const peer = conn.peer as { _pc: LoopbackPeerConnection; emit(event: string): boolean };
    peer._pc.ondatachannel?.({ channel });
    return { conn, peer };
  };
  const sideA = open(roomA, roomB, ab);
  const sideB = open(roomB, roomA, ba);
  sideA.peer.emit('connect');
  sideB.peer.emit('connect');
  return { ab, ba, connA: sideA.conn, connB: sideB.conn, roomA, roomB };
}

export interface Lossy {
  ab: (frame: Uint8Array) => boolean;
  ba: (frame: Uint8Array) => boolean;
}

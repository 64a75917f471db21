/**
 * Keeps every WebRTC data-channel message small. y-webrtc sends a Yjs message as one
 * `peer.send`, and a first sync of a large workspace is one message of megabytes, past what
 * SCTP data channels carry everywhere (16 KiB is the size every browser accepts). Each
 * connection's `send` is wrapped to cut messages into numbered frames, sent as the channel's
 * buffer drains, and its `data` event to put them back together before y-webrtc reads them.
 * Both ends must be wrapped; every Stemma peer is.
 *
 * Frame: byte 0 = 0 (whole message follows) or 1 (part), then for parts three uint32 (big
 * endian): message number, part index, part count. Bytes 2 and 3 mean the same for the side
 * channel, which carries Stemma's own messages (file transfers, see `file-transfer.ts`) over
 * the same connection; y-webrtc never sees them.
 */
export const FRAME_BYTES = 16 * 1024;
const HEADER = 13;
/**
 * Stop queueing into the channel above this many buffered bytes. High enough that a whole
 * sync of 10k events (7.5 MB) goes to the channel at once, to be sent off the page's thread:
 * refilling it from a timer waited behind the fold of the teammate's events (0.3 s tasks) and
 * held the other peer's sync up by seconds. Chromium refuses sends past 16 MB buffered.
 */
const HIGH_WATER = 8 * 1024 * 1024;
/** A peer may have at most this many messages half received; older ones are dropped. */
const MAX_OPEN = 8;

/** Which stream a frame belongs to: y-webrtc's own messages, or Stemma's side channel. */
export type Channel = 'yjs' | 'side';
const BASE: Record<Channel, number> = { yjs: 0, side: 2 };

export function splitMessage(
  data: Uint8Array,
  messageId: number,
  limit = FRAME_BYTES,
  channel: Channel = 'yjs',
) {
  const base = BASE[channel];
  if (data.length + 1 <= limit) {
    const whole = new Uint8Array(data.length + 1);
    whole[0] = base;
    whole.set(data, 1);
    return [whole];
  }
  const room = limit - HEADER;
  const count = Math.ceil(data.length / room);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const part = data.subarray(index * room, (index + 1) * room);
    const frame = new Uint8Array(HEADER + part.length);
    const view = new DataView(frame.buffer);
    frame[0] = base + 1;
    view.setUint32(1, messageId >>> 0);
    view.setUint32(5, index);
    view.setUint32(9, count);
    frame.set(part, HEADER);
    frames.push(frame);
  }
  return frames;
}

/** Puts frames back together; `accept` returns a message once its last part is in. */
export class Reassembler {
  private readonly open = new Map<number, { parts: Uint8Array[]; got: number }>();

  /** @param base 0 for y-webrtc's frames, 2 for the side channel's (see the header) */
  accept(frame: Uint8Array, base = 0): Uint8Array | null {
    if (frame.length === 0) return null;
    if (frame[0] === base) return frame.subarray(1);
    if (frame[0] !== base + 1 || frame.length < HEADER) return null;
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const id = view.getUint32(1);
    const index = view.getUint32(5);
    const count = view.getUint32(9);
    if (index >= count) return null;
    let entry = this.open.get(id);
    if (!entry) {
      if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value!);
      this.open.set(id, (entry = { parts: new Array(count), got: 0 }));
    }
    if (!entry.parts[index]) entry.got++;
    entry.parts[index] = frame.slice(HEADER);
    if (entry.got < count) return null;
    this.open.delete(id);
    const total = entry.parts.reduce((sum, part) => sum + part.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of entry.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** The parts of a simple-peer instance this wraps. */
export interface PeerLike {
  send(data: Uint8Array): void;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  destroyed?: boolean;
  _channel?: { bufferedAmount: number } | null;
}

/** Stemma's own messages on a wrapped connection, beside y-webrtc's. */
export interface SideChannel {
  send(data: Uint8Array): void;
  /** Bytes queued and not yet handed to the data channel: senders wait while it is high. */
  queued(): number;
  onMessage(listener: (data: Uint8Array) => void): () => void;
}

const wrapped = new WeakMap<object, SideChannel>();

/** The side channel of a connection `chunkPeer` wrapped; null for one it did not. */
export function sideChannel(peer: object): SideChannel | null {
  return wrapped.get(peer) ?? null;
}

/** What a connection's owner learns from, and decides about, its y-webrtc traffic. */
export interface LinkHooks {
  /** Each whole y-webrtc message from the peer, before y-webrtc reads it. */
  received?(message: Uint8Array): void;
  /** Each frame from the peer, on either stream: the link is alive. */
  heard?(): void;
  /**
   * Asked about each message y-webrtc sends to the peer while it reads one from that peer
   * (a message's effects are sent synchronously); true drops it. See `echo.ts`.
   */
  isEcho?(message: Uint8Array): boolean;
  /** Asked about every message y-webrtc sends to the peer; false drops it. */
  sending?(message: Uint8Array): boolean;
}

/** Wraps one connection; safe to call twice (the first call's hooks stay). */
export function chunkPeer(peer: PeerLike, limit = FRAME_BYTES, hooks: LinkHooks = {}): SideChannel {
  const known = wrapped.get(peer);
  if (known) return known;
  const send = peer.send.bind(peer);
  const emit = peer.emit.bind(peer);
  const reassembler = new Reassembler();
  const sideReassembler = new Reassembler();
  const sideListeners = new Set<(data: Uint8Array) => void>();
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let nextId = 1;
  let draining = false;
  /** True while y-webrtc reads a message from this peer. */
  let reading = false;

  const drain = () => {
    draining = false;
    while (queue.length && !peer.destroyed) {
      if ((peer._channel?.bufferedAmount ?? 0) > HIGH_WATER) {
        draining = true;
        setTimeout(drain, 5);
        return;
      }
      const frame = queue.shift()!;
      queuedBytes -= frame.length;
      try {
        send(frame);
      } catch {
        // A closed channel: y-webrtc notices through 'close' and drops the connection.
        queue.length = 0;
        queuedBytes = 0;
      }
    }
  };
  const enqueue = (data: Uint8Array, channel: Channel) => {
    for (const frame of splitMessage(data, nextId++, limit, channel)) {
      queue.push(frame);
      queuedBytes += frame.length;
    }
    if (!draining) drain();
  };
  peer.send = (data: Uint8Array) => {
    if (reading && hooks.isEcho?.(data)) return;
    if (hooks.sending?.(data) === false) return;
    enqueue(data, 'yjs');
  };
  peer.emit = (event: string | symbol, ...args: unknown[]) => {
    if (event !== 'data') return emit(event, ...args);
    const frame = new Uint8Array(args[0] as ArrayBufferLike);
    hooks.heard?.();
    if (frame[0] >= BASE.side) {
      const message = sideReassembler.accept(frame, BASE.side);
      if (message) for (const listener of sideListeners) listener(message);
      return true;
    }
    const message = reassembler.accept(frame);
    if (!message) return true;
    hooks.received?.(message);
    reading = true;
    try {
      return emit('data', message);
    } finally {
      reading = false;
    }
  };
  const side: SideChannel = {
    send: (data) => enqueue(data, 'side'),
    queued: () => queuedBytes,
    onMessage(listener) {
      sideListeners.add(listener);
      return () => sideListeners.delete(listener);
    },
  };
  wrapped.set(peer, side);
  return side;
}

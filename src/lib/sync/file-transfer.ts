/**
 * Fetching a version's file from a teammate who keeps its bytes. Files never travel with the
 * event log: a member asks, one peer at a time, over the side channel of each WebRTC
 * connection (`chunking.ts`), and the peer that has the bytes streams them in chunks, reading
 * its copy slice by slice and waiting while the channel's queue is full, so neither side holds
 * more than a few chunks in flight. The receiver hashes as the chunks arrive and keeps the
 * file only when its SHA-256 and size match what the registry recorded.
 *
 * Message: byte 0 = kind, bytes 1..4 = request number (uint32, big endian), then the body.
 */
import { createSHA256 } from 'hash-wasm';
import type { SideChannel } from './chunking';
import { FileCorruptError, FileUnavailableError } from './errors';
import { logger } from '../logging/logger';

const log = logger('sync');

/** Where this browser keeps file bytes, by SHA-256. */
export interface BlobStore {
  get(sha256: string): Promise<Blob | null>;
  put(sha256: string, blob: Blob): Promise<void>;
}

export interface FileWanted {
  sha256: string;
  size: number;
  name: string;
}

const KIND = { want: 1, have: 2, none: 3, chunk: 4, done: 5, cancel: 6 } as const;
type Kind = (typeof KIND)[keyof typeof KIND];

export const CHUNK_BYTES = 64 * 1024;
/** The sender reads no further while this much is queued for the channel. */
const QUEUE_LIMIT = 1024 * 1024;
/** How long a peer may take to answer "do you have it?", and to send the next chunk. */
const ANSWER_MS = 5_000;
const STALL_MS = 15_000;

function encode(kind: Kind, request: number, body: Uint8Array = new Uint8Array(0)) {
  const out = new Uint8Array(5 + body.length);
  out[0] = kind;
  new DataView(out.buffer).setUint32(1, request >>> 0);
  out.set(body, 5);
  return out;
}

function decode(data: Uint8Array) {
  if (data.length < 5) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { kind: data[0] as Kind, request: view.getUint32(1), body: data.subarray(5) };
}

const text = new TextEncoder();
const untext = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request this browser made, fed by the messages its peer sends back. */
class Incoming {
  private parts: Uint8Array[] = [];
  private received = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private resolveAnswer!: (has: boolean) => void;
  private settle!: { resolve: (blob: Blob) => void; reject: (error: unknown) => void };
  readonly answered = new Promise<boolean>((resolve) => (this.resolveAnswer = resolve));
  readonly finished = new Promise<Blob>((resolve, reject) => (this.settle = { resolve, reject }));
  private hasher: Awaited<ReturnType<typeof createSHA256>> | null = null;

  constructor(
    private readonly file: FileWanted,
    private readonly onProgress: (fraction: number) => void,
  ) {
    this.finished.catch(() => undefined);
    this.arm(ANSWER_MS, () => this.resolveAnswer(false));
  }

  private arm(ms: number, onTimeout: () => void) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(onTimeout, ms);
  }

  async start() {
    this.hasher = await createSHA256();
    this.hasher.init();
  }

  handle(kind: Kind, body: Uint8Array) {
    if (kind === KIND.none) return this.resolveAnswer(false);
    if (kind === KIND.have) {
      this.resolveAnswer(true);
      return this.arm(STALL_MS, () => this.fail(new Error('the sender stopped')));
    }
    if (kind === KIND.chunk) {
      const part = body.slice();
      this.parts.push(part);
      this.hasher?.update(part);
      this.received += part.length;
      if (this.received > this.file.size) return this.fail(new Error('more bytes than recorded'));
      this.onProgress(this.file.size ? this.received / this.file.size : 1);
      return this.arm(STALL_MS, () => this.fail(new Error('the sender stopped')));
    }
    if (kind === KIND.done) {
      if (this.timer) clearTimeout(this.timer);
      const digest = this.hasher?.digest('hex');
      if (this.received !== this.file.size || digest !== this.file.sha256) {
        return this.fail(new FileCorruptError(this.file.name, this.received, this.file.size));
      }
      this.settle.resolve(new Blob(this.parts as BlobPart[]));
    }
  }

  fail(error: unknown) {
    if (this.timer) clearTimeout(this.timer);
    this.resolveAnswer(false);
    this.settle.reject(error);
  }
}

export class FileTransfers {
  private readonly peers = new Map<string, { side: SideChannel; off: () => void }>();
  private readonly incoming = new Map<number, Incoming>();
  private readonly cancelled = new Set<string>();
  private nextRequest = 1;

  constructor(private readonly store: BlobStore) {}

  /** Starts answering and asking over one peer's connection. */
  attach(peerId: string, side: SideChannel): void {
    if (this.peers.has(peerId)) return;
    const off = side.onMessage((data) => void this.receive(peerId, side, data));
    this.peers.set(peerId, { side, off });
  }

  detach(peerId: string): void {
    this.peers.get(peerId)?.off();
    this.peers.delete(peerId);
  }

  /** Forgets every connection (the transport stopped). */
  detachAll(): void {
    for (const peerId of [...this.peers.keys()]) this.detach(peerId);
  }

  /** How many peers could be asked right now. */
  reachable(): number {
    return this.peers.size;
  }

  /**
   * Asks connected peers, one after another, for a file; resolves with its verified bytes,
   * which are also kept here. Throws `FileUnavailableError` when no peer has a sound copy.
   */
  async fetch(file: FileWanted, onProgress: (fraction: number) => void = () => {}) {
    let corrupt: unknown = null;
    for (const [peerId, { side }] of [...this.peers]) {
      const request = this.nextRequest++;
      const incoming = new Incoming(file, onProgress);
      await incoming.start();
      this.incoming.set(request, incoming);
      try {
        side.send(encode(KIND.want, request, text.encode(file.sha256)));
        if (!(await incoming.answered)) continue;
        const blob = await incoming.finished;
        await this.store.put(file.sha256, blob);
        log.info('file fetched from a teammate', { sha256: file.sha256, peer: peerId });
        return blob;
      } catch (error) {
        // A bad or broken copy from one peer: say so, and ask the next one.
        log.warn('a file transfer failed; asking the next peer', error);
        corrupt = error;
        side.send(encode(KIND.cancel, request));
      } finally {
        this.incoming.delete(request);
      }
    }
    if (corrupt instanceof FileCorruptError) throw corrupt;
    throw new FileUnavailableError(file.name, this.peers.size);
  }

  private async receive(peerId: string, side: SideChannel, data: Uint8Array) {
    const message = decode(data);
    if (!message) return;
    const { kind, request, body } = message;
    if (kind === KIND.want) return this.answer(peerId, side, request, untext.decode(body));
    if (kind === KIND.cancel) return void this.cancelled.add(`${peerId}:${request}`);
    this.incoming.get(request)?.handle(kind, body);
  }

  /** Sends what this browser keeps of a file, slice by slice, as the channel drains. */
  private async answer(peerId: string, side: SideChannel, request: number, sha256: string) {
    const blob = /^[0-9a-f]{64}$/.test(sha256) ? await this.store.get(sha256) : null;
    if (!blob) return side.send(encode(KIND.none, request));
    side.send(encode(KIND.have, request));
    const key = `${peerId}:${request}`;
    for (let offset = 0; offset < blob.size; offset += CHUNK_BYTES) {
      while (side.queued() > QUEUE_LIMIT) await sleep(5);
      if (this.cancelled.has(key) || !this.peers.has(peerId)) break;
      const bytes = new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      side.send(encode(KIND.chunk, request, bytes));
    }
    if (!this.cancelled.delete(key)) side.send(encode(KIND.done, request));
  }
}

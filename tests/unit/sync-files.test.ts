/** File transfers between two peers over wrapped connections, with no network in between. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { chunkPeer, type PeerLike } from '../../src/lib/sync/chunking';
import { FileCorruptError, FileUnavailableError } from '../../src/lib/sync/errors';
import { FileTransfers, type BlobStore } from '../../src/lib/sync/file-transfer';

function memoryStore(): BlobStore & { blobs: Map<string, Blob> } {
  const blobs = new Map<string, Blob>();
  return {
    blobs,
    get: async (sha) => blobs.get(sha) ?? null,
    put: async (sha, blob) => void blobs.set(sha, blob),
  };
}

/** Two connection ends: what one sends, the other receives as 'data', a tick later. */
function linkedPair() {
  const ends: PeerLike[] = [];
  for (let index = 0; index < 2; index++) {
    ends.push({
      send: (frame) => {
        const copy = frame.slice();
        setTimeout(() => ends[1 - index].emit('data', copy), 0);
      },
      emit: () => true,
    });
  }
  return ends.map((end) => chunkPeer(end));
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function bytes(length: number, seed = 1) {
  return Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 251);
}

describe('fetching a file from a peer', () => {
  test('arrives whole in many chunks, with progress, verified and kept', async () => {
    const [a, b] = linkedPair();
    const holder = memoryStore();
    const asker = memoryStore();
    const data = bytes(300_000);
    holder.blobs.set(sha(data), new Blob([data]));
    new FileTransfers(holder).attach('asker', b);
    const transfers = new FileTransfers(asker);
    transfers.attach('holder', a);

    const seen: number[] = [];
    const file = { sha256: sha(data), size: data.length, name: 'model.bin' };
    const blob = await transfers.fetch(file, (fraction) => seen.push(fraction));
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(data);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toBe(1);
    expect(asker.blobs.has(sha(data))).toBe(true);
  });

  test('a copy with other bytes is refused and not kept', async () => {
    const [a, b] = linkedPair();
    const liar = memoryStore();
    const asker = memoryStore();
    const data = bytes(100_000);
    liar.blobs.set(sha(data), new Blob([bytes(100_000, 7)]));
    new FileTransfers(liar).attach('asker', b);
    const transfers = new FileTransfers(asker);
    transfers.attach('liar', a);
    const file = { sha256: sha(data), size: data.length, name: 'model.bin' };
    await expect(transfers.fetch(file)).rejects.toBeInstanceOf(FileCorruptError);
    expect(asker.blobs.size).toBe(0);
  });

  test('no peer, or no peer with the file, says so', async () => {
    const lonely = new FileTransfers(memoryStore());
    const file = { sha256: 'a'.repeat(64), size: 1, name: 'x.bin' };
    await expect(lonely.fetch(file)).rejects.toThrow(/no teammate is connected/);

    const [a, b] = linkedPair();
    new FileTransfers(memoryStore()).attach('asker', b);
    const transfers = new FileTransfers(memoryStore());
    transfers.attach('empty', a);
    await expect(transfers.fetch(file)).rejects.toBeInstanceOf(FileUnavailableError);
  });
});

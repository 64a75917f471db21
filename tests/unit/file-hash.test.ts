/**
 * Streamed SHA-256 of dropped files: digests match the published test vectors and Node's
 * own OpenSSL over multi-chunk content, progress climbs to exactly 1, and a file that can no
 * longer be read fails with the registry's FileReadError.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileReadError } from '$lib/registry/errors';
import { hashFile } from '$lib/registry/file-hash';
import { seededRandom } from './support/random';

function seededBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => random.int(256));
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function fileOnDisk(bytes: Uint8Array) {
  const folder = mkdtempSync(join(tmpdir(), 'stemma-hash-'));
  folders.push(folder);
  const path = join(folder, 'model.bin');
  writeFileSync(path, bytes);
  return { path, file: Object.assign(await openAsBlob(path), { name: 'model.bin' }) };
}

describe('hashFile', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('hashes %j to the published digest', async (content, digest) => {
    const ref = await hashFile(new File([content], 'vector.txt'));

    expect(ref).toEqual({ name: 'vector.txt', size: content.length, sha256: digest });
  });

  test('a file read in many chunks hashes as OpenSSL hashes it whole', async () => {
    const bytes = seededBytes(3 * 1024 * 1024 + 17, 42);
    const { file } = await fileOnDisk(bytes);

    const ref = await hashFile(file);

    expect(ref.size).toBe(bytes.length);
    expect(ref.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test('progress only grows, ends at exactly 1, and is reported per chunk', async () => {
    const { file } = await fileOnDisk(seededBytes(1024 * 1024 + 3, 7));
    const fractions: number[] = [];

    await hashFile(file, (fraction) => fractions.push(fraction));

    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.every((f) => f > 0 && f <= 1)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  test('an empty file reports progress 1 and the empty digest', async () => {
    const fractions: number[] = [];

    const ref = await hashFile(new File([], 'empty.bin'), (f) => fractions.push(f));

    expect(ref.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(fractions).toEqual([1]);
  });

  test.each([
    ['changed on disk', (path: string) => writeFileSync(path, seededBytes(4096, 2))],
    ['deleted', (path: string) => rmSync(path)],
  ])('a file %s since it was chosen fails with FileReadError', async (_what, spoil) => {
    const { path, file } = await fileOnDisk(seededBytes(4096, 1));
    spoil(path);

    const failure = await hashFile(file).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FileReadError);
    expect((failure as FileReadError).message).toContain('"model.bin"');
    expect((failure as FileReadError).cause).toBeInstanceOf(Error);
  });
});

/**
 * Streamed SHA-256 in Chromium: Stemma's `hashFile` over a generated Blob (1 GiB unless
 * `?hashMiB=` says otherwise), reported in MB/s. The issue compares it with `sha256sum` on
 * the same machine; the page cannot run that, so `bench/hash.mjs --browser` measures it in
 * Node first and passes it in as `?sha256sumMBps=`, and the ratio is reported beside.
 * A 64 MiB slice is also hashed by WebCrypto, an independent implementation, as a check.
 */
import { hashFile } from '../../../src/lib/registry/file-hash';
import type { BenchSuite } from '../suite';

const MiB = 1024 ** 2;
const PART = 16 * MiB;
const params = new URLSearchParams(location.search);
const sizeMiB = Number(params.get('hashMiB') ?? 1024);
const baselineMBps = params.has('sha256sumMBps') ? Number(params.get('sha256sumMBps')) : null;

/**
 * One pseudo-random part (xorshift32), repeated behind a stamp of its index so that no two
 * parts are alike. Repeating the same part keeps Chromium's blob storage at one part: a
 * gigabyte of distinct in-page bytes is paged to the profile on disk and may fail to read.
 */
function generatedBlob(bytes: number): Blob {
  const words = new Uint32Array(PART / 4);
  let state = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  const part = new Blob([words]);
  const parts: BlobPart[] = [];
  for (let at = 0, n = 0; at < bytes; at += PART, n++) {
    const stamp = new Uint8Array(8);
    new DataView(stamp.buffer).setFloat64(0, n);
    parts.push(stamp, part.slice(0, Math.min(PART, bytes - at) - stamp.length));
  }
  return new Blob(parts);
}

const toHex = (digest: ArrayBuffer) =>
  [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');

const suite: BenchSuite = {
  name: 'hash',
  async run() {
    if (!(sizeMiB > 0 && Number.isInteger(sizeMiB))) {
      throw new Error(`?hashMiB=${params.get('hashMiB')} must be a whole number of MiB.`);
    }
    const generating = performance.now();
    const blob = generatedBlob(sizeMiB * MiB);
    const generateMs = performance.now() - generating;

    const slice = new File([blob.slice(0, 64 * MiB)], 'slice.bin');
    const [ours, webCrypto] = await Promise.all([
      hashFile(slice),
      slice.arrayBuffer().then((bytes) => crypto.subtle.digest('SHA-256', bytes)),
    ]);
    if (ours.sha256 !== toHex(webCrypto)) {
      throw new Error(`hashFile gave ${ours.sha256}, WebCrypto ${toHex(webCrypto)}.`);
    }

    const file = new File([blob], 'bench.bin');
    let progressCalls = 0;
    let lastFraction = 0;
    let monotonic = true;
    const started = performance.now();
    const ref = await hashFile(file, (fraction) => {
      progressCalls += 1;
      monotonic &&= fraction >= lastFraction;
      lastFraction = fraction;
    });
    const hashMs = performance.now() - started;

    const MBps = Number((file.size / 1e6 / (hashMs / 1000)).toFixed(1));
    return {
      fileBytes: file.size,
      generateMs: Math.round(generateMs),
      hashMs: Math.round(hashMs),
      MBps,
      sha256: ref.sha256,
      progressCalls,
      progressOk: monotonic && lastFraction === 1,
      sha256sumMBps: baselineMBps,
      ratio: baselineMBps ? Number((MBps / baselineMBps).toFixed(3)) : null,
    };
  },
};

export default suite;

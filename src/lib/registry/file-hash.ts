/** Streams a file through SHA-256 in constant memory, reporting progress as it goes. */
import { createSHA256 } from 'hash-wasm';
import { FileReadError } from './errors';
import type { FileRef } from './types';

/**
 * @example const ref = await hashFile(droppedFile, (f) => (progress = f));
 */
export async function hashFile(
  file: Blob & { name: string },
  onProgress?: (fraction: number) => void,
): Promise<FileRef> {
  const hasher = await createSHA256();
  hasher.init();
  let done = 0;
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      hasher.update(value);
      done += value.byteLength;
      onProgress?.(file.size ? done / file.size : 1);
    }
  } catch (cause) {
    throw new FileReadError(file.name, cause);
  }
  if (done !== file.size) {
    throw new FileReadError(file.name, new Error(`read ${done} of ${file.size} bytes`));
  }
  onProgress?.(1);
  return { name: file.name, size: file.size, sha256: hasher.digest('hex') };
}

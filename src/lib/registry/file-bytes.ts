/**
 * The bytes of registered files that this browser keeps, by SHA-256, in the workspace's
 * `blobs` table. They are never part of the event log: a version records name, size and hash,
 * and the bytes stay where the user chose to keep them (and travel to a teammate only when the
 * teammate asks, see `sync/file-transfer.ts`).
 */
import { InvalidInputError } from './errors';
import type { FileRef } from './types';
import type { BlobStore } from '../sync/file-transfer';
import type { WorkspaceDb } from '../store/schema';

export function blobStore(db: WorkspaceDb): BlobStore {
  return {
    async get(sha256) {
      return (await db.blobs.get(sha256))?.blob ?? null;
    },
    async put(sha256, blob) {
      await db.blobs.put({ sha256, blob, size: blob.size, storedAt: Date.now() });
    },
  };
}

/** Keeps a file's bytes; `ref` is what hashing the same file gave (see `hashFile`). */
export async function keepFileBytes(db: WorkspaceDb, file: Blob, ref: FileRef): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(ref.sha256) || file.size !== ref.size) {
    throw new InvalidInputError(
      `${ref.name} changed since it was hashed (${file.size} bytes now, ${ref.size} then). ` +
        'Drop the file again to hash and keep its current bytes.',
      'files',
    );
  }
  await blobStore(db).put(ref.sha256, file);
}

/** Which of these hashes this browser keeps the bytes of. */
export async function keptFiles(db: WorkspaceDb, sha256s: string[]): Promise<Set<string>> {
  const keys = await db.blobs.bulkGet(sha256s);
  return new Set(keys.flatMap((row) => (row ? [row.sha256] : [])));
}

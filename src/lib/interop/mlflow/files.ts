/**
 * The files of an import as one tree: a folder from a directory picker, a drop, or zips
 * expanded in place. Paths that could escape the store (`../`, absolute, percent-encoded)
 * are refused one by one and reported, so one bad entry does not stop the rest. Zip entries
 * are read only when the importer asks for them.
 */
import { unsafePathReason } from '$lib/registry/formats/context';
import { ReadBudget, resolveLimits } from '$lib/registry/formats/limits';
import { ByteSource } from '$lib/registry/formats/source';
import { looksLikeZip, openZip, readEntry } from '$lib/registry/formats/zip';
import { UnsafeImportPathError, issueOf } from './errors';
import type { ImportEntry, ImportIssue } from './types';

/** One file of the store, read on demand. */
export interface StoreFile {
  path: string;
  size: number;
  blob(): Promise<Blob>;
  text(): Promise<string>;
}

/** Generous limits: an mlruns zip holds many small files, and a few large model files. */
const ZIP_LIMITS = resolveLimits({
  maxZipEntries: 500_000,
  maxBytesRead: Number.MAX_SAFE_INTEGER,
  maxInflatedBytes: 1024 * 1024 * 1024,
  timeoutMs: 24 * 60 * 60 * 1000,
});

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Why a path may not be read, or null when it stays inside the store. */
export function pathProblem(path: string): string | null {
  const reason = unsafePathReason(path);
  if (reason !== null) return reason;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'it holds malformed percent-escapes';
  }
  // Stricter than the model readers: a store path never needs `..`, even one that stays in.
  if (decoded.split(/[\\/]/).includes('..')) return 'it climbs folders with ../';
  if (decoded !== path && /%2f|%5c|%2e/i.test(path)) {
    return 'it hides a folder separator or dot in percent-escapes';
  }
  return null;
}

function cleanPath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/{2,}/g, '/');
}

function fileOf(path: string, blob: Blob): StoreFile {
  return { path, size: blob.size, blob: async () => blob, text: () => blob.text() };
}

async function head(blob: Blob, length: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, length).arrayBuffer());
}

/** True when the bytes are an SQLite database (an `mlflow.db`). */
export async function isSqlite(blob: Blob): Promise<boolean> {
  const bytes = await head(blob, 16);
  return new TextDecoder('latin1').decode(bytes) === SQLITE_MAGIC;
}

async function expandZip(entry: ImportEntry, issues: ImportIssue[]): Promise<StoreFile[]> {
  const source = new ByteSource(entry.file, new ReadBudget(ZIP_LIMITS));
  source.format = 'zip';
  const prefix = entry.path.replace(/\.zip$/i, '');
  try {
    const archive = await openZip(source, {
      onUnsafePath: (name, reason) =>
        issues.push(new UnsafeImportPathError(name, reason).toIssue()),
    });
    const files: StoreFile[] = [];
    for (const zipEntry of archive.entries) {
      if (zipEntry.name.endsWith('/')) continue;
      const problem = pathProblem(zipEntry.name);
      if (problem !== null) {
        issues.push(new UnsafeImportPathError(zipEntry.name, problem).toIssue());
        continue;
      }
      let cached: Promise<Blob> | null = null;
      const blob = () =>
        (cached ??= readEntry(archive, zipEntry).then((bytes) => new Blob([bytes as BlobPart])));
      files.push({
        path: cleanPath(zipEntry.name),
        size: zipEntry.size,
        blob,
        text: async () => (await blob()).text(),
      });
    }
    return files;
  } catch (error) {
    issues.push(issueOf(error, prefix));
    return [];
  }
}

/**
 * The files of the input, zips expanded, unsafe paths reported in `issues`. SQLite databases
 * are returned apart: they are imported by the database reader.
 */
export async function collectFiles(
  entries: ImportEntry[],
  issues: ImportIssue[],
): Promise<{ files: StoreFile[]; databases: ImportEntry[] }> {
  const files: StoreFile[] = [];
  const databases: ImportEntry[] = [];
  for (const entry of entries) {
    const problem = pathProblem(entry.path);
    if (problem !== null) {
      issues.push(new UnsafeImportPathError(entry.path, problem).toIssue());
      continue;
    }
    const path = cleanPath(entry.path);
    const start = await head(entry.file, 4);
    if (/\.zip$/i.test(path) && looksLikeZip(start)) {
      files.push(...(await expandZip({ path, file: entry.file }, issues)));
    } else if (/\.(db|sqlite3?)$/i.test(path) && (await isSqlite(entry.file))) {
      databases.push({ path, file: entry.file });
    } else {
      files.push(fileOf(path, entry.file));
    }
  }
  return { files, databases };
}

/**
 * Where the store starts: the folder whose children are experiment folders (`<id>/meta.yaml`
 * with runs `<id>/<run>/meta.yaml` below) or the registry (`models/<name>/meta.yaml`). The
 * folder with the most such files wins when a zip holds more than one.
 */
export function findStoreRoot(paths: readonly string[]): string | null {
  const votes = new Map<string, number>();
  const vote = (root: string) => votes.set(root, (votes.get(root) ?? 0) + 1);
  const metas = new Set(paths.filter((path) => path.endsWith('meta.yaml')));
  for (const path of metas) {
    const parts = path.split('/');
    const n = parts.length;
    // <root>/models/<name>/meta.yaml and <root>/models/<name>/version-N/meta.yaml
    if (n >= 3 && parts[n - 3] === 'models') vote(parts.slice(0, n - 3).join('/'));
    else if (n >= 4 && parts[n - 4] === 'models' && parts[n - 2].startsWith('version-')) {
      vote(parts.slice(0, n - 4).join('/'));
    }
    // <root>/<experiment>/<run>/meta.yaml, when <root>/<experiment>/meta.yaml is there too
    if (n >= 3 && metas.has([...parts.slice(0, n - 2), 'meta.yaml'].join('/'))) {
      vote(parts.slice(0, n - 3).join('/'));
    }
    // A store with experiments and no runs yet: <root>/<numeric id>/meta.yaml
    if (n >= 2 && /^\d+$/.test(parts[n - 2])) vote(parts.slice(0, n - 2).join('/'));
  }
  let best: string | null = null;
  for (const [root, count] of votes) {
    const current = best === null ? -1 : votes.get(best)!;
    if (count > current || (count === current && root.length < best!.length)) best = root;
  }
  return best;
}

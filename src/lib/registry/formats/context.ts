/**
 * What a reader is handed: the file's bytes, its budget, its neighbours in the same drop, and
 * a place to leave warnings. Readers return metadata and, where loading could run code or
 * reach other files, a safety report.
 */
import type { ReadBudget } from './limits';
import type { ByteSource } from './source';
import type { ModelFileMetadata, SafetyReport } from './types';

/** Files dropped together, found by path relative to the file being read. */
export interface SiblingIndex {
  /** The sibling's size, or undefined when it is not in the drop. */
  sizeOf(relativePath: string): number | undefined;
  /** True when the file was dropped alone, so presence of siblings cannot be judged. */
  readonly alone: boolean;
}

export interface ReaderContext {
  source: ByteSource;
  budget: ReadBudget;
  fileName: string;
  siblings: SiblingIndex;
  warn(message: string): void;
  /** Record a safety report early, so it survives when reading fails afterwards. */
  setSafety(report: SafetyReport): void;
}

export interface ReaderOutcome {
  metadata: ModelFileMetadata;
  safety?: SafetyReport;
}

/** Build a sibling index for the file at `path` among `paths` (with sizes). */
export function siblingIndex(path: string, files: Map<string, number>, alone: boolean) {
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const index: SiblingIndex = {
    alone,
    sizeOf(relativePath: string) {
      const joined = normalizePath(folder + relativePath);
      return joined === null ? undefined : files.get(joined);
    },
  };
  return index;
}

/** Resolve `.` and `..` inside a relative path; null when it climbs above its root. */
export function normalizePath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/** Why a path stored in a model file must not be followed, or null when it stays inside. */
export function unsafePathReason(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'it holds malformed percent-escapes';
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(decoded)) return 'it is a URL';
  if (decoded.startsWith('/') || decoded.startsWith('\\')) return 'it is an absolute path';
  if (/^[a-z]:/i.test(decoded)) return 'it names a drive';
  if (decoded.includes('\0')) return 'it contains a NUL character';
  if (normalizePath(decoded) === null) return 'it climbs out of the model folder with ../';
  if (decoded !== path && decoded.split(/[\\/]/).includes('..')) {
    return 'it hides ../ in percent-escapes';
  }
  return null;
}

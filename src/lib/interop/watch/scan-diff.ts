/**
 * What a rescan found against what the last one saw: files new since then, files whose size
 * or modification time moved (their bytes are hashed to be sure), and files gone.
 */
import type { SeenFile } from '../../store/watched-folders';
import type { ScannedFile } from './directory';

export interface ScanDiff {
  added: ScannedFile[];
  /** Size or time differ from what was seen; still to be hashed. */
  touched: ScannedFile[];
  unchanged: number;
  removed: string[];
}

export function diffScan(
  seen: Readonly<Record<string, SeenFile>>,
  scanned: readonly ScannedFile[],
) {
  const diff: ScanDiff = { added: [], touched: [], unchanged: 0, removed: [] };
  const present = new Set<string>();
  for (const item of scanned) {
    present.add(item.path);
    const before = seen[item.path];
    if (!before) diff.added.push(item);
    else if (before.size !== item.file.size || before.lastModified !== item.file.lastModified) {
      diff.touched.push(item);
    } else diff.unchanged += 1;
  }
  diff.removed = Object.keys(seen)
    .filter((path) => !present.has(path))
    .sort();
  return diff;
}

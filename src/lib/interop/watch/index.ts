/**
 * Watched folders for pages: `openFolderWatcher` opens this browser's folder store and the
 * watcher over it, so components never reach the store themselves.
 */
import type { Registry } from '../../registry/api';
import { WatchedFolderStore, type WatchedFolderRow } from '../../store/watched-folders';
import { FolderWatcher, type WatchOptions } from './folder-watcher';

export {
  FolderPermissionError,
  FolderPickerUnsupportedError,
  FolderWatcher,
} from './folder-watcher';
export type { NamingRule, ScanReport, WatchedStoreReport, WatchOptions } from './folder-watcher';
export { RESCAN_MS, RescanService, type RescanHooks } from './rescan';
export type WatchedFolder = WatchedFolderRow;

export function openFolderWatcher(registry: Registry, options: WatchOptions = {}): FolderWatcher {
  return new FolderWatcher(registry, new WatchedFolderStore(), options);
}

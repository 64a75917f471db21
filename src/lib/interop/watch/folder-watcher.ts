/**
 * A watched folder: the user picks a local folder of models once (File System Access API,
 * Chromium); Stemma keeps the handle, asks again for read access after a restart, and on
 * every scan registers what is new or changed as versions of models named by the folder's
 * rule, with the metadata the files' headers state. A model's new version whose files
 * suggest how it relates to the version before (quantized, fine-tuned, adapter) gets that
 * link, noted as suggested, for the user to keep or remove. A folder that is an MLflow file
 * store (`mlruns/`), or holds one at its top level, has that store imported instead (see
 * `mlflow-store.ts`); model files beside it are registered as above.
 *
 * @example
 *   const watcher = new FolderWatcher(registry, new WatchedFolderStore());
 *   const folder = await watcher.pick({ kind: 'folder' });
 *   const report = await watcher.scan(folder.id);
 */
import type { Registry } from '../../registry/api';
import { StemmaError } from '../../registry/errors';
import { diffVersions, summarizeInspection } from '../../registry/formats';
import type { FileInspection } from '../../registry/formats/types';
import type { FileRef, ModelVersion } from '../../registry/types';
import type { WatchedFolderRow, WatchedFolderStore } from '../../store/watched-folders';
import { skippedItem, type SkippedItem } from '../triples/report';
import { listFiles, readPermission, type DirectoryHandleLike, type ScannedFile } from './directory';
import { importWatchedStore, seenPart, splitStore, type WatchedStoreReport } from './mlflow-store';
import { checkRule, groupIntoVersions, type NamingRule, type VersionGroup } from './naming';
import { diffScan } from './scan-diff';

export type { NamingRule, WatchedStoreReport };

/** Read access to a watched folder was not granted (after a restart, it must be asked for). */
export class FolderPermissionError extends StemmaError {
  constructor(folder: string, state: string) {
    super(
      'folder-permission',
      `Stemma may not read the folder "${folder}" (${state}). Press "Allow access" next to it ` +
        'and confirm in the browser; browsers ask again after a restart.',
    );
  }
}

/** The browser has no folder picker (Firefox, Safari): use drop or upload instead. */
export class FolderPickerUnsupportedError extends StemmaError {
  constructor() {
    super(
      'folder-picker-unsupported',
      'This browser cannot watch a folder (no File System Access API). Drop the files on the ' +
        'register page, or choose them with the file picker, instead.',
    );
  }
}

export interface WatchOptions {
  /** Reads the files' headers; the registry's worker when absent. */
  inspect?: (files: File[]) => Promise<FileInspection[]>;
  /** Tags and parameters the inspected files state (the register form's own suggestions). */
  suggest?: (inspections: FileInspection[]) => {
    tags: Record<string, string>;
    params: Record<string, string>;
  };
  /**
   * The handle a stored row holds. Browsers store real handles by structured clone and give
   * them back whole; only a stand-in for the browser API (tests) needs to rebuild one here.
   */
  reviveHandle?: (stored: unknown, row: WatchedFolderRow) => DirectoryHandleLike;
}

export interface ScanReport {
  folder: string;
  registered: { model: string; number: number; versionId: string; files: string[] }[];
  unchanged: number;
  removed: string[];
  /** Files no rule named, and groups that could not be registered. */
  skipped: SkippedItem[];
  /** Links added from what the files suggest. */
  suggestedLinks: number;
  /** The MLflow store in the folder and what importing it added; null when there is none. */
  mlflow: WatchedStoreReport | null;
}

interface PickerWindow {
  showDirectoryPicker?: (options?: { mode?: 'read' }) => Promise<DirectoryHandleLike>;
}

/** The file as the inspector reads it: with its path, so it finds its neighbours. */
function withPath(file: File, path: string): File {
  if (file.webkitRelativePath === path) return file;
  Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true });
  return file;
}

function relativeTo(folder: string, path: string): string {
  return folder ? path.slice(folder.length + 1) : path;
}

export class FolderWatcher {
  constructor(
    private readonly registry: Registry,
    private readonly store: WatchedFolderStore,
    private readonly options: WatchOptions = {},
  ) {}

  /** True where the browser can pick and keep a folder. */
  static supported(): boolean {
    return typeof (globalThis as PickerWindow).showDirectoryPicker === 'function';
  }

  /** Asks the user for a folder (call from a click) and keeps it. */
  async pick(rule: NamingRule): Promise<WatchedFolderRow> {
    const picker = (globalThis as PickerWindow).showDirectoryPicker;
    if (!picker) throw new FolderPickerUnsupportedError();
    return this.add(await picker({ mode: 'read' }), rule);
  }

  /** Keeps a folder handle with its naming rule. */
  async add(handle: DirectoryHandleLike, rule: NamingRule): Promise<WatchedFolderRow> {
    const row: WatchedFolderRow = {
      id: crypto.randomUUID(),
      workspaceId: this.store.workspaceId,
      name: handle.name,
      handle,
      rule: checkRule(rule),
      seen: {},
      addedAt: Date.now(),
      lastScanAt: null,
    };
    await this.store.put(row);
    return row;
  }

  list(): Promise<WatchedFolderRow[]> {
    return this.store.list();
  }

  /** Read access now; with `ask` (from a click), asks the browser when it can. */
  permission(row: WatchedFolderRow, ask = false): Promise<PermissionState> {
    return readPermission(this.handleOf(row), ask);
  }

  private handleOf(row: WatchedFolderRow): DirectoryHandleLike {
    return this.options.reviveHandle?.(row.handle, row) ?? (row.handle as DirectoryHandleLike);
  }

  async setRule(id: string, rule: NamingRule): Promise<void> {
    await this.store.put({ ...(await this.row(id)), rule: checkRule(rule) });
  }

  remove(id: string): Promise<void> {
    return this.store.remove(id);
  }

  private async row(id: string): Promise<WatchedFolderRow> {
    const row = await this.store.get(id);
    if (!row) throw new StemmaError('unknown-folder', 'That folder is no longer watched.');
    return row;
  }

  /** Scans the folder and registers what is new or changed since the last scan. */
  async scan(id: string): Promise<ScanReport> {
    const row = await this.row(id);
    const handle = this.handleOf(row);
    const state = await readPermission(handle);
    if (state !== 'granted') throw new FolderPermissionError(row.name, state);

    const split = splitStore(await listFiles(handle));
    const diff = diffScan(seenPart(row.seen, split.root, false), split.rest);
    const report: ScanReport = {
      folder: row.name,
      registered: [],
      unchanged: diff.unchanged,
      removed: diff.removed,
      skipped: [],
      suggestedLinks: 0,
      mlflow: null,
    };
    const seen = seenPart(row.seen, split.root, false);
    for (const path of diff.removed) delete seen[path];
    if (split.root !== null) {
      try {
        const store = await importWatchedStore(
          this.registry,
          split.root,
          split.store,
          seenPart(row.seen, split.root, true),
        );
        report.mlflow = store.report;
        Object.assign(seen, store.seen);
      } catch (error) {
        report.skipped.push(skippedItem(split.root || row.name, null, error));
      }
    }

    // A touched file whose bytes are the same (copied back, re-saved) is no new version.
    const hashes = new Map<string, FileRef>();
    const changed: ScannedFile[] = [];
    for (const item of [...diff.added, ...diff.touched]) {
      const ref = await this.registry.hashFile(item.file);
      hashes.set(item.path, ref);
      const before = row.seen[item.path];
      if (before && before.sha256 === ref.sha256) {
        seen[item.path] = { ...before, lastModified: item.file.lastModified };
      } else changed.push(item);
    }

    const { groups, unnamed } = groupIntoVersions(changed, row.rule, row.name);
    for (const path of unnamed) {
      const why = new StemmaError('unnamed-file', `${path}: the folder's rule names no model.`);
      report.skipped.push(skippedItem(path, null, why));
    }
    for (const group of groups) {
      try {
        const version = await this.register(row, group, hashes, report);
        for (const { path, file } of group.files) {
          seen[path] = {
            size: file.size,
            lastModified: file.lastModified,
            sha256: hashes.get(path)!.sha256,
          };
        }
        report.registered.push({
          model: group.model,
          number: version.number,
          versionId: version.id,
          files: group.files.map((f) => f.path),
        });
      } catch (error) {
        report.skipped.push(skippedItem(group.folder || row.name, null, error));
      }
    }
    await this.store.put({ ...row, seen, lastScanAt: Date.now() });
    return report;
  }

  /** Registers one group as the next version of its model, with suggested metadata. */
  private async register(
    row: WatchedFolderRow,
    group: VersionGroup,
    hashes: Map<string, FileRef>,
    report: ScanReport,
  ): Promise<ModelVersion> {
    const files = group.files.map(({ path, file }) =>
      withPath(file, relativeTo(group.folder, path)),
    );
    const inspect = this.options.inspect ?? ((list: File[]) => this.registry.inspectFiles(list));
    const inspections = await inspect(files);
    const refs: FileRef[] = group.files.map(({ path }, index) => {
      const ref: FileRef = { ...hashes.get(path)!, name: relativeTo(group.folder, path) };
      const inspection = inspections[index];
      if (inspection && inspection.error === null) ref.summary = summarizeInspection(inspection);
      return ref;
    });
    const suggested = this.options.suggest?.(inspections) ?? { tags: {}, params: {} };

    const {
      models: [model],
    } = await this.registry.ensureModels([
      { name: group.model, tags: { source: 'watched-folder' } },
    ]);
    const previous =
      model.latestVersion > 0
        ? await this.registry.getVersion(model.name, model.latestVersion)
        : null;
    const where = group.folder ? `${row.name}/${group.folder}` : row.name;
    const version = await this.registry.registerVersion({
      model: model.name,
      description: `Found in the watched folder \`${where}\`.`,
      tags: { ...suggested.tags, 'watch.folder': where },
      params: suggested.params,
      files: refs,
    });

    const suggestion = previous ? diffVersions(previous.files, version.files).suggestion : null;
    if (previous && suggestion && suggestion.child === 'after') {
      const result = await this.registry.addLineageEdges([
        {
          from: previous.id,
          to: version.id,
          relation: suggestion.relation,
          note: `Suggested by the watched folder from the files: ${suggestion.reason}`,
        },
      ]);
      report.suggestedLinks += result.added.length;
    }
    return version;
  }
}

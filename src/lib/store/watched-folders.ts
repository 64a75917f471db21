/**
 * Watched folders of this browser: the directory handle the user picked (IndexedDB keeps
 * File System Access handles by structured clone), the rule that names models, and what the
 * last scan saw. Local to this browser and never in the event log: a handle means nothing
 * on another machine.
 */
import { Dexie, type EntityTable } from 'dexie';

/** What a scan remembers of a file, to tell new and changed files from those seen. */
export interface SeenFile {
  size: number;
  lastModified: number;
  sha256: string;
}

export interface WatchedFolderRow {
  id: string;
  workspaceId: string;
  /** The folder's own name, as the picker gave it. */
  name: string;
  /** A FileSystemDirectoryHandle in the browser; a test double in tests. */
  handle: unknown;
  /** How files become models: see `$lib/interop/watch/naming`. */
  rule: { kind: 'folder' } | { kind: 'fixed'; name: string } | { kind: 'pattern'; pattern: string };
  seen: Record<string, SeenFile>;
  addedAt: number;
  lastScanAt: number | null;
}

class WatchedFolderDb extends Dexie {
  folders!: EntityTable<WatchedFolderRow, 'id'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ folders: 'id, workspaceId' });
  }
}

/** The watched folders of one workspace, stored in their own small database. */
export class WatchedFolderStore {
  private readonly db: WatchedFolderDb;

  constructor(
    readonly workspaceId = 'default',
    databaseName = 'stemma-watched-folders',
  ) {
    this.db = new WatchedFolderDb(databaseName);
  }

  list(): Promise<WatchedFolderRow[]> {
    return this.db.folders.where('workspaceId').equals(this.workspaceId).sortBy('addedAt');
  }

  get(id: string): Promise<WatchedFolderRow | undefined> {
    return this.db.folders.get(id);
  }

  async put(row: WatchedFolderRow): Promise<void> {
    await this.db.folders.put(row);
  }

  async remove(id: string): Promise<void> {
    await this.db.folders.delete(id);
  }

  close(): void {
    this.db.close();
  }
}

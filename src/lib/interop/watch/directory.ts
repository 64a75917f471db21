/**
 * The parts of the File System Access API a folder scan uses. A picked folder's
 * `FileSystemDirectoryHandle` fits these shapes; tests walk an in-memory folder with the same
 * shape, standing in for the browser API only.
 */

export interface FileHandleLike {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}

export interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<FileHandleLike | DirectoryHandleLike>;
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** A file found by a scan, with its `/`-separated path below the folder. */
export interface ScannedFile {
  path: string;
  file: File;
}

/** Folders and files a scan leaves alone: hidden ones (`.git`, `.DS_Store`). */
function hidden(name: string): boolean {
  return name.startsWith('.');
}

/**
 * Every file below `root`, depth first, in name order so scans are repeatable; stops after
 * `limit` files so a mistaken pick (a home folder) cannot run for ever. The limit leaves room
 * for an `mlruns/` store, where every run holds a dozen small files or more.
 */
export async function listFiles(root: DirectoryHandleLike, limit = 50_000): Promise<ScannedFile[]> {
  const found: ScannedFile[] = [];
  const walk = async (folder: DirectoryHandleLike, prefix: string) => {
    const children: (FileHandleLike | DirectoryHandleLike)[] = [];
    for await (const child of folder.values()) if (!hidden(child.name)) children.push(child);
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (found.length >= limit) return;
      const path = prefix ? `${prefix}/${child.name}` : child.name;
      if (child.kind === 'file') found.push({ path, file: await child.getFile() });
      else await walk(child, path);
    }
  };
  await walk(root, '');
  return found;
}

/** Read access: granted, or whether asking (on a click) can still grant it. */
export async function readPermission(
  handle: DirectoryHandleLike,
  ask = false,
): Promise<PermissionState> {
  const descriptor = { mode: 'read' as const };
  const current = (await handle.queryPermission?.(descriptor)) ?? 'granted';
  if (current === 'granted' || !ask) return current;
  return (await handle.requestPermission?.(descriptor)) ?? current;
}

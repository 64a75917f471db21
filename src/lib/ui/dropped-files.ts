/**
 * Files from a drop or a picker, with their paths inside the dropped folder. A model is often
 * a folder (`model.json` and its shards, an MLflow `MLmodel` beside `model.pkl`), and its
 * readers find the neighbours by those paths, so the folder structure is kept.
 */

/** A chosen file and its path relative to what was dropped, `/`-separated. */
export interface DroppedFile {
  file: File;
  path: string;
}

export interface DroppedSelection {
  files: DroppedFile[];
  /** Hidden files and folders (`.git`, `.DS_Store`) inside dropped folders, left out. */
  skippedHidden: number;
}

function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under `entry`, depth first; `readEntries` answers in batches until empty. */
async function walk(entry: FileSystemEntry, prefix: string, found: DroppedSelection) {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    found.files.push({ file: await entryFile(entry as FileSystemFileEntry), path });
    return;
  }

  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) {
      if (isHidden(child.name)) found.skippedHidden += 1;
      else await walk(child, path, found);
    }
  }
}

/**
 * The files of a drop, folders walked. Entries must be taken while the drop event runs (the
 * browser empties the DataTransfer after it), so call this from the handler, then await.
 */
export function filesFromDrop(transfer: DataTransfer): Promise<DroppedSelection> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    const file = entry ? null : item.getAsFile();
    if (entry) entries.push(entry);
    else if (file) loose.push(file);
  }
  if (transfer.items.length === 0) loose.push(...Array.from(transfer.files));

  return (async () => {
    const found: DroppedSelection = { files: [], skippedHidden: 0 };
    for (const entry of entries) await walk(entry, '', found);
    for (const file of loose) found.files.push({ file, path: file.name });
    return withoutCommonFolder(found);
  })();
}

/** The files of an `<input type=file>`, with folder paths when it had `webkitdirectory`. */
export function filesFromInput(list: FileList | null | undefined): DroppedSelection {
  const found: DroppedSelection = { files: [], skippedHidden: 0 };
  for (const file of Array.from(list ?? [])) {
    const path = file.webkitRelativePath || file.name;
    if (path.split('/').slice(0, -1).some(isHidden)) found.skippedHidden += 1;
    else if (path.includes('/') && isHidden(file.name)) found.skippedHidden += 1;
    else found.files.push({ file, path });
  }
  return withoutCommonFolder(found);
}

/**
 * Drops the folder every path starts with: a folder dropped as `bert-v2/` registers
 * `config.json`, not `bert-v2/config.json`, so the next version's files pair up by name
 * whatever its folder was called.
 */
export function withoutCommonFolder(selection: DroppedSelection): DroppedSelection {
  const roots = new Set(selection.files.map(({ path }) => path.split('/')[0]));
  const nested = selection.files.every(({ path }) => path.includes('/'));
  if (roots.size !== 1 || !nested) return selection;

  const cut = [...roots][0].length + 1;
  return {
    ...selection,
    files: selection.files.map(({ file, path }) => ({ file, path: path.slice(cut) })),
  };
}

/**
 * The file as the registry's inspector reads it: the inspector takes a folder path from
 * `webkitRelativePath`, which files from a drop lack and which must match the trimmed path.
 */
export function withRelativePath(file: File, path: string): File {
  if (file.webkitRelativePath === path) return file;
  Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true });
  return file;
}

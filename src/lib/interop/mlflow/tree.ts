/** The files under a store root, with folder listings the readers walk. */
import type { StoreFile } from './files';

export class StoreTree {
  private readonly byPath = new Map<string, StoreFile>();
  /** Folder path to the names of its child folders and files. */
  private readonly children = new Map<string, Set<string>>();

  /** @param root the store root inside the input; paths outside it are left out */
  constructor(files: readonly StoreFile[], root: string) {
    const prefix = root === '' ? '' : `${root}/`;
    for (const file of files) {
      if (!file.path.startsWith(prefix)) continue;
      const path = file.path.slice(prefix.length);
      this.byPath.set(path, file);
      const parts = path.split('/');
      for (let depth = 0; depth < parts.length; depth++) {
        const folder = parts.slice(0, depth).join('/');
        let names = this.children.get(folder);
        if (!names) this.children.set(folder, (names = new Set()));
        names.add(parts[depth]);
      }
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  file(path: string): StoreFile | undefined {
    return this.byPath.get(path);
  }

  /** Names directly inside `folder` that are folders themselves. */
  folders(folder: string): string[] {
    const names = this.children.get(folder) ?? new Set<string>();
    const join = (name: string) => (folder === '' ? name : `${folder}/${name}`);
    return [...names].filter((name) => this.children.has(join(name))).sort();
  }

  /** Every file below `folder`, by path relative to it (`train/loss` for nested keys). */
  filesUnder(folder: string): { key: string; file: StoreFile }[] {
    const out: { key: string; file: StoreFile }[] = [];
    // Walks the listing from `folder` down, so the cost follows that folder's size only.
    const walk = (path: string, key: string) => {
      for (const name of this.children.get(path) ?? []) {
        const childPath = path === '' ? name : `${path}/${name}`;
        const childKey = key === '' ? name : `${key}/${name}`;
        const file = this.byPath.get(childPath);
        if (file) out.push({ key: childKey, file });
        if (this.children.has(childPath)) walk(childPath, childKey);
      }
    };
    walk(folder, '');
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The text of each file below `folder`, keyed by relative path (params and tags). */
  async values(folder: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { key, file } of this.filesUnder(folder)) out[key] = await file.text();
    return out;
  }
}

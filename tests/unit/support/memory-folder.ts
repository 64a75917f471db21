/**
 * Folders with the File System Access handle shape, standing in for the browser's picker in
 * tests: one in memory (paths to bytes, with a clock for modification times) and one over a
 * real folder on disk, read through `node:fs` as the browser reads a picked folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryHandleLike, FileHandleLike } from '../../../src/lib/interop/watch/directory';

/** A folder in memory: paths to bytes, with a clock for modification times. */
export class MemoryFolder implements DirectoryHandleLike {
  readonly kind = 'directory';
  permission: PermissionState = 'granted';
  private readonly files = new Map<string, File>();
  private clock = 1_700_000_000_000;

  constructor(readonly name: string) {}

  write(path: string, bytes: Uint8Array<ArrayBuffer> | string) {
    this.clock += 1000;
    const name = path.split('/').pop()!;
    this.files.set(path, new File([bytes], name, { lastModified: this.clock }));
  }

  delete(path: string) {
    this.files.delete(path);
  }

  async *values(): AsyncIterable<FileHandleLike | DirectoryHandleLike> {
    yield* this.entriesUnder('');
  }

  private *entriesUnder(prefix: string): Iterable<FileHandleLike | DirectoryHandleLike> {
    const names = new Set<string>();
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const [head, ...rest] = path.slice(prefix.length).split('/');
      if (names.has(head)) continue;
      names.add(head);
      if (rest.length === 0) {
        const file = this.files.get(path)!;
        yield { kind: 'file', name: head, getFile: async () => file };
      } else {
        const under = `${prefix}${head}/`;
        const entries = () => this.entriesUnder(under);
        yield {
          kind: 'directory',
          name: head,
          async *values() {
            yield* entries();
          },
        };
      }
    }
  }

  async queryPermission() {
    return this.permission;
  }

  async requestPermission() {
    this.permission = 'granted';
    return this.permission;
  }
}

/** A real folder on disk; files are read when a scan asks for them. */
export class DiskFolder implements DirectoryHandleLike {
  readonly kind = 'directory';
  readonly name: string;

  constructor(
    readonly path: string,
    name?: string,
  ) {
    this.name = name ?? path.split('/').pop()!;
  }

  async *values(): AsyncIterable<FileHandleLike | DirectoryHandleLike> {
    for (const name of readdirSync(this.path)) {
      const path = join(this.path, name);
      const stat = statSync(path);
      if (stat.isDirectory()) yield new DiskFolder(path, name);
      else {
        yield {
          kind: 'file',
          name,
          getFile: async () => new File([readFileSync(path)], name, { lastModified: stat.mtimeMs }),
        };
      }
    }
  }
}

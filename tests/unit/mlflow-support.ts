/** Builds importer input in tests: a folder on disk, or a store written from a plain object. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ImportEntry } from '../../src/lib/interop/mlflow';

/** Every file under `dir`, with paths as a directory picker gives them (`<dir name>/...`). */
export function entriesOfFolder(dir: string, prefix = 'mlruns'): ImportEntry[] {
  const out: ImportEntry[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        out.push({
          path: `${prefix}/${relative(dir, path)}`,
          file: new Blob([readFileSync(path)]),
        });
    }
  };
  walk(dir);
  return out;
}

/** Entries from `{ 'path/in/store': 'content' }`. */
export function entriesOf(files: Record<string, string | Uint8Array>): ImportEntry[] {
  return Object.entries(files).map(([path, content]) => ({
    path,
    file: new Blob([content as BlobPart]),
  }));
}

/** A YAML scalar as PyYAML writes it: text quoted, numbers and null bare. */
function scalar(value: string | number | null): string {
  if (value === null) return 'null';
  return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
}

/** A meta.yaml body from fields, as MLflow's write_yaml lays them out (one `key: value` a line). */
export function yamlOf(fields: Record<string, string | number | null>): string {
  const lines = Object.entries(fields).map(([key, value]) => `${key}: ${scalar(value)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Loads SQLite compiled to WebAssembly (sql.js) on first use only. In the app the `.wasm` is
 * a build asset served by the static site itself, so reading a database works offline; Node
 * (tests, benchmarks) hands the wasm bytes in.
 */
import type { SqlJsStatic } from 'sql.js';

export interface SqliteOptions {
  /** The wasm module's bytes; when absent the app's own asset URL is fetched. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlite(options: SqliteOptions = {}): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const { default: initSqlJs } = await import('sql.js');
    if (options.wasmBinary) {
      const bytes = options.wasmBinary;
      const wasmBinary = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      return initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
    }
    const { default: wasmUrl } = await import('sql.js/dist/sql-wasm.wasm?url');
    return initSqlJs({ locateFile: () => wasmUrl });
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

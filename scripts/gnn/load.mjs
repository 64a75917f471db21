// Loads scripts/gnn/entry.ts (TypeScript sources of src/lib/gnn) in plain Node 20 through
// Vite's module runner, no build step.
//
// TensorFlow.js is loaded from its ES module build, transformed by Vite, because the
// gradients (`@tensorflow/tfjs-core/dist/register_all_gradients`) exist only there and Node
// cannot import that build natively (extensionless imports in a CommonJS package). That
// build's Node platform calls `require('util')`, so a `require` is provided for it.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

/** The entry module's exports: `tf` and the GNN's public functions. */
export async function loadGnn() {
  globalThis.require ??= createRequire(import.meta.url);
  const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));
  const { module } = await runnerImport(entry, {
    logLevel: 'error',
    environments: {
      inline: { resolve: { noExternal: [/^@tensorflow\//], mainFields: ['module'] } },
    },
  });
  // Production mode skips per-op debug checks and the "install tfjs-node" banner.
  module.tf.enableProdMode();
  return module;
}

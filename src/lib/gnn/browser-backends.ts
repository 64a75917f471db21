/**
 * Registers TensorFlow.js's browser backends (WASM, WebGL, WebGPU, and CPU as the floor) for
 * `chooseFastestBackend`. Loaded lazily so that a page that never trains the GNN downloads
 * none of them. The WASM binaries go through Vite `?url` imports: they become build assets
 * the service worker can precache, and the app works offline.
 */
import { logger } from '$lib/logging/logger';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const log = logger('gnn');

/** Imports every browser backend; returns the names that registered. */
export async function registerBrowserBackends(): Promise<string[]> {
  const registered: string[] = [];
  const load = async (name: string, importer: () => Promise<unknown>) => {
    try {
      await importer();
      registered.push(name);
    } catch (error) {
      // A backend that fails to load is one fewer candidate, not a failure of training.
      log.warn(`the ${name} backend could not be loaded`, error);
    }
  };

  await load('cpu', () => import('@tensorflow/tfjs-backend-cpu'));
  await load('wasm', async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': threaded,
    });
  });
  await load('webgl', () => import('@tensorflow/tfjs-backend-webgl'));
  if (typeof navigator !== 'undefined' && 'gpu' in navigator) {
    await load('webgpu', () => import('@tensorflow/tfjs-backend-webgpu'));
  }
  return registered;
}

/**
 * Web Worker entry for GNN training. Create it with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`, or let
 * `TrainingClient` do so. TensorFlow.js and its backends load here only, never in the page.
 */
import { registerBrowserBackends } from '../browser-backends';
import type { MessageEndpoint } from './protocol';
import { serveTraining } from './service';

serveTraining(self as unknown as MessageEndpoint, { registerBackends: registerBrowserBackends });

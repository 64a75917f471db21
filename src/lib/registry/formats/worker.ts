/**
 * Web Worker entry for model-file inspection. Create it with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`, or let
 * `InspectionClient` do so.
 */
import type { MessageEndpoint } from './worker-protocol';
import { serveInspections } from './worker-service';

serveInspections(self as unknown as MessageEndpoint);

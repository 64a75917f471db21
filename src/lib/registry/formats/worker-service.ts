/**
 * The worker side of inspection: receives drops, inspects each file with `inspectFile`, and
 * posts progress and results. Kept apart from `worker.ts` so it can be served over any
 * message endpoint (a Worker scope in the browser, a MessagePort in tests).
 */
import { inspectFile } from './inspect';
import type { InspectionRequest, InspectionResponse, MessageEndpoint } from './worker-protocol';

/** Answer inspection requests arriving on `endpoint`. */
export function serveInspections(endpoint: MessageEndpoint): void {
  const cancelled = new Map<number, AbortController>();
  const post = (message: InspectionResponse) => endpoint.postMessage(message);

  endpoint.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as InspectionRequest;
    if (request.type === 'cancel') {
      cancelled.get(request.id)?.abort();
      return;
    }
    if (request.type !== 'inspect') return;
    const controller = new AbortController();
    cancelled.set(request.id, controller);
    const neighbours = new Map(request.neighbours);
    void (async () => {
      for (const [index, file] of request.files.entries()) {
        post({ type: 'started', id: request.id, index, path: file.path });
        const options = { limits: request.limits, signal: controller.signal };
        const result = await inspectFile(file, options, neighbours);
        post({ type: 'result', id: request.id, index, result });
      }
      cancelled.delete(request.id);
      post({ type: 'done', id: request.id });
    })();
  });
}

/**
 * The GNN training worker served in this process over a MessageChannel, on TensorFlow.js's
 * CPU backend: the real service and client, without a browser.
 */
import '@tensorflow/tfjs-backend-cpu';
import type { WorkerLike } from '../../../src/lib/gnn/training-client';
import type { MessageEndpoint } from '../../../src/lib/gnn/worker/protocol';
import { serveTraining } from '../../../src/lib/gnn/worker/service';

const ports: MessagePort[] = [];

export function inProcessTrainingWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveTraining(port1 as unknown as MessageEndpoint);
  port1.start();
  port2.start();
  return {
    postMessage: (message) => port2.postMessage(message),
    addEventListener: (type, listener) => port2.addEventListener(type, listener as never),
    removeEventListener: (type, listener) => port2.removeEventListener(type, listener as never),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

/** Closes every channel opened by `inProcessTrainingWorker`; call after each test. */
export function closeTrainingWorkers(): void {
  for (const port of ports.splice(0)) port.close();
}

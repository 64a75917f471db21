/**
 * The worker client: results arrive in order with progress, and a worker that stalls on a
 * file is replaced, the file reported as timed out, and the rest of the drop still read.
 * The worker side is the real service, served over a MessageChannel in this process.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { InspectionClient, type WorkerLike } from '$lib/registry/formats/client';
import type { MessageEndpoint } from '$lib/registry/formats/worker-protocol';
import { serveInspections } from '$lib/registry/formats/worker-service';
import { callingPickle, gguf, safetensors } from './formats-builders';

const ports: MessagePort[] = [];

function inProcessWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveInspections(port1 as unknown as MessageEndpoint);
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

/** A worker that accepts a request and never answers, like one stuck in a tight loop. */
function stalledWorker(terminated: string[]): WorkerLike {
  return {
    postMessage: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    terminate: () => terminated.push('stalled'),
  };
}

const file = (name: string, bytes: Uint8Array) => ({ blob: new Blob([bytes as BlobPart]), name });

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

describe('InspectionClient', () => {
  test('inspects a drop in the worker, in order, with progress', async () => {
    const client = new InspectionClient(inProcessWorker);
    const progress: string[] = [];
    const streamed: string[] = [];
    const results = await client.inspect(
      [file('a.gguf', gguf()), file('b.pkl', callingPickle('os', 'system', 'x'))],
      {
        onProgress: (p) => progress.push(`${p.index + 1}/${p.total} ${p.path}`),
        onResult: (r) => streamed.push(r.fileName),
      },
    );
    client.dispose();
    expect(progress).toEqual(['1/2 a.gguf', '2/2 b.pkl']);
    expect(streamed).toEqual(['a.gguf', 'b.pkl']);
    expect(results.map((r) => r.format)).toEqual(['gguf', 'pickle']);
    expect(results[1].safety?.verdict).toBe('dangerous');
  });

  test('a stalled worker is replaced and the rest of the drop is read', async () => {
    const terminated: string[] = [];
    let created = 0;
    const client = new InspectionClient(() =>
      created++ === 0 ? stalledWorker(terminated) : inProcessWorker(),
    );
    const results = await client.inspect(
      [file('stuck.bin', gguf()), file('ok.safetensors', safetensors({}, 0))],
      { limits: { timeoutMs: 100 } },
    );
    client.dispose();
    expect(terminated).toEqual(['stalled']);
    expect(results[0].error).toMatchObject({ name: 'InspectionTimeoutError' });
    expect(results[1]).toMatchObject({ format: 'safetensors', error: null });
  });

  test('a cancelled drop reports the files not yet read as cancelled', async () => {
    const client = new InspectionClient(inProcessWorker);
    const controller = new AbortController();
    controller.abort();
    const results = await client.inspect([file('a.gguf', gguf())], { signal: controller.signal });
    client.dispose();
    expect(results[0].error?.name).toBe('InspectionAbortedError');
  });
});

/**
 * Runs model-file inspection in a Web Worker, so a slow or hostile file never blocks the page.
 * A watchdog gives each file its time limit plus a grace period; a worker that overruns it
 * (stuck in a loop no checkpoint reaches) is terminated, the file is reported as timed out,
 * and a fresh worker takes the rest of the drop.
 *
 * @example
 *   const client = new InspectionClient();
 *   const results = await client.inspect(files, { onResult: (r) => show(r) });
 */
import { logger } from '$lib/logging/logger';
import {
  describeError,
  InspectionAbortedError,
  InspectionTimeoutError,
  InspectionWorkerCrashedError,
} from './errors';
import { resolveLimits, type InspectLimits } from './limits';
import type { FileInspection, ModelFileInput } from './types';
import type { InspectionResponse, MessageEndpoint, WorkerFile } from './worker-protocol';

const log = logger('formats');
const GRACE_MS = 2000;

/** A Worker, or anything with the same few methods. */
export interface WorkerLike extends MessageEndpoint {
  addEventListener(type: 'message' | 'error', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: MessageEvent) => void): void;
  terminate(): void;
}

export interface InspectProgress {
  /** Index of the file now being read, within the drop. */
  index: number;
  total: number;
  path: string;
}

export interface ClientInspectOptions {
  limits?: Partial<InspectLimits>;
  signal?: AbortSignal;
  onProgress?: (progress: InspectProgress) => void;
  onResult?: (result: FileInspection) => void;
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;
}

function toWorkerFile(file: File | ModelFileInput): WorkerFile {
  if ('blob' in file) return { blob: file.blob, name: file.name, path: file.path ?? file.name };
  const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return { blob: file, name: file.name, path: relative || file.name };
}

function failedResult(file: WorkerFile, error: unknown): FileInspection {
  return {
    fileName: file.name,
    path: file.path,
    size: file.blob.size,
    format: null,
    metadata: null,
    safety: null,
    warnings: [],
    error: describeError(error),
    bytesRead: 0,
    tookMs: 0,
  };
}

export class InspectionClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly createWorker: () => WorkerLike;

  constructor(createWorker: () => WorkerLike = defaultWorker) {
    this.createWorker = createWorker;
  }

  /** Inspect a drop in the worker; resolves with one result per file, in order. */
  inspect(files: (File | ModelFileInput)[], options: ClientInspectOptions = {}) {
    const run = this.queue.then(() => this.run(files.map(toWorkerFile), options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stop the worker. The client starts a new one if used again. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private async run(files: WorkerFile[], options: ClientInspectOptions): Promise<FileInspection[]> {
    const limits = resolveLimits(options.limits);
    const neighbours = files.map((f) => [f.path, f.blob.size] as [string, number]);
    const results: FileInspection[] = [];
    while (results.length < files.length) {
      if (options.signal?.aborted) {
        for (const file of files.slice(results.length)) {
          results.push(failedResult(file, new InspectionAbortedError()));
        }
        break;
      }
      const offset = results.length;
      const rest = files.slice(offset);
      const batch = await this.runBatch(rest, offset, files.length, neighbours, limits, options);
      for (const result of batch) {
        results.push(result);
        options.onResult?.(result);
      }
    }
    return results;
  }

  /** Send files to a worker until done, or until it stalls on one (then report it). */
  private runBatch(
    files: WorkerFile[],
    offset: number,
    total: number,
    neighbours: [string, number][],
    limits: InspectLimits,
    options: ClientInspectOptions,
  ): Promise<FileInspection[]> {
    const worker = (this.worker ??= this.createWorker());
    const id = this.nextId++;
    const done: FileInspection[] = [];
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let finished = false;
      const finish = (failure?: unknown) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (failure !== undefined && done.length < files.length) {
          log.warn('inspection worker replaced', { file: files[done.length].path });
          done.push(failedResult(files[done.length], failure));
          this.dispose();
        }
        resolve(done);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => finish(new InspectionTimeoutError(limits.timeoutMs)),
          limits.timeoutMs + GRACE_MS,
        );
      };
      const onAbort = () => worker.postMessage({ type: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort);
      const onError = () => finish(new InspectionWorkerCrashedError());
      const onMessage = (event: MessageEvent) => {
        const message = event.data as InspectionResponse;
        if (message.id !== id || finished) return;
        if (message.type === 'started') {
          arm();
          options.onProgress?.({ index: offset + message.index, total, path: message.path });
        } else if (message.type === 'result') {
          done.push(message.result);
        } else if (message.type === 'done') {
          finish();
        }
      };
      worker.addEventListener('error', onError);
      worker.addEventListener('message', onMessage);
      arm();
      worker.postMessage({ type: 'inspect', id, files, neighbours, limits });
    });
  }
}

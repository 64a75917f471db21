/**
 * Runs GNN training in a Web Worker so the page never blocks: the page gets the measured
 * backend, one message per epoch, and the embeddings at the end, and can pause, resume or
 * cancel. TensorFlow.js is imported by the worker only.
 *
 * @example
 *   const job = new TrainingClient().start(input, { onEpoch: (r) => draw(r.loss) });
 *   job.pause(); job.resume();
 *   const result = await job.result;
 */
import { TrainingCancelledError, TrainingFailedError, TrainingWorkerError } from './errors';
import type { LinkEpochRecord } from './link-train';
import type {
  BackendReport,
  MessageEndpoint,
  TrainingInput,
  TrainingResponse,
  TrainingResult,
} from './worker/protocol';

export type { BackendReport, LinkQuality, TrainingInput, TrainingResult } from './worker/protocol';

/** A cancel the worker does not acknowledge in this time ends the worker instead. */
const CANCEL_GRACE_MS = 3000;

/** A Worker, or anything with the same few methods. */
export interface WorkerLike extends MessageEndpoint {
  addEventListener(type: 'message' | 'error', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: MessageEvent) => void): void;
  terminate(): void;
}

export interface TrainingHooks {
  onBackend?: (report: BackendReport) => void;
  onEpoch?: (record: LinkEpochRecord, maxEpochs: number) => void;
  /** The worker acknowledged a pause (true) or a resume (false). */
  onPaused?: (paused: boolean) => void;
  /** Training ended; the run is being scored on its held-out links. */
  onScoring?: () => void;
}

/** A training run under way. */
export interface TrainingJob {
  /** Stops after the current epoch until `resume`. */
  pause(): void;
  resume(): void;
  /** Ends the run; `result` rejects with `TrainingCancelledError`. */
  cancel(): void;
  readonly result: Promise<TrainingResult>;
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('./worker/worker.ts', import.meta.url), {
    type: 'module',
  }) as WorkerLike;
}

export class TrainingClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;

  constructor(private readonly createWorker: () => WorkerLike = defaultWorker) {}

  /** Starts training `input`; one worker serves the runs of a client, one after another. */
  start(input: TrainingInput, hooks: TrainingHooks = {}): TrainingJob {
    let worker: WorkerLike;
    try {
      worker = this.worker ??= this.createWorker();
    } catch (cause) {
      const failed = Promise.reject(new TrainingWorkerError('it could not start', { cause }));
      return { pause() {}, resume() {}, cancel() {}, result: failed };
    }
    const id = this.nextId++;
    let epochs = 0;
    let settled = false;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;

    let settle!: (outcome: { result: TrainingResult } | { error: unknown }) => void;
    const result = new Promise<TrainingResult>((resolve, reject) => {
      settle = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(graceTimer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };
    });
    const onError = (event: MessageEvent) => {
      this.dispose();
      const detail = (event as unknown as ErrorEvent).message || 'it crashed';
      settle({ error: new TrainingWorkerError(detail) });
    };
    const onMessage = (event: MessageEvent) => {
      const message = event.data as TrainingResponse;
      if (message.id !== id || settled) return;
      if (message.type === 'backend') hooks.onBackend?.(message.report);
      else if (message.type === 'epoch') {
        epochs = message.record.epoch;
        hooks.onEpoch?.(message.record, message.maxEpochs);
      } else if (message.type === 'paused' || message.type === 'resumed') {
        hooks.onPaused?.(message.type === 'paused');
      } else if (message.type === 'scoring') hooks.onScoring?.();
      else if (message.type === 'done') settle({ result: message.result });
      else if (message.type === 'failed') {
        const { code, message: text } = message.error;
        settle({
          error:
            code === 'gnn-training-cancelled'
              ? new TrainingCancelledError(epochs)
              : new TrainingFailedError(code, text),
        });
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    worker.postMessage({ type: 'train', id, input });

    return {
      pause: () => !settled && worker.postMessage({ type: 'pause', id }),
      resume: () => !settled && worker.postMessage({ type: 'resume', id }),
      cancel: () => {
        if (settled) return;
        worker.postMessage({ type: 'cancel', id });
        graceTimer = setTimeout(() => {
          // Stuck inside one long step: ending the worker is the only way to stop it.
          this.dispose();
          settle({ error: new TrainingCancelledError(epochs) });
        }, CANCEL_GRACE_MS);
      },
      result,
    };
  }

  /** Ends the worker; the next `start` makes a new one (and measures the backends again). */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}

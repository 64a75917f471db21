/**
 * The GNN training run the page shows: its phase, the measured backend, one record per epoch
 * for the loss curve, and pause, resume and cancel. One run at a time for the whole app, so
 * training goes on (in its worker) while the user opens other pages, and the insights page
 * finds it again on return.
 */
import type { Registry } from '$lib/registry/api';
import type {
  BackendReport,
  EmbeddingsInfo,
  InsightsTrainingJob,
  TrainOptions,
} from '$lib/registry/insights-types';
import { errorMessage } from './form-errors';

export type TrainingPhase =
  'idle' | 'measuring' | 'training' | 'paused' | 'scoring' | 'done' | 'cancelled' | 'failed';

export interface EpochPoint {
  epoch: number;
  loss: number;
  ms: number;
}

export class TrainingState {
  phase = $state<TrainingPhase>('idle');
  backend = $state.raw<BackendReport | null>(null);
  epochs = $state.raw<EpochPoint[]>([]);
  maxEpochs = $state(0);
  error = $state<string | null>(null);
  /** Bumped when a run stores new embeddings: queries of them read it to run again. */
  stored = $state(0);
  #job: InsightsTrainingJob | null = null;

  get running(): boolean {
    return ['measuring', 'training', 'paused', 'scoring'].includes(this.phase);
  }

  /** Mean time per epoch so far, leaving out the first (it includes warm-up). */
  get msPerEpoch(): number | null {
    const timed = this.epochs.length > 1 ? this.epochs.slice(1) : this.epochs;
    if (timed.length === 0) return null;
    return timed.reduce((sum, point) => sum + point.ms, 0) / timed.length;
  }

  async start(registry: Registry, options: TrainOptions = {}): Promise<EmbeddingsInfo | null> {
    if (this.running) return null;
    this.phase = 'measuring';
    this.backend = null;
    this.epochs = [];
    this.maxEpochs = options.epochs ?? 0;
    this.error = null;
    try {
      this.#job = await registry.insights.train(options, {
        onBackend: (report) => {
          this.backend = report;
          this.phase = 'training';
        },
        onEpoch: (record, maxEpochs) => {
          this.maxEpochs = maxEpochs;
          this.epochs = [...this.epochs, { epoch: record.epoch, loss: record.loss, ms: record.ms }];
        },
        onPaused: (paused) => {
          if (this.running) this.phase = paused ? 'paused' : 'training';
        },
        onScoring: () => (this.phase = 'scoring'),
      });
      const info = await this.#job.result;
      this.phase = 'done';
      this.stored += 1;
      return info;
    } catch (error) {
      const cancelled = (error as { code?: string }).code === 'gnn-training-cancelled';
      this.phase = cancelled ? 'cancelled' : 'failed';
      this.error = cancelled ? null : errorMessage(error);
      return null;
    } finally {
      this.#job = null;
    }
  }

  pause(): void {
    this.#job?.pause();
  }

  resume(): void {
    this.#job?.resume();
  }

  cancel(): void {
    this.#job?.cancel();
  }
}

export const training = new TrainingState();

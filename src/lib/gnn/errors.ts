/**
 * Errors the GNN module raises. They extend the registry's `StemmaError`, so pages can show
 * `message` as is and switch on `code`, as for every other Stemma error.
 */
import { StemmaError } from '../registry/errors';

/** A graph or feature matrix whose sizes do not fit together (an edge to a missing node...). */
export class GraphShapeError extends StemmaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('gnn-graph-shape', message, options);
  }
}

/** A Planetoid text file that cannot be read; names the file and line. */
export class PlanetoidFormatError extends StemmaError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, problem: string, options?: { cause?: unknown }) {
    super(
      'gnn-planetoid-format',
      `${file}, line ${line}: ${problem}. Planetoid files hold one record per line ` +
        `(features "idx j:v ...", labels "idx label", edges "u v", splits "idx"); ` +
        `lines starting with # are comments.`,
      options,
    );
    this.file = file;
    this.line = line;
  }
}

/** No TensorFlow.js backend among the candidates could run the measurement step. */
export class NoBackendError extends StemmaError {
  /** Why each candidate failed, by backend name. */
  readonly failures: Record<string, string>;

  constructor(failures: Record<string, string>) {
    const listed = Object.entries(failures)
      .map(([name, why]) => `${name}: ${why}`)
      .join('; ');
    super(
      'gnn-no-backend',
      `No TensorFlow.js backend could run the GNN (${listed || 'no candidates given'}). ` +
        `Register at least the CPU backend (import '@tensorflow/tfjs-backend-cpu').`,
    );
    this.failures = failures;
  }
}

/** Training stopped because its AbortSignal fired (the user cancelled). */
export class TrainingCancelledError extends StemmaError {
  /** Epochs completed before the cancel. */
  readonly epochs: number;

  constructor(epochs: number, options?: { cause?: unknown }) {
    super(
      'gnn-training-cancelled',
      `Training was cancelled after ${epochs} epochs; nothing was kept. Start it again ` +
        `to train new embeddings.`,
      options,
    );
    this.epochs = epochs;
  }
}

/** A graph with no lineage link gives link prediction nothing to learn from. */
export class TooFewLinksError extends StemmaError {
  constructor(links: number) {
    super(
      'gnn-too-few-links',
      `The GNN learns from lineage links, and this registry has ${links}. Record at least ` +
        `one parent -> child link between versions (on a version page, under Lineage), then ` +
        `train again.`,
    );
  }
}

/** The training worker stopped answering or could not start. */
export class TrainingWorkerError extends StemmaError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'gnn-training-worker',
      `The training worker failed (${detail}). Reload the page and train again; if it keeps ` +
        `failing, the browser may lack Web Worker or WebAssembly support.`,
      options,
    );
  }
}

/** Training failed inside the worker; `code` is the worker-side error's code. */
export class TrainingFailedError extends StemmaError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

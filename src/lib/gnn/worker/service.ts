/**
 * The worker side of GNN training: measures the backends once, trains link prediction with
 * progress, pause, resume and cancel, scores the run on held-out links and returns the
 * embeddings. Kept apart from `worker.ts` so it can be served over any message endpoint (a
 * Worker scope in the browser, a MessagePort in tests with the CPU backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseFastestBackend, DEFAULT_BACKEND_CANDIDATES, type BackendChoice } from '../backend';
import { TooFewLinksError, TrainingCancelledError } from '../errors';
import { holdOutChildren, innerProductScores, scoreHeldOut } from '../link-holdout';
import { DEFAULT_LINK_SETTINGS, trainLinkPredictor, type LinkSettings } from '../link-train';
import { NameSimilarityIndex } from '../name-similarity';
import { suggestionScore } from '../suggestion-score';
import type {
  LinkQuality,
  MessageEndpoint,
  TrainingInput,
  TrainingRequest,
  TrainingResponse,
  TrainingResult,
} from './protocol';

export interface TrainingServiceOptions {
  /** Makes the backends of this environment available; runs once, before the first run. */
  registerBackends?: () => Promise<unknown>;
}

/** Per run: its cancel signal and its pause gate. */
interface RunControl {
  controller: AbortController;
  paused: boolean;
  wake: (() => void) | null;
}

const DEFAULT_HOLD_OUT_SHARE = 0.1;

/** Answers training requests arriving on `endpoint`. */
export function serveTraining(endpoint: MessageEndpoint, options: TrainingServiceOptions = {}) {
  const runs = new Map<number, RunControl>();
  const post = (message: TrainingResponse) => endpoint.postMessage(message);
  let registered: Promise<unknown> | null = null;
  // Measured once per worker and candidate list: the machine does not change between runs.
  const choices = new Map<string, Promise<BackendChoice>>();

  const chooseBackend = async (input: TrainingInput) => {
    registered ??= options.registerBackends?.() ?? Promise.resolve();
    await registered;
    const candidates = input.backends ?? [...DEFAULT_BACKEND_CANDIDATES];
    const key = candidates.join(',');
    let choice = choices.get(key);
    if (!choice) {
      const nodeCount = Math.min(2000, Math.max(100, input.nodeCount));
      choice = chooseFastestBackend({ candidates, steps: 2, nodeCount });
      choices.set(key, choice);
      choice.catch(() => choices.delete(key));
      return choice;
    }
    const chosen = await choice;
    // Another candidate list may have activated another backend since.
    await tf.setBackend(chosen.backend);
    return chosen;
  };

  endpoint.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as TrainingRequest;
    const control = runs.get(request.id);
    if (request.type === 'train') {
      const run: RunControl = { controller: new AbortController(), paused: false, wake: null };
      runs.set(request.id, run);
      void train(request.id, request.input, run, post, chooseBackend).finally(() =>
        runs.delete(request.id),
      );
    } else if (control && request.type === 'pause') {
      control.paused = true;
      post({ type: 'paused', id: request.id });
    } else if (control && request.type === 'resume') {
      control.paused = false;
      control.wake?.();
      post({ type: 'resumed', id: request.id });
    } else if (control && request.type === 'cancel') {
      control.controller.abort();
      control.wake?.();
    }
  });
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

async function train(
  id: number,
  input: TrainingInput,
  control: RunControl,
  post: (message: TrainingResponse) => void,
  chooseBackend: (input: TrainingInput) => Promise<BackendChoice>,
): Promise<void> {
  const signal = control.controller.signal;
  try {
    const linkCount = input.links.source.length;
    if (linkCount === 0) throw new TooFewLinksError(0);
    const choice = await chooseBackend(input);
    post({ type: 'backend', id, report: choice });
    if (signal.aborted) throw new TrainingCancelledError(0);

    const settings: LinkSettings = { ...DEFAULT_LINK_SETTINGS, ...input.settings };
    const split = holdOutChildren(
      input.links,
      input.holdOutShare ?? DEFAULT_HOLD_OUT_SHARE,
      settings.seed,
    );
    const trained = await trainLinkPredictor(
      {
        nodeCount: input.nodeCount,
        features: input.features,
        trainEdges: split?.train ?? input.links,
        inferenceEdges: split ? input.links : undefined,
      },
      settings,
      {
        signal,
        onLinkEpoch: async (record) => {
          post({ type: 'epoch', id, record, maxEpochs: settings.epochs });
          // TensorFlow.js resolves its reads as microtasks; without a macrotask here, pause
          // and cancel messages would wait in the queue until training ended.
          await new Promise((resolve) => setTimeout(resolve, 0));
          while (control.paused && !signal.aborted) {
            await new Promise<void>((resolve) => (control.wake = resolve));
          }
        },
      },
    );
    if (signal.aborted) throw new TrainingCancelledError(trained.epochs.length);

    post({ type: 'scoring', id });
    let quality: LinkQuality | null = null;
    if (split) {
      const names = new NameSimilarityIndex(input.names);
      const d = trained.embeddingSize;
      const gnn = scoreHeldOut(split, (child) => innerProductScores(trained.embeddings, d, child));
      const baseline = scoreHeldOut(split, (child) => names.scoresFor(child));
      const blended = scoreHeldOut(split, (child) => {
        const name = names.scoresFor(child);
        const logits = innerProductScores(trained.embeddings, d, child);
        return logits.map((logit, j) => suggestionScore(logit, name[j]));
      });
      const summary = (m: typeof gnn) => ({ hitsAt1: m.hits[1], hitsAt10: m.hits[10], mrr: m.mrr });
      quality = {
        queries: gnn.queries,
        heldOutLinks: split.heldOut.source.length,
        candidates: input.nodeCount - 1,
        suggestions: summary(blended),
        gnn: summary(gnn),
        nameBaseline: summary(baseline),
      };
    }
    const result: TrainingResult = {
      embeddings: trained.inferenceEmbeddings ?? trained.embeddings,
      dimension: trained.embeddingSize,
      backend: { backend: choice.backend, reason: choice.reason, timings: choice.timings },
      epochs: trained.epochs,
      msPerEpoch: trained.msPerEpoch,
      settings,
      quality,
      qualityNote: split
        ? `${plural(quality!.queries, 'held-out version')} ` +
          `(${plural(quality!.heldOutLinks, 'link')}) ranked against every other version; ` +
          `the kept embeddings were then computed over all links.`
        : `With ${linkCount} lineage link${linkCount === 1 ? '' : 's'} there is nothing to hold ` +
          `out and score the run on. Record more links to measure how far to trust suggestions.`,
    };
    post({ type: 'done', id, result });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'gnn-training-failed';
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'failed', id, error: { code, message } });
  }
}

/**
 * Inspect dropped model files: sniff each file's format from its bytes, run its reader under
 * the limits, and report metadata, a safety report where one applies, or a named error.
 * One failing file never stops the rest of a drop.
 *
 * @example
 *   for await (const result of inspectFiles(files)) show(result);
 */
import { logger } from '$lib/logging/logger';
import { siblingIndex, type ReaderContext } from './context';
import { detectFormat } from './detect';
import { describeError, EmptyFileError } from './errors';
import { ReadBudget, resolveLimits } from './limits';
import { ByteSource } from './source';
import { unknownSafety } from './pickle-record';
import type { FileInspection, InspectOptions, ModelFileInput, ModelFormat } from './types';

const log = logger('formats');

/** Formats whose loading can run code: a failed read leaves their verdict "unknown". */
const CAN_RUN_CODE = new Set<ModelFormat>([
  'pickle',
  'pytorch-zip',
  'pytorch-legacy',
  'keras-v3',
  'keras-h5',
  'skops',
]);

type Droppable = File | ModelFileInput;

function asInput(file: Droppable): ModelFileInput {
  if ('blob' in file) return file;
  const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return { blob: file, name: file.name, path: relative || file.name };
}

/** Inspect one file. Never throws for a bad file: the error is in the result. */
export async function inspectFile(
  file: Droppable,
  options: InspectOptions = {},
  neighbours?: Map<string, number>,
): Promise<FileInspection> {
  const input = asInput(file);
  const path = input.path ?? input.name;
  const started = Date.now();
  const budget = new ReadBudget(resolveLimits(options.limits), options.signal);
  const warnings: string[] = [];
  const result: FileInspection = {
    fileName: input.name,
    path,
    size: input.blob.size,
    format: null,
    metadata: null,
    safety: null,
    warnings,
    error: null,
    bytesRead: 0,
    tookMs: 0,
  };

  const ctx: ReaderContext = {
    source: new ByteSource(input.blob, budget),
    budget,
    fileName: input.name,
    siblings: siblingIndex(path, neighbours ?? new Map(), neighbours === undefined),
    warn: (message) => {
      if (warnings.length < 50) warnings.push(message);
    },
    setSafety: (report) => {
      result.safety = report;
    },
  };
  try {
    if (input.blob.size === 0) throw new EmptyFileError();
    const reader = await detectFormat(ctx);
    result.format = reader.format;
    const outcome = await reader.read(ctx);
    result.metadata = outcome.metadata;
    result.format = outcome.metadata.format;
    result.safety = outcome.safety ?? result.safety;
  } catch (error) {
    result.error = describeError(error);
    if (result.safety === null && result.format && CAN_RUN_CODE.has(result.format)) {
      result.safety = unknownSafety(result.error.message);
    } else if (result.safety?.verdict === 'safe') {
      // Whatever was judged before the failure, a file that did not read whole is not safe.
      const partial = unknownSafety(result.error.message);
      result.safety = {
        ...result.safety,
        verdict: 'unknown',
        summary: partial.summary,
        complete: false,
      };
    }
    if (result.error.code === 'model-file-internal') log.error('reader failed', error);
  }
  result.bytesRead = budget.bytesRead;
  result.tookMs = Date.now() - started;
  return result;
}

/**
 * Inspect a drop of files one after another, yielding each result as soon as it is ready.
 * Files see each other, so a model.json can check its weight shards and an MLmodel its
 * requirements files.
 */
export async function* inspectFiles(
  files: Iterable<Droppable>,
  options: InspectOptions = {},
): AsyncGenerator<FileInspection> {
  const inputs = [...files].map(asInput);
  const neighbours = new Map(inputs.map((f) => [f.path ?? f.name, f.blob.size] as const));
  for (const input of inputs) {
    yield await inspectFile(input, options, neighbours);
  }
}

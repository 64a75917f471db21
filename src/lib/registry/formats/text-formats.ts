/**
 * Text model files: JSON (TensorFlow.js model.json or weights manifest, sharded safetensors
 * index) and YAML (MLflow MLmodel, a model card's front matter). The first bytes say which
 * family; the parsed structure decides the format.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { MalformedFileError, UnrecognizedFormatError } from './errors';
import { readModelCard } from './model-card';
import { readMlmodel } from './mlmodel';
import { decodeText, readText } from './source';
import { readSafetensorsIndex, readTfjs } from './tfjs';
import type { ModelFormat } from './types';
import { parseYamlDocument } from './yaml-document';

/** Front matter sits at the top of a card; a card's body past this is never read. */
const CARD_PREFIX_BYTES = 256 * 1024;
const YAML_MAX_BYTES = 10 * 1000 * 1000;

/** Guess the format family of a text file from its first bytes, or null when not text. */
export function sniffText(head: Uint8Array): ModelFormat | null {
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  if (!isMostlyText(head)) return null;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    if (/"weight_map"\s*:/.test(text)) return 'safetensors-index';
    return 'tfjs-model';
  }
  if (trimmed.startsWith('[')) return 'tfjs-weights-manifest';
  if (/^---\r?\n/.test(text)) return 'model-card';
  if (/^flavors:/m.test(text)) return 'mlflow-mlmodel';
  return null;
}

function isMostlyText(head: Uint8Array): boolean {
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1;
  }
  return control <= head.length / 100;
}

/** Read a text model file whose family `sniffText` guessed. */
export async function readTextFormat(
  ctx: ReaderContext,
  guess: ModelFormat,
): Promise<ReaderOutcome> {
  const { source, budget } = ctx;
  if (guess === 'model-card') {
    source.format = 'model card';
    const length = Math.min(source.size, CARD_PREFIX_BYTES);
    return readModelCard(decodeText(await source.read(0, length, 'the front matter')), ctx);
  }
  if (guess === 'mlflow-mlmodel') {
    source.format = 'MLmodel';
    const text = await readText(source, YAML_MAX_BYTES, 'an MLmodel');
    const document = parseYamlDocument(text, 'MLmodel');
    if (!document || typeof document !== 'object' || !('flavors' in document)) {
      throw new UnrecognizedFormatError('a YAML or text file that is not an MLflow MLmodel');
    }
    return readMlmodel(document as Record<string, unknown>, ctx);
  }

  source.format = 'JSON';
  const text = await readText(source, budget.limits.maxHeaderBytes, 'a JSON model file');
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new MalformedFileError('JSON', 'it is not valid JSON', { cause });
  }
  checkJsonDepth(document, ctx);
  if (document && typeof document === 'object' && !Array.isArray(document)) {
    const object = document as Record<string, unknown>;
    if ('weight_map' in object) return readSafetensorsIndex(object, ctx);
    if ('modelTopology' in object || 'weightsManifest' in object) return readTfjs(object, ctx);
  }
  if (Array.isArray(document) && document.length > 0 && document.every(isManifestGroup)) {
    return readTfjs(document, ctx);
  }
  throw new UnrecognizedFormatError(
    'a JSON document that is neither a TensorFlow.js model nor a safetensors index',
  );
}

function isManifestGroup(value: unknown): boolean {
  const group = value as { paths?: unknown; weights?: unknown };
  return !!group && Array.isArray(group.paths) && Array.isArray(group.weights);
}

/** JSON.parse itself copes with depth, but everything downstream walks it recursively. */
function checkJsonDepth(document: unknown, ctx: ReaderContext): void {
  const stack: [unknown, number][] = [[document, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!node || typeof node !== 'object') continue;
    ctx.budget.checkDepth(depth, 'The JSON document');
    for (const child of Object.values(node as object)) stack.push([child, depth + 1]);
  }
}

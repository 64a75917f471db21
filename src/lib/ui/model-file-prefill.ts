/**
 * What the register form fills in from the files a user dropped, so nobody types what a
 * file already says: tags for format, framework, architecture, quantisation, licence and
 * task, and parameters for the parameter count and ONNX opset. Suggestions only fill
 * blanks; what the user typed, or removed after it was suggested, stays as they left it.
 */
import { summarizeInspection, type ModelFileSummary } from '$lib/registry/formats/summary';
import type { FileInspection, ModelFormat } from '$lib/registry/formats/types';
import type { KeyValueRow } from './form-rows';

export interface FormSuggestions {
  tags: Record<string, string>;
  params: Record<string, string>;
}

/** Formats that describe a model held by other files; they are never "the" model file. */
const DESCRIPTORS = new Set<ModelFormat>(['model-card', 'mlflow-mlmodel', 'safetensors-index']);

// Hugging Face shards: `model-00001-of-00004.safetensors`.
const SHARD = /^(.*)-\d+-of-(\d+)(\.[^.]+)$/;

function readable(summary: ModelFileSummary): boolean {
  return summary.error === null && summary.format !== null;
}

/** The file that holds the model: the largest by parameters, then by size. */
function primaryFile(summaries: ModelFileSummary[]): ModelFileSummary | null {
  const candidates = summaries.filter((s) => readable(s) && !DESCRIPTORS.has(s.format!));
  const ranked = candidates.sort(
    (a, b) => (b.parameterCount ?? -1) - (a.parameterCount ?? -1) || b.size - a.size,
  );
  return ranked[0] ?? null;
}

/** Parameters of the whole model: every shard of a sharded checkpoint, else the one file. */
function modelParameters(primary: ModelFileSummary, summaries: ModelFileSummary[]): number | null {
  const shard = SHARD.exec(primary.fileName);
  if (!shard) return primary.parameterCount;

  const siblings = summaries.filter((s) => {
    const other = SHARD.exec(s.fileName);
    return other && other[1] === shard[1] && other[2] === shard[2] && other[3] === shard[3];
  });
  const counts = siblings.map((s) => s.parameterCount);
  return counts.every((n) => n !== null) ? counts.reduce((a, n) => a! + n!, 0) : null;
}

/**
 * Tags and parameters that the inspected files state. Keys are left out when no file
 * states them. Files that failed to read contribute nothing.
 *
 * @example suggestFields(inspections) // { tags: { format: 'onnx', ... }, params: { ... } }
 */
export function suggestFields(inspections: FileInspection[]): FormSuggestions {
  const summaries = inspections.map(summarizeInspection).filter(readable);
  const primary = primaryFile(summaries);
  const others = summaries.filter((s) => s !== primary && s.format !== 'model-card');
  const first = (pick: (s: ModelFileSummary) => string | null) =>
    (primary && pick(primary)) ?? others.map(pick).find((value) => value) ?? null;
  const card = inspections.find((i) => i.metadata?.format === 'model-card')?.metadata;
  const cardFields = card?.format === 'model-card' ? card : null;

  const tags: Record<string, string> = {};
  const params: Record<string, string> = {};
  const put = (record: Record<string, string>, key: string, value: string | null | undefined) => {
    if (value) record[key] = value;
  };

  put(tags, 'format', primary?.format ?? summaries[0]?.format);
  put(tags, 'framework', first((s) => s.framework) ?? cardFields?.library);
  put(
    tags,
    'architecture',
    first((s) => s.architecture),
  );
  put(tags, 'quantization', primary?.quantization);
  put(tags, 'license', cardFields?.license);
  put(tags, 'task', cardFields?.pipelineTag);

  const parameters = primary ? modelParameters(primary, summaries) : null;
  put(params, 'parameter_count', parameters === null ? null : String(parameters));
  const opset = primary?.opsets?.['ai.onnx'] ?? primary?.opsets?.[''];
  put(params, 'opset', opset === undefined ? null : String(opset));
  return { tags, params };
}

/**
 * Rows with each suggestion placed where the form lacks its value: in the row already named
 * by the key when its value is blank, else in a blank row, else in a new row. Keys in
 * `offered` were suggested before and are skipped, so a row the user deleted does not come
 * back. Returns the rows and the keys it filled.
 */
export function fillBlankRows(
  rows: KeyValueRow[],
  suggestions: Record<string, string>,
  offered: ReadonlySet<string>,
): { rows: KeyValueRow[]; filled: string[] } {
  const next = rows.map((row) => ({ ...row }));
  const present = new Set(next.map((row) => row.key.trim()).filter((key) => key !== ''));
  const filled: string[] = [];

  for (const [key, value] of Object.entries(suggestions)) {
    if (offered.has(key)) continue;
    const named = next.find((row) => row.key.trim() === key);
    if (named && named.value.trim() === '') {
      named.value = value;
      filled.push(key);
    }
    if (present.has(key)) continue;

    const blank = next.find((row) => row.key.trim() === '' && row.value.trim() === '');
    if (blank) Object.assign(blank, { key, value });
    else next.push({ key, value });
    present.add(key);
    filled.push(key);
  }
  return { rows: next, filled };
}

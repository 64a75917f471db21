/**
 * Change detection between two versions of a model, from the file summaries each version
 * stores: files paired by name (then by format), tensors and layers added, removed,
 * reshaped or re-typed, parameter and size deltas, opset, format and metadata changes, and
 * the lineage relation the changes suggest (see `suggest.ts`).
 *
 * @example
 *   const diff = diffVersions(older.files, newer.files);
 *   if (diff.suggestion) offer(diff.suggestion.relation, diff.suggestion.reason);
 */
import type {
  DiffableFile,
  DtypeParams,
  FileDiff,
  FilePairing,
  MetadataChange,
  MetadataField,
  NameSetDiff,
  NumberDelta,
  OpsetChange,
  SignatureDiff,
  TensorChange,
  TensorDiff,
  VersionDiff,
} from './diff-types';
import { suggestRelation } from './suggest';
import type { ModelFileSummary } from './summary';
import type { Dim, ModelFormat, SignatureEntry } from './types';

/** Formats that describe a model rather than hold it; never paired as "the" model file. */
const DESCRIPTOR_FORMATS = new Set<ModelFormat>([
  'model-card',
  'mlflow-mlmodel',
  'safetensors-index',
]);

const METADATA_FIELDS: MetadataField[] = [
  'format',
  'framework',
  'architecture',
  'producer',
  'quantization',
];

interface FilePair {
  pairing: FilePairing;
  before: DiffableFile | null;
  after: DiffableFile | null;
}

/**
 * Compare the files of an older version (`before`) with those of a newer one (`after`).
 * Pass `version.files`; for bare summaries, `{ name: s.fileName, size: s.size, summary: s }`.
 */
export function diffVersions(
  before: readonly DiffableFile[],
  after: readonly DiffableFile[],
): VersionDiff {
  const rows = pairFiles(before, after).map((pair) => ({ ...pair, diff: diffPair(pair) }));
  const files = rows.map((row) => row.diff);

  const paired = files.filter((f) => f.before !== null && f.after !== null);
  return {
    files,
    counts: {
      added: files.filter((f) => f.pairing === 'added').length,
      removed: files.filter((f) => f.pairing === 'removed').length,
      changed: paired.filter((f) => f.changed).length,
      unchanged: paired.filter((f) => !f.changed).length,
    },
    totals: {
      size: delta(sum(before.map((f) => f.size)), sum(after.map((f) => f.size))),
      parameters: delta(totalParameters(before), totalParameters(after)),
    },
    truncated: files.some((f) => f.tensors?.truncated === true),
    suggestion: suggestRelation(rows),
  };
}

/** Pair files by name, then by format, then the only model file left on each side. */
function pairFiles(before: readonly DiffableFile[], after: readonly DiffableFile[]): FilePair[] {
  const partner = new Map<DiffableFile, { file: DiffableFile; pairing: FilePairing }>();
  const freeBefore = [...before];
  const take = (file: DiffableFile, pairing: FilePairing, candidates: DiffableFile[]) => {
    const match = pickPartner(file, candidates, pairing);
    if (!match) return;
    freeBefore.splice(freeBefore.indexOf(match), 1);
    partner.set(file, { file: match, pairing });
  };

  for (const file of after) take(file, 'name', freeBefore);
  for (const file of after) if (!partner.has(file)) take(file, 'format', freeBefore);
  const freeAfter = after.filter((f) => !partner.has(f));
  const modelsAfter = freeAfter.filter(holdsModel);
  const modelsBefore = freeBefore.filter(holdsModel);
  if (modelsAfter.length === 1 && modelsBefore.length === 1) {
    take(modelsAfter[0], 'only-model', modelsBefore);
  }

  const pairs: FilePair[] = after.map((file) => {
    const match = partner.get(file);
    return match
      ? { pairing: match.pairing, before: match.file, after: file }
      : { pairing: 'added', before: null, after: file };
  });
  for (const file of freeBefore) pairs.push({ pairing: 'removed', before: file, after: null });
  return pairs;
}

function pickPartner(
  file: DiffableFile,
  candidates: DiffableFile[],
  pairing: FilePairing,
): DiffableFile | null {
  if (pairing === 'name') return candidates.find((c) => c.name === file.name) ?? null;
  if (pairing === 'only-model') return candidates[0] ?? null;

  const format = file.summary?.format;
  if (!format) return null;
  // Among files of the same format, the one sharing most tensor names is the same model.
  let best: DiffableFile | null = null;
  let bestShared = -1;
  for (const candidate of candidates) {
    if (candidate.summary?.format !== format) continue;
    const shared = sharedTensorNames(file.summary!, candidate.summary);
    if (shared > bestShared) [best, bestShared] = [candidate, shared];
  }
  return best;
}

function holdsModel(file: DiffableFile): boolean {
  const format = file.summary?.format;
  return !!format && !DESCRIPTOR_FORMATS.has(format) && file.summary?.error === null;
}

function sharedTensorNames(a: ModelFileSummary, b: ModelFileSummary): number {
  const names = new Set(a.tensors.map((t) => t.name));
  return b.tensors.filter((t) => names.has(t.name)).length;
}

function diffPair({ pairing, before, after }: FilePair): FileDiff {
  const b = before?.summary ?? null;
  const a = after?.summary ?? null;
  const inspected = readable(b) && readable(a);
  const both = before !== null && after !== null;
  const identical = both && before.sha256 && after.sha256 ? before.sha256 === after.sha256 : null;

  const diff: FileDiff = {
    pairing,
    before: before?.name ?? null,
    after: after?.name ?? null,
    identical,
    changed: true,
    inspected,
    size: delta(before?.size ?? null, after?.size ?? null),
    parameters: delta(b?.parameterCount ?? null, a?.parameterCount ?? null),
    tensorCount: delta(b?.tensorCount ?? null, a?.tensorCount ?? null),
    paramsByDtype: [],
    metadata: [],
    opsets: [],
    inputs: { added: [], removed: [], changed: [] },
    outputs: { added: [], removed: [], changed: [] },
    layerTypes: { added: [], removed: [] },
    tensors: null,
    safety: null,
  };
  if (!both) return diff;

  if (b && a) compareSummaries(diff, b, a);
  diff.changed = identical === false || before.size !== after.size || hasReportedChange(diff);
  return diff;
}

function readable(summary: ModelFileSummary | null): boolean {
  return summary !== null && summary.error === null && summary.format !== null;
}

function compareSummaries(diff: FileDiff, b: ModelFileSummary, a: ModelFileSummary): void {
  diff.paramsByDtype = diffParamsByDtype(b.paramsByDtype, a.paramsByDtype);
  diff.metadata = METADATA_FIELDS.filter((field) => b[field] !== a[field]).map(
    (field): MetadataChange => ({ field, before: b[field], after: a[field] }),
  );
  diff.opsets = diffOpsets(b.opsets, a.opsets);
  diff.inputs = diffSignature(b.inputs, a.inputs);
  diff.outputs = diffSignature(b.outputs, a.outputs);
  diff.layerTypes = diffNames(b.layerTypes, a.layerTypes);
  const listsTensors = b.tensors.length > 0 || a.tensors.length > 0;
  diff.tensors = listsTensors ? diffTensors(b, a) : null;
  const verdicts = { before: b.safety?.verdict ?? null, after: a.safety?.verdict ?? null };
  diff.safety = verdicts.before === verdicts.after ? null : verdicts;
}

function hasReportedChange(diff: FileDiff): boolean {
  const t = diff.tensors;
  return (
    (diff.parameters.delta ?? 0) !== 0 ||
    (diff.tensorCount.delta ?? 0) !== 0 ||
    diff.paramsByDtype.length > 0 ||
    diff.metadata.length > 0 ||
    diff.opsets.length > 0 ||
    signatureChanged(diff.inputs) ||
    signatureChanged(diff.outputs) ||
    diff.layerTypes.added.length + diff.layerTypes.removed.length > 0 ||
    (t !== null && t.added.length + t.removed.length + t.reshaped.length + t.retyped.length > 0) ||
    diff.safety !== null
  );
}

function signatureChanged(s: SignatureDiff): boolean {
  return s.added.length + s.removed.length + s.changed.length > 0;
}

/** Match tensors by name; see `TensorDiff` for how cut lists are handled. */
function diffTensors(before: ModelFileSummary, after: ModelFileSummary): TensorDiff {
  const byName = new Map(before.tensors.map((t) => [t.name, t]));
  const listedAfter = new Set(after.tensors.map((t) => t.name));
  const diff: TensorDiff = {
    compared: 0,
    unchanged: 0,
    added: [],
    removed: [],
    reshaped: [],
    retyped: [],
    unresolved: { before: 0, after: 0 },
    truncated: before.tensorsTruncated || after.tensorsTruncated,
  };

  for (const tensor of after.tensors) {
    const old = byName.get(tensor.name);
    if (!old) {
      if (before.tensorsTruncated) diff.unresolved.after += 1;
      else diff.added.push(tensor);
      continue;
    }
    diff.compared += 1;
    const change: TensorChange = {
      name: tensor.name,
      before: { dtype: old.dtype, shape: old.shape },
      after: { dtype: tensor.dtype, shape: tensor.shape },
    };
    const reshaped = !sameShape(old.shape, tensor.shape);
    if (reshaped) diff.reshaped.push(change);
    if (old.dtype !== tensor.dtype) diff.retyped.push(change);
    if (!reshaped && old.dtype === tensor.dtype) diff.unchanged += 1;
  }

  for (const tensor of before.tensors) {
    if (listedAfter.has(tensor.name)) continue;
    if (after.tensorsTruncated) diff.unresolved.before += 1;
    else diff.removed.push(tensor);
  }
  return diff;
}

function sameShape(a: Dim[] | null, b: Dim[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function diffParamsByDtype(
  before: Record<string, number> | null,
  after: Record<string, number> | null,
): DtypeParams[] {
  if (!before && !after) return [];
  const dtypes = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return dtypes
    .sort()
    .map((dtype) => ({
      dtype,
      before: before ? (before[dtype] ?? 0) : null,
      after: after ? (after[dtype] ?? 0) : null,
    }))
    .filter((p) => p.before !== p.after);
}

function diffOpsets(
  before: Record<string, number> | null,
  after: Record<string, number> | null,
): OpsetChange[] {
  const domains = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return domains
    .sort()
    .map((domain) => ({
      domain,
      before: before?.[domain] ?? null,
      after: after?.[domain] ?? null,
    }))
    .filter((o) => o.before !== o.after);
}

function diffSignature(before: SignatureEntry[], after: SignatureEntry[]): SignatureDiff {
  const byName = new Map(before.map((e) => [e.name, e]));
  const afterNames = new Set(after.map((e) => e.name));
  const diff: SignatureDiff = {
    added: [],
    removed: before.filter((e) => !afterNames.has(e.name)),
    changed: [],
  };
  for (const entry of after) {
    const old = byName.get(entry.name);
    if (!old) diff.added.push(entry);
    else if (old.dtype !== entry.dtype || !sameShape(old.shape, entry.shape)) {
      diff.changed.push({ name: entry.name, before: old, after: entry });
    }
  }
  return diff;
}

function diffNames(before: string[], after: string[]): NameSetDiff {
  const b = new Set(before);
  const a = new Set(after);
  return {
    added: [...a].filter((n) => !b.has(n)).sort(),
    removed: [...b].filter((n) => !a.has(n)).sort(),
  };
}

function delta(before: number | null, after: number | null): NumberDelta {
  return { before, after, delta: before === null || after === null ? null : after - before };
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function totalParameters(files: readonly DiffableFile[]): number | null {
  const counts = files
    .map((f) => f.summary?.parameterCount)
    .filter((n): n is number => typeof n === 'number');
  return counts.length > 0 ? sum(counts) : null;
}

/**
 * The lineage relation two versions' files suggest, for the user to confirm: LoRA tensors
 * on one side only suggest "adapter of"; the same tensor names in fewer bits suggest
 * "quantized from"; the same tensors with new bytes suggest "fine-tuned from". Evidence is
 * read from the file summaries, so it covers the listed tensors only.
 */
import type { DiffableFile, FileDiff, LineageSuggestion, SuggestedRelation } from './diff-types';
import { dtypeWidth, isNarrowing, meanBits } from './dtype-bits';
import type { ModelFileSummary } from './summary';

/** One row of a version diff with the files it compared. */
export interface ComparedFiles {
  diff: FileDiff;
  before: DiffableFile | null;
  after: DiffableFile | null;
}

type Side = 'before' | 'after';

/** Share of tensor names both sides must list for them to count as the same tensor set. */
const SAME_SET = 0.8;
/** Share of shared tensors stored in fewer bits for a quantisation. */
const MOSTLY_NARROWED = 0.5;
/** Parameter counts this close count as the same model (scales and zero points aside). */
const PARAMETER_TOLERANCE = 0.1;

// PEFT (`q_proj.lora_A.weight`), kohya (`lora_up`, `lora_down`) and diffusers (`.lora.down`).
const LORA_PART =
  /[._]lora(?:_A|_B|_up|_down|_embedding_A|_embedding_B|_magnitude_vector)?(?=[._]|$)/i;
// kohya files name every tensor of the adapter `lora_unet_...` or `lora_te_...`, alphas too.
const KOHYA_PREFIX = /^lora_(?:unet|te\d?|text_encoder)_/i;
const PEFT_PREFIX = /^base_model\.model\./;

/** Suggest a relation between the two sides of a diff, or null when nothing points at one. */
export function suggestRelation(rows: readonly ComparedFiles[]): LineageSuggestion | null {
  const before = rows.flatMap((r) => (r.before ? [r.before] : []));
  const after = rows.flatMap((r) => (r.after ? [r.after] : []));
  return (
    adapter(before, after, 'after') ??
    adapter(after, before, 'before') ??
    quantized(rows, 'after') ??
    quantized(rows, 'before') ??
    fineTuned(rows)
  );
}

function suggestion(
  relation: SuggestedRelation,
  child: Side,
  confidence: number,
  reason: string,
): LineageSuggestion {
  return {
    relation,
    child,
    confidence: Math.round(Math.min(confidence, 0.95) * 100) / 100,
    reason,
  };
}

function sideName(side: Side): string {
  return side === 'after' ? 'newer' : 'older';
}

// Adapter -----------------------------------------------------------------------------------

function adapter(
  parents: DiffableFile[],
  children: DiffableFile[],
  child: Side,
): LineageSuggestion | null {
  const lora = loraTensors(children);
  if (lora.names.length === 0 || loraTensors(parents).names.length > 0) return null;

  const parentModules = new Set(
    parents.flatMap((f) => (f.summary?.tensors ?? []).map((t) => moduleOf(t.name))),
  );
  const modules = [...new Set(lora.names.flatMap(loraModule))];
  const found = modules.filter((m) => parentModules.has(m)).length;
  const share = lora.names.length / Math.max(1, lora.listed);

  const confidence = 0.5 + (share >= 0.9 ? 0.2 : 0) + 0.25 * (found / Math.max(1, modules.length));
  const kinds = lora.kinds.size > 0 ? ` (${[...lora.kinds].sort().join(', ')})` : '';
  const reason =
    `${lora.files.join(', ')} ${lora.files.length > 1 ? 'hold' : 'holds'} ` +
    `${count(lora.names.length, 'LoRA tensor')}${kinds} ` +
    `on ${count(modules.length, 'module')}; ${found} of those modules ` +
    `${found === 1 ? 'is' : 'are'} in the ${sideName(child === 'after' ? 'before' : 'after')} ` +
    `version's tensors.`;
  return suggestion('adapter-of', child, confidence, reason);
}

function loraTensors(files: DiffableFile[]) {
  const names: string[] = [];
  const kinds = new Set<string>();
  const withLora = new Set<string>();
  let listed = 0;
  for (const file of files) {
    for (const tensor of file.summary?.tensors ?? []) {
      listed += 1;
      const part = LORA_PART.exec(tensor.name);
      if (!part && !KOHYA_PREFIX.test(tensor.name)) continue;
      names.push(tensor.name);
      if (part) kinds.add(part[0].slice(1));
      withLora.add(file.name);
    }
  }
  return { names, kinds, listed, files: [...withLora] };
}

/**
 * The module a LoRA tensor adapts: `base_model.model.x.q_proj.lora_A.weight` -> `x.q_proj`.
 * None for kohya names, which flatten the module path beyond recovery.
 */
function loraModule(name: string): string[] {
  const match = LORA_PART.exec(name);
  return match && !KOHYA_PREFIX.test(name)
    ? [name.slice(0, match.index).replace(PEFT_PREFIX, '')]
    : [];
}

/** The module a weight belongs to: `x.q_proj.weight` -> `x.q_proj`. */
function moduleOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

// Tensor evidence ------------------------------------------------------------------------

interface TensorEvidence {
  compared: number;
  same: number;
  listedParent: number;
  listedChild: number;
  /** Shared tensors that were floating point on the parent's side. */
  floatParent: number;
  /** Parent dtype -> child dtype of each shared tensor stored in fewer bits. */
  narrowed: Map<string, number>;
  narrowedCount: number;
  widenedCount: number;
  files: string[];
}

function tensorEvidence(rows: readonly ComparedFiles[], child: Side): TensorEvidence {
  const evidence: TensorEvidence = {
    compared: 0,
    same: 0,
    listedParent: 0,
    listedChild: 0,
    floatParent: 0,
    narrowed: new Map(),
    narrowedCount: 0,
    widenedCount: 0,
    files: [],
  };
  for (const row of rows) {
    const parent = (child === 'after' ? row.before : row.after)?.summary;
    const derived = (child === 'after' ? row.after : row.before)?.summary;
    if (!parent?.tensors.length || !derived?.tensors.length) continue;
    addTensorEvidence(evidence, parent, derived);
    evidence.files.push(row[child]!.name);
  }
  return evidence;
}

function addTensorEvidence(
  evidence: TensorEvidence,
  parent: ModelFileSummary,
  child: ModelFileSummary,
): void {
  const byName = new Map(parent.tensors.map((t) => [t.name, t]));
  evidence.listedParent += parent.tensors.length;
  evidence.listedChild += child.tensors.length;
  for (const tensor of child.tensors) {
    const old = byName.get(tensor.name);
    if (!old) continue;
    evidence.compared += 1;
    if (dtypeWidth(old.dtype)?.kind === 'float') evidence.floatParent += 1;
    const sameShape = JSON.stringify(old.shape) === JSON.stringify(tensor.shape);
    if (sameShape && old.dtype === tensor.dtype) evidence.same += 1;
    if (isNarrowing(old.dtype, tensor.dtype)) {
      const step = `${old.dtype} → ${tensor.dtype}`;
      evidence.narrowed.set(step, (evidence.narrowed.get(step) ?? 0) + 1);
      evidence.narrowedCount += 1;
    }
    if (isNarrowing(tensor.dtype, old.dtype)) evidence.widenedCount += 1;
  }
}

function nameCoverage(e: TensorEvidence): number {
  return e.compared / Math.max(1, e.listedParent, e.listedChild);
}

// Quantisation ------------------------------------------------------------------------------

function quantized(rows: readonly ComparedFiles[], child: Side): LineageSuggestion | null {
  const e = tensorEvidence(rows, child);
  if (e.compared === 0) return quantizedByParamTypes(rows, child);

  const narrowedShare = e.narrowedCount / Math.max(1, e.floatParent);
  const coverage = nameCoverage(e);
  if (e.widenedCount > 0 || narrowedShare < MOSTLY_NARROWED || coverage < SAME_SET) return null;

  const steps = [...e.narrowed]
    .sort((a, b) => b[1] - a[1])
    .map(([step, n]) => `${step} ×${n}`)
    .join(', ');
  const reason =
    `${e.narrowedCount} of ${count(e.compared, 'shared tensor')} in ${e.files.join(', ')} ` +
    `are stored in fewer bits (${steps}) under the same names.`;
  return suggestion('quantized-from', child, 0.5 + 0.45 * narrowedShare * coverage, reason);
}

/** For formats that list no tensors: the same parameters in fewer bits on average. */
function quantizedByParamTypes(
  rows: readonly ComparedFiles[],
  child: Side,
): LineageSuggestion | null {
  for (const row of rows) {
    const parent = (child === 'after' ? row.before : row.after)?.summary;
    const derived = (child === 'after' ? row.after : row.before)?.summary;
    if (!parent || !derived || !closeCounts(parent.parameterCount, derived.parameterCount)) {
      continue;
    }
    const bitsBefore = meanBits(parent.paramsByDtype);
    const bitsAfter = meanBits(derived.paramsByDtype);
    if (bitsBefore !== null && bitsAfter !== null && bitsAfter <= 0.9 * bitsBefore) {
      const reason =
        `${row[child]!.name} stores about the same number of parameters in ` +
        `${bitsAfter.toFixed(1)} bits on average instead of ${bitsBefore.toFixed(1)}.`;
      return suggestion('quantized-from', child, 0.6, reason);
    }
    if (!parent.quantization && derived.quantization) {
      const reason =
        `${row[child]!.name} is quantized (${derived.quantization}) and keeps about the ` +
        `same number of parameters; the ${sideName(child === 'after' ? 'before' : 'after')} ` +
        `file is not quantized.`;
      return suggestion('quantized-from', child, 0.6, reason);
    }
  }
  return null;
}

function closeCounts(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && a > 0 && Math.abs(b - a) <= PARAMETER_TOLERANCE * a;
}

// Fine-tuning -------------------------------------------------------------------------------

function fineTuned(rows: readonly ComparedFiles[]): LineageSuggestion | null {
  const rewritten = rows.filter((r) => r.diff.identical === false && r.diff.inspected);
  const e = tensorEvidence(rewritten, 'after');
  if (e.compared > 0) {
    const share = e.same / Math.max(1, e.listedParent, e.listedChild);
    if (share < SAME_SET || e.narrowedCount + e.widenedCount > 0) return null;
    const exact = e.same === e.listedParent && e.same === e.listedChild && !anyTruncated(rewritten);
    const reason = exact
      ? `All ${count(e.same, 'tensor')} in ${e.files.join(', ')} keep their names, dtypes ` +
        `and shapes, but the bytes differ: the same architecture with new weights.`
      : `${e.same} of ${count(Math.max(e.listedParent, e.listedChild), 'listed tensor')} ` +
        `in ${e.files.join(', ')} keep their names, dtypes and shapes, and the bytes differ.`;
    return suggestion('fine-tuned-from', 'after', exact ? 0.8 : 0.45 + 0.3 * share, reason);
  }

  const sameStructure = rewritten.find((r) => structurallyEqual(r.diff));
  if (!sameStructure) return null;
  const reason =
    `${sameStructure.diff.after} keeps its format, operators, signature and ` +
    `${count(sameStructure.diff.parameters.after ?? 0, 'parameter')}, but the bytes differ.`;
  return suggestion('fine-tuned-from', 'after', 0.55, reason);
}

function anyTruncated(rows: readonly ComparedFiles[]): boolean {
  return rows.some((r) => r.diff.tensors?.truncated === true);
}

/** Same model structure by every field a summary without tensors reports. */
function structurallyEqual(d: FileDiff): boolean {
  return (
    d.tensors === null &&
    d.parameters.delta === 0 &&
    (d.parameters.after ?? 0) > 0 &&
    d.paramsByDtype.length === 0 &&
    d.metadata.length === 0 &&
    d.opsets.length === 0 &&
    d.layerTypes.added.length + d.layerTypes.removed.length === 0 &&
    d.inputs.added.length + d.inputs.removed.length + d.inputs.changed.length === 0 &&
    d.outputs.added.length + d.outputs.removed.length + d.outputs.changed.length === 0
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

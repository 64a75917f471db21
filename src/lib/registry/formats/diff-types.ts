/**
 * The public shape of a comparison between two versions' files: what changed in each file
 * pair, totals, and the lineage relation the changes suggest. Every value is plain JSON (no
 * `undefined`, no Map), so a diff can be stored, sent to a worker or rendered as it is.
 */
import type { LineageRelation } from '../../lineage/types';
import type { ModelFileSummary } from './summary';
import type { SafetyVerdict, SignatureEntry, TensorEntry } from './types';

/** A file of a version as the diff reads it; a registry `FileRef` fits as it is. */
export interface DiffableFile {
  name: string;
  size: number;
  /** Unknown hashes make "same bytes" and "changed values" undecidable, never assumed. */
  sha256?: string | null;
  /** Absent when the file was not inspected (a tokenizer, a config, a failed read). */
  summary?: ModelFileSummary | null;
}

/** A number on each side; `delta` is after minus before, null when either side is unknown. */
export interface NumberDelta {
  before: number | null;
  after: number | null;
  delta: number | null;
}

/** A tensor whose dtype or shape differs between the two sides. */
export interface TensorChange {
  name: string;
  before: Omit<TensorEntry, 'name'>;
  after: Omit<TensorEntry, 'name'>;
}

/**
 * Tensors matched by name. A tensor whose dtype and shape both changed is in `reshaped` and
 * in `retyped`. Summaries list a bounded number of tensors: when one side's list was cut, a
 * name listed only on the other side may lie past the cut, so it is counted in `unresolved`
 * rather than called added or removed.
 */
export interface TensorDiff {
  /** Tensors listed on both sides. */
  compared: number;
  /** Of those, tensors with the same dtype and shape. */
  unchanged: number;
  added: TensorEntry[];
  removed: TensorEntry[];
  reshaped: TensorChange[];
  retyped: TensorChange[];
  /** Listed on one side only while the other side's list was cut. */
  unresolved: { before: number; after: number };
  /** Either side's tensor list was cut: the lists above cover listed tensors only. */
  truncated: boolean;
}

/** Names present on one side only, sorted. */
export interface NameSetDiff {
  added: string[];
  removed: string[];
}

export interface SignatureChange {
  name: string;
  before: SignatureEntry;
  after: SignatureEntry;
}

/** Graph inputs or outputs matched by name. */
export interface SignatureDiff {
  added: SignatureEntry[];
  removed: SignatureEntry[];
  changed: SignatureChange[];
}

/** An operator-set domain whose version differs; null where a side does not import it. */
export interface OpsetChange {
  domain: string;
  before: number | null;
  after: number | null;
}

export type MetadataField = 'format' | 'framework' | 'architecture' | 'producer' | 'quantization';

export interface MetadataChange {
  field: MetadataField;
  before: string | null;
  after: string | null;
}

/** Parameters of one element type; null where that side's file does not report them. */
export interface DtypeParams {
  dtype: string;
  before: number | null;
  after: number | null;
}

/**
 * How two files were paired: by the same name; by the same format when names differ; as the
 * only model file left on each side (a format change); or not at all.
 */
export type FilePairing = 'name' | 'format' | 'only-model' | 'added' | 'removed';

/** What differs between one file of each version (or a file only one version has). */
export interface FileDiff {
  pairing: FilePairing;
  /** File names on each side; null on the side that lacks the file. */
  before: string | null;
  after: string | null;
  /** Both hashes known and equal; null when either hash is unknown or the file is unpaired. */
  identical: boolean | null;
  /** Anything differs: bytes, size or any reported field. Always true for unpaired files. */
  changed: boolean;
  /** Both sides carry a readable summary; when false only size and hash were compared. */
  inspected: boolean;
  size: NumberDelta;
  parameters: NumberDelta;
  tensorCount: NumberDelta;
  /** Element types whose parameter count changed. */
  paramsByDtype: DtypeParams[];
  metadata: MetadataChange[];
  opsets: OpsetChange[];
  inputs: SignatureDiff;
  outputs: SignatureDiff;
  /** Operator, layer or class names used (ONNX op types, Keras layer classes, ...). */
  layerTypes: NameSetDiff;
  /** Null when neither side lists tensors (ONNX, Keras, pickles). */
  tensors: TensorDiff | null;
  safety: { before: SafetyVerdict | null; after: SafetyVerdict | null } | null;
}

/** The relations a file diff can suggest; names as the lineage graph spells them. */
export type SuggestedRelation = Extract<
  LineageRelation,
  'quantized-from' | 'adapter-of' | 'fine-tuned-from'
>;

/**
 * A lineage relation for the user to confirm. `child` names the side that was derived:
 * normally `after` (the newer version, derived from the older), `before` when the evidence
 * points the other way (the older version holds the smaller dtypes, say).
 */
export interface LineageSuggestion {
  relation: SuggestedRelation;
  child: 'after' | 'before';
  /** From 0 to 1: how strongly the file contents point at this relation. */
  confidence: number;
  /** One or two sentences for the user, naming the evidence. */
  reason: string;
}

/** The comparison of two versions' files. */
export interface VersionDiff {
  /** The newer version's files in order (paired or added), then the removed ones. */
  files: FileDiff[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
  /** Sums over each version's files; parameters are null on a side where no file states them. */
  totals: { size: NumberDelta; parameters: NumberDelta };
  /** Any tensor list was cut, on either side. */
  truncated: boolean;
  suggestion: LineageSuggestion | null;
}

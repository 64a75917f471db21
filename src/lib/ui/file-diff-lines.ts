/**
 * A file diff between two versions, put into the lines the compare page shows: each line a
 * label ("Tensors reshaped (3)") and the changes under it, longest lists cut short.
 */
import type {
  FileDiff,
  LineageSuggestion,
  NumberDelta,
  SignatureDiff,
  TensorChange,
} from '$lib/registry/formats/diff-types';
import type { ModelFormat, TensorEntry } from '$lib/registry/formats/types';
import { RELATION_LABELS } from '$lib/lineage/types';
import { formatBytes } from './format';
import {
  formatCount,
  formatCountDelta,
  formatLabel,
  formatShape,
  formatSignatureEntry,
} from './model-file-facts';

/** One kind of change in a file, and the changes of that kind. */
export interface ChangeLine {
  label: string;
  items: string[];
  /** Changes beyond `items` that were left out. */
  more: number;
  /** Short names, read best on one line. */
  inline?: boolean;
}

/** Items per line before the rest are counted instead of listed. */
export const MAX_ITEMS = 12;

function line(label: string, all: string[]): ChangeLine {
  return { label, items: all.slice(0, MAX_ITEMS), more: Math.max(0, all.length - MAX_ITEMS) };
}

/** `757 → 1.87K (+1.12K)`, or null when nothing changed. */
export function countChange(change: NumberDelta): string | null {
  if (change.before === change.after) return null;
  const text = `${formatCount(change.before)} → ${formatCount(change.after)}`;
  return change.delta === null ? text : `${text} (${formatCountDelta(change.delta)})`;
}

/** `15.6 KB → 7.75 KB (−7.87 KB)`, or null when the size is the same. */
export function sizeChange(change: NumberDelta): string | null {
  if (change.before === change.after) return null;
  const text = `${formatBytes(change.before)} → ${formatBytes(change.after)}`;
  if (change.delta === null) return text;
  return `${text} (${change.delta > 0 ? '+' : '−'}${formatBytes(Math.abs(change.delta))})`;
}

const tensorText = (t: TensorEntry) => `${t.name} ${t.dtype} ${formatShape(t.shape)}`;
const reshapeText = (c: TensorChange) =>
  `${c.name} ${formatShape(c.before.shape)} → ${formatShape(c.after.shape)}`;
const retypeText = (c: TensorChange) => `${c.name} ${c.before.dtype} → ${c.after.dtype}`;

function signatureLines(side: 'Inputs' | 'Outputs', diff: SignatureDiff): ChangeLine[] {
  return [
    line(`${side} added`, diff.added.map(formatSignatureEntry)),
    line(`${side} removed`, diff.removed.map(formatSignatureEntry)),
    line(
      `${side} changed`,
      diff.changed.map(
        (c) => `${formatSignatureEntry(c.before)} → ${formatSignatureEntry(c.after)}`,
      ),
    ),
  ];
}

const FIELD_LABELS = {
  format: 'Format',
  framework: 'Framework',
  architecture: 'Architecture',
  producer: 'Producer',
  quantization: 'Quantisation',
} as const;

/**
 * Every change in one file, in reading order; kinds without a change are left out. A file
 * only one version has gets no lines: being added or removed is the whole change.
 */
export function fileChangeLines(diff: FileDiff): ChangeLine[] {
  if (diff.before === null || diff.after === null) return [];
  const lines: ChangeLine[] = [];
  const single = (label: string, text: string | null) => text && lines.push(line(label, [text]));

  single('Parameters', countChange(diff.parameters));
  single('Tensor count', countChange(diff.tensorCount));
  single('Size', sizeChange(diff.size));
  lines.push(
    line(
      'Parameters by dtype',
      diff.paramsByDtype.map(
        (p) => `${p.dtype}: ${formatCount(p.before)} → ${formatCount(p.after)}`,
      ),
    ),
  );
  for (const change of diff.metadata) {
    const show = (value: string | null) =>
      change.field === 'format' ? formatLabel(value as ModelFormat | null) : (value ?? 'none');
    single(FIELD_LABELS[change.field], `${show(change.before)} → ${show(change.after)}`);
  }
  lines.push(
    line(
      'Opset',
      diff.opsets.map(
        (o) => `${o.domain || 'ai.onnx'} ${o.before ?? 'none'} → ${o.after ?? 'none'}`,
      ),
    ),
  );
  lines.push(...signatureLines('Inputs', diff.inputs), ...signatureLines('Outputs', diff.outputs));
  lines.push({ ...line('Layer types added', diff.layerTypes.added), inline: true });
  lines.push({ ...line('Layer types removed', diff.layerTypes.removed), inline: true });

  const tensors = diff.tensors;
  if (tensors) {
    lines.push(line(`Tensors added (${tensors.added.length})`, tensors.added.map(tensorText)));
    lines.push(
      line(`Tensors removed (${tensors.removed.length})`, tensors.removed.map(tensorText)),
    );
    lines.push(
      line(`Tensors reshaped (${tensors.reshaped.length})`, tensors.reshaped.map(reshapeText)),
    );
    lines.push(
      line(`Tensors re-typed (${tensors.retyped.length})`, tensors.retyped.map(retypeText)),
    );
  }
  if (diff.safety) {
    single(
      'Safety',
      `${diff.safety.before ?? 'not checked'} → ${diff.safety.after ?? 'not checked'}`,
    );
  }
  return lines.filter((l) => l.items.length > 0);
}

/** `v2 quantized from v1`: the suggestion as a sentence about the derived version. */
export function suggestionSentence(
  suggestion: LineageSuggestion,
  names: { before: string; after: string },
): { child: string; relation: string; parent: string } {
  const child = suggestion.child === 'after' ? names.after : names.before;
  const parent = suggestion.child === 'after' ? names.before : names.after;
  return { child, relation: RELATION_LABELS[suggestion.relation], parent };
}

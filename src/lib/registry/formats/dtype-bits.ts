/**
 * Bits per element of the element types the readers report, across formats (safetensors
 * `F16`, ONNX `FLOAT16`, PyTorch `float16`, ggml `Q4_K`), so that a change of dtype can be
 * read as narrowing (quantisation) or widening whatever format wrote it.
 */
import { GGML_TYPES } from './gguf-types';

export type DtypeKind = 'float' | 'int' | 'quantized' | 'other';

export interface DtypeWidth {
  bits: number;
  kind: DtypeKind;
}

const NAMED: Record<string, DtypeWidth> = {};

function define(kind: DtypeKind, bits: number, names: string[]): void {
  for (const name of names) NAMED[name] = { bits, kind };
}

define('float', 64, ['F64', 'FLOAT64', 'DOUBLE']);
define('float', 32, ['F32', 'FLOAT32', 'FLOAT']);
define('float', 16, ['F16', 'FLOAT16', 'HALF', 'BF16', 'BFLOAT16']);
define('float', 8, [
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'FLOAT8_E4M3FN',
  'FLOAT8_E5M2',
  'FLOAT8E4M3FN',
  'FLOAT8E4M3FNUZ',
  'FLOAT8E5M2',
  'FLOAT8E5M2FNUZ',
]);
define('float', 6, ['F6_E2M3', 'F6_E3M2']);
define('float', 4, ['F4', 'FLOAT4E2M1']);
define('int', 64, ['I64', 'INT64', 'U64', 'UINT64']);
define('int', 32, ['I32', 'INT32', 'U32', 'UINT32']);
define('int', 16, ['I16', 'INT16', 'U16', 'UINT16']);
define('int', 8, ['I8', 'INT8', 'U8', 'UINT8']);
define('int', 4, ['INT4', 'UINT4']);
define('quantized', 8, ['QINT8', 'QUINT8']);
define('quantized', 32, ['QINT32']);
define('other', 8, ['BOOL']);
define('other', 64, ['COMPLEX64']);
define('other', 128, ['COMPLEX128']);

// ggml block types store a few bits per weight plus per-block scales: Q4_K is 4.5 bits.
for (const { name, block, bytes } of Object.values(GGML_TYPES)) {
  NAMED[name] ??= { bits: (bytes * 8) / block, kind: 'quantized' };
}

/** The width of a dtype name as any reader spells it, or null when the name is unknown. */
export function dtypeWidth(dtype: string): DtypeWidth | null {
  const name = dtype.toUpperCase().replace(/^TORCH\./, '');
  return NAMED[name] ?? null;
}

/**
 * Whether going from `before` to `after` stores floating-point values in fewer bits: the
 * mark of quantisation (F32 to F16, BF16 to Q4_K, FLOAT to INT8).
 */
export function isNarrowing(before: string, after: string): boolean {
  const from = dtypeWidth(before);
  const to = dtypeWidth(after);
  return from?.kind === 'float' && to !== null && to.kind !== 'other' && to.bits < from.bits;
}

/** Whether going from `before` to `after` restores floating point in more bits. */
export function isWidening(before: string, after: string): boolean {
  return isNarrowing(after, before);
}

/** Mean bits per parameter over a per-dtype parameter count, or null when none is known. */
export function meanBits(paramsByDtype: Record<string, number> | null): number | null {
  if (!paramsByDtype) return null;
  let bits = 0;
  let count = 0;
  for (const [dtype, params] of Object.entries(paramsByDtype)) {
    const width = dtypeWidth(dtype);
    if (!width || params <= 0) continue;
    bits += width.bits * params;
    count += params;
  }
  return count > 0 ? bits / count : null;
}

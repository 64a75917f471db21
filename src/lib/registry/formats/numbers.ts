/**
 * Checked arithmetic for header fields. Counts, lengths and offsets arrive as 64-bit values
 * from untrusted bytes, so they stay BigInt until proven to fit and to be plausible.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** "700 kB", "1.81 MB", "4.29 GB": decimal units, as file managers show them. */
export function formatBytes(bytes: number | bigint): string {
  const n = Number(bytes);
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits).replace(/\.0+$/, '')} ${units[unit]}`;
}

/**
 * A count as a person reads it: exact for everyday sizes, as a power of two for the values
 * crafted files use ("2^63", "about 2^64").
 */
export function describeCount(value: number | bigint): string {
  const v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  if (v < 0n) return `${v}`;
  const bits = v.toString(2).length;
  if (v >= 1n << 24n && v === 1n << BigInt(bits - 1)) return `2^${bits - 1}`;
  if (v < 1n << 32n) return Number(v).toLocaleString('en-US');
  const nearUpper = (1n << BigInt(bits)) - v < v >> 8n;
  return nearUpper ? `about 2^${bits}` : `about 2^${bits - 1}`;
}

/** The number when it is a safe integer, otherwise null. */
export function toSafeNumber(value: bigint): number | null {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : null;
}

/** JSON-friendly form of a 64-bit value: a number when exact, a decimal string otherwise. */
export function jsonInteger(value: bigint): number | string {
  return toSafeNumber(value) ?? value.toString();
}

/**
 * Product of dimensions, or null when it passes `cap` (default 2^63 - 1) or a dimension is
 * negative: callers turn null into a named error.
 */
export function checkedProduct(dims: readonly bigint[], cap = (1n << 63n) - 1n): bigint | null {
  let product = 1n;
  for (const d of dims) {
    if (d < 0n) return null;
    product *= d;
    if (product > cap) return null;
  }
  return product;
}

/** True for 1, 2, 4, 8, ... */
export function isPowerOfTwo(value: bigint): boolean {
  return value > 0n && (value & (value - 1n)) === 0n;
}

/** Round `value` up to a multiple of `alignment` (a power of two). */
export function alignUp(value: bigint, alignment: bigint): bigint {
  return ((value + alignment - 1n) / alignment) * alignment;
}

/** Sum of counts held as numbers, kept exact by going through BigInt past 2^53. */
export function addCounts(a: number, b: number | bigint): number {
  const sum = BigInt(a) + BigInt(b);
  return sum <= MAX_SAFE ? Number(sum) : Number.MAX_SAFE_INTEGER;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The key a parameter value is indexed under: numbers for numeric-looking strings (so that
 * `params.lr < 0.01` is a range walk), the string itself otherwise.
 *
 * @example indexValue('0.001') === 0.001; indexValue('adam') === 'adam'
 */
export function indexValue(value: string): string | number {
  if (NUMERIC.test(value.trim())) {
    const parsed = Number(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  return value;
}

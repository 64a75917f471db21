/**
 * SQL LIKE patterns: `%` matches any run of characters (also none), `_` exactly one; every
 * other character matches itself. LIKE is case-sensitive; ILIKE compares the lower-cased
 * text with the lower-cased pattern.
 */

/** Tests text against a compiled pattern. */
export type LikeMatcher = (text: string) => boolean;

/** Compiles `pattern` once; the matcher is then cheap to call for every row. */
export function compileLike(pattern: string, ignoreCase: boolean): LikeMatcher {
  const source = ignoreCase ? pattern.toLowerCase() : pattern;
  let expression = '';
  for (const char of source) {
    if (char === '%') expression += '.*';
    else if (char === '_') expression += '.';
    else expression += char.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }

  // `s` lets wildcards cross line breaks; `u` makes `_` one code point, not one UTF-16 unit.
  const regex = new RegExp(`^${expression}$`, 'su');
  return ignoreCase ? (text) => regex.test(text.toLowerCase()) : (text) => regex.test(text);
}

/** The text before the first wildcard: every match starts with it. */
export function literalPrefix(pattern: string): string {
  const wildcard = pattern.search(/[%_]/);
  return wildcard < 0 ? pattern : pattern.slice(0, wildcard);
}

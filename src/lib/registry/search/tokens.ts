/**
 * The tokenizer of the filter grammar. It turns the query text into words, literals,
 * operators and punctuation, each with its offset, so that the parser can point every error
 * at the character where it starts.
 */
import { FilterSyntaxError } from '../errors';

export type OperatorText = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Token =
  /**
   * An identifier, keyword or dotted field reference (`name`, `AND`, `tags.team`). A field
   * whose key was quoted (`tags.`my key``) has `text` ending in a dot and the key in
   * `quotedKey`.
   */
  | { type: 'word'; text: string; quotedKey: string | null; start: number; end: number }
  | { type: 'string'; value: string; start: number; end: number }
  | { type: 'number'; value: number; start: number; end: number }
  | { type: 'operator'; text: OperatorText; start: number; end: number }
  | { type: '(' | ')' | ','; start: number; end: number }
  | { type: 'end'; start: number; end: number };

const WORD_START = /[A-Za-z_]/;
/** Dots join field and key; `-` and `/` appear in metric names such as `val-loss`, `eval/f1`. */
const WORD_PART = /[A-Za-z0-9_.\-/]/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;
const QUOTES = new Set(["'", '"', '`']);

/**
 * Yields the tokens of `query` one at a time, ending with an `end` token. Lazy, so that the
 * parser reports the leftmost problem even when a later part of the query would not tokenize.
 */
export function* tokenize(query: string): Generator<Token, void, undefined> {
  let at = 0;

  while (at < query.length) {
    if (/\s/.test(query[at])) {
      at += 1;
      continue;
    }

    const token = readToken(query, at);
    yield token;
    at = token.end;
  }

  yield { type: 'end', start: query.length, end: query.length };
}

function readToken(query: string, at: number): Token {
  const char = query[at];

  if (char === "'" || char === '"') {
    const { value, end } = readQuoted(query, at);
    return { type: 'string', value, start: at, end };
  }
  if (char === '(' || char === ')' || char === ',') return { type: char, start: at, end: at + 1 };
  if (WORD_START.test(char)) return readWord(query, at);
  if (/[\d.+-]/.test(char)) return readNumber(query, at);

  const operator = readOperator(query, at);
  if (operator) return operator;

  throw new FilterSyntaxError(
    query,
    at,
    `Unexpected character "${char}"; fields, quoted values, numbers, operators and ` +
      `parentheses are expected`,
  );
}

function readWord(query: string, start: number): Token {
  let end = start + 1;
  while (end < query.length && WORD_PART.test(query[end])) end += 1;
  const text = query.slice(start, end);

  if (text.endsWith('.') && QUOTES.has(query[end] ?? '')) {
    const quoted = readQuoted(query, end);
    return { type: 'word', text, quotedKey: quoted.value, start, end: quoted.end };
  }
  return { type: 'word', text, quotedKey: null, start, end };
}

function readNumber(query: string, start: number): Token {
  const match = NUMBER.exec(query.slice(start));
  if (!match) {
    throw new FilterSyntaxError(
      query,
      start,
      `Unexpected character "${query[start]}"; a number such as -1, 0.5 or 2e-3 was expected`,
    );
  }

  const end = start + match[0].length;
  if (end < query.length && WORD_PART.test(query[end])) {
    throw new FilterSyntaxError(
      query,
      start,
      `Malformed number "${query.slice(start, end + 1)}"; write numbers like 3, -0.5 or 1e-4`,
    );
  }
  return { type: 'number', value: Number(match[0]), start, end };
}

function readOperator(query: string, start: number): Token | null {
  const two = query.slice(start, start + 2);
  if (two === '!=' || two === '<>') return { type: 'operator', text: '!=', start, end: start + 2 };
  if (two === '<=' || two === '>=' || two === '==') {
    const text = two === '==' ? '=' : two;
    return { type: 'operator', text, start, end: start + 2 };
  }

  const one = query[start];
  if (one === '=' || one === '<' || one === '>') {
    return { type: 'operator', text: one, start, end: start + 1 };
  }
  return null;
}

/**
 * Reads a literal quoted with `'`, `"` or a backquote, starting at the opening quote. The
 * quote is escaped by doubling it (`'it''s'`) or with a backslash (`'it\'s'`); a backslash
 * escapes any character, so `\\` is one backslash.
 */
function readQuoted(query: string, start: number): { value: string; end: number } {
  const quote = query[start];
  let value = '';
  let at = start + 1;

  while (at < query.length) {
    const char = query[at];
    if (char === '\\' && at + 1 < query.length) {
      value += query[at + 1];
      at += 2;
    } else if (char === quote && query[at + 1] === quote) {
      value += quote;
      at += 2;
    } else if (char === quote) {
      return { value, end: at + 1 };
    } else {
      value += char;
      at += 1;
    }
  }

  throw new FilterSyntaxError(
    query,
    start,
    `Unterminated string: the ${quote} opened here is never closed; add the closing ${quote}`,
  );
}

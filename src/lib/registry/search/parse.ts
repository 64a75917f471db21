/**
 * The parser of the version filter grammar, an MLflow-style filter extended with OR and
 * parentheses:
 *
 *     query      := or
 *     or         := and ('OR' and)*
 *     and        := primary ('AND' primary)*
 *     primary    := '(' or ')' | comparison
 *     comparison := field operator value | field ['NOT'] 'IN' '(' value (',' value)* ')'
 *     operator   := '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE'
 *
 * AND binds tighter than OR. Keywords and field names are case-insensitive; keys are not.
 */
import { FilterSyntaxError } from '../errors';
import type {
  ComparisonOperator,
  FilterNode,
  ListOperator,
  Literal,
  ScalarComparison,
  ScalarOperator,
  Span,
} from './ast';
import { DATE_HELP, nextDay, parseCreated } from './dates';
import {
  checkOperator,
  checkValue,
  FIELD_HELP,
  resolveField,
  takesDate,
  type FieldRef,
} from './fields';
import { tokenize, type Token } from './tokens';

/** Deeper nesting than this is refused, so a pasted query cannot exhaust the stack. */
export const MAX_NESTING = 64;

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE']);
const OPERATOR_HELP = '=, !=, <, <=, >, >=, LIKE, ILIKE, IN or NOT IN';

/**
 * Parses a filter into its syntax tree; an empty or blank query gives null (every version).
 * Throws `FilterSyntaxError` whose `position` is the offset of the offending token, or the
 * query's length when the query ends too early.
 *
 * @example parseFilter("name LIKE 'bert%' AND (metrics.f1 > 0.9 OR tags.team = 'nlp')")
 */
export function parseFilter(query: string): FilterNode | null {
  if (query.trim() === '') return null;
  return new Parser(query).parseQuery();
}

class Parser {
  private at = 0;
  private depth = 0;
  private readonly tokens: Token[] = [];
  private readonly source: Iterator<Token, void>;

  constructor(private readonly query: string) {
    this.source = tokenize(query);
  }

  parseQuery(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();

    if (next.type === ')') this.fail(next, `Unexpected ")": no "(" is open`);
    if (next.type !== 'end') {
      this.fail(
        next,
        `Unexpected ${this.describe(next)}; expected AND, OR or the end of the query`,
      );
    }
    return node;
  }

  private parseOr(): FilterNode {
    const children = [this.parseAnd()];
    while (this.acceptKeyword('OR')) children.push(this.parseAnd());
    return combine('or', children);
  }

  private parseAnd(): FilterNode {
    const children = [this.parsePrimary()];
    while (this.acceptKeyword('AND')) children.push(this.parsePrimary());
    return combine('and', children);
  }

  private parsePrimary(): FilterNode {
    const token = this.peek();

    if (token.type === '(') return this.parseGroup(token);
    if (token.type === 'word' && !isKeyword(token)) return this.parseComparison(token);
    if (token.type === 'end') {
      this.fail(token, `The query ends too early; a comparison such as name = 'bert' is expected`);
    }
    return this.fail(token, `Expected a field (${FIELD_HELP}), but found ${this.describe(token)}`);
  }

  private parseGroup(open: Token): FilterNode {
    if (this.depth >= MAX_NESTING) {
      this.fail(open, `Too many nested parentheses; at most ${MAX_NESTING} levels are allowed`);
    }

    this.at += 1;
    this.depth += 1;
    const node = this.parseOr();
    const close = this.peek();

    if (close.type !== ')') {
      const opened = `to close the "(" at character ${open.start + 1}`;
      if (close.type === 'end') this.fail(close, `Missing ")" ${opened}`);
      this.fail(close, `Expected AND, OR or ")" ${opened}, but found ${this.describe(close)}`);
    }
    this.at += 1;
    this.depth -= 1;
    return node;
  }

  private parseComparison(fieldToken: Token & { type: 'word' }): FilterNode {
    const ref = resolveField(fieldToken.text, fieldToken.quotedKey);
    if (typeof ref === 'string') this.fail(fieldToken, ref);
    this.at += 1;

    const label = this.query.slice(fieldToken.start, fieldToken.end);
    const opToken = this.peek();
    const op = this.parseOperator(label);
    const opProblem = checkOperator(ref, label, op);
    if (opProblem) this.fail(opToken, opProblem);

    if (op === 'IN' || op === 'NOT IN') {
      const values = this.parseList(ref, label, op);
      const span = { start: fieldToken.start, end: this.tokens[this.at - 1].end };
      return { type: 'comparison', field: ref.field, key: ref.key, op, values, span };
    }

    const valueToken = this.peek();
    const value = this.parseValue(ref, label, op, `after ${op}`);
    const span = { start: fieldToken.start, end: valueToken.end };
    if (takesDate(ref)) return this.createdComparison(valueToken, op, value, span);
    return { type: 'comparison', field: ref.field, key: ref.key, op, value, span };
  }

  private parseOperator(label: string): ComparisonOperator {
    const token = this.peek();
    this.at += 1;

    if (token.type === 'operator') return token.text;
    if (token.type === 'word') {
      const word = token.text.toUpperCase();
      if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return word;
      if (word === 'NOT') {
        if (this.acceptKeyword('IN')) return 'NOT IN';
        this.fail(this.peek(), `NOT is only allowed before IN, as in ${label} NOT IN ('a', 'b')`);
      }
    }

    this.at -= 1;
    const found = token.type === 'end' ? 'the query ended' : `found ${this.describe(token)}`;
    return this.fail(token, `Expected an operator (${OPERATOR_HELP}) after ${label}, but ${found}`);
  }

  private parseList(ref: FieldRef, label: string, op: ListOperator): Literal[] {
    const open = this.peek();
    if (open.type !== '(') {
      this.fail(open, `${op} takes a list in parentheses, e.g. ${label} ${op} ('a', 'b')`);
    }
    this.at += 1;

    if (this.peek().type === ')') this.fail(this.peek(), `${op} needs at least one value`);
    const values = [this.parseValue(ref, label, op, `in the ${op} list`)];
    while (this.peek().type === ',') {
      this.at += 1;
      values.push(this.parseValue(ref, label, op, 'after ","'));
    }

    const close = this.peek();
    if (close.type !== ')') {
      const found = close.type === 'end' ? 'the query ended' : `found ${this.describe(close)}`;
      this.fail(close, `Expected "," or ")" in the ${op} list, but ${found}`);
    }
    this.at += 1;
    return values;
  }

  private parseValue(ref: FieldRef, label: string, op: ComparisonOperator, where: string) {
    const token = this.peek();
    if (token.type !== 'string' && token.type !== 'number') {
      const found =
        token.type === 'end'
          ? 'the query ended'
          : token.type === 'word'
            ? `found ${this.describe(token)}; put text values in quotes, e.g. '${token.text}'`
            : `found ${this.describe(token)}`;
      return this.fail(token, `Expected a value (quoted text or a number) ${where}, but ${found}`);
    }

    const problem = takesDate(ref) ? null : checkValue(ref, label, op, token.value);
    if (problem) this.fail(token, problem);
    this.at += 1;
    return token.value;
  }

  /**
   * A day compares as the whole UTC day: `created = '2026-01-31'` is every time on that day,
   * `created > '2026-01-31'` starts the next day.
   */
  private createdComparison(
    token: Token,
    op: ComparisonOperator,
    value: Literal,
    span: Span,
  ): FilterNode {
    const created = parseCreated(value);
    if (!created) this.fail(token, `created takes ${DATE_HELP}`);

    const at = (scalar: ScalarOperator, ms: number): ScalarComparison => ({
      type: 'comparison',
      field: 'created',
      key: null,
      op: scalar,
      value: ms,
      span,
    });
    const scalar = op as ScalarOperator;
    if (created.kind === 'instant') return at(scalar, created.ms);

    const start = created.start;
    const end = nextDay(start);
    if (scalar === '=') return { type: 'and', children: [at('>=', start), at('<', end)], span };
    if (scalar === '!=') return { type: 'or', children: [at('<', start), at('>=', end)], span };
    if (scalar === '<=') return at('<', end);
    if (scalar === '>') return at('>=', end);
    return at(scalar, start);
  }

  private peek(): Token {
    while (this.tokens.length <= this.at) {
      const next = this.source.next();
      // The tokenizer always ends with an `end` token, which is never consumed.
      if (next.done) return this.tokens[this.tokens.length - 1];
      this.tokens.push(next.value);
    }
    return this.tokens[this.at];
  }

  private acceptKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token.type !== 'word' || token.text.toUpperCase() !== keyword) return false;
    this.at += 1;
    return true;
  }

  private describe(token: Token): string {
    if (token.type === 'end') return 'the end of the query';
    return `"${this.query.slice(token.start, token.end)}"`;
  }

  private fail(token: Token, problem: string): never {
    throw new FilterSyntaxError(this.query, token.start, problem);
  }
}

function isKeyword(token: Token & { type: 'word' }): boolean {
  return token.quotedKey === null && KEYWORDS.has(token.text.toUpperCase());
}

/** Joins children under AND or OR, flattening nested nodes of the same kind. */
function combine(type: 'and' | 'or', children: FilterNode[]): FilterNode {
  if (children.length === 1) return children[0];

  const flat = children.flatMap((child) => (child.type === type ? child.children : [child]));
  const span = { start: flat[0].span.start, end: flat[flat.length - 1].span.end };
  return { type, children: flat, span };
}

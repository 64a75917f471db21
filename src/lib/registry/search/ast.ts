/**
 * The typed syntax tree of a version filter, as produced by `parseFilter` and consumed by
 * `searchVersions`. Values are already checked against their field: numbers for `version`,
 * `metrics.<key>` and `created` (milliseconds since the epoch), strings for `name`, `alias`
 * and `tags.<key>`, either for `params.<key>`.
 */

/** What a comparison looks at on a version. */
export type FieldKind = 'name' | 'version' | 'alias' | 'tag' | 'param' | 'metric' | 'created';

/** Operators that compare with one value. */
export type ScalarOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE';

/** Operators that compare with a parenthesised list of values. */
export type ListOperator = 'IN' | 'NOT IN';

export type ComparisonOperator = ScalarOperator | ListOperator;

/** A literal as written in the query: a quoted string or a number. */
export type Literal = string | number;

/** Where a node came from in the query text: `query.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

interface ComparisonBase {
  type: 'comparison';
  field: FieldKind;
  /** The tag, parameter or metric key; null for `name`, `version`, `alias` and `created`. */
  key: string | null;
  span: Span;
}

/** `field op value`, e.g. `metrics.f1 >= 0.9` or `name LIKE 'bert%'`. */
export interface ScalarComparison extends ComparisonBase {
  op: ScalarOperator;
  value: Literal;
}

/** `field IN (v1, v2, ...)` or `field NOT IN (...)`; `values` is never empty. */
export interface ListComparison extends ComparisonBase {
  op: ListOperator;
  values: Literal[];
}

export type ComparisonNode = ScalarComparison | ListComparison;

/** Every child must match. Always has two or more children. */
export interface AndNode {
  type: 'and';
  children: FilterNode[];
  span: Span;
}

/** At least one child must match. Always has two or more children. */
export interface OrNode {
  type: 'or';
  children: FilterNode[];
  span: Span;
}

export type FilterNode = ComparisonNode | AndNode | OrNode;

/** True when the comparison takes a list (`IN`, `NOT IN`). */
export function isListComparison(node: ComparisonNode): node is ListComparison {
  return node.op === 'IN' || node.op === 'NOT IN';
}

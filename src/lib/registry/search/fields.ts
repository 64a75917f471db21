/**
 * The fields a filter can name and what each accepts: which operators, and which kind of
 * value. The parser asks these rules so that a query that could never match (LIKE on a
 * metric, `<` on an alias, a quoted metric value) fails with a message instead.
 */
import type { ComparisonOperator, FieldKind } from './ast';

export interface FieldRef {
  field: FieldKind;
  key: string | null;
}

const BARE_FIELDS: Record<string, FieldKind> = {
  name: 'name',
  version: 'version',
  // MLflow's own name for the version number.
  version_number: 'version',
  alias: 'alias',
  created: 'created',
};

const KEYED_FIELDS: Record<string, FieldKind> = {
  tags: 'tag',
  tag: 'tag',
  params: 'param',
  param: 'param',
  metrics: 'metric',
  metric: 'metric',
};

export const FIELD_HELP =
  'name, version, alias, created, tags.<key>, params.<key> or metrics.<key>';

/**
 * Resolves a word such as `name`, `tags.team` or `metrics.val/loss` to a field, or explains
 * why it is not one. Field names are case-insensitive; keys are kept exactly as written.
 */
export function resolveField(text: string, quotedKey: string | null): FieldRef | string {
  const dot = text.indexOf('.');
  if (dot < 0) {
    const bare = BARE_FIELDS[text.toLowerCase()];
    if (bare) return { field: bare, key: null };
    const keyed = KEYED_FIELDS[text.toLowerCase()];
    if (keyed) return `${text} needs a key, e.g. ${text}.accuracy`;
    return `Unknown field "${text}"; use ${FIELD_HELP}`;
  }

  const head = text.slice(0, dot);
  const field = KEYED_FIELDS[head.toLowerCase()];
  if (!field) return `Unknown field "${text}"; use ${FIELD_HELP}`;

  const key = text.slice(dot + 1) + (quotedKey ?? '');
  if (key === '') return `${head} needs a key after the dot, e.g. ${head}.accuracy`;
  return { field, key };
}

type ValueKind = 'string' | 'number' | 'either' | 'date';

interface FieldRule {
  operators: readonly ComparisonOperator[];
  value: ValueKind;
  example: string;
}

const EQUALITY = ['=', '!=', 'IN', 'NOT IN'] as const;
const ORDERING = ['<', '<=', '>', '>='] as const;
const PATTERN = ['LIKE', 'ILIKE'] as const;

const RULES: Record<FieldKind, FieldRule> = {
  name: { operators: [...EQUALITY, ...PATTERN], value: 'string', example: "name = 'bert'" },
  alias: { operators: [...EQUALITY, ...PATTERN], value: 'string', example: "alias = 'champion'" },
  tag: { operators: [...EQUALITY, ...PATTERN], value: 'string', example: "tags.team = 'nlp'" },
  version: { operators: [...EQUALITY, ...ORDERING], value: 'number', example: 'version >= 3' },
  metric: { operators: [...EQUALITY, ...ORDERING], value: 'number', example: 'metrics.f1 > 0.9' },
  param: {
    operators: [...EQUALITY, ...ORDERING, ...PATTERN],
    value: 'either',
    example: "params.lr < 0.01 or params.optimizer = 'adam'",
  },
  created: {
    operators: ['=', '!=', ...ORDERING],
    value: 'date',
    example: "created >= '2026-01-31'",
  },
};

/** Null when `field` takes `op`, otherwise the problem to report at the operator. */
export function checkOperator(ref: FieldRef, label: string, op: ComparisonOperator): string | null {
  const rule = RULES[ref.field];
  if (rule.operators.includes(op)) return null;
  return `${label} cannot be compared with ${op}; use ${rule.operators.join(', ')}`;
}

/** Null when `value` suits `field` under `op`, otherwise the problem to report at the value. */
export function checkValue(
  ref: FieldRef,
  label: string,
  op: ComparisonOperator,
  value: string | number,
): string | null {
  const rule = RULES[ref.field];
  const isNumber = typeof value === 'number';

  if ((op === 'LIKE' || op === 'ILIKE') && isNumber) {
    return `${op} takes a quoted pattern such as 'bert%', not a number`;
  }
  if (rule.value === 'string' && isNumber) {
    return `${label} compares with quoted text, e.g. ${rule.example}; put the value in quotes`;
  }
  if (rule.value === 'number' && !isNumber) {
    return `${label} compares with numbers, e.g. ${rule.example}; write the value without quotes`;
  }
  return null;
}

/** True when `field` takes a date or timestamp that the parser must convert. */
export function takesDate(ref: FieldRef): boolean {
  return RULES[ref.field].value === 'date';
}

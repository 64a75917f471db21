import { describe, expect, it } from 'vitest';
import { FilterSyntaxError } from '../../src/lib/registry/errors';
import type { FilterNode } from '../../src/lib/registry/search/ast';
import { MAX_NESTING, parseFilter } from '../../src/lib/registry/search/parse';

/** A compact, span-free rendering of a tree: `(tag[team] = "nlp" AND metric[f1] > 0.9)`. */
function render(node: FilterNode | null): string {
  if (node === null) return 'null';
  if (node.type !== 'comparison') {
    return `(${node.children.map(render).join(` ${node.type.toUpperCase()} `)})`;
  }
  const field = node.key === null ? node.field : `${node.field}[${node.key}]`;
  const value = 'values' in node ? node.values : node.value;
  return `${field} ${node.op} ${JSON.stringify(value)}`;
}

const DAY = 86_400_000;
const JAN_31 = Date.UTC(2026, 0, 31);

describe('parseFilter: valid queries', () => {
  const cases: [query: string, tree: string][] = [
    ["name = 'bert'", 'name = "bert"'],
    ["NAME like 'bert%'", 'name LIKE "bert%"'],
    ['name ILIKE "%Bert%"', 'name ILIKE "%Bert%"'],
    ['version >= 3', 'version >= 3'],
    ['version_number = 2', 'version = 2'],
    ['version == 2', 'version = 2'],
    ["alias = 'champion'", 'alias = "champion"'],
    ["tags.team = 'nlp'", 'tag[team] = "nlp"'],
    ["tags.team <> 'nlp'", 'tag[team] != "nlp"'],
    ["tags.`my key` = 'x y'", 'tag[my key] = "x y"'],
    ['tags."my key" != \'a\'', 'tag[my key] != "a"'],
    ["tags.a.b = 'c'", 'tag[a.b] = "c"'],
    ["tag.team = 'nlp'", 'tag[team] = "nlp"'],
    ['params.lr < 1e-3', 'param[lr] < 0.001'],
    ["param.lr = '0.01'", 'param[lr] = "0.01"'],
    ['params.optimizer IN (\'adam\', "sgd")', 'param[optimizer] IN ["adam","sgd"]'],
    ['metrics.acc NOT IN (0.5, -1)', 'metric[acc] NOT IN [0.5,-1]'],
    ['metrics.val-loss <= -0.25', 'metric[val-loss] <= -0.25'],
    ['metric.eval/f1 > .5', 'metric[eval/f1] > 0.5'],
    ['metrics.acc > 1E2', 'metric[acc] > 100'],
    ['metrics.acc>+0.9', 'metric[acc] > 0.9'],
    ["name = 'it''s'", 'name = "it\'s"'],
    ["name = 'it\\'s'", 'name = "it\'s"'],
    ['name = "say ""hi"""', 'name = "say \\"hi\\""'],
    ["name = 'back\\\\slash'", 'name = "back\\\\slash"'],
    ["name = 'a' AND version = 1 OR alias = 'x'", '((name = "a" AND version = 1) OR alias = "x")'],
    ["name = 'a' OR version = 1 AND alias = 'x'", '(name = "a" OR (version = 1 AND alias = "x"))'],
    [
      "(name = 'a' OR version = 1) AND alias = 'x'",
      '((name = "a" OR version = 1) AND alias = "x")',
    ],
    [
      "name = 'a' and (version = 1 or (version = 2 OR version = 3))",
      '(name = "a" AND (version = 1 OR version = 2 OR version = 3))',
    ],
    ["((name = 'a'))", 'name = "a"'],
    ["name = 'a' aNd version = 1 Or alias = 'x'", '((name = "a" AND version = 1) OR alias = "x")'],
    ['created > 1767225600000', 'created > 1767225600000'],
    ["created >= '2026-01-31'", `created >= ${JAN_31}`],
    ["created < '2026-01-31'", `created < ${JAN_31}`],
    ["created <= '2026-01-31'", `created < ${JAN_31 + DAY}`],
    ["created > '2026-01-31'", `created >= ${JAN_31 + DAY}`],
    ["created = '2026-01-31'", `(created >= ${JAN_31} AND created < ${JAN_31 + DAY})`],
    ["created != '2026-01-31'", `(created < ${JAN_31} OR created >= ${JAN_31 + DAY})`],
    ["created < '2026-01-31T12:30:00Z'", `created < ${JAN_31 + 12.5 * 3_600_000}`],
    ["created < '2026-01-31T12:30:00.5'", `created < ${JAN_31 + 12.5 * 3_600_000 + 500}`],
    ["created < '2026-01-31 12:30+02:00'", `created < ${JAN_31 + 10.5 * 3_600_000}`],
  ];

  it.each(cases)('%s', (query, tree) => {
    expect(render(parseFilter(query))).toBe(tree);
  });

  it('returns null for an empty or blank query, meaning every version', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('  \n\t ')).toBeNull();
  });

  it('records where each comparison and group came from', () => {
    const query = "name = 'a' AND metrics.f1 > 0.9";

    expect(parseFilter(query)).toEqual({
      type: 'and',
      span: { start: 0, end: 31 },
      children: [
        {
          type: 'comparison',
          field: 'name',
          key: null,
          op: '=',
          value: 'a',
          span: { start: 0, end: 10 },
        },
        {
          type: 'comparison',
          field: 'metric',
          key: 'f1',
          op: '>',
          value: 0.9,
          span: { start: 15, end: 31 },
        },
      ],
    });
  });

  it('spans an IN comparison up to its closing parenthesis', () => {
    const query = "  tags.team IN ('a', 'b') ";
    const node = parseFilter(query);

    expect(node?.span).toEqual({ start: 2, end: 25 });
  });
});

describe('parseFilter: invalid queries point at the problem', () => {
  const cases: [query: string, position: number, problem: string][] = [
    ['name = ', 7, 'but the query ended'],
    ['name =', 6, 'Expected a value'],
    ['name', 4, 'Expected an operator'],
    ["name 'bert'", 5, 'Expected an operator'],
    ["metrics.acc LIKE 'x'", 12, 'metrics.acc cannot be compared with LIKE'],
    ["name = 'a' AND", 14, 'The query ends too early'],
    ["name = 'a' AND AND version = 1", 15, 'Expected a field'],
    ["OR name = 'a'", 0, 'Expected a field'],
    ['()', 1, 'Expected a field'],
    ["(name = 'a'", 11, 'Missing ")" to close the "(" at character 1'],
    ["((name = 'a') OR version = 1", 28, 'Missing ")"'],
    ["(name = 'a' version = 1)", 12, 'Expected AND, OR or ")"'],
    ["name = 'a')", 10, 'no "(" is open'],
    ["name = 'a' version = 1", 11, 'expected AND, OR or the end of the query'],
    ['foo = 1', 0, 'Unknown field "foo"'],
    ["foo = 'never closed", 0, 'Unknown field "foo"'],
    ["tags = 'x'", 0, 'tags needs a key'],
    ["tags. = 'x'", 0, 'needs a key after the dot'],
    ["name = 'abc", 7, 'Unterminated string'],
    ["name = 'abc''", 7, 'Unterminated string'],
    ["alias < 'x'", 6, 'alias cannot be compared with <'],
    ["tags.team > 'a'", 10, 'cannot be compared with >'],
    ["version = '3'", 10, 'version compares with numbers'],
    ["metrics.acc > 'high'", 14, 'write the value without quotes'],
    ['name = 3', 7, 'put the value in quotes'],
    ['tags.team = nlp', 12, "put text values in quotes, e.g. 'nlp'"],
    ['params.optimizer LIKE 5', 22, 'LIKE takes a quoted pattern'],
    ['name IN ()', 9, 'IN needs at least one value'],
    ["name IN ('a',)", 13, 'Expected a value'],
    ["name IN ('a' 'b')", 13, 'Expected "," or ")" in the IN list'],
    ["name IN ('a'", 12, 'but the query ended'],
    ["name IN 'a'", 8, 'IN takes a list in parentheses'],
    ["name NOT LIKE 'a'", 9, 'NOT is only allowed before IN'],
    ["created = 'yesterday'", 10, 'created takes a day'],
    ["created = '2026-02-30'", 10, 'created takes a day'],
    ["created < '2026-01-31T25:00'", 10, 'created takes a day'],
    ["created LIKE '2026%'", 8, 'created cannot be compared with LIKE'],
    ['created IN (1, 2)', 8, 'created cannot be compared with IN'],
    ["name # 'a'", 5, 'Unexpected character "#"'],
    ['metrics.acc > 1e', 14, 'Malformed number'],
    ['metrics.acc > 0.9AND', 14, 'Malformed number'],
    ['metrics.acc > -', 14, 'Unexpected character "-"'],
  ];

  it.each(cases)('%s', (query, position, problem) => {
    const error = catchError(() => parseFilter(query));

    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect((error as FilterSyntaxError).position).toBe(position);
    expect((error as FilterSyntaxError).query).toBe(query);
    expect((error as FilterSyntaxError).code).toBe('invalid-filter');
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toContain(`at position ${position + 1}`);
  });

  it(`refuses nesting deeper than ${MAX_NESTING} parentheses instead of overflowing`, () => {
    const ok = `${'('.repeat(MAX_NESTING)}name = 'a'${')'.repeat(MAX_NESTING)}`;
    const deep = `${'('.repeat(MAX_NESTING + 1)}name = 'a'${')'.repeat(MAX_NESTING + 1)}`;

    expect(render(parseFilter(ok))).toBe('name = "a"');
    const error = catchError(() => parseFilter(deep)) as FilterSyntaxError;
    expect(error.position).toBe(MAX_NESTING);
    expect(error.message).toContain('Too many nested parentheses');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}

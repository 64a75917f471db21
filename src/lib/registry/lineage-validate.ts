/**
 * Checks on lineage input before any event is made: record names and fields, and which
 * relation may link which kinds of node. Each failure names the field.
 */
import { InvalidInputError } from './errors';
import type {
  AddLineageEdgeInput,
  RecordCodeInput,
  RecordDatasetInput,
  RecordRunInput,
} from './lineage-types';
import type { CodeFields, CodeRef, DatasetFields, RunFields } from './types';
import { checkRunHistories } from './run-metric-history';
import { checkKey, checkTags, checkText } from './validate';
import {
  isLineageRelation,
  LINEAGE_ENTITY_KINDS,
  LINEAGE_RELATIONS,
  RELATION_LABELS,
  type LineageEntityKind,
  type LineageRelation,
} from '../lineage/types';

const NAME_LIMIT = 200;
const NOTE_LIMIT = 5_000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MODEL: readonly LineageEntityKind[] = ['version'];

/**
 * Which kinds each relation links, parent side and child side. Model-to-model relations
 * join versions; data and runs feed versions; `derived-from` is the catch-all.
 */
export const RELATION_ENDS: Record<
  LineageRelation,
  { from: readonly LineageEntityKind[]; to: readonly LineageEntityKind[] }
> = {
  'fine-tuned-from': { from: MODEL, to: MODEL },
  'quantized-from': { from: MODEL, to: MODEL },
  'adapter-of': { from: MODEL, to: MODEL },
  'merged-from': { from: MODEL, to: MODEL },
  'distilled-from': { from: MODEL, to: MODEL },
  'trained-on': { from: ['dataset'], to: ['version', 'run'] },
  'evaluated-on': { from: ['dataset'], to: ['version', 'run'] },
  'produced-by': { from: ['run', 'code'], to: ['version', 'dataset', 'run'] },
  'derived-from': { from: LINEAGE_ENTITY_KINDS, to: LINEAGE_ENTITY_KINDS },
};

/** A record's name: required when new, kept from `current` when an update leaves it out. */
export function checkRecordName(raw: unknown, current: string | undefined, kind: string): string {
  if ((raw === undefined || raw === '') && current !== undefined) return current;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidInputError(
      `A ${kind} needs a name, e.g. "squad" or "nightly-finetune".`,
      'name',
    );
  }
  const name = raw.trim();
  if (name.length > NAME_LIMIT || CONTROL.test(name)) {
    throw new InvalidInputError(
      `${kind[0].toUpperCase()}${kind.slice(1)} names are at most ${NAME_LIMIT} characters, ` +
        `without control characters.`,
      'name',
    );
  }
  return name;
}

/** Copies the text fields that are set, checked; leaves the others out. */
function textFields<K extends string>(
  raw: Partial<Record<K, unknown>>,
  keys: readonly K[],
  field: string,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = raw[key];
    if (value !== undefined && value !== null && value !== '') {
      out[key] = checkText(value, key, field);
    }
  }
  return out;
}

function textMap(raw: Record<string, unknown> | undefined, what: string, field: string) {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    out[checkKey(key, what, field)] = checkText(value, `${what} "${key}"`, field);
  }
  return out;
}

/** Adds checked record tags to `fields` when the input names any (an empty map clears them). */
function withTags<T extends { tags?: Record<string, string> }>(fields: T, raw: unknown): T {
  if (raw === undefined) return fields;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError('Record tags are a map of names to text values.', 'tags');
  }
  fields.tags = checkTags(raw as Record<string, string>);
  return fields;
}

export function checkDatasetFields(input: RecordDatasetInput): DatasetFields {
  const fields: DatasetFields = textFields(input, ['version', 'sha256', 'uri'] as const, 'dataset');
  withTags(fields, input.tags);
  if (fields.sha256 !== undefined) {
    const sha256 = fields.sha256.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new InvalidInputError(
        'A dataset SHA-256 is 64 hexadecimal characters; copy it from `sha256sum`.',
        'sha256',
      );
    }
    fields.sha256 = sha256;
  }
  return fields;
}

function checkCodeRef(raw: CodeRef | undefined): CodeRef | undefined {
  if (!raw) return undefined;
  const ref = textFields(raw, ['repository', 'commit', 'path'] as const, 'codeRef');
  return Object.keys(ref).length ? ref : undefined;
}

export function checkRunFields(input: RecordRunInput): RunFields {
  const fields: RunFields = {};
  if (input.params) fields.params = textMap(input.params, 'parameter', 'params');
  if (input.metrics) {
    const metrics: Record<string, number> = {};
    for (const [key, value] of Object.entries(input.metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidInputError(`Metric "${key}" is not a finite number.`, 'metrics');
      }
      metrics[checkKey(key, 'metric', 'metrics')] = value;
    }
    fields.metrics = metrics;
  }
  if (input.metricHistory !== undefined) {
    fields.metricHistory = checkRunHistories(input.metricHistory);
    // A run given only its curves still shows (and is searched by) its latest values.
    fields.metrics ??= Object.fromEntries(
      Object.entries(fields.metricHistory).map(([key, points]) => [key, points.at(-1)!.value]),
    );
  }
  const codeRef = checkCodeRef(input.codeRef);
  if (codeRef) fields.codeRef = codeRef;
  if (input.environment) {
    fields.environment = textMap(input.environment, 'environment entry', 'environment');
  }
  return withTags(fields, input.tags);
}

export function checkCodeFields(input: RecordCodeInput): CodeFields {
  const fields: CodeFields = textFields(input, ['repository', 'commit', 'path'] as const, 'code');
  return withTags(fields, input.tags);
}

/** `<repository name>@<short commit>`, the default name of a code record. */
export function defaultCodeName(fields: CodeFields): string | undefined {
  const repository = fields.repository
    ?.replace(/\.git$/, '')
    .split(/[/:]/)
    .filter(Boolean)
    .pop();
  if (!repository && !fields.commit) return undefined;
  return fields.commit ? `${repository ?? 'code'}@${fields.commit.slice(0, 7)}` : repository;
}

/** The relation, note and weight of a new edge, checked (the ends are checked apart). */
export function checkEdgeInput(input: AddLineageEdgeInput) {
  if (!input || typeof input.from !== 'string' || typeof input.to !== 'string') {
    throw new InvalidInputError('A lineage link needs a parent (from) and a child (to).', 'from');
  }
  if (!isLineageRelation(input.relation)) {
    throw new InvalidInputError(
      `"${String(input.relation)}" is not a lineage relation; use one of ` +
        `${LINEAGE_RELATIONS.join(', ')}.`,
      'relation',
    );
  }
  const note = input.note === undefined || input.note === '' ? undefined : input.note;
  if (note !== undefined && (typeof note !== 'string' || note.length > NOTE_LIMIT)) {
    throw new InvalidInputError(
      `A link's note is text of at most ${NOTE_LIMIT} characters.`,
      'note',
    );
  }
  const weight = input.weight;
  if (weight !== undefined) {
    if (input.relation !== 'merged-from') {
      throw new InvalidInputError('Only a "merged from" link carries a weight.', 'weight');
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new InvalidInputError('A merge weight is a finite number, e.g. 0.5.', 'weight');
    }
  }
  return { from: input.from.trim(), to: input.to.trim(), relation: input.relation, note, weight };
}

const article = (kind: string) => (/^[aeiou]/.test(kind) ? 'an' : 'a');
const kindList = (kinds: readonly string[]) =>
  kinds.map((kind) => `${article(kind)} ${kind}`).join(' or ');

/** Throws unless `relation` may link a `fromKind` parent to a `toKind` child. */
export function checkRelationEnds(
  relation: LineageRelation,
  from: { kind: LineageEntityKind; label: string },
  to: { kind: LineageEntityKind; label: string },
): void {
  const ends = RELATION_ENDS[relation];
  if (ends.from.includes(from.kind) && ends.to.includes(to.kind)) return;
  throw new InvalidInputError(
    `A "${RELATION_LABELS[relation]}" link goes from ${kindList(ends.from)} to ` +
      `${kindList(ends.to)}, but ${from.kind} "${from.label}" -> ${to.kind} "${to.label}" ` +
      `does not fit. Choose another relation ("derived from" fits any pair) or other ends.`,
    'relation',
  );
}

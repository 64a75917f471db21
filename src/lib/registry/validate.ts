/** Checks on what users type, before any event is made. Each failure names the field. */
import { DescriptionTooLargeError, InvalidInputError } from './errors';
import { MAX_SUMMARY_CHARS } from './formats/summary';
import type { CodeRef, DatasetRef, FileRef, MetricPoint, RegisterVersionInput } from './types';

export const DESCRIPTION_LIMIT_BYTES = 1_000_000;
const NAME_LIMIT = 200;
const KEY_LIMIT = 250;
const VALUE_LIMIT = 5_000;
const ALIAS_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
// Control characters would make names unreadable and URIs ambiguous.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkModelName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidInputError('A model needs a name, e.g. "fraud-detector".', 'name');
  }
  const name = raw.trim();
  if (name.length > NAME_LIMIT) {
    throw new InvalidInputError(`Model names are at most ${NAME_LIMIT} characters.`, 'name');
  }
  if (CONTROL.test(name) || name.includes('@')) {
    throw new InvalidInputError(
      'Model names cannot contain "@" or control characters; "@" introduces an alias in URIs.',
      'name',
    );
  }
  return name;
}

export function checkDescription(raw: unknown, field = 'description'): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw new InvalidInputError('The description must be text.', field);
  const bytes = new TextEncoder().encode(raw).length;
  if (bytes > DESCRIPTION_LIMIT_BYTES)
    throw new DescriptionTooLargeError(bytes, DESCRIPTION_LIMIT_BYTES);
  return raw;
}

export function checkKey(raw: unknown, what: string, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidInputError(`Every ${what} needs a name.`, field);
  }
  const key = raw.trim();
  if (key.length > KEY_LIMIT || CONTROL.test(key)) {
    throw new InvalidInputError(
      `The ${what} name "${key.slice(0, 40)}" is too long or has control characters.`,
      field,
    );
  }
  return key;
}

export function checkText(raw: unknown, what: string, field: string): string {
  const value = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
  if (typeof value !== 'string') throw new InvalidInputError(`The ${what} must be text.`, field);
  if (value.length > VALUE_LIMIT) {
    throw new InvalidInputError(`The ${what} is longer than ${VALUE_LIMIT} characters.`, field);
  }
  return value;
}

export function checkTags(raw: Record<string, string> | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    tags[checkKey(key, 'tag', 'tags')] = checkText(value, `value of tag "${key}"`, 'tags');
  }
  return tags;
}

export function checkAliasName(raw: unknown): string {
  const alias = typeof raw === 'string' ? raw.trim().replace(/^@/, '') : '';
  if (!ALIAS_PATTERN.test(alias)) {
    throw new InvalidInputError(
      'Alias names use letters, digits, "_", "-" and "." (up to 64), e.g. "champion".',
      'alias',
    );
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw new InvalidInputError(
      `"${alias}" is reserved: it would be read as a version. Choose a name like "champion".`,
      'alias',
    );
  }
  return alias;
}

function checkMetric(key: string, raw: number | MetricPoint[], now: number): MetricPoint[] {
  const points = typeof raw === 'number' ? [{ value: raw, step: 0, timestamp: now }] : raw;
  if (!Array.isArray(points) || points.length === 0) {
    throw new InvalidInputError(`Metric "${key}" has no values.`, 'metrics');
  }
  return points.map((point, index) => {
    const value = Number(point?.value);
    const step = Number(point?.step ?? 0);
    const timestamp = Number(point?.timestamp ?? now);
    if (!Number.isFinite(value)) {
      throw new InvalidInputError(
        `Metric "${key}" value ${index + 1} is not a finite number.`,
        'metrics',
      );
    }
    if (!Number.isSafeInteger(step) || !Number.isFinite(timestamp)) {
      throw new InvalidInputError(
        `Metric "${key}" point ${index + 1} needs a whole-number step and a valid time.`,
        'metrics',
      );
    }
    return { value, step, timestamp };
  });
}

function checkFile(file: FileRef): FileRef {
  if (!file || typeof file.name !== 'string' || file.name === '') {
    throw new InvalidInputError('Every file needs a name.', 'files');
  }
  if (!Number.isSafeInteger(file.size) || file.size < 0) {
    throw new InvalidInputError(`File "${file.name}" has an invalid size.`, 'files');
  }
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) {
    throw new InvalidInputError(
      `File "${file.name}" has no valid SHA-256; hash it before registering.`,
      'files',
    );
  }
  const checked: FileRef = { name: file.name, size: file.size, sha256: file.sha256 };
  if (file.summary !== undefined) {
    if (!file.summary || typeof file.summary !== 'object') {
      throw new InvalidInputError(`File "${file.name}" has a malformed metadata summary.`, 'files');
    }
    if (JSON.stringify(file.summary).length > MAX_SUMMARY_CHARS * 2) {
      throw new InvalidInputError(
        `The metadata summary of "${file.name}" is too large; inspect the file again.`,
        'files',
      );
    }
    checked.summary = file.summary;
  }
  return checked;
}

function checkDatasets(raw: DatasetRef[] | undefined): DatasetRef[] {
  return (raw ?? []).map((dataset) => {
    const name = checkKey(dataset?.name, 'dataset', 'datasets');
    const out: DatasetRef = { name };
    for (const field of ['version', 'sha256', 'uri', 'role'] as const) {
      const value = dataset[field];
      if (value !== undefined && value !== '') out[field] = checkText(value, field, 'datasets');
    }
    return out;
  });
}

function checkCode(raw: CodeRef | null | undefined): CodeRef | null {
  if (!raw) return null;
  const out: CodeRef = {};
  for (const field of ['repository', 'commit', 'path'] as const) {
    const value = raw[field];
    if (value !== undefined && value !== '') out[field] = checkText(value, field, 'code');
  }
  return Object.keys(out).length ? out : null;
}

/** The cleaned content of a version, ready to go into a `version.registered` event. */
export function checkVersionInput(input: RegisterVersionInput, now: number) {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.params ?? {})) {
    params[checkKey(key, 'parameter', 'params')] = checkText(value, `parameter "${key}"`, 'params');
  }
  const metrics: Record<string, MetricPoint[]> = {};
  for (const [key, value] of Object.entries(input.metrics ?? {})) {
    metrics[checkKey(key, 'metric', 'metrics')] = checkMetric(key, value, now);
  }
  return {
    description: checkDescription(input.description),
    params,
    metrics,
    datasets: checkDatasets(input.datasets),
    code: checkCode(input.code),
    tags: checkTags(input.tags),
    files: (input.files ?? []).map(checkFile),
  };
}

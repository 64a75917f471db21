/**
 * Model URIs in MLflow's form: `models:/<name>/<version>`, `models:/<name>@<alias>` and
 * `models:/<name>/latest`. Model names may themselves contain `/` or `@` (`team/bert`), so
 * the URI splits at its last `/` or `@`.
 */
import { InvalidUriError } from '../errors';

export type ModelUri =
  | { kind: 'version'; model: string; version: number }
  | { kind: 'alias'; model: string; alias: string }
  /** The newest version that is not archived. */
  | { kind: 'latest'; model: string };

const SCHEME = /^models:\//i;

/**
 * True when `text` is meant as a model URI (it starts with `models:/`), even a malformed one,
 * so that search can report a bad URI instead of reading it as a filter.
 */
export function isModelUri(text: string): boolean {
  return SCHEME.test(text.trim());
}

/**
 * Parses a model URI; throws `InvalidUriError` when it is not one.
 *
 * @example parseModelUri('models:/team/bert@champion')
 *   // { kind: 'alias', model: 'team/bert', alias: 'champion' }
 */
export function parseModelUri(uri: string): ModelUri {
  const text = uri.trim();
  if (!SCHEME.test(text)) throw new InvalidUriError(uri);

  const path = text.slice('models:/'.length);
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('@'));
  const model = path.slice(0, cut);
  const selector = path.slice(cut + 1);
  // A leading slash (`models://x/1`) is a typo for a model name, not part of one.
  if (cut <= 0 || model.trim() === '' || model.startsWith('/') || selector === '') {
    throw new InvalidUriError(uri);
  }

  if (path[cut] === '@') return { kind: 'alias', model, alias: selector };
  if (selector.toLowerCase() === 'latest') return { kind: 'latest', model };

  const version = Number(selector);
  if (!/^\d+$/.test(selector) || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidUriError(uri);
  }
  return { kind: 'version', model, version };
}

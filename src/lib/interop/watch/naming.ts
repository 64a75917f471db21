/**
 * How files in a watched folder become versions of named models, by a rule the user sets:
 * - `folder`: the first folder below the watched one names the model (`bert/v2/model.onnx`
 *   -> `bert`); files lying directly in the watched folder take the folder's own name;
 * - `pattern`: a regular expression over the file's path; its first group (or the whole
 *   match) names the model, and files it does not match are left out;
 * - `fixed`: every file is a version of one model.
 * Files found in one scan that share a model and a folder are one version.
 */
import { InvalidInputError } from '../../registry/errors';
import { checkModelName } from '../../registry/validate';
import type { WatchedFolderRow } from '../../store/watched-folders';
import type { ScannedFile } from './directory';

export type NamingRule = WatchedFolderRow['rule'];

/** Checks a rule, throwing `InvalidInputError` with what to fix. */
export function checkRule(rule: NamingRule): NamingRule {
  if (rule.kind === 'folder') return { kind: 'folder' };
  if (rule.kind === 'fixed') return { kind: 'fixed', name: checkModelName(rule.name) };
  if (rule.kind === 'pattern') {
    try {
      new RegExp(rule.pattern);
    } catch (cause) {
      throw new InvalidInputError(
        `"${rule.pattern}" is not a regular expression (${(cause as Error).message}). ` +
          'Try ^([^/]+)/ to name models after their folder.',
        'pattern',
        { cause },
      );
    }
    return { kind: 'pattern', pattern: rule.pattern };
  }
  throw new InvalidInputError('Choose how files are named: folder, pattern or fixed.', 'rule');
}

/** The model a file belongs to under `rule`, or null when the rule leaves it out. */
export function modelNameFor(path: string, rule: NamingRule, folderName: string): string | null {
  const parts = path.split('/');
  if (rule.kind === 'fixed') return rule.name;
  if (rule.kind === 'folder') return parts.length > 1 ? parts[0] : folderName;
  const match = new RegExp(rule.pattern).exec(path);
  const name = match ? (match[1] ?? match[0]).trim() : '';
  return name || null;
}

/** Files that will become one version. */
export interface VersionGroup {
  model: string;
  /** The folder the files share, `''` for the watched folder itself. */
  folder: string;
  files: ScannedFile[];
}

/** Groups files by model and folder; files no rule names are returned apart. */
export function groupIntoVersions(
  files: readonly ScannedFile[],
  rule: NamingRule,
  folderName: string,
): { groups: VersionGroup[]; unnamed: string[] } {
  const groups = new Map<string, VersionGroup>();
  const unnamed: string[] = [];
  for (const scanned of files) {
    const model = modelNameFor(scanned.path, rule, folderName);
    if (!model) {
      unnamed.push(scanned.path);
      continue;
    }
    const folder = scanned.path.split('/').slice(0, -1).join('/');
    const key = JSON.stringify([model, folder]);
    const group = groups.get(key) ?? { model, folder, files: [] };
    group.files.push(scanned);
    groups.set(key, group);
  }
  return { groups: [...groups.values()], unnamed };
}

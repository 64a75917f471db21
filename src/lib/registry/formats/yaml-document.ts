/** YAML parsing for MLmodel files and model cards, with alias expansion bounded. */
import { parse as parseYaml } from 'yaml';
import { MalformedFileError } from './errors';

/** Parse YAML with aliases bounded, so an alias bomb cannot expand. */
export function parseYamlDocument(text: string, what: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'silent' });
  } catch (cause) {
    throw new MalformedFileError(what, 'its YAML does not parse', { cause });
  }
}

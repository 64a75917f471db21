/**
 * skops archives: a zip with `schema.json` describing the object tree by module and class,
 * and arrays stored as `.npy` files. Loading trusts the types listed, so they are reported
 * with the ones outside scikit-learn, NumPy, SciPy and Python's builtins.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { ImplausibleHeaderError, MalformedFileError } from './errors';
import { classifyGlobal } from './pickle-safety';
import { decodeText } from './source';
import type { SafetyReport, SkopsMetadata } from './types';
import { readEntry, type ZipArchive } from './zip';

const TRUSTED_PREFIXES = ['sklearn.', 'numpy.', 'scipy.', 'builtins.', 'collections.'];

/** Read a skops archive's schema. */
export async function readSkops(ctx: ReaderContext, archive: ZipArchive): Promise<ReaderOutcome> {
  ctx.source.format = 'skops';
  const entry = archive.entries.find((e) => e.name === 'schema.json');
  if (!entry) throw new MalformedFileError('skops', 'the archive has no schema.json');
  if (entry.size > ctx.budget.limits.maxHeaderBytes) {
    throw new ImplausibleHeaderError('skops', `schema.json is ${entry.size} bytes`);
  }
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(decodeText(await readEntry(archive, entry)));
  } catch (cause) {
    throw new MalformedFileError('skops', 'schema.json is not valid JSON', { cause });
  }

  const types = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    ctx.budget.checkDepth(depth, 'The skops schema');
    if (Array.isArray(node)) node.forEach((child) => walk(child, depth + 1));
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const record = node as Record<string, unknown>;
    if (typeof record.__module__ === 'string' && typeof record.__class__ === 'string') {
      types.add(`${record.__module__}.${record.__class__}`);
    }
    for (const value of Object.values(record)) walk(value, depth + 1);
  };
  walk(schema, 0);

  const sorted = [...types].sort();
  const untrustedTypes = sorted.filter((t) => !TRUSTED_PREFIXES.some((p) => t.startsWith(p)));
  const metadata: SkopsMetadata = {
    format: 'skops',
    protocol: typeof schema.protocol === 'number' ? schema.protocol : null,
    skopsVersion: typeof schema._skops_version === 'string' ? schema._skops_version : null,
    rootClass:
      typeof schema.__class__ === 'string' ? `${schema.__module__}.${schema.__class__}` : null,
    types: sorted,
    untrustedTypes,
    sklearnVersion: findSklearnVersion(schema),
  };
  return { metadata, safety: skopsSafety(sorted, untrustedTypes) };
}

function findSklearnVersion(schema: Record<string, unknown>): string | null {
  const text = JSON.stringify(schema);
  const match = /"_sklearn_version"[^}]*?"content"\s*:\s*"([^"]+)"/.exec(text);
  return match ? match[1] : null;
}

function skopsSafety(types: string[], untrusted: string[]): SafetyReport {
  const dangerous = types.filter((t) => classifyGlobal(t) === 'dangerous');
  const imports = types.map((name) => ({
    name,
    risk: classifyGlobal(name),
    count: 1,
    firstOffset: 0,
  }));
  const verdict = dangerous.length > 0 ? 'dangerous' : untrusted.length > 0 ? 'suspicious' : 'safe';
  const summary =
    verdict === 'dangerous'
      ? `The schema asks for ${dangerous.slice(0, 5).join(', ')}, which can run code. ` +
        'Do not load it.'
      : verdict === 'suspicious'
        ? `Loading needs trust in ${untrusted.length} types outside scikit-learn and NumPy: ` +
          `${untrusted.slice(0, 5).join(', ')}.`
        : 'Every type in the schema belongs to scikit-learn, NumPy, SciPy or Python builtins.';
  return {
    verdict,
    summary,
    findings: [],
    imports,
    calls: [],
    protocol: null,
    opcodeCount: 0,
    complete: true,
  };
}

/**
 * Keras 3 `.keras` archives: `metadata.json` (Keras version, save date), `config.json` (the
 * model) and `model.weights.h5`, whose dataset shapes give the parameter count. The weights
 * file is read in place when stored uncompressed, as Keras writes it.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { ImplausibleHeaderError, MalformedFileError } from './errors';
import { countDatasets, openHdf5 } from './hdf5-reader';
import { kerasSafety, summarizeKerasConfig } from './keras-config';
import { decodeText } from './source';
import type { KerasMetadata } from './types';
import { openEntry, readEntry, type ZipArchive } from './zip';

type Json = Record<string, unknown>;

async function readJsonEntry(archive: ZipArchive, name: string, ctx: ReaderContext) {
  const entry = archive.entries.find((e) => e.name === name);
  if (!entry) return null;
  if (entry.size > ctx.budget.limits.maxHeaderBytes) {
    throw new ImplausibleHeaderError('Keras', `${name} is ${entry.size} bytes`);
  }
  try {
    return JSON.parse(decodeText(await readEntry(archive, entry))) as Json;
  } catch (cause) {
    if (cause instanceof SyntaxError) {
      throw new MalformedFileError('Keras', `${name} is not valid JSON`, { cause });
    }
    throw cause;
  }
}

/** Read a Keras 3 archive. */
export async function readKerasZip(
  ctx: ReaderContext,
  archive: ZipArchive,
): Promise<ReaderOutcome> {
  ctx.source.format = 'Keras';
  const info = await readJsonEntry(archive, 'metadata.json', ctx);
  const config = await readJsonEntry(archive, 'config.json', ctx);
  if (!config) throw new MalformedFileError('Keras', 'the archive has no config.json');
  const summary = summarizeKerasConfig(config, ctx.budget.limits.maxListed);
  const safety = kerasSafety(summary);
  ctx.setSafety(safety);

  let parameterCount: number | null = null;
  let weightValueCount: number | null = null;
  const weights = archive.entries.find((e) => e.name === 'model.weights.h5');
  if (weights) {
    const source = await openEntry(archive, weights);
    source.format = 'HDF5';
    const counts = await countDatasets(await openHdf5(source), ctx);
    parameterCount = counts.byGroup.get('layers') ?? 0;
    weightValueCount = counts.total;
  } else {
    ctx.warn('The archive has no model.weights.h5, so the parameter count is unknown.');
  }

  const layerList = ((config.config as Json | undefined)?.layers ?? []) as unknown[];
  const metadata: KerasMetadata = {
    format: 'keras-v3',
    kerasVersion: typeof info?.keras_version === 'string' ? info.keras_version : null,
    backend: typeof info?.backend === 'string' ? info.backend : null,
    dateSaved: typeof info?.date_saved === 'string' ? info.date_saved : null,
    modelClass: summary.modelClass,
    layers: summary.layers,
    layersTruncated: summary.layers.length < layerList.length,
    parameterCount,
    weightValueCount,
    hasCompileConfig: config.compile_config !== undefined && config.compile_config !== null,
    archiveEntries: archive.entries.map((e) => e.name).slice(0, ctx.budget.limits.maxListed),
    lambdaLayers: summary.lambdaLayers,
    customObjects: [...new Set(summary.customObjects)],
  };
  return { metadata, safety };
}

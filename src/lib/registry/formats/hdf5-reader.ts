/**
 * HDF5 files as models: Keras legacy `.h5` (attributes `keras_version`, `backend`,
 * `model_config`; weights under `model_weights`), Keras 3 weight files (`layers/`, `vars/`),
 * and any other HDF5 file summarised by its groups and datasets.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { ImplausibleHeaderError, LimitExceededError, MalformedFileError } from './errors';
import { guardStructure, Hdf5File, type Hdf5Object } from './hdf5';
import type { Hdf5Attribute } from './hdf5-messages';
import { kerasSafety, summarizeKerasConfig } from './keras-config';
import { addCounts, checkedProduct } from './numbers';
import type { ByteSource } from './source';
import { decodeText } from './source';
import type { Hdf5Metadata, KerasMetadata } from './types';

export { looksLikeHdf5 } from './hdf5';

const MAX_OBJECTS = 200_000;

export interface DatasetCounts {
  /** Values under each top-level group, by group name. */
  byGroup: Map<string, number>;
  total: number;
  datasets: number;
}

/** Walk every group and add up dataset sizes, bounded in depth and objects. */
export async function countDatasets(file: Hdf5File, ctx: ReaderContext): Promise<DatasetCounts> {
  return guardStructure(() => walkDatasets(file, ctx));
}

async function walkDatasets(file: Hdf5File, ctx: ReaderContext): Promise<DatasetCounts> {
  const counts: DatasetCounts = { byGroup: new Map(), total: 0, datasets: 0 };
  const seen = new Set<number>();
  const visit = async (address: number, top: string, depth: number): Promise<void> => {
    if (seen.has(address)) return;
    seen.add(address);
    if (seen.size > MAX_OBJECTS) {
      throw new LimitExceededError(`${MAX_OBJECTS} objects`, 'the HDF5 file holds more objects');
    }
    ctx.budget.checkDepth(depth, 'An HDF5 group');
    const object = await file.object(address);
    if (object.kind === 'dataset' && object.shape) {
      const values = checkedProduct(object.shape.map(BigInt));
      if (values === null) {
        throw new ImplausibleHeaderError('HDF5', `gives a dataset the shape ${object.shape}`);
      }
      counts.total = addCounts(counts.total, values);
      counts.datasets += 1;
      counts.byGroup.set(top, addCounts(counts.byGroup.get(top) ?? 0, values));
    }
    if (object.kind !== 'group') return;
    for (const [name, child] of await file.members(object)) {
      await visit(child, depth === 0 ? name : top, depth + 1);
    }
  };
  await visit(file.rootAddress, '', 0);
  return counts;
}

/** An attribute's value as text: fixed-length or variable-length strings, first element. */
export async function attributeText(file: Hdf5File, attribute: Hdf5Attribute | undefined) {
  if (!attribute) return null;
  const { type, data } = attribute;
  if (type.typeClass === 3) {
    return decodeText(data.subarray(0, type.size)).replace(/[\0 ]+$/, '');
  }
  if (type.variableString && data.length >= 8 + file.offsetSize) {
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    const collection = file.address(view, 4);
    return file.globalHeapString(collection, view.getUint32(4 + file.offsetSize, true));
  }
  return null;
}

/** Open an HDF5 file (standalone or inside a .keras archive). */
export async function openHdf5(source: ByteSource): Promise<Hdf5File> {
  return guardStructure(() => Hdf5File.open(source));
}

/** Read an HDF5 file found by its signature. */
export async function readHdf5File(ctx: ReaderContext): Promise<ReaderOutcome> {
  return guardStructure(() => readHdf5(ctx));
}

async function readHdf5(ctx: ReaderContext): Promise<ReaderOutcome> {
  ctx.source.format = 'HDF5';
  const file = await openHdf5(ctx.source);
  const root = await file.object(file.rootAddress);
  const members = await file.members(root);
  const attributes = root.attributes;
  const isLegacyKeras = attributes.has('keras_version') || attributes.has('model_config');
  const isKeras3Weights =
    members.has('layers') && (members.has('vars') || members.has('optimizer'));
  const counts = await countDatasets(file, ctx);

  if (!isLegacyKeras && !isKeras3Weights) {
    const metadata: Hdf5Metadata = {
      format: 'hdf5',
      superblockVersion: file.superblockVersion,
      rootAttributes: [...attributes.keys()],
      datasetCount: counts.datasets,
      valueCount: counts.total,
      groups: [...members.keys()].slice(0, ctx.budget.limits.maxListed),
    };
    ctx.warn('This HDF5 file has no Keras markers; only its structure is shown.');
    return { metadata };
  }
  return readKerasHdf5(file, root, counts, ctx);
}

async function readKerasHdf5(
  file: Hdf5File,
  root: Hdf5Object,
  counts: DatasetCounts,
  ctx: ReaderContext,
): Promise<ReaderOutcome> {
  ctx.source.format = 'Keras HDF5';
  const configText = await attributeText(file, root.attributes.get('model_config'));
  let config: Record<string, unknown> | null = null;
  if (configText) {
    try {
      config = JSON.parse(configText);
    } catch (cause) {
      throw new MalformedFileError('Keras HDF5', 'its model_config is not valid JSON', { cause });
    }
  }
  const summary = summarizeKerasConfig(config ?? {}, ctx.budget.limits.maxListed);
  const weightGroup = counts.byGroup.has('model_weights') ? 'model_weights' : 'layers';
  const metadata: KerasMetadata = {
    format: 'keras-h5',
    kerasVersion: await attributeText(file, root.attributes.get('keras_version')),
    backend: await attributeText(file, root.attributes.get('backend')),
    dateSaved: null,
    modelClass: summary.modelClass,
    layers: summary.layers,
    layersTruncated: summary.layers.length < countLayers(config),
    parameterCount: counts.byGroup.get(weightGroup) ?? (config ? 0 : counts.total),
    weightValueCount: counts.total,
    hasCompileConfig: root.attributes.has('training_config'),
    archiveEntries: [],
    lambdaLayers: summary.lambdaLayers,
    customObjects: [...new Set(summary.customObjects)],
  };
  return { metadata, safety: config ? kerasSafety(summary) : undefined };
}

function countLayers(config: Record<string, unknown> | null): number {
  const layers = (config?.config as { layers?: unknown } | undefined)?.layers;
  return Array.isArray(layers) ? layers.length : 0;
}

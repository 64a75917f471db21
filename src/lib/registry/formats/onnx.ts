/**
 * ONNX (a protobuf `ModelProto`): versions, opsets, producer, graph inputs and outputs with
 * symbolic dimensions, operators, initializers and their parameter count, metadata, and the
 * external-data paths, listed and judged but never followed. Tensor bodies are skipped.
 */
import { unsafePathReason, type ReaderContext, type ReaderOutcome } from './context';
import { ImplausibleHeaderError } from './errors';
import { addCounts, checkedProduct, describeCount } from './numbers';
import { LENGTH_DELIMITED, ProtoReader, VARINT } from './protobuf';
import { WindowReader } from './source';
import type { Dim, OnnxMetadata, SafetyReport, SignatureEntry } from './types';

const FORMAT = 'ONNX';

export const ONNX_ELEM_TYPES = [
  'UNDEFINED',
  'FLOAT',
  'UINT8',
  'INT8',
  'UINT16',
  'INT16',
  'INT32',
  'INT64',
  'STRING',
  'BOOL',
  'FLOAT16',
  'DOUBLE',
  'UINT32',
  'UINT64',
  'COMPLEX64',
  'COMPLEX128',
  'BFLOAT16',
  'FLOAT8E4M3FN',
  'FLOAT8E4M3FNUZ',
  'FLOAT8E5M2',
  'FLOAT8E5M2FNUZ',
  'UINT4',
  'INT4',
  'FLOAT4E2M1',
];

const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2 };

function elemType(id: number): string {
  return ONNX_ELEM_TYPES[id] ?? `TYPE_${id}`;
}

/** True when the first bytes parse as the start of a ModelProto (ir_version first). */
export function looksLikeOnnx(head: Uint8Array): boolean {
  if (head[0] !== 0x08) return false;
  let at = 1;
  let version = 0;
  for (let shift = 0; at < head.length && shift < 63; shift += 7) {
    const byte = head[at++];
    version += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  if (version < 1 || version > 64) return false;
  if (at >= head.length) return true;
  const tag = head[at];
  if (tag === 0x72 || tag === 0xa2 || tag === 0xca) return true;
  return MODEL_FIELDS[tag >> 3] === (tag & 7);
}

interface GraphSummary {
  name: string;
  nodeCount: number;
  opTypes: Set<string>;
  inputs: SignatureEntry[];
  outputs: SignatureEntry[];
  initializerCount: number;
  initializerNames: Set<string>;
}

/** Read an ONNX model's structure. */
export async function readOnnx(ctx: ReaderContext): Promise<ReaderOutcome> {
  ctx.source.format = FORMAT;
  const proto = new ProtoReader(new WindowReader(ctx.source), ctx.budget, FORMAT);
  const meta: OnnxMetadata = {
    format: 'onnx',
    irVersion: 0,
    opsetImports: {},
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graphName: '',
    inputs: [],
    outputs: [],
    nodeCount: 0,
    opTypes: [],
    nestedNodeCount: 0,
    functionCount: 0,
    initializerCount: 0,
    parameterCount: 0,
    paramsByDtype: {},
    metadataProps: {},
    externalData: [],
  };
  const end = ctx.source.size;
  let sawGraph = false;

  await proto.fields(end, 0, async (field, wire, stop) => {
    if (field === 1 && wire === VARINT) meta.irVersion = await proto.int(stop);
    else if (field === 2 && wire === LENGTH_DELIMITED) meta.producerName = await proto.string(stop);
    else if (field === 3 && wire === LENGTH_DELIMITED)
      meta.producerVersion = await proto.string(stop);
    else if (field === 4 && wire === LENGTH_DELIMITED) meta.domain = await proto.string(stop);
    else if (field === 5 && wire === VARINT) meta.modelVersion = await proto.int(stop);
    else if (field === 6 && wire === LENGTH_DELIMITED) meta.docString = await proto.string(stop);
    else if (field === 8 && wire === LENGTH_DELIMITED)
      await readOpset(proto, stop, meta.opsetImports);
    else if (field === 14 && wire === LENGTH_DELIMITED)
      await readProp(proto, stop, meta.metadataProps);
    else if (field === 25 && wire === LENGTH_DELIMITED) {
      meta.functionCount += 1;
      await readFunction(proto, stop, 1, meta);
    } else if (field === 7 && wire === LENGTH_DELIMITED) {
      sawGraph = true;
      const graph = await readGraph(proto, stop, 1, meta, ctx);
      meta.graphName = graph.name;
      meta.nodeCount = graph.nodeCount;
      meta.opTypes = [...graph.opTypes].sort();
      meta.inputs = graph.inputs;
      meta.outputs = graph.outputs;
      meta.initializerCount = graph.initializerCount;
    }
  });
  if (!sawGraph && meta.irVersion === 0) {
    throw new ImplausibleHeaderError(FORMAT, 'holds neither an IR version nor a graph');
  }
  return { metadata: meta, safety: externalDataSafety(meta) };
}

async function readOpset(proto: ProtoReader, end: number, into: Record<string, number>) {
  let domain = '';
  let version = 0;
  await proto.message(end, 1, async (field, wire, stop) => {
    if (field === 1 && wire === LENGTH_DELIMITED) domain = await proto.string(stop);
    else if (field === 2 && wire === VARINT) version = await proto.int(stop);
  });
  into[domain === '' ? 'ai.onnx' : domain] = version;
}

async function readProp(proto: ProtoReader, end: number, into: Record<string, string>) {
  let key = '';
  let value = '';
  await proto.message(end, 2, async (field, wire, stop) => {
    if (field === 1 && wire === LENGTH_DELIMITED) key = await proto.string(stop);
    else if (field === 2 && wire === LENGTH_DELIMITED) value = await proto.string(stop);
  });
  into[key] = value;
  return { key, value };
}

async function readGraph(
  proto: ProtoReader,
  end: number,
  depth: number,
  meta: OnnxMetadata,
  ctx: ReaderContext,
): Promise<GraphSummary> {
  const graph: GraphSummary = {
    name: '',
    nodeCount: 0,
    opTypes: new Set(),
    inputs: [],
    outputs: [],
    initializerCount: 0,
    initializerNames: new Set(),
  };
  const max = ctx.budget.limits.maxListed;
  await proto.message(end, depth, async (field, wire, stop) => {
    if (wire !== LENGTH_DELIMITED) return;
    if (field === 2) graph.name = await proto.string(stop);
    else if (field === 1) {
      graph.nodeCount += 1;
      graph.opTypes.add(await readNode(proto, stop, depth + 1, meta, ctx));
    } else if (field === 5) {
      graph.initializerCount += 1;
      graph.initializerNames.add(await readTensor(proto, stop, depth + 1, meta, depth === 1));
    } else if (field === 11 && graph.inputs.length < max) {
      graph.inputs.push(await readValueInfo(proto, stop, depth + 1));
    } else if (field === 12 && graph.outputs.length < max) {
      graph.outputs.push(await readValueInfo(proto, stop, depth + 1));
    }
  });
  if (depth > 1) meta.nestedNodeCount += graph.nodeCount;
  // Before IR version 4 every initializer was also listed as a graph input; those are weights.
  graph.inputs = graph.inputs.filter((input) => !graph.initializerNames.has(input.name));
  return graph;
}

async function readNode(
  proto: ProtoReader,
  end: number,
  depth: number,
  meta: OnnxMetadata,
  ctx: ReaderContext,
): Promise<string> {
  let opType = '';
  await proto.message(end, depth, async (field, wire, stop) => {
    if (field === 4 && wire === LENGTH_DELIMITED) opType = await proto.string(stop);
    else if (field === 5 && wire === LENGTH_DELIMITED) {
      await proto.message(stop, depth + 1, async (f, w, s) => {
        if (w !== LENGTH_DELIMITED) return;
        if (f === 6 || f === 11) await readGraph(proto, s, depth + 2, meta, ctx);
        else if (f === 5 || f === 10) await readTensor(proto, s, depth + 2, meta, false);
      });
    }
  });
  return opType;
}

async function readFunction(proto: ProtoReader, end: number, depth: number, meta: OnnxMetadata) {
  await proto.message(end, depth, async (field, wire, stop) => {
    if (field === 7 && wire === LENGTH_DELIMITED) {
      meta.nestedNodeCount += 1;
      await proto.skip(wire, stop);
    }
  });
}

async function readTensor(
  proto: ProtoReader,
  end: number,
  depth: number,
  meta: OnnxMetadata,
  countAsParameter: boolean,
): Promise<string> {
  const dims: bigint[] = [];
  let dataType = 0;
  let name = '';
  const external: Record<string, string> = {};
  await proto.message(end, depth, async (field, wire, stop) => {
    if (field === 1) await proto.int64s(wire, stop, dims);
    else if (field === 2 && wire === VARINT) dataType = await proto.int(stop);
    else if (field === 8 && wire === LENGTH_DELIMITED) name = await proto.string(stop);
    else if (field === 13 && wire === LENGTH_DELIMITED) await readProp(proto, stop, external);
  });

  const elements = checkedProduct(dims);
  if (elements === null) {
    throw new ImplausibleHeaderError(
      FORMAT,
      `gives tensor "${name}" dimensions [${dims.map((d) => describeCount(d)).join(', ')}]`,
    );
  }
  if (countAsParameter) {
    meta.parameterCount = addCounts(meta.parameterCount, elements);
    const type = elemType(dataType);
    meta.paramsByDtype[type] = addCounts(meta.paramsByDtype[type] ?? 0, elements);
  }
  if (external.location !== undefined) {
    const toNumber = (text: string | undefined) =>
      text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
    meta.externalData.push({
      tensor: name,
      location: external.location,
      offset: toNumber(external.offset),
      length: toNumber(external.length),
      unsafeReason: unsafePathReason(external.location),
    });
  }
  return name;
}

async function readValueInfo(proto: ProtoReader, end: number, depth: number) {
  const entry: SignatureEntry = { name: '', dtype: null, shape: null };
  await proto.message(end, depth, async (field, wire, stop) => {
    if (field === 1 && wire === LENGTH_DELIMITED) entry.name = await proto.string(stop);
    else if (field === 2 && wire === LENGTH_DELIMITED) {
      await proto.message(stop, depth + 1, async (f, w, s) => {
        if (f === 1 && w === LENGTH_DELIMITED) await readTensorType(proto, s, depth + 2, entry);
        else if (w === LENGTH_DELIMITED && entry.dtype === null) {
          entry.dtype =
            ['', '', '', '', 'SEQUENCE', 'MAP', '', '', 'SPARSE', 'OPTIONAL'][f] || null;
          await proto.skip(w, s);
        }
      });
    }
  });
  return entry;
}

async function readTensorType(
  proto: ProtoReader,
  end: number,
  depth: number,
  entry: SignatureEntry,
) {
  await proto.message(end, depth, async (field, wire, stop) => {
    if (field === 1 && wire === VARINT) entry.dtype = elemType(await proto.int(stop));
    else if (field === 2 && wire === LENGTH_DELIMITED) {
      const shape: Dim[] = [];
      await proto.message(stop, depth + 1, async (f, w, s) => {
        if (f !== 1 || w !== LENGTH_DELIMITED) return;
        let dim: Dim = null;
        await proto.message(s, depth + 2, async (df, dw, ds) => {
          if (df === 1 && dw === VARINT) dim = await proto.int(ds);
          else if (df === 2 && dw === LENGTH_DELIMITED) dim = await proto.string(ds);
        });
        shape.push(dim);
      });
      entry.shape = shape;
    }
  });
}

function externalDataSafety(meta: OnnxMetadata): SafetyReport | undefined {
  if (meta.externalData.length === 0) return undefined;
  const unsafe = meta.externalData.filter((e) => e.unsafeReason !== null);
  const findings = unsafe.map((e) => ({
    severity: 'danger' as const,
    message: `Tensor "${e.tensor}" points its data at "${e.location}": ${e.unsafeReason}.`,
  }));
  return {
    verdict: unsafe.length > 0 ? 'dangerous' : 'safe',
    summary:
      unsafe.length > 0
        ? `${unsafe.length} external-data paths leave the model's folder; a runtime that ` +
          'follows them could read any file. Do not load it.'
        : `The weights live in ${meta.externalData.length} external references inside the ` +
          "model's folder.",
    findings,
    imports: [],
    calls: [],
    protocol: null,
    opcodeCount: 0,
    complete: true,
  };
}

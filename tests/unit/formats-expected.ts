/**
 * Compares a reader's result with an entry of EXPECTED_METADATA.json (what an independent
 * reader found), field by field, for every field both report.
 */
import { expect } from 'vitest';
import type {
  FileInspection,
  GgufMetadata,
  KerasMetadata,
  OnnxMetadata,
  PickleMetadata,
  SafetensorsMetadata,
  TfjsMetadata,
} from '$lib/registry/formats/types';

type Expected = Record<string, unknown>;

/** Heuristic artefacts in the expected pickle class lists (see the data README). */
const PICKLE_ARTEFACTS = new Set(['ndarray.dtype', 'subclass.ndarray']);

export function expectMatchesExpected(result: FileInspection, expected: Expected): void {
  expect(result.error).toBeNull();
  const format = expected.format as string;
  if (format === 'onnx') return expectOnnx(result.metadata as OnnxMetadata, expected);
  if (format === 'safetensors') {
    return expectSafetensors(result.metadata as SafetensorsMetadata, expected);
  }
  if (format === 'gguf') return expectGguf(result.metadata as GgufMetadata, expected);
  if (format.startsWith('tfjs')) return expectTfjs(result.metadata as TfjsMetadata, expected);
  if (format === 'keras-v3-zip') return expectKeras(result.metadata as KerasMetadata, expected);
  if (format === 'joblib/pickle') {
    const meta = result.metadata as PickleMetadata;
    expect(meta.protocol).toBe(expected.pickle_protocol);
    const wanted = (expected.pickle_globals_sample as string[]).filter(
      (name) => !PICKLE_ARTEFACTS.has(name),
    );
    expect(meta.globals).toEqual(expect.arrayContaining(wanted));
    expect(result.safety?.verdict).not.toBe('safe');
    return;
  }
  throw new Error(`no comparison written for expected format ${format}`);
}

function expectOnnx(meta: OnnxMetadata, e: Expected): void {
  expect(meta.irVersion).toBe(e.ir_version);
  expect(meta.opsetImports).toEqual(e.opset_import);
  expect(meta.producerName).toBe(e.producer_name);
  expect(meta.producerVersion).toBe(e.producer_version);
  expect(meta.domain).toBe(e.domain);
  expect(meta.modelVersion).toBe(e.model_version);
  expect(meta.graphName).toBe(e.graph_name);
  expect(meta.docString).toBe(e.doc_string);
  expect(meta.metadataProps).toEqual(e.metadata_props);
  const signature = (entries: Expected[]) =>
    entries.map((x) => ({ name: x.name, dtype: x.elem_type, shape: x.shape }));
  expect(meta.inputs).toEqual(signature(e.inputs as Expected[]));
  expect(meta.outputs).toEqual(signature(e.outputs as Expected[]));
  expect(meta.initializerCount).toBe(e.initializer_count);
  expect(meta.parameterCount).toBe(e.parameter_count);
  expect(meta.nodeCount).toBe(e.node_count);
  expect(meta.opTypes).toEqual(e.op_types);
  expect(meta.functionCount).toBe(e.has_subgraph_functions);
}

function expectSafetensors(meta: SafetensorsMetadata, e: Expected): void {
  expect(meta.headerSize).toBe(e.header_size);
  expect(meta.metadata).toEqual(e.__metadata__);
  expect(meta.tensorCount).toBe(e.tensor_count);
  expect(meta.parameterCount).toBe(e.parameter_count);
  expect(meta.paramsByDtype).toEqual(e.params_by_dtype);
  for (const [name, tensor] of Object.entries(e.tensors as Record<string, Expected>)) {
    expect(meta.tensors).toContainEqual({ name, dtype: tensor.dtype, shape: tensor.shape });
  }
}

function expectGguf(meta: GgufMetadata, e: Expected): void {
  expect(meta.version).toBe(e.version);
  expect(meta.tensorCount).toBe(e.tensor_count);
  expect(meta.kvCount).toBe(e.kv_count);
  expect(meta.tensors).toEqual(e.tensors);
  for (const [key, entry] of Object.entries(e.kv as Record<string, Expected>)) {
    const mine = meta.kv[key];
    expect(mine?.type, key).toBe(entry.type);
    if (typeof entry.value === 'number') expect(mine.value).toBeCloseTo(entry.value, 12);
    else expect(mine.value, key).toEqual(entry.value);
  }
  const architecture = (e.kv as Record<string, Expected>)['general.architecture'].value;
  expect(meta.architecture).toBe(architecture);
}

function expectTfjs(meta: TfjsMetadata, e: Expected): void {
  expect(meta.weightFiles.map((f) => f.path)).toEqual(e.weight_files);
  expect(meta.weightCount).toBe(e.weight_count);
  expect(meta.weightDtypes).toEqual(e.weight_dtypes);
  expect(meta.quantized).toBe(e.quantized);
  expect(meta.parameterCount).toBe(e.parameter_count);
  if (e.format === 'tfjs-model.json') {
    expect(meta.modelFormat).toBe(e.format_field);
    expect(meta.generatedBy).toBe(e.generatedBy);
    expect(meta.convertedBy).toBe(e.convertedBy);
    expect(meta.signature).toBe(e.signature_inputs);
    expect(meta.graphNodeCount).toBe(e.graph_node_count);
    expect(meta.kerasClass).toBe(e.keras_class);
  } else {
    expect(meta.format).toBe('tfjs-weights-manifest');
  }
}

function expectKeras(meta: KerasMetadata, e: Expected): void {
  const info = e.metadata_json as Expected;
  expect(meta.kerasVersion).toBe(info.keras_version);
  expect(meta.dateSaved).toBe(info.date_saved);
  expect(meta.modelClass).toBe(e.model_class);
  expect(meta.layers.map((l) => l.className)).toEqual(e.layers);
  expect(String(meta.weightValueCount)).toBe(e.weight_value_count);
  expect(meta.hasCompileConfig).toBe(e.compile_config);
  expect(meta.archiveEntries).toEqual(e.zip_members);
}

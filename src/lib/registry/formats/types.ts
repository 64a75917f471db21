/**
 * The public shape of model-file inspection: what each format's reader reports, the pickle
 * safety report, and the per-file result. Every value here is plain JSON (no BigInt, no
 * class instances), so results cross a worker boundary and can be stored on a version.
 */
import type { InspectionErrorInfo } from './errors';
import type { InspectLimits } from './limits';

export type ModelFormat =
  | 'onnx'
  | 'safetensors'
  | 'safetensors-index'
  | 'gguf'
  | 'tfjs-model'
  | 'tfjs-weights-manifest'
  | 'keras-v3'
  | 'keras-h5'
  | 'hdf5'
  | 'pytorch-zip'
  | 'pytorch-legacy'
  | 'pickle'
  | 'skops'
  | 'mlflow-mlmodel'
  | 'model-card';

/** A dimension: a size, a symbolic name (ONNX `batch`), or null when unknown. */
export type Dim = number | string | null;

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: Dim[];
}

/** An input or output of a model graph. `shape` is null when the file states none. */
export interface SignatureEntry {
  name: string;
  dtype: string | null;
  shape: Dim[] | null;
}

export type SafetyVerdict = 'safe' | 'suspicious' | 'dangerous' | 'unknown';

export type ImportRisk = 'allowed' | 'library' | 'unlisted' | 'dangerous';

/** A global a pickle imports, with how often and where it appears first. */
export interface PickleImport {
  name: string;
  risk: ImportRisk;
  count: number;
  firstOffset: number;
}

/** A call a pickle would make when loaded (REDUCE, NEWOBJ, INST, OBJ, BUILD). */
export interface PickleCall {
  callable: string;
  opcode: string;
  count: number;
  firstOffset: number;
}

export interface SafetyFinding {
  severity: 'info' | 'warning' | 'danger';
  message: string;
}

/** What loading the file would do, found without loading it. */
export interface SafetyReport {
  verdict: SafetyVerdict;
  /** One sentence for the user. */
  summary: string;
  findings: SafetyFinding[];
  imports: PickleImport[];
  calls: PickleCall[];
  /** Pickle protocol of the first stream, when the file holds pickles. */
  protocol: number | null;
  opcodeCount: number;
  /** False when the bytes could not be read to the end; the verdict is then never "safe". */
  complete: boolean;
}

export interface OnnxExternalData {
  tensor: string;
  location: string;
  offset: number | null;
  length: number | null;
  /** Why the path is refused (escapes the model folder, absolute, URL), or null when fine. */
  unsafeReason: string | null;
}

export interface OnnxMetadata {
  format: 'onnx';
  irVersion: number;
  opsetImports: Record<string, number>;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graphName: string;
  inputs: SignatureEntry[];
  outputs: SignatureEntry[];
  nodeCount: number;
  opTypes: string[];
  /** Nodes inside subgraphs (If, Loop, Scan bodies) and local functions. */
  nestedNodeCount: number;
  functionCount: number;
  initializerCount: number;
  parameterCount: number;
  paramsByDtype: Record<string, number>;
  metadataProps: Record<string, string>;
  externalData: OnnxExternalData[];
}

export interface SafetensorsMetadata {
  format: 'safetensors';
  headerSize: number;
  metadata: Record<string, string> | null;
  tensorCount: number;
  parameterCount: number;
  paramsByDtype: Record<string, number>;
  dataBytes: number;
  tensors: TensorEntry[];
  tensorsTruncated: boolean;
}

export interface SafetensorsIndexMetadata {
  format: 'safetensors-index';
  totalSize: number | null;
  metadata: Record<string, unknown> | null;
  tensorCount: number;
  shards: { file: string; tensorCount: number; present: boolean | null }[];
  tensorNames: string[];
  tensorsTruncated: boolean;
}

export interface GgufArraySummary {
  array_type: string;
  length: number | string;
  first: unknown[];
}

export interface GgufValue {
  type: string;
  value: unknown;
}

export interface GgufTensor {
  name: string;
  type: string;
  shape: (number | string)[];
  offset: number | string;
}

export interface GgufMetadata {
  format: 'gguf';
  version: number;
  tensorCount: number;
  kvCount: number;
  kv: Record<string, GgufValue>;
  architecture: string | null;
  name: string | null;
  contextLength: number | null;
  embeddingLength: number | null;
  blockCount: number | null;
  fileType: { id: number; name: string } | null;
  alignment: number;
  parameterCount: number;
  paramsByType: Record<string, number>;
  tensors: GgufTensor[];
  tensorsTruncated: boolean;
}

export interface TfjsWeightFile {
  path: string;
  /** Whether the drop holds it (null when inspected alone); its size when it does. */
  present: boolean | null;
  size: number | null;
}

export interface TfjsMetadata {
  format: 'tfjs-model' | 'tfjs-weights-manifest';
  modelFormat: string | null;
  generatedBy: string | null;
  convertedBy: string | null;
  /** The model.json `signature` field as written (graph models), or null. */
  signature: unknown;
  inputs: SignatureEntry[];
  outputs: SignatureEntry[];
  weightFiles: TfjsWeightFile[];
  weightCount: number;
  weightDtypes: string[];
  quantized: boolean;
  quantizationDtypes: string[];
  parameterCount: number;
  expectedWeightBytes: number;
  graphNodeCount: number | null;
  opTypes: string[];
  kerasClass: string | null;
  kerasVersion: string | null;
  layers: string[];
  weights: TensorEntry[];
  weightsTruncated: boolean;
}

export interface KerasLayer {
  name: string;
  className: string;
  module: string | null;
  outputShape: Dim[] | null;
}

export interface KerasMetadata {
  format: 'keras-v3' | 'keras-h5';
  kerasVersion: string | null;
  backend: string | null;
  dateSaved: string | null;
  modelClass: string | null;
  layers: KerasLayer[];
  layersTruncated: boolean;
  /** Values in the model's trainable and non-trainable weights. */
  parameterCount: number | null;
  /** Every stored value, optimizer state included. */
  weightValueCount: number | null;
  hasCompileConfig: boolean;
  archiveEntries: string[];
  lambdaLayers: string[];
  customObjects: string[];
}

export interface Hdf5Metadata {
  format: 'hdf5';
  superblockVersion: number;
  rootAttributes: string[];
  datasetCount: number;
  valueCount: number;
  groups: string[];
}

export interface TorchTensor extends TensorEntry {
  storageDtype: string | null;
}

export interface PytorchMetadata {
  format: 'pytorch-zip' | 'pytorch-legacy';
  archiveName: string | null;
  /** Serialization markers: archive `version`, byteorder, legacy protocol and sys_info. */
  markers: Record<string, string | number | boolean>;
  isTorchScript: boolean;
  tensorCount: number;
  parameterCount: number;
  paramsByDtype: Record<string, number>;
  tensors: TorchTensor[];
  tensorsTruncated: boolean;
  storageCount: number;
}

export interface PickleMetadata {
  format: 'pickle';
  /** `joblib` when the stream holds joblib's array wrappers, else `pickle`. */
  container: 'pickle' | 'joblib';
  compression: string | null;
  protocol: number | null;
  framework: string | null;
  estimatorClasses: string[];
  sklearnVersion: string | null;
  globals: string[];
  embeddedArrays: number;
}

export interface SkopsMetadata {
  format: 'skops';
  protocol: number | null;
  skopsVersion: string | null;
  rootClass: string | null;
  types: string[];
  untrustedTypes: string[];
  sklearnVersion: string | null;
}

export interface MlflowSignature {
  inputs: unknown;
  outputs: unknown;
  params: unknown;
}

export interface MlflowMetadata {
  format: 'mlflow-mlmodel';
  flavors: Record<string, Record<string, unknown>>;
  flavorNames: string[];
  signature: MlflowSignature | null;
  inputExample: Record<string, unknown> | null;
  runId: string | null;
  modelUuid: string | null;
  modelId: string | null;
  createdAt: string | null;
  mlflowVersion: string | null;
  artifactPath: string | null;
  modelSizeBytes: number | null;
  requirementsFiles: { path: string; present: boolean | null }[];
}

export interface ModelCardMetadata {
  format: 'model-card';
  license: string | null;
  library: string | null;
  pipelineTag: string | null;
  tags: string[];
  datasets: string[];
  metrics: string[];
  baseModel: string[];
  baseModelRelation: string | null;
  language: string[];
  modelIndex: { name: string; results: number } | null;
  frontMatterKeys: string[];
}

export type ModelFileMetadata =
  | OnnxMetadata
  | SafetensorsMetadata
  | SafetensorsIndexMetadata
  | GgufMetadata
  | TfjsMetadata
  | KerasMetadata
  | Hdf5Metadata
  | PytorchMetadata
  | PickleMetadata
  | SkopsMetadata
  | MlflowMetadata
  | ModelCardMetadata;

/** The outcome of inspecting one file. Exactly one of `metadata` and `error` is set. */
export interface FileInspection {
  fileName: string;
  /** Path inside the dropped folder, or the name when dropped alone. */
  path: string;
  size: number;
  format: ModelFormat | null;
  metadata: ModelFileMetadata | null;
  /** Set for formats that can run code or reach other files when loaded. */
  safety: SafetyReport | null;
  warnings: string[];
  error: InspectionErrorInfo | null;
  bytesRead: number;
  tookMs: number;
}

/** A file to inspect, with its path in the drop when it came from a folder. */
export interface ModelFileInput {
  blob: Blob;
  name: string;
  path?: string;
}

export interface InspectOptions {
  limits?: Partial<InspectLimits>;
  signal?: AbortSignal;
}

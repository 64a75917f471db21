/**
 * Finding PyTorch tensors in a disassembled pickle: the calls to torch's rebuild functions
 * state each tensor's storage type and size, and the dicts around them give their names.
 */
import type { ReadBudget } from './limits';
import { addCounts, checkedProduct } from './numbers';
import {
  asInt,
  asString,
  classOf,
  entriesOf,
  itemsOf,
  type PyObject,
  type PyValue,
} from './pickle-values';
import type { TorchTensor } from './types';

const STORAGE_DTYPES: Record<string, string> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  ComplexFloatStorage: 'complex64',
  ComplexDoubleStorage: 'complex128',
  QInt8Storage: 'qint8',
  QUInt8Storage: 'quint8',
  QInt32Storage: 'qint32',
  Float8_e4m3fnStorage: 'float8_e4m3fn',
  Float8_e5m2Storage: 'float8_e5m2',
};

const REBUILD_WITH_STORAGE = new Set([
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_qtensor',
]);

const REBUILD_WRAPPING = new Set([
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch.nn.parameter.Parameter',
]);

/** Path segments torch modules use for their own bookkeeping, left out of tensor names. */
const MODULE_SLOTS = new Set(['_parameters', '_buffers', '_modules']);

export interface TensorCollection {
  tensors: TorchTensor[];
  tensorCount: number;
  parameterCount: number;
  paramsByDtype: Record<string, number>;
  storageKeys: Set<string>;
}

/** Collect named tensors from the value a PyTorch pickle would load. */
export function collectTensors(root: PyValue, budget: ReadBudget): TensorCollection {
  const found: TensorCollection = {
    tensors: [],
    tensorCount: 0,
    parameterCount: 0,
    paramsByDtype: {},
    storageKeys: new Set(),
  };
  const seen = new Set<PyValue>();

  const visit = (value: PyValue, path: string, depth: number): void => {
    if (seen.has(value)) return;
    if (value.k === 'object' || value.k === 'dict' || value.k === 'list' || value.k === 'tuple') {
      seen.add(value);
    }
    budget.checkDepth(depth, 'The pickled object');
    budget.checkpoint();
    const tensor = describeTensor(value, path, found.storageKeys);
    if (tensor) {
      record(found, tensor, budget.limits.maxListed);
      return;
    }
    for (const [key, child] of entriesOf(value) ?? []) {
      const name = asString(key) ?? asInt(key)?.toString();
      if (name !== undefined && name !== null) visit(child, join(path, name), depth + 1);
    }
    if (value.k === 'object' && value.state) visit(value.state, path, depth + 1);
    const items = itemsOf(value) ?? (value.k === 'object' ? value.items : null);
    items?.forEach((child, i) => visit(child, join(path, String(i)), depth + 1));
  };
  visit(root, '', 0);
  return found;
}

function join(path: string, key: string): string {
  if (MODULE_SLOTS.has(key)) return path;
  return path ? `${path}.${key}` : key;
}

function record(found: TensorCollection, tensor: TorchTensor & { elements: bigint }, max: number) {
  found.tensorCount += 1;
  found.parameterCount = addCounts(found.parameterCount, tensor.elements);
  const dtype = tensor.dtype;
  found.paramsByDtype[dtype] = addCounts(found.paramsByDtype[dtype] ?? 0, tensor.elements);
  if (found.tensors.length < max) {
    const { name, dtype: listedDtype, shape, storageDtype } = tensor;
    found.tensors.push({ name, dtype: listedDtype, shape, storageDtype });
  }
}

function describeTensor(
  value: PyValue,
  name: string,
  storageKeys: Set<string>,
): (TorchTensor & { elements: bigint }) | null {
  const cls = classOf(value);
  if (!cls || value.k !== 'object') return null;
  if (REBUILD_WRAPPING.has(cls)) {
    const inner = value.args[0];
    return inner ? describeTensor(inner, name, storageKeys) : null;
  }
  if (!REBUILD_WITH_STORAGE.has(cls)) return null;
  const dims = itemsOf(value.args[2])?.map(asInt);
  if (!dims || dims.some((d) => d === null)) return null;
  const elements = checkedProduct(dims as bigint[]) ?? 0n;
  const storageDtype = storageType(value, storageKeys);
  const explicit = cls.endsWith('_v3') ? torchDtypeName(value.args[6]) : null;
  return {
    name: name || '<root>',
    dtype: explicit ?? storageDtype ?? 'unknown',
    shape: (dims as bigint[]).map(Number),
    storageDtype,
    elements,
  };
}

function storageType(tensor: PyObject, storageKeys: Set<string>): string | null {
  const storage = tensor.args[0];
  if (storage?.k !== 'persid') return null;
  const id = itemsOf(storage.id);
  if (!id) return null;
  const key = asString(id[2]);
  if (key !== null) storageKeys.add(key);
  const type = id[1];
  if (type?.k !== 'global') return null;
  const short = type.name.split('.').pop() ?? '';
  return STORAGE_DTYPES[short] ?? short;
}

function torchDtypeName(value: PyValue | undefined): string | null {
  return value?.k === 'global' && value.name.startsWith('torch.') ? value.name.slice(6) : null;
}

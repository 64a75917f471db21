/**
 * Judging what a pickle imports. A global is "allowed" when it only rebuilds tensors,
 * arrays or containers, "library" when it is a class of a known ML library (loading runs
 * that library's code), "dangerous" when it can run commands, evaluate code, open files or
 * reach the network, and "unlisted" otherwise.
 */
import type { ImportRisk, PickleCall, PickleImport, SafetyFinding, SafetyReport } from './types';

const ALLOWED = new Set([
  'collections.OrderedDict',
  'collections.defaultdict',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._utils._rebuild_qtensor',
  'torch._utils._rebuild_sparse_tensor',
  'torch._utils._rebuild_meta_tensor_no_storage',
  'torch._utils._rebuild_device_tensor_from_numpy',
  'torch.nn.parameter.Parameter',
  'torch.Size',
  'torch.device',
  'torch.strided',
  'torch.storage.UntypedStorage',
  'torch.storage.TypedStorage',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'numpy.core.numeric._frombuffer',
  'numpy._core.numeric._frombuffer',
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'copyreg._reconstructor',
  'copy_reg._reconstructor',
  '_codecs.encode',
]);

const CONTAINER_BUILTINS = new Set([
  'set',
  'frozenset',
  'dict',
  'list',
  'tuple',
  'bytearray',
  'bytes',
  'slice',
  'complex',
  'int',
  'float',
  'str',
  'bool',
  'range',
]);

const DANGEROUS_MODULES = [
  'os',
  'posix',
  'nt',
  'subprocess',
  'sys',
  'shutil',
  'socket',
  'importlib',
  'runpy',
  'pty',
  'commands',
  'webbrowser',
  'code',
  'codeop',
  'pickle',
  '_pickle',
  'cPickle',
  'dill',
  'cloudpickle',
  'marshal',
  'types',
  'ctypes',
  'multiprocessing',
  'asyncio',
  'pip',
  'requests',
  'urllib',
  'urllib2',
  'urllib3',
  'http',
  'httplib',
  'ftplib',
  'telnetlib',
  'smtplib',
  'signal',
  '_thread',
  'threading',
  'pdb',
  'bdb',
  'timeit',
  'trace',
  'profile',
  'cProfile',
  'tempfile',
  'torch.hub',
  'torch.jit',
  'torch._C',
  'torch.ops',
  'numpy.f2py',
  'numpy.testing',
  'nt',
  'ntpath',
  'posixpath',
  'io',
  '_io',
  'codecs',
];

const DANGEROUS_NAMES = new Set([
  'eval',
  'exec',
  'execfile',
  'compile',
  'open',
  'file',
  '__import__',
  'getattr',
  'setattr',
  'delattr',
  'globals',
  'locals',
  'vars',
  'input',
  'breakpoint',
  'reload',
  'apply',
  'memoryview',
]);

const DANGEROUS_EXACT = new Set([
  'operator.attrgetter',
  'operator.methodcaller',
  'numpy.load',
  'numpy.loads',
  'numpy.fromfile',
  'torch.load',
  'torch.serialization.load',
  'torch.storage._load_from_bytes',
  'joblib.load',
  'pandas.read_pickle',
  'pandas.io.pickle.read_pickle',
  'yaml.load',
  'yaml.unsafe_load',
]);

const LIBRARY_MODULES = [
  'sklearn',
  'numpy',
  'scipy',
  'pandas',
  'torch',
  'xgboost',
  'lightgbm',
  'catboost',
  'joblib',
  'transformers',
  'tokenizers',
  'sentence_transformers',
  'statsmodels',
  'datetime',
  'decimal',
  'fractions',
  'collections',
  'uuid',
  'pathlib',
];

function inModule(name: string, modules: readonly string[]): boolean {
  return modules.some((module) => name === module || name.startsWith(`${module}.`));
}

/** How risky importing the dotted name `name` is. */
export function classifyGlobal(name: string): ImportRisk {
  if (ALLOWED.has(name) || /^torch\.\w+Storage$/.test(name)) return 'allowed';
  if (/^torch\.(u?int\d+|float\d*|half|double|bfloat16|bool|long|short|complex\d+)$/.test(name)) {
    return 'allowed';
  }
  const builtin = /^(?:builtins|__builtin__)\.(.+)$/.exec(name);
  if (builtin) {
    if (CONTAINER_BUILTINS.has(builtin[1])) return 'allowed';
    return DANGEROUS_NAMES.has(builtin[1]) ? 'dangerous' : 'unlisted';
  }
  if (DANGEROUS_EXACT.has(name) || inModule(name, DANGEROUS_MODULES)) return 'dangerous';
  if (name.startsWith('<')) return 'unlisted';
  return inModule(name, LIBRARY_MODULES) ? 'library' : 'unlisted';
}

/** Turn what the disassembler saw into a verdict the user reads. */
export function pickleVerdict(
  imports: PickleImport[],
  calls: PickleCall[],
  findings: SafetyFinding[],
  complete: boolean,
): Pick<SafetyReport, 'verdict' | 'summary'> {
  const dangerous = imports.filter((i) => i.risk === 'dangerous').map((i) => i.name);
  const unresolved = calls.filter((c) => c.callable.startsWith('<')).length;
  const unlisted = imports.filter((i) => i.risk === 'unlisted').map((i) => i.name);
  const library = imports.filter((i) => i.risk === 'library').map((i) => i.name);
  const list = (names: string[]) =>
    names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');

  if (dangerous.length > 0) {
    return {
      verdict: 'dangerous',
      summary:
        `Loading this file would call ${list(dangerous)}, which can run commands or code ` +
        'on your machine. Do not load it.',
    };
  }
  if (!complete) {
    return {
      verdict: 'unknown',
      summary:
        'The pickle could not be read to the end, so what loading it would do is unknown. ' +
        'Treat it as unsafe.',
    };
  }
  if (unlisted.length > 0 || unresolved > 0 || findings.some((f) => f.severity !== 'info')) {
    const what = unlisted.length > 0 ? list(unlisted) : 'callables it computes at load time';
    return {
      verdict: 'suspicious',
      summary:
        `Loading this file would construct ${what}, outside the known tensor and container ` +
        'types. Load it only if you trust its source.',
    };
  }
  if (library.length > 0) {
    return {
      verdict: 'suspicious',
      summary:
        `Loading this file runs library code (${list(library)}). That is normal for these ` +
        'models, but any pickle can hide code: load it only if you trust its source.',
    };
  }
  return {
    verdict: 'safe',
    summary: 'The pickle only rebuilds tensors, arrays and plain containers.',
  };
}

/**
 * The errors a model-file reader raises. Each message names the file's format, says what was
 * wrong in words a user can act on, and is shown next to the file; the rest of a drop goes on.
 */
import { StemmaError } from '../errors';
import { formatBytes } from './numbers';

/** Base of every model-file reading error, so callers can tell them from programming errors. */
export class ModelFileError extends StemmaError {}

export class EmptyFileError extends ModelFileError {
  constructor() {
    super(
      'model-file-empty',
      'The file is empty (0 bytes). Choose the file again or re-export it.',
    );
  }
}

/** The bytes match no format Stemma reads. `looksLike` names what they resemble, if anything. */
export class UnrecognizedFormatError extends ModelFileError {
  constructor(looksLike: string | null) {
    super(
      'model-file-unrecognized',
      looksLike
        ? `This is not a model file Stemma can read: its bytes are those of ${looksLike}, ` +
            'whatever its name says. Check that you chose the right file.'
        : 'Stemma does not recognise this file as ONNX, safetensors, GGUF, TensorFlow.js, ' +
            'Keras, PyTorch, pickle, skops, MLflow MLmodel or a model card. It can still be ' +
            'attached to a version as a plain file.',
    );
  }
}

/** The file stops before a structure it declares. */
export class TruncatedFileError extends ModelFileError {
  constructor(format: string, what: string, neededEnd: number, fileSize: number) {
    super(
      'model-file-truncated',
      `The ${format} file ends early: ${what} needs ${formatBytes(neededEnd)} but the file ` +
        `has ${formatBytes(fileSize)}. It was probably cut off while downloading or copying; ` +
        'fetch it again.',
    );
  }
}

/**
 * A count, length, offset or dimension that cannot be true for a file of this size, caught
 * before anything is allocated for it.
 */
export class ImplausibleHeaderError extends ModelFileError {
  constructor(format: string, statement: string) {
    super(
      'model-file-implausible',
      `${format} header ${statement}. The file is corrupt or was crafted to crash readers; ` +
        'do not load it.',
    );
  }
}

/** A structure that parses but breaks the format's rules. */
export class MalformedFileError extends ModelFileError {
  constructor(format: string, problem: string, options?: { cause?: unknown }) {
    super(
      'model-file-malformed',
      `This ${format} file is damaged: ${problem}. Re-export it from the tool that made it.`,
      options,
    );
  }
}

/** A valid file using a part of its format this reader does not implement. */
export class UnsupportedVariantError extends ModelFileError {
  constructor(format: string, variant: string) {
    super(
      'model-file-unsupported',
      `Stemma cannot read this ${format} file: it uses ${variant}, which Stemma does not ` +
        'support yet. The file can still be attached to a version.',
    );
  }
}

/** One of the inspection limits (bytes read, nesting, entries) was reached. */
export class LimitExceededError extends ModelFileError {
  constructor(limit: string, detail: string) {
    super(
      'model-file-limit',
      `Stopped reading: ${detail}, over the limit of ${limit}. Nothing from this file was ` +
        'trusted; raise the limit only for a file you trust.',
    );
  }
}

export class InspectionTimeoutError extends ModelFileError {
  constructor(timeoutMs: number) {
    super(
      'model-file-timeout',
      `Reading the file's header took longer than ${timeoutMs / 1000} s and was stopped. ` +
        'A model header reads in well under a second; the file may be crafted to stall readers.',
    );
  }
}

/** The worker reading a file died (out of memory, a crash in the runtime). */
export class InspectionWorkerCrashedError extends ModelFileError {
  constructor() {
    super(
      'model-file-worker-crashed',
      'The background reader stopped while reading this file (it may have run out of ' +
        'memory). The other files were read by a fresh one.',
    );
  }
}

export class InspectionAbortedError extends ModelFileError {
  constructor() {
    super('model-file-aborted', 'Reading the file was cancelled.');
  }
}

/** An archive whose declared or actual expansion is out of all proportion to its size. */
export class ZipBombError extends ModelFileError {
  constructor(detail: string) {
    super(
      'model-file-zip-bomb',
      `This archive looks like a zip bomb: ${detail}. Stemma stopped before expanding it; ` +
        'do not extract it.',
    );
  }
}

/** An archive entry whose name escapes the archive (`../`, absolute paths, drive letters). */
export class UnsafeArchivePathError extends ModelFileError {
  readonly entryName: string;

  constructor(entryName: string) {
    super(
      'model-file-unsafe-path',
      `The archive holds an entry named "${entryName.slice(0, 200)}", which points outside ` +
        'the archive. Extracting it could overwrite other files; do not unzip it.',
    );
    this.entryName = entryName;
  }
}

/** A zip entry whose bytes do not match their stored CRC-32. */
export class ArchiveIntegrityError extends ModelFileError {
  constructor(entryName: string) {
    super(
      'model-file-crc',
      `The archive entry "${entryName.slice(0, 200)}" fails its checksum (CRC-32): the file ` +
        'is damaged or was altered after it was written. Fetch it again.',
    );
  }
}

/** Serialisable form of an error, for results that cross a worker boundary. */
export interface InspectionErrorInfo {
  name: string;
  code: string;
  message: string;
}

/** Turn anything thrown by a reader into the serialisable form shown next to a file. */
export function describeError(error: unknown): InspectionErrorInfo {
  if (error instanceof StemmaError) {
    return { name: error.name, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: 'InternalReaderError',
    code: 'model-file-internal',
    message: `Stemma's reader failed unexpectedly (${message.slice(0, 300)}). Please report it.`,
  };
}

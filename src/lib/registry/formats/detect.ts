/**
 * The dispatcher: decides a file's format from its first bytes and, for archives and text,
 * from its structure. The name is never consulted, so a PNG renamed `.onnx` is reported as a
 * PNG and a pickle hidden in a `.bin` file is read as a pickle.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { UnrecognizedFormatError } from './errors';
import { looksLikeGguf, readGguf } from './gguf';
import { looksLikeHdf5, readHdf5File } from './hdf5-reader';
import { readKerasZip } from './keras';
import { looksLikeOnnx, readOnnx } from './onnx';
import { looksLikePickle, pickleCompression, readPickleFile } from './pickle';
import { findDataPickle, readPytorchZip } from './pytorch';
import { looksLikeSafetensors, readSafetensors } from './safetensors';
import { readSkops } from './skops';
import { readTextFormat, sniffText } from './text-formats';
import type { ModelFormat } from './types';
import { looksLikeZip, openZip } from './zip';

export interface DetectedReader {
  /** The format the bytes point to; the reader may refine it (HDF5 that is Keras). */
  format: ModelFormat;
  read(ctx: ReaderContext): Promise<ReaderOutcome>;
}

const HEAD_BYTES = 4096;

/** Other kinds of file people drop by mistake, by their magic bytes. */
const LOOKALIKES: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a Linux executable (ELF)'],
  [[0x4d, 0x5a], 'a Windows executable'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module'],
];

/** Pick the reader for a file from its bytes. */
export async function detectFormat(ctx: ReaderContext): Promise<DetectedReader> {
  const { source } = ctx;
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size), 'the first bytes');

  if (looksLikeGguf(head)) return { format: 'gguf', read: readGguf };
  if (looksLikeHdf5(head)) return { format: 'keras-h5', read: readHdf5File };
  if (looksLikeZip(head)) return detectArchive(ctx);
  if (looksLikeSafetensors(head, source.size))
    return { format: 'safetensors', read: readSafetensors };
  const compression = pickleCompression(head);
  if (compression) {
    return { format: 'pickle', read: (c) => readPickleFile(c, compression) };
  }
  if (looksLikePickle(head)) return { format: 'pickle', read: (c) => readPickleFile(c) };
  const text = sniffText(head);
  if (text) return { format: text, read: (c) => readTextFormat(c, text) };
  if (looksLikeOnnx(head)) return { format: 'onnx', read: readOnnx };

  const lookalike = LOOKALIKES.find(([magic]) => magic.every((byte, i) => head[i] === byte));
  throw new UnrecognizedFormatError(lookalike?.[1] ?? null);
}

async function detectArchive(ctx: ReaderContext): Promise<DetectedReader> {
  const archive = await openZip(ctx.source);
  const names = new Set(archive.entries.map((e) => e.name));
  if (names.has('config.json') && (names.has('metadata.json') || names.has('model.weights.h5'))) {
    return { format: 'keras-v3', read: (c) => readKerasZip(c, archive) };
  }
  if (findDataPickle(archive)) {
    return { format: 'pytorch-zip', read: (c) => readPytorchZip(c, archive) };
  }
  if (names.has('schema.json')) return { format: 'skops', read: (c) => readSkops(c, archive) };
  const nested = archive.entries.filter((e) => /\.(zip|keras|pt|pth|npz)$/i.test(e.name)).length;
  throw new UnrecognizedFormatError(
    nested > 0
      ? `a zip archive of ${archive.entries.length} files, ${nested} of them archives ` +
          'themselves, which Stemma does not open'
      : `a zip archive of ${archive.entries.length} files with no model Stemma knows`,
  );
}

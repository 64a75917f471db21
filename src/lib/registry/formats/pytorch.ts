/**
 * PyTorch's zip format (`torch.save` since 1.6, TorchScript archives too): every pickle in the
 * archive is disassembled for the safety report, `data.pkl` is searched for tensors, and the
 * small marker files say which serializer wrote it. Storage bodies are never opened.
 */
import type { ReaderContext, ReaderOutcome } from './context';
import { MalformedFileError } from './errors';
import { PickleMachine } from './pickle-machine';
import { PickleRecord } from './pickle-record';
import type { PyValue } from './pickle-values';
import { WindowReader, decodeText } from './source';
import { collectTensors } from './torch-tensors';
import type { PytorchMetadata } from './types';
import { openEntry, readEntry, type ZipArchive, type ZipEntry } from './zip';

const MAX_PICKLES = 16;
const MARKERS = ['version', '.data/version', 'byteorder', '.format_version', '.storage_alignment'];

/** The `data.pkl` entry of a PyTorch archive, if it has one. */
export function findDataPickle(archive: ZipArchive): ZipEntry | undefined {
  const candidates = archive.entries.filter((e) => /(^|\/)data\.pkl$/.test(e.name));
  return candidates.sort((a, b) => a.name.length - b.name.length)[0];
}

/** Read a PyTorch zip archive. */
export async function readPytorchZip(
  ctx: ReaderContext,
  archive: ZipArchive,
): Promise<ReaderOutcome> {
  ctx.source.format = 'PyTorch';
  const dataPickle = findDataPickle(archive);
  if (!dataPickle) throw new MalformedFileError('PyTorch', 'the archive has no data.pkl');
  const prefix = dataPickle.name.slice(0, dataPickle.name.length - 'data.pkl'.length);
  const names = new Set(archive.entries.map((e) => e.name));
  const isTorchScript =
    names.has(`${prefix}constants.pkl`) ||
    archive.entries.some((e) => e.name.startsWith(`${prefix}code/`));
  if (isTorchScript) {
    ctx.warn('This is a TorchScript archive: torch.jit.load runs the TorchScript code inside it.');
  }

  const record = new PickleRecord();
  const pickles = archive.entries.filter((e) => e.name.endsWith('.pkl')).slice(0, MAX_PICKLES);
  let root: PyValue | null = null;
  try {
    for (const entry of pickles) {
      const source = await openEntry(archive, entry, true);
      source.format = 'pickle';
      const value = await new PickleMachine(
        new WindowReader(source),
        record,
        ctx.budget,
      ).runStream();
      if (entry === dataPickle) root = value;
    }
  } catch (error) {
    record.complete = false;
    ctx.setSafety(record.report());
    throw error;
  }
  const safety = record.report();
  ctx.setSafety(safety);

  const found = collectTensors(root as PyValue, ctx.budget);
  const metadata: PytorchMetadata = {
    format: 'pytorch-zip',
    archiveName: prefix.replace(/\/$/, '') || null,
    markers: await readMarkers(archive, prefix),
    isTorchScript,
    tensorCount: found.tensorCount,
    parameterCount: found.parameterCount,
    paramsByDtype: found.paramsByDtype,
    tensors: found.tensors,
    tensorsTruncated: found.tensors.length < found.tensorCount,
    storageCount: archive.entries.filter((e) => e.name.startsWith(`${prefix}data/`)).length,
  };
  const missing = [...found.storageKeys].filter((key) => !names.has(`${prefix}data/${key}`));
  if (missing.length > 0) {
    ctx.warn(`${missing.length} tensor storages named in data.pkl are missing from the archive.`);
  }
  return { metadata, safety };
}

async function readMarkers(archive: ZipArchive, prefix: string) {
  const markers: Record<string, string | number | boolean> = {};
  for (const marker of MARKERS) {
    const entry = archive.entries.find((e) => e.name === `${prefix}${marker}`);
    if (!entry || entry.size > 64) continue;
    markers[marker] = decodeText(await readEntry(archive, entry)).trim();
  }
  const serializationId = archive.entries.some((e) => e.name === `${prefix}.data/serialization_id`);
  if (serializationId) markers.serializationId = true;
  return markers;
}

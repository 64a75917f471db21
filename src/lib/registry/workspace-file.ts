/**
 * The workspace file: every event of the log, in fold order, with the state hash the
 * exporting browser computed. Importing verifies every event (hash and signature) before
 * anything is stored, then appends them all in one transaction.
 */
import { ImportFormatError, StemmaError } from './errors';
import type { ImportSummary } from './types';
import { verifyEvent, type StemmaEvent } from '../store/event';
import type { EventLog } from '../store/log';

export const WORKSPACE_FORMAT = 'stemma-workspace';
export const WORKSPACE_FORMAT_VERSION = 1;

export interface WorkspaceFile {
  format: typeof WORKSPACE_FORMAT;
  formatVersion: number;
  workspaceId: string;
  exportedAt: string;
  stateHash: string;
  events: StemmaEvent[];
}

/** The whole workspace as one JSON file. */
export async function exportWorkspace(log: EventLog): Promise<Blob> {
  const file: WorkspaceFile = {
    format: WORKSPACE_FORMAT,
    formatVersion: WORKSPACE_FORMAT_VERSION,
    workspaceId: log.workspaceId,
    exportedAt: new Date().toISOString(),
    stateHash: await log.stateHash(),
    events: await log.allEvents(),
  };
  // One event per line keeps large exports diffable and readable.
  const lines = file.events.map((event) => JSON.stringify(event));
  const head = JSON.stringify({ ...file, events: undefined });
  const text = `${head.slice(0, -1)},"events":[\n${lines.join(',\n')}\n]}\n`;
  return new Blob([text], { type: 'application/json' });
}

async function readFile(file: Blob): Promise<WorkspaceFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (cause) {
    throw new ImportFormatError('it is not valid JSON', { cause });
  }
  const head = parsed as Partial<WorkspaceFile> | null;
  if (!head || head.format !== WORKSPACE_FORMAT) {
    throw new ImportFormatError(`its "format" is not "${WORKSPACE_FORMAT}"`);
  }
  if (head.formatVersion !== WORKSPACE_FORMAT_VERSION) {
    throw new ImportFormatError(
      `it has format version ${String(head.formatVersion)}, this Stemma reads version ` +
        `${WORKSPACE_FORMAT_VERSION}`,
    );
  }
  if (!Array.isArray(head.events)) throw new ImportFormatError('it has no "events" list');
  return head as WorkspaceFile;
}

/** Verifies and appends every event of a workspace file; all or nothing. */
export async function importWorkspace(log: EventLog, blob: Blob): Promise<ImportSummary> {
  const file = await readFile(blob);
  const verified: StemmaEvent[] = [];
  const batch = 256;
  for (let start = 0; start < file.events.length; start += batch) {
    const slice = file.events.slice(start, start + batch);
    try {
      verified.push(...(await Promise.all(slice.map((event) => verifyEvent(event)))));
    } catch (cause) {
      if (cause instanceof StemmaError) {
        throw new ImportFormatError(`${cause.message} Nothing was imported`, { cause });
      }
      throw cause;
    }
  }
  const { added } = await log.append(verified);
  return {
    events: verified.length,
    added: added.length,
    duplicates: verified.length - added.length,
    stateHash: await log.stateHash(),
  };
}

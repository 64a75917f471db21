/**
 * The audit: checks the whole stored history of a workspace and names the exact event where it
 * was altered, removed or reordered. It walks the audit chain (see `chain.ts`) record by
 * record, checks each event's copy in the Yjs document and in the event log (id = hash of its
 * content, signature its author's), that every event that counts is in the log, that the log
 * holds nothing the chain never took in, and that the chain's signed head still matches.
 */
import type * as Y from 'yjs';
import type { Verdict } from './authority';
import { type ChainHead, chainHasher, HEAD_KEY } from './chain';
import { isTeamEvent, verifySyncEvent } from './team-events';
import { verifySignature } from '../store/identity';
import type { EventRow, WorkspaceDb } from '../store/schema';

export type AuditProblemKind = 'altered' | 'removed' | 'reordered' | 'inserted' | 'unsigned';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The chain record where it was found; null for events outside the chain. */
  seq: number | null;
  eventId: string;
  message: string;
}

export interface AuditEntry {
  seq: number;
  id: string;
  type: string;
  actor: string;
  hlc: string;
  /** Whether the stored copy's id and signature verify. */
  signature: 'valid' | 'invalid' | 'missing';
  status: Verdict['status'] | 'unknown';
}

export interface AuditReport {
  ok: boolean;
  checked: number;
  /** The earliest problem in chain order: where history stops being trustworthy. */
  first: AuditProblem | null;
  problems: AuditProblem[];
  entries: AuditEntry[];
}

export interface AuditSource {
  db: WorkspaceDb;
  workspaceId: string;
  events: Y.Map<unknown>;
  /** This browser's actor: only its own key may sign the chain head. */
  actor: string;
  verdictOf(id: string): Verdict | null;
}

const short = (id: string) => `${id.slice(0, 12)}…`;

async function problemWith(copy: unknown): Promise<string | null> {
  try {
    await verifySyncEvent(copy);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function strip(row: EventRow) {
  const { id, hlc, actor, type, entity, payload, sig } = row;
  return { id, hlc, actor, type, entity, payload, sig };
}

export async function auditWorkspace(source: AuditSource): Promise<AuditReport> {
  const { db, events } = source;
  const link = await chainHasher();
  const rows = await db.syncChain.orderBy('seq').toArray();
  const stored = await db.events.bulkGet(rows.map((row) => row.id));
  const problems: AuditProblem[] = [];
  const entries: AuditEntry[] = [];
  const chained = new Set<string>();
  let prev = source.workspaceId;
  let expectedSeq = 1;

  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    const add = (kind: AuditProblemKind, message: string) =>
      problems.push({ kind, seq: row.seq, eventId: row.id, message });
    if (row.seq !== expectedSeq) {
      add(
        'removed',
        `History was removed just before event ${short(row.id)} (record ${row.seq}): ` +
          `records ${expectedSeq} to ${row.seq - 1} are missing.`,
      );
    }
    if (link(prev, row.id) !== row.hash) {
      add(
        'reordered',
        `The chain breaks at event ${short(row.id)} (record ${row.seq}): events were ` +
          `reordered, or the record was changed, at this point.`,
      );
    }
    prev = row.hash;
    expectedSeq = row.seq + 1;
    chained.add(row.id);

    const logCopy = stored[index];
    const docCopy = events.get(row.id);
    const verdict = source.verdictOf(row.id);
    const logProblem = logCopy ? await problemWith(strip(logCopy)) : null;
    const docProblem = docCopy !== undefined ? await problemWith(docCopy) : null;
    if (logProblem) add('altered', `Stored event ${short(row.id)} was altered: ${logProblem}`);
    if (docProblem && !logProblem) {
      add('altered', `The document's copy of event ${short(row.id)} was altered: ${docProblem}`);
    }
    if (!logCopy && docCopy === undefined) {
      add('removed', `Event ${short(row.id)} (record ${row.seq}) is gone from storage.`);
    } else if (!logCopy && !isTeamEvent(docCopy as { type: string }) && !docProblem) {
      // Store events that count live in the log; team events live in the document only.
      if (verdict?.status === 'counted') {
        add('removed', `Event ${short(row.id)} counts but was removed from the stored log.`);
      }
    }
    const copy = (logCopy ?? docCopy) as Partial<EventRow> | undefined;
    entries.push({
      seq: row.seq,
      id: row.id,
      type: String(copy?.type ?? '?'),
      actor: String(copy?.actor ?? '?'),
      hlc: String(copy?.hlc ?? ''),
      signature: !copy ? 'missing' : logProblem || docProblem ? 'invalid' : 'valid',
      status: verdict?.status ?? 'unknown',
    });
  }

  const logIds = (await db.events.toCollection().primaryKeys()) as string[];
  for (const id of logIds) {
    if (!chained.has(id)) {
      problems.push({
        kind: 'inserted',
        seq: null,
        eventId: id,
        message: `Event ${short(id)} is in the stored log but was never taken in by this browser.`,
      });
    }
  }
  await checkHead(db, source.actor, rows, problems);

  const inChain = problems.filter((problem) => problem.seq !== null);
  const first =
    inChain.sort((a, b) => a.seq! - b.seq!)[0] ??
    problems.find((problem) => problem.seq === null) ??
    null;
  return { ok: problems.length === 0, checked: rows.length, first, problems, entries };
}

async function checkHead(
  db: WorkspaceDb,
  actor: string,
  rows: { seq: number; id: string; hash: string }[],
  problems: AuditProblem[],
): Promise<void> {
  if (rows.length === 0) return;
  const head = (await db.meta.get(HEAD_KEY))?.value as ChainHead | undefined;
  const last = rows[rows.length - 1];
  if (!head) {
    problems.push({
      kind: 'unsigned',
      seq: last.seq,
      eventId: last.id,
      message: 'The chain has no signed head: it cannot be told apart from a rewritten one.',
    });
    return;
  }
  const signed =
    head.actor === actor && (await verifySignature(actor, `${head.seq}:${head.hash}`, head.sig));
  const at = rows.find((row) => row.seq === head.seq);
  if (!signed || !at || at.hash !== head.hash) {
    const row = at ?? last;
    problems.push({
      kind: 'reordered',
      seq: row.seq,
      eventId: row.id,
      message:
        `The chain was rewritten: its signed head (record ${head.seq}) no longer matches ` +
        `what is stored.`,
    });
  }
}

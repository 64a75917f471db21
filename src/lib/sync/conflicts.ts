/**
 * What the user is told about conflicts the fold resolved. The rules themselves are the
 * fold's (see `store/fold.ts`) and every peer applies them to the same events in the same
 * `(hlc, id)` order, so every peer reports the same:
 * - Version numbers are handed out in fold order. Two versions registered as "v4" while apart
 *   both keep their ids; the one that sorts first is v4, the other becomes v5 (its author's
 *   number stays as `requestedNumber`).
 * - Alias moves are last-writer-wins in fold order. A move whose author saw the alias on a
 *   different version than the one it was on at that point in the fold (`previous`) was made
 *   at the same time as the move it overrides, or was overridden by it; both are reported.
 */
import { compareEvents, type StemmaEvent } from '../store/event';
import type { EventLog } from '../store/log';

export interface ResolvedConflict {
  kind: 'version-number' | 'alias-move';
  modelId: string;
  modelName: string;
  /** The event or version whose result stands, and the one that gave way. */
  kept: string;
  gaveWay: string;
  message: string;
}

export async function resolvedConflicts(log: EventLog): Promise<ResolvedConflict[]> {
  const db = log.db;
  const names = new Map((await db.actors.toArray()).map((row) => [row.id, row.displayName]));
  const who = (actor: string) => names.get(actor) || `member ${actor.slice(0, 8)}`;
  const out: ResolvedConflict[] = [];

  const renumbered = await db.versions
    .filter((row) => row.number !== row.requestedNumber)
    .toArray();
  for (const version of renumbered) {
    const holder = await db.versions
      .where('[modelId+number]')
      .equals([version.modelId, version.requestedNumber])
      .first();
    const other = holder ? `${who(holder.createdBy)}'s version` : 'another version';
    out.push({
      kind: 'version-number',
      modelId: version.modelId,
      modelName: version.modelName,
      kept: holder?.id ?? '',
      gaveWay: version.id,
      message:
        `${version.modelName}: ${who(version.createdBy)} registered v${version.requestedNumber}, ` +
        `but ${other} v${version.requestedNumber} was registered at the same time and comes ` +
        `first (earlier clock stamp), so it is v${version.number}.`,
    });
  }

  for (const model of await db.models.toArray()) {
    const moves = (await log.scopeEvents(model.id))
      .filter((event) => event.type === 'alias.set' || event.type === 'alias.removed')
      .sort(compareEvents) as StemmaEvent<'alias.set' | 'alias.removed'>[];
    const at = new Map<string, StemmaEvent<'alias.set' | 'alias.removed'>>();
    for (const move of moves) {
      const alias = move.payload.alias;
      const before = at.get(alias);
      const current =
        before?.type === 'alias.set' ? (before.payload as { versionId: string }) : null;
      const previous = (move.payload as { previous?: string | null }).previous;
      if (move.type === 'alias.set' && previous !== undefined && before) {
        if ((current?.versionId ?? null) !== previous && before.actor !== move.actor) {
          const target = await numberOf(log, move.payload as { versionId: string });
          const lost = current ? await numberOf(log, current) : 'nowhere';
          out.push({
            kind: 'alias-move',
            modelId: model.id,
            modelName: model.name,
            kept: move.id,
            gaveWay: before.id,
            message:
              `${model.name}@${alias}: ${who(before.actor)} moved it to ${lost} and ` +
              `${who(move.actor)} to ${target} at the same time; the later clock stamp wins, ` +
              `so ${who(move.actor)}'s move stands and ${who(before.actor)}'s was overridden.`,
          });
        }
      }
      at.set(alias, move);
    }
  }
  return out;
}

async function numberOf(log: EventLog, ref: { versionId: string }): Promise<string> {
  const row = await log.db.versions.get(ref.versionId);
  return row ? `v${row.number}` : 'a version';
}

/**
 * Reading an alias's past from its moves: where a rollback should take it.
 */
import type { AliasMove } from '$lib/registry/types';

/**
 * The version an alias pointed at before its current one, or null when it has none: the
 * target of "roll back". Moves are oldest first, as `aliasHistory` returns them.
 */
export function previousTarget(moves: AliasMove[], alias: string, current: number): number | null {
  const own = moves.filter((move) => move.alias === alias);
  for (let index = own.length - 1; index >= 0; index -= 1) {
    const version = own[index].version;
    if (version !== null && version !== current) return version;
  }
  return null;
}

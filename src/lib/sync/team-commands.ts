/**
 * Team commands (roles, alias protection, approvals) before they are published: sealed with
 * this browser's identity and judged by the rules as they stand here, so that a command this
 * browser would itself refuse never reaches the document and fails with the reason instead.
 */
import type * as Y from 'yjs';
import { Authority } from './authority';
import { NotAllowedError } from './errors';
import {
  sealTeamEvent,
  type TeamEvent,
  type TeamEventType,
  type TeamPayloads,
} from './team-events';
import type { StemmaEvent } from '../store/event';
import type { Identity } from '../store/identity';

export interface TeamCommandContext {
  /** The command's time, from the workspace's clock. */
  hlc: string;
  identity: Identity;
  rootOwner: string;
  /** The team events counted so far. */
  team: Iterable<TeamEvent>;
}

/** The signed event for a command; throws NotAllowedError when the rules refuse it. */
export async function sealTeamCommand<T extends TeamEventType>(
  type: T,
  entity: string,
  payload: TeamPayloads[T],
  context: TeamCommandContext,
): Promise<TeamEvent<T>> {
  const { hlc, identity } = context;
  const event = await sealTeamEvent(
    { hlc, actor: identity.actor, type, entity, payload },
    identity,
  );
  const trial = new Authority(context.rootOwner, [...context.team, event]);
  const verdict = trial.teamVerdicts.get(event.id)!;
  if (verdict.status !== 'counted') throw new NotAllowedError(verdict.reason);
  return event;
}

/**
 * What approving the held alias move `eventId` records. Throws NotAllowedError when the
 * document holds no such move, or when `actor` made it: a move needs another member's yes.
 */
export function aliasApproval(
  events: Y.Map<unknown>,
  eventId: string,
  actor: string,
): TeamPayloads['alias.move.approved'] {
  const held = events.get(eventId) as StemmaEvent<'alias.set'> | undefined;
  if (!held || (held.type !== 'alias.set' && held.type !== 'alias.removed')) {
    throw new NotAllowedError(`there is no alias move ${eventId.slice(0, 12)}… to approve`);
  }
  if (held.actor === actor) {
    throw new NotAllowedError('another member has to approve your own move');
  }
  return { modelId: held.entity, alias: held.payload.alias };
}

/**
 * Team events: membership, alias protection and approvals. They are signed and hashed exactly
 * like the store's events (`id` = SHA-256 of the canonical body, `sig` = the actor's ECDSA
 * signature over the id) and travel in the same Yjs set, but they never enter the `EventLog`:
 * they decide which of the store's events count (see `authority.ts`).
 */
import { InvalidEventError } from '../registry/errors';
import { sha256Hex } from '../store/bytes';
import { canonicalJson } from '../store/canonical';
import { verifyEvent, type StemmaEvent } from '../store/event';
import { parseHlc } from '../store/hlc';
import { type Identity, verifySignature } from '../store/identity';

/** What a member may do. `removed` ends a membership; the member's past events still count. */
export type Role = 'owner' | 'maintainer' | 'viewer';
export type RoleChange = Role | 'removed';

export interface TeamPayloads {
  /** entity: the member's actor id (public key). Signed by an owner. */
  'member.role.set': { role: RoleChange; name?: string };
  /** entity: model id. Signed by an owner. */
  'alias.protection.set': { alias: string; protected: boolean };
  /** entity: the id of the held `alias.set` or `alias.removed` event it approves. */
  'alias.move.approved': { modelId: string; alias: string };
}

export type TeamEventType = keyof TeamPayloads;

export interface TeamEvent<T extends TeamEventType = TeamEventType> {
  id: string;
  hlc: string;
  actor: string;
  type: T;
  entity: string;
  payload: TeamPayloads[T];
  sig: string;
}

/** Anything the sync document may hold once verified. */
export type SyncEvent = StemmaEvent | TeamEvent;

export const TEAM_TYPES: ReadonlySet<string> = new Set<TeamEventType>([
  'member.role.set',
  'alias.protection.set',
  'alias.move.approved',
]);

const ROLE_CHANGES = new Set<string>(['owner', 'maintainer', 'viewer', 'removed']);

export function isTeamEvent(event: { type: string }): event is TeamEvent {
  return TEAM_TYPES.has(event.type);
}

function teamBody(event: Omit<TeamEvent, 'id' | 'sig'>): string {
  const { hlc, actor, type, entity, payload } = event;
  return canonicalJson({ actor, entity, hlc, payload, type });
}

/** Hashes and signs a team event. */
export async function sealTeamEvent<T extends TeamEventType>(
  unsigned: Omit<TeamEvent<T>, 'id' | 'sig'>,
  identity: Identity,
): Promise<TeamEvent<T>> {
  const id = await sha256Hex(teamBody(unsigned));
  return { ...unsigned, id, sig: await identity.sign(id) };
}

function checkTeamPayload(event: TeamEvent, label: string): void {
  const payload = event.payload as unknown as Record<string, unknown>;
  const ok =
    event.type === 'member.role.set'
      ? ROLE_CHANGES.has(payload.role as string) &&
        (payload.name === undefined || typeof payload.name === 'string')
      : event.type === 'alias.protection.set'
        ? typeof payload.alias === 'string' && typeof payload.protected === 'boolean'
        : typeof payload.alias === 'string' && typeof payload.modelId === 'string';
  if (!ok) throw new InvalidEventError(label, `its ${event.type} payload is malformed`);
}

async function verifyTeamEvent(candidate: Partial<TeamEvent>, label: string): Promise<TeamEvent> {
  for (const field of ['id', 'hlc', 'actor', 'type', 'entity', 'sig'] as const) {
    if (typeof candidate[field] !== 'string') {
      throw new InvalidEventError(label, `its "${field}" is missing or not text`);
    }
  }
  if (!parseHlc(candidate.hlc as string)) {
    throw new InvalidEventError(label, `its clock stamp "${candidate.hlc}" is malformed`);
  }
  if (!candidate.payload || typeof candidate.payload !== 'object') {
    throw new InvalidEventError(label, 'its payload is missing');
  }
  const event = candidate as TeamEvent;
  checkTeamPayload(event, label);
  let body: string;
  try {
    body = teamBody(event);
  } catch (cause) {
    throw new InvalidEventError(label, `its payload is not plain data (${String(cause)})`);
  }
  if ((await sha256Hex(body)) !== event.id) {
    throw new InvalidEventError(label, 'its content does not match its id (altered)');
  }
  if (!(await verifySignature(event.actor, event.id, event.sig))) {
    throw new InvalidEventError(label, 'its signature does not verify');
  }
  const { id, hlc, actor, type, entity, payload, sig } = event;
  return { id, hlc, actor, type, entity, payload, sig } as TeamEvent;
}

/**
 * Checks any event from the sync document: shape, id = hash of body, signature. Throws
 * `InvalidEventError` otherwise. Roles are checked later, by the `Authority`.
 */
export async function verifySyncEvent(candidate: unknown): Promise<SyncEvent> {
  const event = candidate as { type?: unknown; id?: unknown } | null;
  const label = typeof event?.id === 'string' ? event.id : '(no id)';
  if (!event || typeof event !== 'object') throw new InvalidEventError(label, 'not an object');
  if (typeof event.type === 'string' && TEAM_TYPES.has(event.type)) {
    return verifyTeamEvent(event as Partial<TeamEvent>, label);
  }
  return verifyEvent(candidate);
}

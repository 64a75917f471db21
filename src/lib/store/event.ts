/**
 * The event: the one record of truth. Everything the registry shows is folded from these.
 *
 * `id` is the SHA-256 (hex) of the canonical JSON of the unsigned body
 * `{actor, entity, hlc, payload, type}`; `sig` is the actor's ECDSA P-256 signature over
 * that id, base64url. An event is its own integrity check, and duplicates collapse by id.
 */
import { InvalidEventError } from '../registry/errors';
import type {
  CodeRef,
  DatasetRef,
  FileRef,
  LineageEntityRecord,
  MetricPoint,
} from '../registry/types';
import { sha256Hex } from './bytes';
import { canonicalJson } from './canonical';
import { parseHlc } from './hlc';
import { type Identity, verifySignature } from './identity';

export interface EventPayloads {
  /** entity: actor id. */
  'actor.named': { displayName: string };
  /** entity: model id (derived from the name, see `modelIdFor`). */
  'model.created': { name: string; description: string; tags: Record<string, string> };
  'model.described': { description: string };
  'model.archived': Record<string, never>;
  'model.restored': Record<string, never>;
  /** entity: version id (random). */
  'version.registered': {
    modelId: string;
    requestedNumber: number;
    description: string;
    params: Record<string, string>;
    metrics: Record<string, MetricPoint[]>;
    datasets: DatasetRef[];
    code: CodeRef | null;
    tags: Record<string, string>;
    files: FileRef[];
  };
  'version.described': { modelId: string; description: string };
  'version.archived': { modelId: string };
  'version.restored': { modelId: string };
  /** entity: model or version id; `modelId` names the scope. */
  'tag.set': { modelId: string; target: 'model' | 'version'; key: string; value: string };
  'tag.removed': { modelId: string; target: 'model' | 'version'; key: string };
  /** entity: model id. */
  /**
   * `previous`: the version the alias was on when its author moved it (null: nowhere), so that
   * two moves made apart can be told apart from one after the other. Older events lack it.
   */
  'alias.set': { alias: string; versionId: string; previous?: string | null };
  'alias.removed': { alias: string };
  /**
   * entity: dataset, run or code id. A later record of the same id renames it and updates
   * the fields it carries (last writer wins per field); the kind never changes.
   */
  'lineage.entity.recorded': LineageEntityRecord;
  /**
   * entity: edge id. Parent `from` -> child `to`; `relation` is a lineage relation name. Adding
   * an edge id again (same ends) restores it after a removal.
   */
  'lineage.edge.added': {
    from: string;
    to: string;
    relation: string;
    note?: string;
    weight?: number;
  };
  /** entity: edge id. `observed`: the add events the remover saw (an OR-set remove). */
  'lineage.edge.removed': { observed: string[] };
}

export type EventType = keyof EventPayloads;

export interface UnsignedEvent<T extends EventType = EventType> {
  hlc: string;
  actor: string;
  type: T;
  entity: string;
  payload: EventPayloads[T];
}

export interface StemmaEvent<T extends EventType = EventType> extends UnsignedEvent<T> {
  id: string;
  sig: string;
}

/**
 * Every lineage edge shares one scope: whether an add closes a cycle depends on the order of
 * all edges, so a late edge event replays them all.
 */
export const LINEAGE_EDGE_SCOPE = 'lineage:edges';
/** Each dataset, run or code record is its own scope, like a model. */
export const LINEAGE_ENTITY_SCOPE_PREFIX = 'lineage:entity:';

/** True for scopes the model fold does not project: the log needs a `ScopeFold` for them. */
export function needsScopeFold(scope: string): boolean {
  return scope.startsWith('lineage:');
}

/** The unit the fold replays: a model with everything about it, an actor, or a lineage scope. */
export function scopeOf(event: UnsignedEvent): string {
  const payload = event.payload as { modelId?: string };
  if (event.type === 'actor.named') return `actor:${event.entity}`;
  if (event.type === 'lineage.entity.recorded') return LINEAGE_ENTITY_SCOPE_PREFIX + event.entity;
  if (event.type.startsWith('lineage.edge.')) return LINEAGE_EDGE_SCOPE;
  if (event.type.startsWith('model.') || event.type.startsWith('alias.')) return event.entity;
  return payload.modelId ?? event.entity;
}

/** The bytes an event's id hashes: everything but `id` and `sig`, canonically. */
export function eventBody(event: UnsignedEvent): string {
  const { hlc, actor, type, entity, payload } = event;
  return canonicalJson({ actor, entity, hlc, payload, type });
}

/** Hashes and signs an event. */
export async function sealEvent<T extends EventType>(
  unsigned: UnsignedEvent<T>,
  identity: Identity,
): Promise<StemmaEvent<T>> {
  const id = await sha256Hex(eventBody(unsigned));
  const sig = await identity.sign(id);
  return { ...unsigned, id, sig };
}

const KNOWN_TYPES = new Set<string>([
  'actor.named',
  'model.created',
  'model.described',
  'model.archived',
  'model.restored',
  'version.registered',
  'version.described',
  'version.archived',
  'version.restored',
  'tag.set',
  'tag.removed',
  'alias.set',
  'alias.removed',
  'lineage.entity.recorded',
  'lineage.edge.added',
  'lineage.edge.removed',
]);

/**
 * Checks an event from anywhere (another peer, an import): its shape, that its id is the hash
 * of its body, and that its signature is its actor's. Throws InvalidEventError otherwise.
 */
export async function verifyEvent(candidate: unknown): Promise<StemmaEvent> {
  const event = candidate as Partial<StemmaEvent> | null;
  const label = typeof event?.id === 'string' ? event.id : '(no id)';
  if (!event || typeof event !== 'object') throw new InvalidEventError(label, 'not an object');
  for (const field of ['id', 'hlc', 'actor', 'type', 'entity', 'sig'] as const) {
    if (typeof event[field] !== 'string') {
      throw new InvalidEventError(label, `its "${field}" is missing or not text`);
    }
  }
  if (!KNOWN_TYPES.has(event.type as string)) {
    throw new InvalidEventError(label, `its type "${event.type}" is unknown`);
  }
  if (!parseHlc(event.hlc as string)) {
    throw new InvalidEventError(label, `its clock stamp "${event.hlc}" is malformed`);
  }
  if (!event.payload || typeof event.payload !== 'object') {
    throw new InvalidEventError(label, 'its payload is missing');
  }

  const sealed = event as StemmaEvent;
  let body: string;
  try {
    body = eventBody(sealed);
  } catch (cause) {
    throw new InvalidEventError(label, `its payload is not plain data (${String(cause)})`);
  }
  if ((await sha256Hex(body)) !== sealed.id) {
    throw new InvalidEventError(label, 'its content does not match its id (altered)');
  }
  if (!(await verifySignature(sealed.actor, sealed.id, sealed.sig))) {
    throw new InvalidEventError(label, 'its signature does not verify');
  }
  const { id, hlc, actor, type, entity, payload, sig } = sealed;
  return { id, hlc, actor, type, entity, payload, sig };
}

/** Total order of the fold: clock stamp, then id. */
export function compareEvents(a: { hlc: string; id: string }, b: { hlc: string; id: string }) {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

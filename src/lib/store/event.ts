/**
 * The event: the one record of truth. Everything the registry shows is folded from these.
 *
 * `id` is the SHA-256 (hex) of the canonical JSON of the unsigned body
 * `{actor, entity, hlc, payload, type}`; `sig` is the actor's ECDSA P-256 signature over
 * that id, base64url. An event is its own integrity check, and duplicates collapse by id.
 */
import type { CodeRef, DatasetRef, FileRef, MetricPoint } from '../registry/types';

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
  'alias.set': { alias: string; versionId: string };
  'alias.removed': { alias: string };
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

/** The model a given event belongs to: the unit the fold replays. */
export function scopeOf(event: UnsignedEvent): string {
  const payload = event.payload as { modelId?: string };
  if (event.type === 'actor.named') return `actor:${event.entity}`;
  if (event.type.startsWith('model.') || event.type.startsWith('alias.')) return event.entity;
  return payload.modelId ?? event.entity;
}

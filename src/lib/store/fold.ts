/**
 * The model fold: how each event about models, versions, aliases, tags and actors changes the
 * projections (lineage events fold through the `ScopeFold`s the log is opened with). It is
 * synchronous on purpose: it runs inside IndexedDB transactions, which must not wait on
 * anything but their own requests. Events are applied in `(hlc, id)` order; an event that
 * refers to something the fold has not seen (a version of a model whose creation has not
 * arrived) changes nothing, and when the missing event arrives it sorts earlier, so its scope
 * is replayed and the waiting event then applies. Rules:
 * - Model ids derive from names, so two peers creating the same name create one model; a
 *   later creation counts as a description and tag update.
 * - Fields are last-writer-wins in fold order; tags are set and removed per key.
 * - Version numbers are handed out in fold order, 1, 2, 3 per model. A version whose author
 *   saw another number keeps it as `requestedNumber`, which the UI reports as a renumbering.
 * - Nothing is deleted: archive and restore flip a flag.
 */
import { MissingScopeFoldError } from './errors';
import { indexValue } from './index-value';
import { scopeOf, type EventPayloads, type EventType, type StemmaEvent } from './event';
import { hlcTime } from './hlc';
import type { IndexPair, ModelRow, VersionRow } from './schema';
import type { ProjectionView } from './view';
import type { MetricPoint } from '../registry/types';

/** The event types this fold projects; lineage events go to their `ScopeFold`s instead. */
type ModelEventType = Exclude<EventType, `lineage.${string}`>;

type Handler<T extends EventType> = (
  view: ProjectionView,
  event: StemmaEvent<T>,
  at: number,
) => void;

/** Applies one event to the projections in `view`. */
export function applyEvent(view: ProjectionView, event: StemmaEvent): void {
  const handler = handlers[event.type as ModelEventType] as Handler<EventType> | undefined;
  if (!handler) throw new MissingScopeFoldError(scopeOf(event), event.type);
  handler(view, event, hlcTime(event.hlc));
}

/** Applies events that are already in `(hlc, id)` order. */
export function applyEvents(view: ProjectionView, events: StemmaEvent[]): void {
  for (const event of events) applyEvent(view, event);
}

export function tagPairs(tags: Record<string, string>): IndexPair[] {
  return Object.keys(tags)
    .sort()
    .map((key) => [key, tags[key]]);
}

function effectiveTags(model: ModelRow, version: VersionRow): IndexPair[] {
  return tagPairs({ ...model.tags, ...version.tags });
}

/** The latest point of a curve: highest step, then latest timestamp, then last recorded. */
export function latestPoint(points: MetricPoint[]): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (const point of points) {
    if (
      !best ||
      point.step > best.step ||
      (point.step === best.step && point.timestamp >= best.timestamp)
    ) {
      best = point;
    }
  }
  return best;
}

function touchModel(view: ProjectionView, modelId: string, at: number) {
  const model = view.getModel(modelId);
  if (model && at > model.updatedAt) view.putModel({ ...model, updatedAt: at });
}

function versionInScope(view: ProjectionView, id: string, modelId: string) {
  const version = view.getVersion(id);
  return version && version.modelId === modelId ? version : undefined;
}

function setModelTags(
  view: ProjectionView,
  model: ModelRow,
  tags: Record<string, string>,
  at: number,
) {
  const next: ModelRow = { ...model, tags, tkv: tagPairs(tags), updatedAt: at };
  view.putModel(next);
  for (const version of view.versionsOfModel(model.id)) {
    view.putVersion({ ...version, tkv: effectiveTags(next, version) });
  }
}

const handlers: { [T in ModelEventType]: Handler<T> } = {
  'actor.named'(view, event, at) {
    view.putActor({ id: event.entity, displayName: event.payload.displayName, updatedAt: at });
  },

  'model.created'(view, event, at) {
    const { name, description, tags } = event.payload;
    const existing = view.getModel(event.entity);
    if (existing) {
      if (description) view.putModel({ ...existing, description, updatedAt: at });
      const merged = { ...existing.tags, ...tags };
      setModelTags(view, view.getModel(event.entity)!, merged, at);
      return;
    }
    view.putModel({
      id: event.entity,
      name,
      nameLower: name.toLowerCase(),
      description,
      tags: { ...tags },
      tkv: tagPairs(tags),
      archived: 0,
      createdAt: at,
      createdBy: event.actor,
      updatedAt: at,
      versionCount: 0,
      latestVersion: 0,
    });
  },

  'model.described'(view, event, at) {
    const model = view.getModel(event.entity);
    if (model) view.putModel({ ...model, description: event.payload.description, updatedAt: at });
  },

  'model.archived'(view, event, at) {
    const model = view.getModel(event.entity);
    if (model) view.putModel({ ...model, archived: 1, updatedAt: at });
  },

  'model.restored'(view, event, at) {
    const model = view.getModel(event.entity);
    if (model) view.putModel({ ...model, archived: 0, updatedAt: at });
  },

  'version.registered'(view, event, at) {
    const payload = event.payload;
    const model = view.getModel(payload.modelId);
    if (!model || view.getVersion(event.entity)) return;
    const number = model.versionCount + 1;
    view.putModel({ ...model, versionCount: number, latestVersion: number, updatedAt: at });
    view.putVersion(versionRow(event, model, number, at));
    view.addMetrics(
      Object.entries(payload.metrics).flatMap(([key, points]) =>
        points.map((point, seq) => ({ ...point, versionId: event.entity, key, seq })),
      ),
    );
    view.addFiles(payload.files.map((file) => ({ ...file, versionId: event.entity })));
  },

  'version.described'(view, event, at) {
    const version = versionInScope(view, event.entity, event.payload.modelId);
    if (!version) return;
    view.putVersion({ ...version, description: event.payload.description, updatedAt: at });
    touchModel(view, version.modelId, at);
  },

  'version.archived'(view, event, at) {
    const version = versionInScope(view, event.entity, event.payload.modelId);
    if (!version) return;
    view.putVersion({ ...version, archived: 1, updatedAt: at });
    touchModel(view, version.modelId, at);
  },

  'version.restored'(view, event, at) {
    const version = versionInScope(view, event.entity, event.payload.modelId);
    if (!version) return;
    view.putVersion({ ...version, archived: 0, updatedAt: at });
    touchModel(view, version.modelId, at);
  },

  'tag.set'(view, event, at) {
    changeTag(view, event.entity, event.payload, at, event.payload.value);
  },

  'tag.removed'(view, event, at) {
    changeTag(view, event.entity, event.payload, at, null);
  },

  'alias.set'(view, event, at) {
    const { alias, versionId } = event.payload;
    const target = versionInScope(view, versionId, event.entity);
    if (!target) return;
    const previous = view.getAlias(event.entity, alias);
    if (previous && previous.versionId !== versionId) {
      dropAliasFromVersion(view, previous.versionId, alias, at);
    }
    const current = view.getVersion(versionId)!;
    if (!current.aliases.includes(alias)) {
      const aliases = [...current.aliases, alias].sort();
      view.putVersion({ ...current, aliases, updatedAt: at });
    }
    view.putAlias({ modelId: event.entity, alias, versionId, setAt: at, setBy: event.actor });
    touchModel(view, event.entity, at);
  },

  'alias.removed'(view, event, at) {
    const { alias } = event.payload;
    const previous = view.getAlias(event.entity, alias);
    if (!previous) return;
    dropAliasFromVersion(view, previous.versionId, alias, at);
    view.deleteAlias(event.entity, alias);
    touchModel(view, event.entity, at);
  },
};

function dropAliasFromVersion(view: ProjectionView, versionId: string, alias: string, at: number) {
  const version = view.getVersion(versionId);
  if (!version) return;
  view.putVersion({
    ...version,
    aliases: version.aliases.filter((a) => a !== alias),
    updatedAt: at,
  });
}

function changeTag(
  view: ProjectionView,
  entity: string,
  payload: EventPayloads['tag.removed'],
  at: number,
  value: string | null,
) {
  const model = view.getModel(payload.modelId);
  if (!model) return;
  if (payload.target === 'model') {
    if (entity !== model.id) return;
    const tags = { ...model.tags };
    if (value === null) delete tags[payload.key];
    else tags[payload.key] = value;
    setModelTags(view, model, tags, at);
    return;
  }
  const version = versionInScope(view, entity, model.id);
  if (!version) return;
  const tags = { ...version.tags };
  if (value === null) delete tags[payload.key];
  else tags[payload.key] = value;
  const next = { ...version, tags, updatedAt: at };
  view.putVersion({ ...next, tkv: effectiveTags(model, next) });
  touchModel(view, model.id, at);
}

function versionRow(
  event: StemmaEvent<'version.registered'>,
  model: ModelRow,
  number: number,
  at: number,
): VersionRow {
  const payload = event.payload;
  const metrics: Record<string, number> = {};
  for (const [key, points] of Object.entries(payload.metrics)) {
    const latest = latestPoint(points);
    if (latest) metrics[key] = latest.value;
  }
  const row: VersionRow = {
    id: event.entity,
    modelId: model.id,
    modelName: model.name,
    nameLower: model.nameLower,
    number,
    requestedNumber: payload.requestedNumber,
    description: payload.description,
    params: { ...payload.params },
    metrics,
    tags: { ...payload.tags },
    aliases: [],
    datasets: payload.datasets,
    code: payload.code,
    files: payload.files,
    archived: 0,
    createdAt: at,
    createdBy: event.actor,
    updatedAt: at,
    tkv: [],
    pkv: Object.keys(payload.params)
      .sort()
      .map((key) => [key, indexValue(payload.params[key])]),
    mkv: Object.keys(metrics)
      .sort()
      .map((key) => [key, metrics[key]]),
  };
  row.tkv = effectiveTags(model, row);
  return row;
}

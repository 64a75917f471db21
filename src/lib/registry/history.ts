/**
 * History, alias history and "as of" views: all read from the event log of a model, with the
 * lineage events that touch its versions.
 */
import {
  isLineageEvent,
  lineageContext,
  lineageEntityOf,
  lineageEventsAbout,
  lineageModelOf,
  summariseLineage,
  type LineageHistoryContext,
} from './lineage-history';
import type { RegistryReads } from './registry-reads';
import { toModel, toVersion } from './rows';
import type { AliasMove, EntityRef, HistoryEntityRef, HistoryEntry, ModelSnapshot } from './types';
import { compareEvents, scopeOf, type StemmaEvent } from '../store/event';
import { applyEvents } from '../store/fold';
import { hlcTime } from '../store/hlc';
import { MemoryView } from '../store/view';

async function actorNames(registry: RegistryReads, events: StemmaEvent[]) {
  const ids = [...new Set(events.map((event) => event.actor))];
  const rows = await registry.log.db.actors.bulkGet(ids);
  const names = new Map<string, string>();
  ids.forEach((id, index) => names.set(id, rows[index]?.displayName || `peer ${id.slice(0, 8)}`));
  return names;
}

/** Version numbers of every version an event mentions, in one bulk read. */
async function numbersOf(registry: RegistryReads, events: StemmaEvent[]) {
  const ids = new Set<string>();
  for (const event of events) {
    ids.add(event.entity);
    const target = (event.payload as { versionId?: string }).versionId;
    if (target) ids.add(target);
  }
  const list = [...ids];
  const rows = await registry.log.db.versions.bulkGet(list);
  const numbers = new Map<string, number>();
  rows.forEach((row, index) => row && numbers.set(list[index], row.number));
  return numbers;
}

async function versionNumbers(registry: RegistryReads, modelId: string) {
  const numbers = new Map<string, number>();
  await registry.log.db.versions
    .where('modelId')
    .equals(modelId)
    .each((row) => numbers.set(row.id, row.number));
  return numbers;
}

function summarise(
  event: StemmaEvent,
  numbers: Map<string, number>,
  lineage: LineageHistoryContext,
  again: boolean,
): string {
  const v = (id: string) => (numbers.has(id) ? `v${numbers.get(id)}` : 'a version');
  const payload = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'model.created':
      return `created model ${payload.name}`;
    case 'model.described':
      return 'edited the model description';
    case 'model.archived':
      return 'archived the model';
    case 'model.restored':
      return 'restored the model';
    case 'version.registered':
      return `registered ${v(event.entity)}`;
    case 'version.described':
      return `edited the description of ${v(event.entity)}`;
    case 'version.archived':
      return `archived ${v(event.entity)}`;
    case 'version.restored':
      return `restored ${v(event.entity)}`;
    case 'tag.set': {
      const where = payload.target === 'model' ? 'the model' : v(event.entity);
      return `set tag ${payload.key}=${payload.value} on ${where}`;
    }
    case 'tag.removed': {
      const where = payload.target === 'model' ? 'the model' : v(event.entity);
      return `removed tag ${payload.key} from ${where}`;
    }
    case 'alias.set':
      return `set alias @${payload.alias} → ${v(payload.versionId as string)}`;
    case 'alias.removed':
      return `removed alias @${payload.alias}`;
    case 'actor.named':
      return `is now called ${payload.displayName}`;
    case 'lineage.entity.recorded':
    case 'lineage.edge.added':
    case 'lineage.edge.removed':
      return summariseLineage(event, lineage, again);
  }
}

function entityOf(event: StemmaEvent): HistoryEntityRef {
  if (isLineageEvent(event)) return lineageEntityOf(event);
  const isVersion =
    event.type.startsWith('version.') ||
    ((event.type === 'tag.set' || event.type === 'tag.removed') &&
      (event.payload as { target: string }).target === 'version');
  return { kind: isVersion ? 'version' : 'model', id: event.entity };
}

/**
 * Every change to a model (with its versions and aliases) or to one version, oldest first,
 * with the lineage links recorded, removed or restored on its versions.
 */
export async function history(registry: RegistryReads, target: EntityRef): Promise<HistoryEntry[]> {
  const modelId =
    target.kind === 'model'
      ? (await registry.modelRow(target.id)).id
      : (await registry.getVersionById(target.id)).modelId;
  let events = await registry.log.scopeEvents(modelId);
  if (target.kind === 'version') {
    events = events.filter(
      (event) =>
        event.entity === target.id ||
        (event.type === 'alias.set' &&
          (event.payload as { versionId: string }).versionId === target.id),
    );
  }
  const numbers = await versionNumbers(registry, modelId);
  const touched = target.kind === 'version' ? [target.id] : [...numbers.keys()];
  const lineage = await lineageEventsAbout(registry.log.db, touched);
  return describeEvents(registry, [...events, ...lineage].sort(compareEvents), numbers);
}

/** Every change to one lineage node (a version or a record): its records and its links. */
export async function lineageHistory(registry: RegistryReads, id: string): Promise<HistoryEntry[]> {
  const events = await lineageEventsAbout(registry.log.db, [id]);
  return describeEvents(registry, events.sort(compareEvents), await numbersOf(registry, events));
}

/** Event ids whose edge or record has an earlier add or record among `events`. */
function repeats(events: StemmaEvent[]): Set<string> {
  const seen = new Set<string>();
  const again = new Set<string>();
  for (const event of [...events].sort(compareEvents)) {
    if (event.type !== 'lineage.edge.added' && event.type !== 'lineage.entity.recorded') continue;
    if (seen.has(event.entity)) again.add(event.id);
    seen.add(event.entity);
  }
  return again;
}

async function describeEvents(
  registry: RegistryReads,
  events: StemmaEvent[],
  numbers: Map<string, number>,
): Promise<HistoryEntry[]> {
  const names = await actorNames(registry, events);
  const lineage = await lineageContext(registry.log.db, events);
  const again = repeats(events);
  return events.map((event) => {
    const scope = scopeOf(event);
    const modelId = isLineageEvent(event)
      ? lineageModelOf(event, lineage)
      : scope.startsWith('actor:')
        ? null
        : scope;
    return {
      eventId: event.id,
      type: event.type,
      entity: entityOf(event),
      modelId,
      at: hlcTime(event.hlc),
      hlc: event.hlc,
      actor: event.actor,
      actorName: names.get(event.actor)!,
      summary: summarise(event, numbers, lineage, again.has(event.id)),
      payload: event.payload,
    };
  });
}

/** The newest `limit` events of the whole log, newest first, walking the clock index. */
export async function recentHistory(
  registry: RegistryReads,
  limit: number,
  beforeHlc?: string,
): Promise<HistoryEntry[]> {
  const table = registry.log.db.events;
  const range = beforeHlc ? table.where('hlc').below(beforeHlc) : table.orderBy('hlc');
  const rows = await range
    .reverse()
    .limit(Math.max(1, Math.min(limit, 1000)))
    .toArray();
  const events = rows.map(({ scope: _scope, ...event }) => event as StemmaEvent);
  return describeEvents(registry, events, await numbersOf(registry, events));
}

/** Where an alias (or every alias of a model) pointed over time, oldest first. */
export async function aliasHistory(
  registry: RegistryReads,
  model: string,
  alias?: string,
): Promise<AliasMove[]> {
  const row = await registry.modelRow(model);
  const events = (await registry.log.scopeEvents(row.id)).filter(
    (event) =>
      (event.type === 'alias.set' || event.type === 'alias.removed') &&
      (alias === undefined || (event.payload as { alias: string }).alias === alias),
  ) as StemmaEvent<'alias.set' | 'alias.removed'>[];
  const names = await actorNames(registry, events);
  const numbers = await versionNumbers(registry, row.id);
  return events.map((event) => {
    const versionId =
      event.type === 'alias.set' ? (event.payload as { versionId: string }).versionId : null;
    return {
      alias: event.payload.alias,
      version: versionId ? (numbers.get(versionId) ?? null) : null,
      versionId,
      at: hlcTime(event.hlc),
      actor: event.actor,
      actorName: names.get(event.actor)!,
      eventId: event.id,
    };
  });
}

/** Folds a model's events up to `time` in memory: the model as it stood then. */
export async function asOf(
  registry: RegistryReads,
  model: string,
  time: number,
): Promise<ModelSnapshot> {
  const row = await registry.modelRow(model);
  const events = (await registry.log.scopeEvents(row.id)).filter(
    (event) => hlcTime(event.hlc) <= time,
  );
  const view = new MemoryView();
  applyEvents(view, events);
  const past = view.models.get(row.id);
  if (!past) return { at: time, model: null, versions: [] };
  const versions = [...view.versions.values()].sort((a, b) => a.number - b.number);
  const aliases: Record<string, number> = {};
  for (const alias of view.aliases.values()) {
    const target = view.versions.get(alias.versionId);
    if (target) aliases[alias.alias] = target.number;
  }
  return { at: time, model: toModel(past, aliases), versions: versions.map(toVersion) };
}

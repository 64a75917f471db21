/**
 * What a lineage record's page shows, worked out apart from the markup: a run's status and
 * times (kept in its environment, under MLflow's names or plain ones), the environment
 * without them, and the record's links split into what it came from and what came from it.
 */
import type { LineageEdgeInfo, LineageEntity } from '$lib/registry/lineage-types';
import type { RunFields } from '$lib/registry/types';

/** Environment keys that hold a run's status and times, in the order they are tried. */
const STATUS_KEYS = ['mlflow.status', 'status'];
const START_KEYS = ['mlflow.start_time', 'start_time', 'started'];
const END_KEYS = ['mlflow.end_time', 'end_time', 'ended'];

export interface RunSummary {
  status: string | null;
  /** Milliseconds since the epoch, or null when unknown or unreadable. */
  start: number | null;
  end: number | null;
  /** The rest of the environment, sorted by key, for a table. */
  environment: [string, string][];
}

function first(environment: Record<string, string>, keys: string[]): string | null {
  for (const key of keys) if (environment[key]) return environment[key];
  return null;
}

function time(value: string | null): number | null {
  if (value === null) return null;
  // Epoch milliseconds as MLflow stores them, or an ISO date as the importer writes it.
  const ms = /^\d{10,}$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export function runSummary(fields: RunFields): RunSummary {
  const environment = fields.environment ?? {};
  const shown = new Set([...STATUS_KEYS, ...START_KEYS, ...END_KEYS]);
  return {
    status: first(environment, STATUS_KEYS),
    start: time(first(environment, START_KEYS)),
    end: time(first(environment, END_KEYS)),
    environment: Object.entries(environment)
      .filter(([key]) => !shown.has(key))
      .sort(([a], [b]) => a.localeCompare(b)),
  };
}

/** `12 s`, `3 min 4 s`, `2 h 5 min` between two times. */
export function formatDuration(start: number, end: number): string {
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The record's links: `used` point at it (its parents), `produced` leave it (its children). */
export function splitLinks(id: string, edges: LineageEdgeInfo[]) {
  return {
    used: edges.filter((edge) => edge.to === id),
    produced: edges.filter((edge) => edge.from === id),
  };
}

export const KIND_LABELS: Record<LineageEntity['kind'], string> = {
  dataset: 'Dataset',
  run: 'Run',
  code: 'Code',
};

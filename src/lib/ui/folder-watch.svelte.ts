/**
 * Watched folders for the whole app: the layout starts the rescan timer once the registry
 * opens, so folders are rescanned every few minutes on any page, and the Import page's panel
 * shows the same folders, scans and last reports.
 */
import {
  FolderWatcher,
  openFolderWatcher,
  RESCAN_MS,
  RescanService,
  type ScanReport,
  type WatchedFolder,
} from '$lib/interop/watch';
import type { MlflowImportSummary } from '$lib/interop/mlflow';
import { logger } from '$lib/logging/logger';
import type { Registry } from '$lib/registry/api';
import { errorMessage } from './form-errors';
import { suggestFields } from './model-file-prefill';
import { notices } from './notices.svelte';

const log = logger('watch');

export type FolderView = WatchedFolder & { access: PermissionState };

/**
 * The rescan interval: five minutes, unless `localStorage['stemma.rescanMs']` asks for
 * another (at least a second), so a user can rescan more often and a test need not wait.
 */
function rescanInterval(): number {
  try {
    const asked = Number(localStorage.getItem('stemma.rescanMs'));
    if (Number.isFinite(asked) && asked >= 1000) return asked;
  } catch {
    // No storage (private mode): the default stands.
  }
  return RESCAN_MS;
}

/** What a report added, in a few words for a notice; null when it added nothing. */
export function reportNews(report: ScanReport): string | null {
  const parts: string[] = [];
  if (report.registered.length > 0) parts.push(`${report.registered.length} new versions`);
  const added = report.mlflow?.summary?.added;
  if (added && added.runs + added.versions + added.loggedModels + added.metricPoints > 0) {
    parts.push(
      `MLflow: ${added.runs} runs, ${added.versions + added.loggedModels} versions, ` +
        `${added.metricPoints} metric points`,
    );
  }
  return parts.length > 0 ? `${report.folder}: ${parts.join('; ')} imported.` : null;
}

export class FolderWatchState {
  readonly supported = FolderWatcher.supported();
  folders = $state.raw<FolderView[]>([]);
  reports = $state.raw<Record<string, ScanReport>>({});
  /**
   * Each folder's last MLflow import: rescans that find nothing new must not hide what the
   * last one imported.
   */
  imports = $state.raw<Record<string, { summary: MlflowImportSummary; at: number }>>({});
  scanning = $state<string | null>(null);
  #service: RescanService | null = null;
  /** Callers of `ready()` from before the layout started the watcher. */
  #waiting: ((watcher: FolderWatcher) => void)[] = [];

  /** Starts the timer over `registry`'s watched folders; returns the stop. */
  start(registry: Registry): () => void {
    if (!this.supported) return () => {};
    this.stop();
    const watcher = openFolderWatcher(registry, { suggest: suggestFields });
    const service = new RescanService(
      watcher,
      {
        onScanning: (id) => (this.scanning = id),
        onReport: (id, report) => {
          this.reports = { ...this.reports, [id]: report };
          const summary = report.mlflow?.summary;
          if (summary) this.imports = { ...this.imports, [id]: { summary, at: Date.now() } };
          const news = reportNews(report);
          if (news) notices.success(news);
          log.info('folder scanned', { folder: report.folder, news });
          void this.refresh();
        },
        onError: (id, error) => {
          log.warn('timed rescan failed', { id, error: errorMessage(error) });
          notices.error(error);
        },
      },
      rescanInterval(),
    );
    this.#service = service;
    this.#service.start();
    for (const resolve of this.#waiting.splice(0)) resolve(service.watcher);
    void this.refresh();
    return () => this.stop();
  }

  stop(): void {
    this.#service?.stop();
    this.#service = null;
  }

  /**
   * The watcher, once the layout has started it: just after the app's first paint, so a page
   * opened directly may ask a moment before.
   */
  ready(): Promise<FolderWatcher> {
    if (this.#service) return Promise.resolve(this.#service.watcher);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  get watcher(): FolderWatcher {
    if (!this.#service) throw new Error('Watched folders start once the registry is open.');
    return this.#service.watcher;
  }

  async refresh(): Promise<void> {
    if (!this.#service) return;
    const watcher = this.#service.watcher;
    const rows = await watcher.list();
    this.folders = await Promise.all(
      rows.map(async (row) => ({ ...row, access: await watcher.permission(row) })),
    );
  }

  /** Scans one folder now (after any scan running); failures become notices. */
  async scan(id: string): Promise<void> {
    if (!this.#service) return;
    try {
      await this.#service.scan(id);
    } catch (problem) {
      notices.error(problem);
    } finally {
      await this.refresh();
    }
  }
}

export const folderWatch = new FolderWatchState();

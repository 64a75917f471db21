/**
 * Rescans every watched folder the browser may read, every few minutes, for as long as the
 * app is open (the layout starts it once the registry opens), whichever page is showing.
 * Scans run one at a time: a scan the user asks for and a timed one never overlap, so the
 * same new file is never registered twice. Folders whose access lapsed (after a restart) are
 * left for the user to allow again; the timer never prompts.
 */
import type { FolderWatcher, ScanReport } from './folder-watcher';

export const RESCAN_MS = 5 * 60_000;

export interface RescanHooks {
  /** After every scan, timed or asked for. */
  onReport?: (id: string, report: ScanReport) => void;
  /** A scan that failed; the next one goes on. */
  onError?: (id: string, error: unknown) => void;
  /** When a scan starts (`id`) and ends (`null`). */
  onScanning?: (id: string | null) => void;
}

export class RescanService {
  #timer: ReturnType<typeof setInterval> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly watcher: FolderWatcher,
    private readonly hooks: RescanHooks = {},
    readonly intervalMs = RESCAN_MS,
  ) {}

  get running(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.rescanGranted(), this.intervalMs);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Scans one folder after any scan already running; rejects with the scan's error. */
  scan(id: string): Promise<ScanReport> {
    const next = this.#queue.then(async () => {
      this.hooks.onScanning?.(id);
      try {
        const report = await this.watcher.scan(id);
        this.hooks.onReport?.(id, report);
        return report;
      } finally {
        this.hooks.onScanning?.(null);
      }
    });
    // The queue goes on after a failure; the caller still sees it.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Scans every folder with read access granted; returns the reports by folder id. */
  async rescanGranted(): Promise<Map<string, ScanReport>> {
    const reports = new Map<string, ScanReport>();
    for (const row of await this.watcher.list()) {
      if ((await this.watcher.permission(row)) !== 'granted') continue;
      try {
        reports.set(row.id, await this.scan(row.id));
      } catch (error) {
        this.hooks.onError?.(row.id, error);
      }
    }
    return reports;
  }
}

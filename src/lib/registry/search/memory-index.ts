/**
 * The in-memory copy of every version's searchable fields (`VersionColumns`) for one open
 * workspace database, and how it stays current.
 *
 * Building reads the versions table in chunks, in the background; until it is done, and
 * whenever it cannot be trusted, searches take the IndexedDB path of `execute.ts`. The copy
 * carries the version journal's stamp (see `store/version-journal.ts`) from when the build
 * began. Each search, inside its read transaction, asks the journal what changed since and
 * re-reads just those rows, so that what it answers from is exactly what that transaction
 * sees, whichever tab, peer or import wrote it. When the journal cannot say, the copy is
 * dropped and built again.
 *
 * A built copy is saved (`memory-snapshot.ts`) and kept fresh every few journal entries, so
 * that the next tab loads one row and catches up instead of reading every version. Past
 * `MAX_VERSIONS` no copy is made: the memory it would take is not worth it, and searches stay
 * on IndexedDB.
 */
import { logger } from '../../logging/logger';
import type { WorkspaceDb } from '../../store/schema';
import {
  journalStamp,
  startJournal,
  versionChangesSince,
  type JournalStamp,
} from '../../store/version-journal';
import { searchFields, VersionColumns } from './columns';
import { loadColumns, saveColumns } from './memory-snapshot';

const log = logger('search');

/** Rows per read while building: small enough to keep the page responsive between reads. */
const BUILD_CHUNK = 2_000;
/** More changed rows than this are cheaper to take in by building again. */
const MAX_CATCH_UP = 5_000;
/** A build a search asks for waits this long, so that the page first shows what it found. */
const WARM_DELAY_MS = 500;
/** About 400 bytes a version; a registry larger than this searches through IndexedDB. */
export const MAX_VERSIONS = 500_000;
/** The saved copy is renewed once the journal has moved this far past it (it keeps 64). */
const SAVE_EVERY = 16;
const SAVE_DELAY_MS = 2_000;

export class MemoryIndex {
  private columns: VersionColumns | null = null;
  private stamp: JournalStamp | null = null;
  private building: Promise<void> | null = null;
  private scheduled: ReturnType<typeof setTimeout> | null = null;
  /** After a discard the saved copy is not to be trusted either: build from the versions. */
  private fromScratch = false;
  /** Set when the registry is past `MAX_VERSIONS`. */
  private tooLarge = false;
  private savedSeq = -Infinity;
  private saving: ReturnType<typeof setTimeout> | null = null;
  /** Searches in flight; the build waits between chunks while there are any. */
  private searches = 0;
  private resumeBuild: (() => void) | null = null;

  constructor(private readonly db: WorkspaceDb) {}

  /** True once a build has finished and nothing has made the copy untrustworthy since. */
  get ready(): boolean {
    return this.columns !== null;
  }

  /**
   * Starts a build unless one is running or done. Resolves true when the copy is ready, false
   * when there will be none (the registry is past `MAX_VERSIONS`).
   */
  async warm(): Promise<boolean> {
    if (this.columns) return true;
    if (this.tooLarge) return false;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    await this.building;
    return this.columns !== null;
  }

  /** Starts a build a little later, unless the copy is built, building or about to be. */
  warmSoon(): void {
    if (this.columns || this.building || this.scheduled || this.tooLarge) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      if (!this.db.isOpen()) return;
      this.warm().catch((error) => log.warn('could not build the in-memory search index', error));
    }, WARM_DELAY_MS);
  }

  /**
   * The copy brought up to the calling transaction's state, or null when it cannot be (not
   * built, or this transaction sees an older state). Call inside a read transaction over
   * `versions` and `meta`; nothing may await between this and using the columns.
   */
  async current(): Promise<VersionColumns | null> {
    const columns = this.columns;
    const stamp = this.stamp;
    if (!columns || !stamp) return null;

    const changes = await versionChangesSince(this.db, stamp);
    // Another search moved the copy on meanwhile: it may now be ahead of this transaction.
    const movedOn = () => this.columns !== columns || this.stamp !== stamp;
    if (movedOn() || changes.kind === 'older') return null;
    if (changes.kind === 'unknown' || changes.ids.size > MAX_CATCH_UP) {
      this.discard('the version journal no longer covers the copy');
      return null;
    }
    if (changes.stamp.seq === stamp.seq) return columns;

    const ids = [...changes.ids];
    const rows = await this.db.versions.bulkGet(ids);
    if (movedOn()) return null;
    rows.forEach((row, index) => {
      if (row) columns.put(searchFields(row));
      else columns.delete(ids[index]);
    });
    this.stamp = changes.stamp;
    if (changes.stamp.seq - this.savedSeq >= SAVE_EVERY) this.saveSoon();
    return columns;
  }

  /**
   * Marks a search as running until the returned function is called. The build reads no
   * further chunk meanwhile, so that a search while the copy builds is not slowed by it.
   */
  hold(): () => void {
    this.searches += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.searches -= 1;
      if (this.searches === 0) this.resumeBuild?.();
    };
  }

  /** Forgets the copy and builds it again in the background, a little later. */
  discard(reason: string): void {
    log.info('rebuilding the in-memory search index', { reason });
    this.columns = null;
    this.stamp = null;
    this.fromScratch = true;
    // Called inside a search's transaction: the build must start outside it, on a timer.
    this.warmSoon();
  }

  /** Saves the copy a little later, once, however many searches ask meanwhile. */
  private saveSoon(): void {
    if (this.saving) return;
    this.saving = setTimeout(() => {
      this.saving = null;
      const { columns, stamp } = this;
      // A workspace closed meanwhile (switched, or a test's end) has nothing to save.
      if (!columns || !stamp || !this.db.isOpen()) return;
      this.savedSeq = stamp.seq;
      saveColumns(this.db, columns, stamp).catch((error) =>
        log.warn('could not save the search index; the next tab builds its own', error),
      );
    }, SAVE_DELAY_MS);
  }

  private async build(): Promise<void> {
    if (!this.fromScratch) {
      const saved = await loadColumns(this.db);
      if (saved) {
        // The first search catches it up through the journal, or finds it too old.
        this.columns = saved.columns;
        this.stamp = saved.stamp;
        this.savedSeq = saved.stamp.seq;
        log.debug('loaded the saved search index', { versions: saved.columns.count });
        return;
      }
    }
    await this.buildFromVersions();
    if (this.columns) this.saveSoon();
  }

  private async buildFromVersions(): Promise<void> {
    const db = this.db;
    const started = performance.now();
    const columns = new VersionColumns();
    let stamp: JournalStamp | null = null;
    let after: string | null = null;
    await startJournal(db);

    for (;;) {
      while (this.searches > 0) {
        await new Promise<void>((resolve) => (this.resumeBuild = resolve));
      }
      this.resumeBuild = null;
      const rows = await db.transaction('r', [db.versions, db.meta], async () => {
        // Changes made after this stamp are in the journal, however the chunks interleave.
        stamp ??= await journalStamp(db);
        const rest =
          after === null ? db.versions.toCollection() : db.versions.where(':id').above(after);
        return rest.limit(BUILD_CHUNK).toArray();
      });
      for (const row of rows) columns.put(searchFields(row));
      if (columns.count > MAX_VERSIONS) {
        log.info('too many versions for an in-memory search index', { limit: MAX_VERSIONS });
        this.tooLarge = true;
        return;
      }
      if (rows.length < BUILD_CHUNK) break;
      after = rows[rows.length - 1].id;
      // Let the page paint and other transactions run between chunks.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }

    this.columns = columns;
    this.stamp = stamp;
    log.debug('built the in-memory search index', {
      versions: columns.count,
      ms: Math.round(performance.now() - started),
    });
  }
}

const indexes = new WeakMap<WorkspaceDb, MemoryIndex>();

/** The in-memory index of `db`, created (not built) on first use. */
export function memoryIndexOf(db: WorkspaceDb): MemoryIndex {
  let index = indexes.get(db);
  if (!index) indexes.set(db, (index = new MemoryIndex(db)));
  return index;
}

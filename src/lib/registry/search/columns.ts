/**
 * Every version's searchable fields, held in memory column by column: one slot per version,
 * typed arrays for numbers, dictionary codes for names, tags and parameters. A filter over
 * 100,000 versions is then a loop over arrays (a few milliseconds) instead of 100,000 reads
 * from IndexedDB, where each costs 5 to 15 µs however small the row.
 *
 * A dictionary-coded field is tested once per distinct value, not once per version: a
 * comparison on `tags.team` evaluates each team name once and the loop reads a table.
 *
 * Rows whose pairs do not fit the columns (a key listed twice) are kept whole and tested
 * with `matchesFilter`, so that the columns never change what a filter means.
 */
import type { IndexPair, VersionRow } from '../../store/schema';
import type { SearchFields } from './match';

/** A tag or parameter key: a code per slot (-1: absent) into a list of distinct values. */
export interface CodedColumn {
  codes: Int32Array;
  /** Distinct values: the indexed value and, for parameters, the text as recorded. */
  values: { value: IndexPair[1]; text: string | undefined }[];
  lookup: Map<string, number>;
}

export interface NameEntry {
  name: string;
  lower: string;
}

const NO_ALIASES: readonly string[] = [];

/**
 * The columns as plain arrays, for IndexedDB to store (typed arrays clone as bytes, so a
 * copy of 100,000 versions saves and loads in tens of milliseconds).
 */
export interface ColumnsSnapshot {
  size: number;
  ids: (string | undefined)[];
  alive: Uint8Array;
  archived: Uint8Array;
  createdAt: Float64Array;
  number: Float64Array;
  nameCode: Int32Array;
  names: NameEntry[];
  aliases: [number, readonly string[]][];
  tags: [string, Pick<CodedColumn, 'codes' | 'values'>][];
  params: [string, Pick<CodedColumn, 'codes' | 'values'>][];
  metrics: [string, Float64Array][];
  irregular: [number, SearchFields][];
}

export class VersionColumns {
  /** Slots in use; a slot at or past this, or with `alive[slot] = 0`, holds nothing. */
  size = 0;
  /** Counts changes, so that what is derived from the columns knows when to derive again. */
  revision = 0;
  capacity = 0;
  ids: (string | undefined)[] = [];
  alive = new Uint8Array(0);
  archived = new Uint8Array(0);
  createdAt = new Float64Array(0);
  number = new Float64Array(0);
  nameCode = new Int32Array(0);
  aliases: (readonly string[])[] = [];
  readonly names: NameEntry[] = [];
  readonly tags = new Map<string, CodedColumn>();
  readonly params = new Map<string, CodedColumn>();
  /** Latest metric values; NaN where a version lacks the metric (as the index skips NaN). */
  readonly metrics = new Map<string, Float64Array>();
  /** Rows the columns cannot represent, tested whole. */
  readonly irregular = new Map<number, SearchFields>();
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private readonly nameCodes = new Map<string, number>();

  constructor(capacity = 1_024) {
    this.grow(capacity);
  }

  /** A copy of the columns as they are now; later changes do not reach it. */
  snapshot(): ColumnsSnapshot {
    const size = this.size;
    const coded = (columns: Map<string, CodedColumn>) =>
      [...columns].map(([key, column]): ColumnsSnapshot['tags'][number] => [
        key,
        { codes: column.codes.slice(0, size), values: [...column.values] },
      ]);
    const aliases: ColumnsSnapshot['aliases'] = [];
    for (let slot = 0; slot < size; slot++) {
      if (this.aliases[slot]?.length) aliases.push([slot, this.aliases[slot]]);
    }
    return {
      size,
      ids: this.ids.slice(0, size),
      alive: this.alive.slice(0, size),
      archived: this.archived.slice(0, size),
      createdAt: this.createdAt.slice(0, size),
      number: this.number.slice(0, size),
      nameCode: this.nameCode.slice(0, size),
      names: [...this.names],
      aliases,
      tags: coded(this.tags),
      params: coded(this.params),
      metrics: [...this.metrics].map(([key, column]) => [key, column.slice(0, size)]),
      irregular: [...this.irregular],
    };
  }

  /** Columns from a snapshot taken by `snapshot()`. */
  static fromSnapshot(saved: ColumnsSnapshot): VersionColumns {
    const columns = new VersionColumns(Math.max(1_024, saved.size));
    columns.size = saved.size;
    columns.alive.set(saved.alive);
    columns.archived.set(saved.archived);
    columns.createdAt.set(saved.createdAt);
    columns.number.set(saved.number);
    columns.nameCode.set(saved.nameCode);
    columns.ids = saved.ids.slice();
    columns.aliases = Array.from({ length: saved.size }, () => NO_ALIASES);
    for (const [slot, aliases] of saved.aliases) columns.aliases[slot] = aliases;
    for (const entry of saved.names) columns.nameCodeOf(entry.name, entry.lower);

    const restore = (target: Map<string, CodedColumn>, coded: ColumnsSnapshot['tags']) => {
      for (const [key, { codes, values }] of coded) {
        const all = new Int32Array(columns.capacity).fill(-1);
        all.set(codes);
        const lookup = new Map(
          values.map((entry, code) => [codeName(entry.value, entry.text), code]),
        );
        target.set(key, { codes: all, values: [...values], lookup });
      }
    };
    restore(columns.tags, saved.tags);
    restore(columns.params, saved.params);
    for (const [key, values] of saved.metrics) {
      const all = new Float64Array(columns.capacity).fill(NaN);
      all.set(values);
      columns.metrics.set(key, all);
    }
    for (const [slot, row] of saved.irregular) columns.irregular.set(slot, row);
    for (let slot = 0; slot < saved.size; slot++) {
      const id = saved.ids[slot];
      if (saved.alive[slot] === 1 && id !== undefined) columns.slots.set(id, slot);
      else columns.free.push(slot);
    }
    return columns;
  }

  /** Number of versions held. */
  get count(): number {
    return this.slots.size;
  }

  slotOf(id: string): number | undefined {
    return this.slots.get(id);
  }

  /** Adds or replaces the version `row.id`. */
  put(row: SearchFields): void {
    const known = this.slots.get(row.id);
    if (known !== undefined) this.clear(known);
    const slot = known ?? this.free.pop() ?? this.size++;
    this.revision += 1;
    if (slot >= this.capacity) this.grow(this.capacity * 2);
    this.slots.set(row.id, slot);

    this.ids[slot] = row.id;
    this.alive[slot] = 1;
    this.archived[slot] = row.archived;
    this.createdAt[slot] = row.createdAt;
    this.number[slot] = row.number;
    this.nameCode[slot] = this.nameCodeOf(row.modelName, row.nameLower);
    this.aliases[slot] = row.aliases.length ? row.aliases : NO_ALIASES;

    const regular =
      this.putCoded(this.tags, slot, row.tkv, () => undefined) &&
      this.putCoded(this.params, slot, row.pkv, (key) => row.params[key]) &&
      this.putMetrics(slot, row.mkv);
    if (!regular) this.irregular.set(slot, row);
  }

  delete(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.clear(slot);
    this.revision += 1;
    this.slots.delete(id);
    this.ids[slot] = undefined;
    this.alive[slot] = 0;
    this.free.push(slot);
  }

  /** Empties a slot's keyed columns, so that a version put there later starts clean. */
  private clear(slot: number): void {
    for (const column of this.tags.values()) column.codes[slot] = -1;
    for (const column of this.params.values()) column.codes[slot] = -1;
    for (const column of this.metrics.values()) column[slot] = NaN;
    this.irregular.delete(slot);
  }

  private nameCodeOf(name: string, lower: string): number {
    let code = this.nameCodes.get(name);
    if (code === undefined) {
      code = this.names.push({ name, lower }) - 1;
      this.nameCodes.set(name, code);
    }
    return code;
  }

  /** False when a key appears twice, which one code per slot cannot hold. */
  private putCoded(
    columns: Map<string, CodedColumn>,
    slot: number,
    pairs: readonly IndexPair[],
    textOf: (key: string) => string | undefined,
  ): boolean {
    for (const [key, value] of pairs) {
      let column = columns.get(key);
      if (!column) {
        column = { codes: new Int32Array(this.capacity).fill(-1), values: [], lookup: new Map() };
        columns.set(key, column);
      }
      if (column.codes[slot] !== -1) return false;
      const text = textOf(key);
      const name = codeName(value, text);
      let code = column.lookup.get(name);
      if (code === undefined) {
        code = column.values.push({ value, text }) - 1;
        column.lookup.set(name, code);
      }
      column.codes[slot] = code;
    }
    return true;
  }

  private putMetrics(slot: number, pairs: readonly IndexPair[]): boolean {
    for (const [key, value] of pairs) {
      if (typeof value !== 'number') return false;
      let column = this.metrics.get(key);
      if (!column) {
        column = new Float64Array(this.capacity).fill(NaN);
        this.metrics.set(key, column);
      }
      if (!Number.isNaN(column[slot])) return false;
      column[slot] = value;
    }
    return true;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: () => T) => {
      const next = make();
      next.set(old);
      return next;
    };
    this.alive = widen(this.alive, () => new Uint8Array(capacity));
    this.archived = widen(this.archived, () => new Uint8Array(capacity));
    this.createdAt = widen(this.createdAt, () => new Float64Array(capacity));
    this.number = widen(this.number, () => new Float64Array(capacity));
    this.nameCode = widen(this.nameCode, () => new Int32Array(capacity));
    for (const column of [...this.tags.values(), ...this.params.values()]) {
      column.codes = widen(column.codes, () => new Int32Array(capacity).fill(-1));
    }
    for (const [key, column] of this.metrics) {
      this.metrics.set(
        key,
        widen(column, () => new Float64Array(capacity).fill(NaN)),
      );
    }
    this.capacity = capacity;
  }
}

/** The dictionary key of a coded value: its type, value and recorded text. */
function codeName(value: IndexPair[1], text: string | undefined): string {
  return `${typeof value}\u0000${String(value)}\u0000${text ?? ''}`;
}

/** The searchable fields of a version row (the rest is read only for the rows of a page). */
export function searchFields(row: VersionRow): SearchFields {
  const { id, modelName, nameLower, number, createdAt, archived, aliases, params } = row;
  const { tkv, pkv, mkv } = row;
  return { id, modelName, nameLower, number, createdAt, archived, aliases, params, tkv, pkv, mkv };
}

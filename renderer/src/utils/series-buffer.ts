/**
 * Columnar time series for the charts (never reactive: the store holds it
 * with markRaw and bumps a revision counter instead).
 *
 * Storage: `times` is a plain array of numbers; each series is a
 * Float64Array, NaN where the series had no value, that doubles when full
 * (from 256 rows up to the most a trim allows: a handful of times an hour).
 * A push writes one slot per series and allocates nothing. Plain arrays of
 * boxed numbers, all ~600 of a 60-node session growing in step, left tens of
 * megabytes of outgrown backing stores in old space at once, and the major
 * collections that caused were the slowest updates of a chart view.
 *
 * Invariants:
 *  - `times` is strictly increasing; every column holds at least
 *    times.length slots once a push or merge returns (the first
 *    times.length are the rows).
 *  - append() ignores a time that is not newer than the last one (a late or
 *    duplicated push), so the order invariant never breaks.
 *  - merge() folds in a HistoryBlock fetched after pushes started to arrive:
 *    older rows are prepended, rows at known times fill their gaps.
 *  - Old rows are trimmed in batches (capacity + capacity/8) so a push costs
 *    O(series), not a shift of every column on every tick.
 *  - A NaN value reads as "no value" (metrics are never NaN).
 */
import type { HistoryBlock } from '../api/contract';

export class SeriesBuffer {
  readonly times: number[] = [];
  #columns = new Map<string, Float64Array>();
  /** The most rows there can be before a trim brings them back to capacity. */
  readonly #room: number;

  constructor(readonly capacity: number) {
    this.#room = capacity + this.#trimBatch() + 1;
  }

  get length(): number {
    return this.times.length;
  }

  get lastTime(): number | null {
    return this.times.length === 0 ? null : (this.times[this.times.length - 1] ?? null);
  }

  /** A series' rows as values or null (a copy: for tests and occasional reads). */
  column(id: string): readonly (number | null)[] | undefined {
    const view = this.columnView(id);
    return view === undefined ? undefined : Array.from(view, (value) => (Number.isNaN(value) ? null : value));
  }

  /** A series' rows without copying, NaN where there is no value (valid until the next change). */
  columnView(id: string): Float64Array | undefined {
    return this.#columns.get(id)?.subarray(0, this.times.length);
  }

  append(time: number, values: ReadonlyMap<string, number | null>): boolean {
    const last = this.lastTime;
    if (last !== null && time <= last) return false;
    const rowIndex = this.times.length;
    this.times.push(time);
    // forEach rather than for-of over entries: no [key, value] pair per series.
    this.#columns.forEach((column, id) => {
      const target = rowIndex < column.length ? column : this.#grow(id, column);
      target[rowIndex] = values.get(id) ?? NaN;
    });
    values.forEach((value, id) => {
      if (this.#columns.has(id)) return;
      const column = this.#newColumn(this.#sizeFor(rowIndex + 1));
      column[rowIndex] = value ?? NaN;
      this.#columns.set(id, column);
    });
    this.#trim();
    return true;
  }

  /**
   * Merges a HistoryBlock: rows older than the first live row are prepended
   * (every column of the block; others null); rows at a time the buffer
   * already holds fill in that row's cells for the block's columns (history
   * and pushes come from the same polls, so their times match exactly).
   * Rows between live rows at unknown times are ignored. Returns the number
   * of block rows used. Rare (when a chart first shows a series): it works
   * on plain copies and repacks the columns at the end.
   */
  merge(block: HistoryBlock): number {
    const columns = new Map<string, (number | null)[]>();
    for (const id of this.#columns.keys()) columns.set(id, [...(this.column(id) ?? [])]);
    const first = this.times.length === 0 ? Infinity : (this.times[0] ?? Infinity);
    let count = 0;
    let previous = -Infinity;
    while (count < block.times.length) {
      const time = block.times[count] ?? NaN;
      if (!(time > previous) || !(time < first)) break;
      previous = time;
      count += 1;
    }
    const liveRows = this.times.length;
    if (count > 0) {
      this.times.unshift(...block.times.slice(0, count));
      for (const [id, column] of columns) {
        const older = block.series[id];
        const head = older === undefined ? new Array<number | null>(count).fill(null) : padTo(older.slice(0, count), count);
        column.unshift(...head);
      }
    }
    for (const [id, values] of Object.entries(block.series)) {
      if (columns.has(id)) continue;
      const column = padTo(values.slice(0, count), count);
      for (let index = 0; index < liveRows; index += 1) column.push(null);
      columns.set(id, column);
    }
    let used = count;
    for (let blockIndex = count; blockIndex < block.times.length; blockIndex += 1) {
      const time = block.times[blockIndex] ?? NaN;
      const rowIndex = this.indexAtOrAfter(time);
      if (this.times[rowIndex] !== time) continue;
      used += 1;
      for (const [id, values] of Object.entries(block.series)) {
        const column = columns.get(id);
        const value = values[blockIndex];
        if (column !== undefined && value !== undefined && column[rowIndex] === null) column[rowIndex] = value;
      }
    }
    const packed = new Map<string, Float64Array>();
    const size = this.#sizeFor(this.times.length);
    for (const [id, values] of columns) {
      const column = this.#newColumn(size);
      values.forEach((value, index) => (column[index] = value ?? NaN));
      packed.set(id, column);
    }
    this.#columns = packed;
    this.#trim();
    return used;
  }

  /** Index of the first row at or after `time` (binary search). */
  indexAtOrAfter(time: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] ?? Infinity) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  clear(): void {
    this.times.length = 0;
    this.#columns.clear();
  }

  #trimBatch(): number {
    return Math.max(1, Math.floor(this.capacity / 8));
  }

  #newColumn(size: number): Float64Array {
    return new Float64Array(size).fill(NaN);
  }

  /** Slots for `rows` rows: the next power of two from 256, capped at the room a trim leaves. */
  #sizeFor(rows: number): number {
    let size = 256;
    while (size < rows) size *= 2;
    return Math.max(rows, Math.min(size, this.#room));
  }

  /** A full column doubled (every column reaches its size on the same push). */
  #grow(id: string, column: Float64Array): Float64Array {
    const grown = this.#newColumn(this.#sizeFor(this.times.length));
    grown.set(column);
    this.#columns.set(id, grown);
    return grown;
  }

  #trim(): void {
    const excess = this.times.length - this.capacity;
    if (excess <= this.#trimBatch()) return;
    const rows = this.times.length;
    this.times.splice(0, excess);
    for (const column of this.#columns.values()) {
      column.copyWithin(0, excess, rows);
      column.fill(NaN, rows - excess, rows);
    }
  }
}

function padTo(values: (number | null)[], length: number): (number | null)[] {
  while (values.length < length) values.push(null);
  return values;
}

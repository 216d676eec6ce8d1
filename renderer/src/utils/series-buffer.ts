/**
 * Columnar time series for the charts, in plain arrays (never reactive: the
 * store holds it with markRaw and bumps a revision counter instead).
 *
 * Invariants:
 *  - `times` is strictly increasing; every column has exactly times.length
 *    entries (null where a series had no value at that time).
 *  - append() ignores a time that is not newer than the last one (a late or
 *    duplicated push), so the order invariant never breaks.
 *  - merge() folds in a HistoryBlock fetched after pushes started to arrive:
 *    older rows are prepended, rows at known times fill their gaps.
 *  - Old rows are trimmed in batches (capacity + capacity/8) so a push costs
 *    O(series), not a shift of every array on every tick.
 */
import type { HistoryBlock } from '../api/contract';

export class SeriesBuffer {
  readonly times: number[] = [];
  readonly columns = new Map<string, (number | null)[]>();

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.times.length;
  }

  get lastTime(): number | null {
    return this.times.length === 0 ? null : (this.times[this.times.length - 1] ?? null);
  }

  column(id: string): readonly (number | null)[] | undefined {
    return this.columns.get(id);
  }

  append(time: number, values: ReadonlyMap<string, number | null>): boolean {
    const last = this.lastTime;
    if (last !== null && time <= last) return false;
    const rowIndex = this.times.length;
    this.times.push(time);
    for (const [id, column] of this.columns) {
      column.push(values.has(id) ? (values.get(id) ?? null) : null);
    }
    for (const [id, value] of values) {
      if (this.columns.has(id)) continue;
      const column: (number | null)[] = new Array<number | null>(rowIndex).fill(null);
      column.push(value);
      this.columns.set(id, column);
    }
    this.#trim();
    return true;
  }

  /**
   * Merges a HistoryBlock: rows older than the first live row are prepended
   * (every column of the block; others null); rows at a time the buffer
   * already holds fill in that row's cells for the block's columns (history
   * and pushes come from the same polls, so their times match exactly).
   * Rows between live rows at unknown times are ignored. Returns the number
   * of block rows used.
   */
  merge(block: HistoryBlock): number {
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
      for (const [id, column] of this.columns) {
        const older = block.series[id];
        const head = older === undefined ? new Array<number | null>(count).fill(null) : padTo(older.slice(0, count), count);
        column.unshift(...head);
      }
    }
    for (const [id, values] of Object.entries(block.series)) {
      if (this.columns.has(id)) continue;
      const column = padTo(values.slice(0, count), count);
      for (let index = 0; index < liveRows; index += 1) column.push(null);
      this.columns.set(id, column);
    }
    let used = count;
    for (let blockIndex = count; blockIndex < block.times.length; blockIndex += 1) {
      const time = block.times[blockIndex] ?? NaN;
      const rowIndex = this.indexAtOrAfter(time);
      if (this.times[rowIndex] !== time) continue;
      used += 1;
      for (const [id, values] of Object.entries(block.series)) {
        const column = this.columns.get(id);
        const value = values[blockIndex];
        if (column !== undefined && value !== undefined && column[rowIndex] === null) column[rowIndex] = value;
      }
    }
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
    this.columns.clear();
  }

  #trim(): void {
    const excess = this.times.length - this.capacity;
    if (excess <= Math.max(1, Math.floor(this.capacity / 8))) return;
    this.times.splice(0, excess);
    for (const column of this.columns.values()) column.splice(0, excess);
  }
}

function padTo(values: (number | null)[], length: number): (number | null)[] {
  while (values.length < length) values.push(null);
  return values;
}

/**
 * Min/max decimation for aligned chart data: an hour at 1 Hz is 3,600 rows
 * per series, drawn into a few hundred pixels. Rows are grouped into at most
 * `buckets` consecutive buckets; each bucket becomes two rows (its first and
 * last time), and every series keeps its minimum and maximum in the order
 * they occurred, so spikes and dips stay visible exactly as drawn at full
 * resolution (a pixel column only ever shows a bucket's extent). A bucket
 * where a series has no value keeps null there, so gaps stay gaps.
 *
 * The rows are read through a RowSource, so a chart decimates straight from
 * the history buffer (chart-data.ts) without first copying every row of the
 * window into arrays of its own: a redraw allocates only what it draws.
 */
import type { AlignedSeries } from './chart-data';

/** Rows read on demand: row r's time and each column's value (null: none). */
export interface RowSource {
  readonly rows: number;
  readonly columnCount: number;
  time(row: number): number;
  value(column: number, row: number): number | null;
}

/** Decimates `source` into at most `buckets` buckets; sources with no more than 2 x buckets rows are copied whole. */
export function decimateRows(source: RowSource, buckets: number): AlignedSeries {
  const { rows, columnCount } = source;
  const limit = Math.max(1, Math.floor(buckets));
  const columnIndexes = Array.from({ length: columnCount }, (_, column) => column);
  if (rows <= 2 * limit) {
    const times = Array.from({ length: rows }, (_, row) => source.time(row));
    const columns = columnIndexes.map((column) => Array.from({ length: rows }, (_, row) => source.value(column, row)));
    return [times, ...columns];
  }
  const outTimes: number[] = [];
  const outColumns: (number | null)[][] = columnIndexes.map(() => []);
  for (let bucket = 0; bucket < limit; bucket += 1) {
    const from = Math.floor((bucket * rows) / limit);
    const to = Math.floor(((bucket + 1) * rows) / limit); // exclusive
    if (to <= from) continue;
    outTimes.push(source.time(from), source.time(to - 1));
    for (let column = 0; column < columnCount; column += 1) {
      let min: number | null = null;
      let max: number | null = null;
      let minAt = -1;
      let maxAt = -1;
      for (let row = from; row < to; row += 1) {
        const value = source.value(column, row);
        if (value === null) continue;
        if (min === null || value < min) {
          min = value;
          minAt = row;
        }
        if (max === null || value > max) {
          max = value;
          maxAt = row;
        }
      }
      const out = outColumns[column]!;
      if (minAt <= maxAt) out.push(min, max);
      else out.push(max, min);
    }
  }
  return [outTimes, ...outColumns];
}

/** Decimates data already in arrays; data with no more than 2 x buckets rows is returned as is. */
export function decimate(data: AlignedSeries, buckets: number): AlignedSeries {
  const [times, ...columns] = data;
  if (times.length <= 2 * Math.max(1, Math.floor(buckets))) return data;
  return decimateRows(
    {
      rows: times.length,
      columnCount: columns.length,
      time: (row) => times[row]!,
      value: (column, row) => columns[column]![row] ?? null,
    },
    buckets,
  );
}

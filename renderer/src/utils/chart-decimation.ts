/**
 * Min/max decimation for aligned chart data: an hour at 1 Hz is 3,600 rows
 * per series, drawn into a few hundred pixels. Rows are grouped into at most
 * `buckets` consecutive buckets; each bucket becomes two rows (its first and
 * last time), and every series keeps its minimum and maximum in the order
 * they occurred, so spikes and dips stay visible exactly as drawn at full
 * resolution (a pixel column only ever shows a bucket's extent). A bucket
 * where a series has no value keeps null there, so gaps stay gaps.
 *
 * Data with no more than 2 x buckets rows is returned as is.
 */
import type { AlignedSeries } from './chart-data';

export function decimate(data: AlignedSeries, buckets: number): AlignedSeries {
  const [times, ...columns] = data;
  const rows = times.length;
  const limit = Math.max(1, Math.floor(buckets));
  if (rows <= 2 * limit) return data;
  const outTimes: number[] = [];
  const outColumns: (number | null)[][] = columns.map(() => []);
  for (let bucket = 0; bucket < limit; bucket += 1) {
    const from = Math.floor((bucket * rows) / limit);
    const to = Math.floor(((bucket + 1) * rows) / limit); // exclusive
    if (to <= from) continue;
    outTimes.push(times[from]!, times[to - 1]!);
    columns.forEach((column, index) => {
      let min: number | null = null;
      let max: number | null = null;
      let minAt = -1;
      let maxAt = -1;
      for (let row = from; row < to; row += 1) {
        const value = column[row];
        if (value === null || value === undefined) continue;
        if (min === null || value < min) {
          min = value;
          minAt = row;
        }
        if (max === null || value > max) {
          max = value;
          maxAt = row;
        }
      }
      const out = outColumns[index]!;
      if (minAt <= maxAt) out.push(min, max);
      else out.push(max, min);
    });
  }
  return [outTimes, ...outColumns];
}

/**
 * Builds uPlot's aligned data from the SeriesBuffer for a time window:
 * x in seconds (uPlot's time scale), one array per chart series. A series
 * is a buffer column or a ratio of two (backlog fill = histlen / size).
 * The window is read in place (chartRows) and decimated to the chart's
 * width as it is copied out (chart-decimation.ts).
 */
import { decimateRows, type RowSource } from './chart-decimation';
import type { SeriesBuffer } from './series-buffer';

export type ChartSource = { readonly column: string; readonly scale?: number } | { readonly numerator: string; readonly denominator: string };

export type AlignedSeries = [number[], ...(number | null)[][]];

type ValueAt = (row: number) => number | null;

const NO_VALUE: ValueAt = () => null;

/** One chart series over the buffer's rows (absolute row indexes), reading the columns in place. */
function valueReader(buffer: SeriesBuffer, source: ChartSource): ValueAt {
  if ('column' in source) {
    const column = buffer.columnView(source.column);
    if (column === undefined) return NO_VALUE;
    const scale = source.scale ?? 1;
    return (row) => {
      const value = column[row]!;
      return Number.isNaN(value) ? null : value * scale;
    };
  }
  const top = buffer.columnView(source.numerator);
  const bottom = buffer.columnView(source.denominator);
  if (top === undefined || bottom === undefined) return NO_VALUE;
  return (row) => {
    const numerator = top[row]!;
    const denominator = bottom[row]!;
    // No value, or a zero or missing denominator: no point (NaN fails both tests).
    return !Number.isNaN(numerator) && denominator !== 0 && !Number.isNaN(denominator) ? numerator / denominator : null;
  };
}

/** The window from `sinceMs` to the newest row, read in place (valid until the buffer next changes). */
export function chartRows(buffer: SeriesBuffer, sources: readonly ChartSource[], sinceMs: number): RowSource {
  const start = buffer.indexAtOrAfter(sinceMs);
  const readers = sources.map((source) => valueReader(buffer, source));
  const times = buffer.times;
  return {
    rows: buffer.length - start,
    columnCount: readers.length,
    time: (row) => times[start + row]! / 1000,
    value: (column, row) => readers[column]!(start + row),
  };
}

/** The window decimated to at most `buckets` buckets (min/max per bucket), ready for uPlot. */
export function chartData(buffer: SeriesBuffer, sources: readonly ChartSource[], sinceMs: number, buckets = Infinity): AlignedSeries {
  return decimateRows(chartRows(buffer, sources, sinceMs), buckets);
}

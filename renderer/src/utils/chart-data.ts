/**
 * Builds uPlot's aligned data from the SeriesBuffer for a time window:
 * x in seconds (uPlot's time scale), one array per chart series. A series
 * is a buffer column or a ratio of two (backlog fill = histlen / size).
 */
import type { SeriesBuffer } from './series-buffer';

export type ChartSource = { readonly column: string; readonly scale?: number } | { readonly numerator: string; readonly denominator: string };

export type AlignedSeries = [number[], ...(number | null)[][]];

export function chartData(buffer: SeriesBuffer, sources: readonly ChartSource[], sinceMs: number): AlignedSeries {
  const start = buffer.indexAtOrAfter(sinceMs);
  const end = buffer.length;
  const times: number[] = new Array<number>(end - start);
  for (let index = start; index < end; index += 1) times[index - start] = (buffer.times[index] ?? 0) / 1000;
  const columns = sources.map((source) => sliceSource(buffer, source, start, end));
  return [times, ...columns];
}

function sliceSource(buffer: SeriesBuffer, source: ChartSource, start: number, end: number): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(end - start).fill(null);
  if ('column' in source) {
    const column = buffer.columnView(source.column);
    if (column === undefined) return out;
    const scale = source.scale ?? 1;
    for (let index = start; index < end; index += 1) {
      const value = column[index] ?? NaN;
      if (!Number.isNaN(value)) out[index - start] = value * scale;
    }
    return out;
  }
  const top = buffer.columnView(source.numerator);
  const bottom = buffer.columnView(source.denominator);
  if (top === undefined || bottom === undefined) return out;
  for (let index = start; index < end; index += 1) {
    const numerator = top[index] ?? NaN;
    const denominator = bottom[index] ?? NaN;
    // No value, or a zero or missing denominator: no point (NaN fails both tests).
    if (!Number.isNaN(numerator) && denominator !== 0 && !Number.isNaN(denominator)) out[index - start] = numerator / denominator;
  }
  return out;
}

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
    const column = buffer.column(source.column);
    if (column === undefined) return out;
    const scale = source.scale ?? 1;
    for (let index = start; index < end; index += 1) {
      const value = column[index];
      out[index - start] = value === null || value === undefined ? null : value * scale;
    }
    return out;
  }
  const top = buffer.column(source.numerator);
  const bottom = buffer.column(source.denominator);
  if (top === undefined || bottom === undefined) return out;
  for (let index = start; index < end; index += 1) {
    const numerator = top[index];
    const denominator = bottom[index];
    out[index - start] = numerator === null || numerator === undefined || !denominator ? null : numerator / denominator;
  }
  return out;
}

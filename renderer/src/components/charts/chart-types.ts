/** Types shared by the chart components. */
import type { ChartSource } from '../../utils/chart-data';

export interface ChartSeriesSpec {
  readonly label: string;
  /** CSS variable holding the stroke colour, e.g. --chart-1. */
  readonly colorVar: string;
}

export interface ChartMarker {
  readonly timeMs: number;
  readonly tone: 'bad' | 'warn' | 'good' | 'info' | 'role';
  readonly label: string;
}

/** rate: bytes/s; perSecond: a count per second (ops/s, evictions/s); count: a plain number (clients, keys). */
export type ChartUnit = 'bytes' | 'rate' | 'seconds' | 'fraction' | 'count' | 'perSecond';

/** One chart of a list (the detail panel's, the replay's): its series and where each reads its values. */
export interface ChartSpec {
  readonly key: string;
  readonly title: string;
  readonly unit: ChartUnit;
  readonly series: ChartSeriesSpec[];
  readonly sources: ChartSource[];
}

const CHART_COLORS = ['--chart-1', '--chart-2', '--chart-3', '--chart-4'];

/** The colour variable of the n-th series of a chart (four, repeated). */
export function chartColor(index: number): string {
  return CHART_COLORS[index % CHART_COLORS.length] ?? '--chart-1';
}

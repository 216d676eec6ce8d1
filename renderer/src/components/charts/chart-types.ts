/** Types shared by the chart components. */
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

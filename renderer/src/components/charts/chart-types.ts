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

export type ChartUnit = 'bytes' | 'rate' | 'seconds' | 'fraction';

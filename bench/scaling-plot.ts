/**
 * The scaling section's figures as one PNG of small multiples: one column
 * per growth axis (throughput and p99 against connections, memory per key
 * against keys, full-sync time against keys), the absolute figures of both
 * servers on the top row and ours/redis on the bottom row, with 1.0 marked.
 * Written beside the JSON in bench/results; `npx tsx bench/scaling-plot.ts
 * [figures.json] [out.png]` redraws it from a saved run without measuring.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { smallMultiplesSvg, type ChartPanel, type ChartSeries } from './lib/svg-chart';
import { svgToPng } from './lib/svg-to-png';

export type GrowthAxis = 'connections' | 'memory' | 'sync';

/** One figure at each size of an axis, ours and redis-server's from the same run. */
export interface GrowthSeries {
  readonly axis: GrowthAxis;
  /** What is measured, e.g. `SET req/s` or `full sync ours->ours`. */
  readonly metric: string;
  readonly unit: string;
  /** The legend's words for the two lines (`ours->ours` / `redis->redis` on the sync axis). */
  readonly oursLabel: string;
  readonly redisLabel: string;
  readonly points: ReadonlyArray<{ readonly size: number; readonly ours: number; readonly redis: number }>;
}

export interface ScalingFigures {
  /** ISO time the run started. */
  readonly time: string;
  /** /proc/loadavg's first three fields before and after the run. */
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly seconds: number;
  /** How long each measured axis took. */
  readonly axisSeconds?: Partial<Record<GrowthAxis, number>>;
  readonly series: ReadonlyArray<GrowthSeries>;
  /** Why a size or axis was not measured (an open-files limit, a filter). */
  readonly skipped: ReadonlyArray<string>;
}

const OURS = '#1f5fbf';
const REDIS = '#c8372d';
/** Ratio lines, one per metric of an axis. */
const RATIO_COLORS = ['#1f5fbf', '#2e8b57', '#8e44ad', '#d68910'];

const AXES: ReadonlyArray<{ axis: GrowthAxis; metric: (series: GrowthSeries) => boolean; title: string; xLabel: string; yLabel: string; ratioTitle: string; emptyText: string }> = [
  { axis: 'connections', metric: (s) => s.unit === 'req/s', title: 'Throughput vs connections', xLabel: 'redis-benchmark clients (-c)', yLabel: 'requests/s', ratioTitle: 'Throughput, ours/redis (higher is better)', emptyText: 'connections not measured (scaling=connections)' },
  { axis: 'connections', metric: (s) => s.unit === 'ms', title: 'p99 latency vs connections', xLabel: 'redis-benchmark clients (-c)', yLabel: 'p99 ms', ratioTitle: 'p99, ours/redis (lower is better)', emptyText: 'connections not measured (scaling=connections)' },
  { axis: 'memory', metric: () => true, title: 'Memory per key vs keys', xLabel: 'keys (SET key:<n>, 16-byte value)', yLabel: 'RSS bytes per key', ratioTitle: 'Memory per key, ours/redis', emptyText: 'memory not measured (scaling=memory)' },
  { axis: 'sync', metric: () => true, title: 'Full sync time vs keys', xLabel: 'keys (DEBUG POPULATE, 16-byte values)', yLabel: 'seconds', ratioTitle: 'Full sync, ours/redis->redis', emptyText: 'full sync not measured (scaling=sync)' },
];

export function scalingPanels(figures: ScalingFigures): ChartPanel[] {
  const top: ChartPanel[] = [];
  const bottom: ChartPanel[] = [];
  for (const spec of AXES) {
    const chosen = figures.series.filter((series) => series.axis === spec.axis && spec.metric(series));
    const sizes = [...new Set(chosen.flatMap((series) => series.points.map((point) => point.size)))].sort((a, b) => a - b);
    const xTicks = sizes.map((size) => ({ value: size, label: sizeLabel(size) }));
    const absolute: ChartSeries[] = [];
    // The redis-server baseline is the same for every metric of the sync axis (redis->redis): drawn once.
    const redisDrawn = new Set<string>();
    chosen.forEach((series, index) => {
      const dashed = spec.axis === 'connections' && index > 0;
      absolute.push({ label: series.oursLabel, color: spec.axis === 'sync' ? RATIO_COLORS[index % RATIO_COLORS.length]! : OURS, dashed, points: series.points.map((point) => ({ x: point.size, y: point.ours })) });
      if (!redisDrawn.has(series.redisLabel)) {
        redisDrawn.add(series.redisLabel);
        absolute.push({ label: series.redisLabel, color: REDIS, dashed, points: series.points.map((point) => ({ x: point.size, y: point.redis })) });
      }
    });
    const ratios: ChartSeries[] = chosen.map((series, index) => ({
      label: spec.axis === 'connections' ? series.metric.split(' ')[0]! : series.oursLabel,
      color: RATIO_COLORS[index % RATIO_COLORS.length]!,
      valueLabel: (y: number) => `${y.toFixed(2)}x`,
      points: series.points.map((point) => ({ x: point.size, y: point.redis === 0 ? 0 : point.ours / point.redis })),
    }));
    top.push({ title: spec.title, xLabel: spec.xLabel, yLabel: spec.yLabel, xTicks, series: absolute, emptyText: spec.emptyText });
    bottom.push({ title: spec.ratioTitle, xLabel: spec.xLabel, yLabel: 'ours / redis', xTicks, series: ratios, referenceY: 1, emptyText: spec.emptyText });
  }
  return [...top, ...bottom];
}

export async function renderScalingPlot(figures: ScalingFigures, file: string): Promise<void> {
  const notes = [
    `Replscope engine (ours) and redis-server 7.0 side by side on one machine, ${figures.time.slice(0, 16).replace('T', ' ')} UTC; run took ${Math.round(figures.seconds)} s${axisTimes(figures)}.`,
    `Load average (1/5/15 min) before: ${figures.loadBefore}; after: ${figures.loadAfter}. Connections: medians of 3 alternating rounds; memory: one server of each grown in steps; sync: medians of 3.`,
    // Full reasons are in scaling.json and the bench's output; the plot keeps one line each.
    ...figures.skipped.map((reason) => `Not measured: ${reason.length > 150 ? `${reason.slice(0, 147)}...` : reason}`),
  ];
  const { svg, width, height } = smallMultiplesSvg({ title: 'Replscope engine vs redis-server as work grows', notes, columns: AXES.length, panels: scalingPanels(figures) });
  await svgToPng(svg, { width, height }, file);
}

function axisTimes(figures: ScalingFigures): string {
  const parts = Object.entries(figures.axisSeconds ?? {}).map(([axis, seconds]) => `${axis} ${Math.round(seconds)} s`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function sizeLabel(size: number): string {
  if (size >= 1e6) return `${size / 1e6}M`;
  if (size >= 1e3) return `${size / 1e3}k`;
  return String(size);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  const input = process.argv[2] ?? path.join(results, 'scaling.json');
  const output = process.argv[3] ?? path.join(results, 'scaling.png');
  await renderScalingPlot(JSON.parse(readFileSync(input, 'utf8')) as ScalingFigures, output);
  process.stdout.write(`wrote ${output}\n`);
}

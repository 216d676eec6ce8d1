/**
 * Benchmark results: each row compares our engine with redis-server measured
 * in the same run (absolute numbers on a shared machine are noise; the
 * ratio is the figure) against the target from the issues.
 */
export interface BenchRow {
  readonly section: string;
  readonly metric: string;
  readonly unit: string;
  readonly ours: number;
  /** null when there is nothing to compare with (a latency bound, say). */
  readonly redis: number | null;
  /** ours / redis, or null. */
  readonly ratio: number | null;
  /** Human-readable target, e.g. ">= 0.8x" or "< 10 ms". */
  readonly target: string;
  readonly pass: boolean;
}

export function ratioRow(section: string, metric: string, unit: string, ours: number, redis: number, target: { min?: number; max?: number }): BenchRow {
  const ratio = redis === 0 ? 0 : ours / redis;
  const pass = (target.min === undefined || ratio >= target.min) && (target.max === undefined || ratio <= target.max);
  const text = target.min !== undefined ? `>= ${target.min}x` : `<= ${target.max}x`;
  return { section, metric, unit, ours, redis, ratio, target: text, pass };
}

/** A side-by-side figure with no target of its own (context for another row). */
export function referenceRow(section: string, metric: string, unit: string, ours: number, redis: number): BenchRow {
  return { section, metric, unit, ours, redis, ratio: redis === 0 ? 0 : ours / redis, target: '-', pass: true };
}

export function boundRow(section: string, metric: string, unit: string, ours: number, target: { below: number }): BenchRow {
  return { section, metric, unit, ours, redis: null, ratio: null, target: `< ${target.below} ${unit}`, pass: ours < target.below };
}

export function formatRows(rows: ReadonlyArray<BenchRow>): string {
  const header = ['section', 'metric', 'ours', 'redis', 'ours/redis', 'target', ''];
  const lines = rows.map((row) => [
    row.section,
    row.metric,
    `${formatNumber(row.ours)} ${row.unit}`,
    row.redis === null ? '-' : `${formatNumber(row.redis)} ${row.unit}`,
    row.ratio === null ? '-' : row.ratio.toFixed(2),
    row.target,
    row.pass ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

function formatNumber(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: ReadonlyArray<number>, p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * A bench run's figures as rows of the README's Benchmarks table
 * (`| figure | latest result | target |`), so the final runs of a session are
 * pasted, not copied by hand. One row per figure; given several runs (three
 * consecutive runs, say), the row holds each run's figure in run order,
 * `1.04 / **0.94** / 1.06x`, a missed one in bold, then which runs they were:
 * how many, the command, the commit, the date and start times (UTC).
 *
 * A figure is printed with two decimals, or with as many more as it takes for
 * the printed number to be on the same side of its target as the measured one
 * (0.9496 against ≥ 0.95x prints 0.9496, not a passing-looking 0.95).
 */
import type { BenchRow } from './report';

/** What bench/run.ts writes to bench/results/latest.json (and runs/<start>.json). */
export interface BenchRun {
  /** ISO time the run finished (older files have only this). */
  readonly time: string;
  /** ISO time the run started. */
  readonly started?: string;
  /** `git rev-parse --short HEAD` of the tree measured; null when it could not be read. */
  readonly commit?: string | null;
  /** Tracked files differed from that commit. */
  readonly uncommitted?: boolean;
  /** The command as typed, e.g. `npm run bench -- throughput`. */
  readonly command?: string;
  readonly rows: ReadonlyArray<BenchRow>;
}

/** The table's header and one Markdown row per figure, in the order the runs first list them. */
export function readmeRows(runs: ReadonlyArray<BenchRun>): string {
  if (runs.length === 0) throw new Error('no bench runs given');
  const figures = new Map<string, Array<BenchRow | undefined>>();
  runs.forEach((run, index) => {
    for (const row of run.rows) {
      const key = `${row.section}: ${row.metric}`;
      let perRun = figures.get(key);
      if (!perRun) {
        perRun = new Array<BenchRow | undefined>(runs.length).fill(undefined);
        figures.set(key, perRun);
      }
      perRun[index] = row;
    }
  });
  const where = runsText(runs);
  const lines = ['| figure | latest result | target |', '|---|---|---|'];
  for (const [figure, perRun] of figures) {
    const measured = perRun.filter((row): row is BenchRow => row !== undefined);
    const first = measured[0]!;
    const values = perRun.map((row) => (row ? figureText(row) : '–')).join(' / ');
    const suffix = first.ratio === null ? ` ${first.unit}` : 'x';
    lines.push(`| ${escapeCell(figure)} | ${values}${suffix} (${where}) | ${targetText(first.target)} |`);
  }
  return lines.join('\n');
}

/** `3 runs of `npm run bench -- throughput` on 8053689, 2026-12-07 at 23:33, 23:40 and 23:47 UTC`. */
export function runsText(runs: ReadonlyArray<BenchRun>): string {
  const count = runs.length === 1 ? 'one run' : `${runs.length} runs`;
  const commands = distinct(runs.map((run) => (run.command ? `\`${run.command}\`` : 'a command not recorded')));
  const commits = distinct(runs.map((run) => (run.commit ? `${run.commit}${run.uncommitted ? ' with uncommitted changes' : ''}` : 'a commit not recorded')));
  const starts = runs.map((run) => run.started ?? run.time);
  const dates = distinct(starts.map((iso) => iso.slice(0, 10)));
  const when = dates.length === 1
    ? `${dates[0]} at ${listText(starts.map((iso) => iso.slice(11, 16)))} UTC`
    : `${listText(starts.map((iso) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`))} UTC`;
  return `${count} of ${commands.join(' / ')} on ${commits.join(' / ')}, ${when}`;
}

/** One run's figure: the ratio, or the value for a bound with nothing to compare with; bold when missed. */
function figureText(row: BenchRow): string {
  const value = row.ratio ?? row.ours;
  const threshold = thresholdOf(row.target);
  let decimals = 2;
  while (threshold && decimals < 6 && threshold(Number(value.toFixed(decimals))) !== row.pass) decimals += 1;
  const text = value.toFixed(decimals);
  return row.pass ? text : `**${text}**`;
}

/** The target as a test of a printed number, for `>= 0.95x`, `<= 1x` and `< 10 ms`; null for `-`. */
function thresholdOf(target: string): ((value: number) => boolean) | null {
  const match = /^(>=|<=|<)\s*([\d.]+)/.exec(target);
  if (!match) return null;
  const bound = Number(match[2]);
  if (match[1] === '>=') return (value) => value >= bound;
  if (match[1] === '<=') return (value) => value <= bound;
  return (value) => value < bound;
}

function targetText(target: string): string {
  if (target === '-') return '–';
  return target.replace(/^>=\s*/, '≥ ').replace(/^<=\s*/, '≤ ');
}

function listText(items: ReadonlyArray<string>): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function distinct(items: ReadonlyArray<string>): string[] {
  return [...new Set(items)];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

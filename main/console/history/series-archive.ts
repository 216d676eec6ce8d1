/**
 * The on-disk history of one deployment: every series of its snapshots
 * (shared/contract/series.ts), in two tiers, so charts and CSV exports reach
 * back past the in-memory hour and survive a restart of the console.
 *
 *   <dir>/s-<hour>.jsonl   1-second tier: one row per second (the last poll
 *                          of that second), one file per hour, kept 24 h
 *   <dir>/m-<day>.jsonl    1-minute tier: the mean of each series over each
 *                          minute (nulls left out), one file per day, kept 30 days
 *
 * Format, line by line (newline-delimited JSON, append-only):
 *
 *   {"c":["node.opsPerSec@127.0.0.1:6379", ...]}   columns of the rows below
 *   [1764780000000, 1234.5, null, ...]             time (ms), then one value per column
 *
 * Why this format: it is only ever appended to (a crash loses at most the
 * line being written, and a torn last line is skipped when read back); it
 * names its columns, so a node joining or leaving just starts a new header
 * and old files stay readable; it needs no index, because files are cut by
 * time and named by their first hour or day; and it is plain text an
 * operator can read with `tail`. A binary layout would save little here
 * (values are short numbers written with at most 3 decimals) and would need
 * its own recovery for torn writes. Files are the unit of retention: expired
 * ones are deleted whole, and when the directory grows past `maxBytes` the
 * oldest files go first (the file being written never).
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
export const SECOND_TIER_KEEP_MS = DAY_MS;
export const MINUTE_TIER_KEEP_MS = 30 * DAY_MS;

export interface ArchivedRange {
  /** Which tier answered: 1-second rows, or 1-minute means. */
  readonly resolution: 'second' | 'minute';
  readonly times: number[];
  readonly series: Record<string, Array<number | null>>;
}

interface TierWriter {
  file: string | null;
  columns: readonly string[];
}

interface MinuteBucket {
  readonly start: number;
  readonly sums: Map<string, { sum: number; count: number }>;
}

export class SeriesArchive {
  private readonly seconds: TierWriter = { file: null, columns: [] };
  private readonly minutes: TierWriter = { file: null, columns: [] };
  private lastSecond = -1;
  private bucket: MinuteBucket | null = null;

  constructor(private readonly dir: string, private maxBytes: number, private readonly onError: (message: string) => void = () => {}) {
    mkdirSync(dir, { recursive: true });
  }

  /** A lower bound applies at once (the oldest files go now), not at the next hour's file. */
  setMaxBytes(maxBytes: number): void {
    const lower = maxBytes < this.maxBytes;
    this.maxBytes = maxBytes;
    if (lower) this.prune();
  }

  /** Records one snapshot's values; at most one row per second reaches the 1-second tier. */
  record(time: number, values: ReadonlyMap<string, number | null>): void {
    try {
      const second = Math.floor(time / SECOND_MS);
      if (second > this.lastSecond) {
        this.lastSecond = second;
        this.append(this.seconds, `s-${Math.floor(time / HOUR_MS) * HOUR_MS}.jsonl`, second * SECOND_MS, values);
      }
      this.addToMinute(time, values);
    } catch (failure) {
      this.onError(`history could not be written to ${this.dir}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /** Writes the minute being averaged (call before closing). */
  flush(): void {
    if (this.bucket !== null) this.writeMinute(this.bucket);
    this.bucket = null;
  }

  /**
   * The rows between `fromMs` and `toMs` (inclusive): from the 1-second tier
   * when the range starts within its 24 h, else from the 1-minute tier.
   * Only `seriesIds` when given, else every series seen in the range;
   * `forced` picks the tier (a day's chart wants 1,440 minute rows, not
   * 86,400 seconds).
   */
  range(fromMs: number, toMs: number, seriesIds?: readonly string[], now = Date.now(), forced?: 'second' | 'minute'): ArchivedRange {
    const resolution = forced ?? (fromMs >= now - SECOND_TIER_KEEP_MS ? 'second' : 'minute');
    const prefix = resolution === 'second' ? 's-' : 'm-';
    const span = resolution === 'second' ? HOUR_MS : DAY_MS;
    const files = this.files().filter((file) => file.name.startsWith(prefix) && file.start + span > fromMs && file.start <= toMs);
    const rows: Array<{ time: number; values: Map<string, number | null> }> = [];
    for (const file of files) {
      let columns: string[] = [];
      for (const line of readFileSync(path.join(this.dir, file.name), 'utf8').split('\n')) {
        const parsed = parseLine(line);
        if (parsed === null) continue;
        if (parsed.kind === 'columns') {
          columns = parsed.columns;
          continue;
        }
        const row = parsed.row;
        const time = row[0];
        if (typeof time !== 'number' || time < fromMs || time > toMs) continue;
        const values = new Map<string, number | null>();
        for (let index = 0; index < columns.length; index++) {
          const value = row[index + 1];
          values.set(columns[index]!, typeof value === 'number' ? value : null);
        }
        rows.push({ time, values });
      }
    }
    rows.sort((a, b) => a.time - b.time);
    const names = seriesIds ? [...seriesIds] : [...new Set(rows.flatMap((row) => [...row.values.keys()]))];
    const series: Record<string, Array<number | null>> = {};
    for (const name of names) series[name] = rows.map((row) => row.values.get(name) ?? null);
    return { resolution, times: rows.map((row) => row.time), series };
  }

  /** Deletes expired files, then the oldest until the directory fits `maxBytes`. */
  prune(now = Date.now()): void {
    const current = new Set([this.seconds.file, this.minutes.file]);
    let files = this.files();
    for (const file of files) {
      const expired = file.name.startsWith('s-') ? file.start + HOUR_MS < now - SECOND_TIER_KEEP_MS : file.start + DAY_MS < now - MINUTE_TIER_KEEP_MS;
      if (expired && !current.has(file.name)) this.remove(file.name);
    }
    files = this.files().sort((a, b) => a.start - b.start);
    let total = files.reduce((sum, file) => sum + file.bytes, 0);
    for (const file of files) {
      if (total <= this.maxBytes) break;
      if (current.has(file.name)) continue;
      this.remove(file.name);
      total -= file.bytes;
    }
  }

  /** Bytes on disk now. */
  sizeBytes(): number {
    return this.files().reduce((sum, file) => sum + file.bytes, 0);
  }

  private addToMinute(time: number, values: ReadonlyMap<string, number | null>): void {
    const start = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    if (this.bucket !== null && this.bucket.start !== start) this.flush();
    if (this.bucket === null) this.bucket = { start, sums: new Map() };
    for (const [name, value] of values) {
      const entry = this.bucket.sums.get(name) ?? { sum: 0, count: 0 };
      if (value !== null && Number.isFinite(value)) {
        entry.sum += value;
        entry.count += 1;
      }
      this.bucket.sums.set(name, entry);
    }
  }

  private writeMinute(bucket: MinuteBucket): void {
    const means = new Map<string, number | null>();
    for (const [name, { sum, count }] of bucket.sums) means.set(name, count === 0 ? null : sum / count);
    this.append(this.minutes, `m-${Math.floor(bucket.start / DAY_MS) * DAY_MS}.jsonl`, bucket.start, means);
  }

  private append(tier: TierWriter, fileName: string, time: number, values: ReadonlyMap<string, number | null>): void {
    const columns = [...values.keys()];
    let text = '';
    if (tier.file !== fileName) {
      tier.file = fileName;
      tier.columns = [];
      this.prune(time);
    }
    if (columns.length !== tier.columns.length || columns.some((name, index) => name !== tier.columns[index])) {
      tier.columns = columns;
      text += `${JSON.stringify({ c: columns })}\n`;
    }
    text += `${JSON.stringify([time, ...columns.map((name) => round(values.get(name) ?? null))])}\n`;
    appendFileSync(path.join(this.dir, fileName), text);
  }

  private files(): ArchiveFile[] {
    return archiveFiles(this.dir);
  }

  private remove(name: string): void {
    try {
      unlinkSync(path.join(this.dir, name));
    } catch {
      // Already gone.
    }
  }
}

export interface ArchiveFile {
  readonly name: string;
  /** The hour (s-) or day (m-) the file starts at, ms. */
  readonly start: number;
  readonly bytes: number;
}

/** The tier files of an archive directory (nothing when it does not exist). */
export function archiveFiles(dir: string): ArchiveFile[] {
  const found: ArchiveFile[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names) {
    const match = /^[sm]-(\d+)\.jsonl$/.exec(name);
    if (!match) continue;
    try {
      found.push({ name, start: Number(match[1]), bytes: statSync(path.join(dir, name)).size });
    } catch {
      // Deleted meanwhile.
    }
  }
  return found;
}

function round(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
}

/** A header's columns, a row, or null for a blank or torn line. */
function parseLine(line: string): { kind: 'columns'; columns: string[] } | { kind: 'row'; row: unknown[] } | null {
  if (line.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(line);
    if (Array.isArray(parsed)) return { kind: 'row', row: parsed };
    if (parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { c?: unknown }).c)) return { kind: 'columns', columns: (parsed as { c: unknown[] }).c.map(String) };
    return null;
  } catch {
    return null;
  }
}

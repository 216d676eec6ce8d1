/**
 * What the decoded stream is made of: bytes and commands per second, by
 * command, by database and by key prefix, over a sliding window, plus a
 * short sample of recent commands.
 *
 * Accounting rules (each command's bytes are counted exactly once per
 * breakdown, so every breakdown sums to the stream's total):
 *  - by command: the lower-cased name as propagated (`set`, `select`, `ping`,
 *    `multi`...); stream control is data too, it fills the backlog.
 *  - by database: the database the stream had selected when the command
 *    came; a SELECT counts for the database it selects; PING and REPLCONF
 *    belong to none ("stream control"). After a partial resync the master
 *    sends no SELECT until its stream changes database, so commands before
 *    the first SELECT are "db? (no SELECT yet)": the tap cannot know it.
 *  - by prefix: the first key's prefix (up to and including its depth-th
 *    separator, or its last when it has fewer; the key itself when it has
 *    none, see prefixLength); commands without keys are
 *    "(no key)". At most PREFIXES_PER_SECOND distinct prefixes are kept per
 *    second; the rest are summed as "(prefixes not tracked)".
 *
 * Work per command is a few map updates and one short string (the prefix);
 * labels (hashing, escaping) are made once per report, for the top rows only.
 */
import type { TapOptions, TapRow, TapSample } from '../../../shared/contract/tap';
import type { KeyLabeler } from './key-labels';
import type { DecodedCommand } from './stream-decoder';
import { firstKeyIndex, fullCommandName, keyIndexes } from './stream-keys';

export const WINDOW_SECONDS = 10;
const PREFIXES_PER_SECOND = 2000;
const SAMPLES_KEPT = 20;
/** At most one sample per this many ms (20 a second). */
const SAMPLE_SPACING_MS = 50;
const SAMPLE_ARGS_SHOWN = 8;
/** Commands that steer the stream rather than carry data: their arguments are shown as they are. */
const STREAM_CONTROL = new Set(['select', 'ping', 'replconf', 'multi', 'exec']);
const NO_DATABASE = '(stream control)';
const UNKNOWN_DATABASE = 'db? (no SELECT yet)';
const NO_KEY = '(no key)';
const UNTRACKED = '(prefixes not tracked)';

interface Tally {
  bytes: number;
  commands: number;
}

class Bucket {
  bytes = 0;
  commands = 0;
  readonly byCommand = new Map<string, Tally>();
  readonly byDb = new Map<string, Tally>();
  /** Raw prefixes (Latin-1 strings, byte for byte), labelled only when reported. */
  byPrefix = new Map<string, Tally>();
  readonly noKey: Tally = { bytes: 0, commands: 0 };
  readonly untracked: Tally = { bytes: 0, commands: 0 };

  constructor(readonly second: number) {}
}

function add(map: Map<string, Tally>, key: string, bytes: number): void {
  const tally = map.get(key);
  if (tally) {
    tally.bytes += bytes;
    tally.commands++;
  } else {
    map.set(key, { bytes, commands: 1 });
  }
}

function merge(into: Map<string, Tally>, from: ReadonlyMap<string, Tally>): void {
  for (const [key, tally] of from) {
    const existing = into.get(key);
    if (existing) {
      existing.bytes += tally.bytes;
      existing.commands += tally.commands;
    } else {
      into.set(key, { ...tally });
    }
  }
}

const lowerNames = new Map<string, string>();
/** The lower-cased command name (cached: a stream uses a handful of names, spelled one or two ways). */
function commandName(raw: Buffer): string {
  const text = raw.toString('latin1');
  let lower = lowerNames.get(text);
  if (lower === undefined) {
    lower = text.toLowerCase();
    if (lowerNames.size < 1024) lowerNames.set(text, lower);
  }
  return lower;
}

const dbLabels: string[] = [];
function dbLabel(db: number): string {
  return (dbLabels[db] ??= `db${db}`);
}

export interface StatsReport {
  readonly windowSeconds: number;
  readonly totalBytes: number;
  readonly totalCommands: number;
  readonly bytesPerSec: number;
  readonly commandsPerSec: number;
  readonly peakBytesPerSec: number;
  readonly byCommand: TapRow[];
  readonly byDb: TapRow[];
  readonly byPrefix: TapRow[];
  readonly samples: TapSample[];
}

export class StreamStats {
  /** The database the stream has selected; null until its first SELECT. */
  db: number | null = null;
  private totalBytes = 0;
  private totalCommands = 0;
  private buckets: Bucket[] = [];
  private samples: TapSample[] = [];
  private lastSampleAt = 0;
  private separator: Buffer;

  constructor(
    private readonly labeler: KeyLabeler,
    private options: TapOptions,
    private readonly startedAt: number,
  ) {
    this.separator = Buffer.from(options.separator, 'latin1');
  }

  /** New grouping: prefixes counted so far were cut another way, so they are dropped. */
  setOptions(options: TapOptions): void {
    if (options.separator !== this.options.separator || options.depth !== this.options.depth) {
      for (const bucket of this.buckets) bucket.byPrefix = new Map();
      this.separator = Buffer.from(options.separator, 'latin1');
    }
    this.options = options;
  }

  record(command: DecodedCommand, now: number): void {
    const args = command.args;
    const bytes = command.bytes;
    const first = args[0];
    if (first === undefined) return;
    const name = commandName(first);
    if (name === 'select') {
      const db = Number(args[1]?.toString('latin1'));
      if (Number.isInteger(db) && db >= 0) this.db = db;
    }
    const bucket = this.bucketAt(now);
    bucket.bytes += bytes;
    bucket.commands++;
    this.totalBytes += bytes;
    this.totalCommands++;
    add(bucket.byCommand, name, bytes);
    add(bucket.byDb, name === 'ping' || name === 'replconf' ? NO_DATABASE : this.db === null ? UNKNOWN_DATABASE : dbLabel(this.db), bytes);
    const fullName = args.length > 1 ? fullCommandName(name, args[1]) : name;
    const keyAt = firstKeyIndex(fullName, args);
    const key = keyAt < 0 ? undefined : args[keyAt];
    if (key === undefined) {
      bucket.noKey.bytes += bytes;
      bucket.noKey.commands++;
    } else {
      const cut = prefixLength(key, this.separator, this.options.depth);
      const prefix = key.toString('latin1', 0, cut === 0 ? key.length : cut);
      if (bucket.byPrefix.size < PREFIXES_PER_SECOND || bucket.byPrefix.has(prefix)) add(bucket.byPrefix, prefix, bytes);
      else {
        bucket.untracked.bytes += bytes;
        bucket.untracked.commands++;
      }
    }
    if (now - this.lastSampleAt >= SAMPLE_SPACING_MS) {
      this.lastSampleAt = now;
      this.samples.push(this.sample(command, name, fullName, now));
      if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
    }
  }

  private bucketAt(now: number): Bucket {
    const second = Math.floor(now / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && last.second === second) return last;
    const bucket = new Bucket(second);
    this.buckets.push(bucket);
    while (this.buckets.length > 0 && this.buckets[0]!.second <= second - WINDOW_SECONDS) this.buckets.shift();
    return bucket;
  }

  private sample(command: DecodedCommand, name: string, fullName: string, now: number): TapSample {
    const { args, lengths } = command;
    const control = STREAM_CONTROL.has(name);
    const keys = control ? [] : keyIndexes(fullName, args);
    const shown: string[] = [];
    for (let index = 1; index < args.length && shown.length < SAMPLE_ARGS_SHOWN; index++) {
      const arg = args[index]!;
      const length = lengths[index] ?? arg.length;
      if (control) shown.push(arg.toString('latin1'));
      else if (keys.includes(index)) shown.push(this.labeler.key(arg, length, this.options.separator, prefixLength(arg, this.separator, this.options.depth)));
      else if (index === 2 && fullName !== name) shown.push(arg.toString('latin1')); // a subcommand's name ("xgroup create")
      else shown.push(this.labeler.value(arg, length));
    }
    const hidden = args.length - 1 - shown.length;
    if (hidden > 0) shown.push(`…(+${hidden} more)`);
    return { time: now, db: this.db, command: name, args: shown, bytes: command.bytes };
  }

  report(now: number): StatsReport {
    const second = Math.floor(now / 1000);
    const inWindow = this.buckets.filter((bucket) => bucket.second > second - WINDOW_SECONDS);
    const windowStart = Math.max(this.startedAt, (second - WINDOW_SECONDS + 1) * 1000);
    const windowSeconds = Math.max(0.001, (now - windowStart) / 1000);
    const byCommand = new Map<string, Tally>();
    const byDb = new Map<string, Tally>();
    const byPrefix = new Map<string, Tally>();
    const noKey: Tally = { bytes: 0, commands: 0 };
    const untracked: Tally = { bytes: 0, commands: 0 };
    let bytes = 0;
    let commands = 0;
    let peak = 0;
    for (const bucket of inWindow) {
      bytes += bucket.bytes;
      commands += bucket.commands;
      // A second still running is not a whole second: it counts for the peak only when it is the only one.
      if (bucket.second < second || inWindow.length === 1) peak = Math.max(peak, bucket.second < second ? bucket.bytes : bucket.bytes / windowSeconds);
      merge(byCommand, bucket.byCommand);
      merge(byDb, bucket.byDb);
      merge(byPrefix, bucket.byPrefix);
      noKey.bytes += bucket.noKey.bytes;
      noKey.commands += bucket.noKey.commands;
      untracked.bytes += bucket.untracked.bytes;
      untracked.commands += bucket.untracked.commands;
    }
    return {
      windowSeconds,
      totalBytes: this.totalBytes,
      totalCommands: this.totalCommands,
      bytesPerSec: bytes / windowSeconds,
      commandsPerSec: commands / windowSeconds,
      peakBytesPerSec: peak,
      byCommand: this.rows(byCommand, windowSeconds, (label) => label),
      byDb: this.rows(byDb, windowSeconds, (label) => label),
      // "(no key)" and "(prefixes not tracked)" are never hashed, and take their place by bytes like any prefix.
      byPrefix: this.rows(byPrefix, windowSeconds, (raw) => this.labeler.prefix(raw, this.options.separator), [[NO_KEY, noKey], [UNTRACKED, untracked]]),
      samples: [...this.samples],
    };
  }

  /** The top N by bytes (labelled only then), then one "other" row for the rest. */
  private rows(tallies: ReadonlyMap<string, Tally>, seconds: number, label: (key: string) => string, fixed: ReadonlyArray<readonly [string, Tally]> = []): TapRow[] {
    const entries = [
      ...[...tallies].map(([key, tally]) => ({ name: () => label(key), tally })),
      ...fixed.filter(([, tally]) => tally.commands > 0).map(([text, tally]) => ({ name: () => text, tally })),
    ].sort((a, b) => b.tally.bytes - a.tally.bytes || b.tally.commands - a.tally.commands);
    const top = entries.slice(0, this.options.topN).map((entry) => row(entry.name(), false, entry.tally, seconds));
    const rest = entries.slice(this.options.topN);
    if (rest.length === 0) return top;
    const other: Tally = { bytes: 0, commands: 0 };
    for (const entry of rest) {
      other.bytes += entry.tally.bytes;
      other.commands += entry.tally.commands;
    }
    return [...top, row(`other (${rest.length})`, true, other, seconds)];
  }
}

/** Bytes of the key's prefix: through its `depth`-th separator (or its last when it has fewer); 0 when it has none. */
export function prefixLength(key: Buffer, separator: Buffer, depth: number): number {
  let end = 0;
  for (let level = 0; level < depth; level++) {
    const at = key.indexOf(separator, end);
    if (at < 0) break;
    end = at + separator.length;
  }
  return end;
}

function row(label: string, other: boolean, tally: Tally, seconds: number): TapRow {
  return { label, other, bytes: tally.bytes, commands: tally.commands, bytesPerSec: tally.bytes / seconds, commandsPerSec: tally.commands / seconds };
}

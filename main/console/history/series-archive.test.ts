import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SeriesArchive } from './series-archive';

const dirs: string[] = [];
function archiveDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-archive-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

describe('SeriesArchive', () => {
  it('keeps one row per second, reads a range back after a reopen, and skips a torn last line', () => {
    const dir = archiveDir();
    const archive = new SeriesArchive(dir, 1e9);
    for (let ms = 0; ms < 5000; ms += 500) archive.record(T0 + ms, new Map([['a', ms], ['b', null]]));
    const file = readdirSync(dir).find((name) => name.startsWith('s-'))!;
    appendFileSync(path.join(dir, file), '[1764583205000, 12'); // a crash mid-line
    const reopened = new SeriesArchive(dir, 1e9);
    const range = reopened.range(T0, T0 + 10_000, undefined, T0 + 10_000);
    expect(range.resolution).toBe('second');
    expect(range.times).toEqual([0, 1, 2, 3, 4].map((second) => T0 + second * 1000));
    expect(range.series['a']).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(range.series['b']).toEqual([null, null, null, null, null]);
    expect(readFileSync(path.join(dir, file), 'utf8').split('\n')[0]).toBe('{"c":["a","b"]}');
  });

  it('a new column set starts a new header; old rows keep their columns', () => {
    const archive = new SeriesArchive(archiveDir(), 1e9);
    archive.record(T0, new Map([['a', 1]]));
    archive.record(T0 + 1000, new Map([['a', 2], ['c', 7]]));
    const range = archive.range(T0, T0 + 2000, ['a', 'c'], T0 + 2000);
    expect(range.series).toEqual({ a: [1, 2], c: [null, 7] });
  });

  it('the minute tier holds the mean over each minute and answers ranges older than a day', () => {
    const archive = new SeriesArchive(archiveDir(), 1e9);
    for (let second = 0; second < 180; second++) archive.record(T0 + second * 1000, new Map([['a', second < 60 ? 10 : second < 120 ? 20 : null]]));
    archive.flush();
    const range = archive.range(T0 - 1, T0 + 3 * 60_000, ['a'], T0 + 2 * 24 * HOUR);
    expect(range.resolution).toBe('minute');
    expect(range.times).toEqual([T0, T0 + 60_000, T0 + 120_000]);
    expect(range.series['a']).toEqual([10, 20, null]);
    // A day's chart asks for minutes even within the 1-second tier's 24 h.
    const forced = archive.range(T0 - 1, T0 + 3 * 60_000, ['a'], T0 + 3 * 60_000, 'minute');
    expect(forced.resolution).toBe('minute');
    expect(forced.times).toHaveLength(3);
  });

  it('prunes expired files and then the oldest until the directory fits', () => {
    const dir = archiveDir();
    const archive = new SeriesArchive(dir, 1e9);
    const row = new Map([['a', 123456.789], ['b', 1]]);
    // 30 hours of one row a minute: 1-second files past 24 h are deleted as the hours roll.
    for (let minute = 0; minute < 30 * 60; minute++) archive.record(T0 + minute * 60_000, row);
    const hours = readdirSync(dir).filter((name) => name.startsWith('s-')).map((name) => Number(name.slice(2, -6)));
    expect(Math.min(...hours)).toBeGreaterThanOrEqual(T0 + 30 * HOUR - 26 * HOUR);
    expect(readdirSync(dir).filter((name) => name.startsWith('m-'))).toHaveLength(2);
    // Over the bound: the oldest go first, the two files being written stay.
    archive.setMaxBytes(4000);
    archive.prune(T0 + 30 * HOUR);
    const left = readdirSync(dir).sort();
    const currentHour = Math.floor((T0 + (30 * 60 - 1) * 60_000) / HOUR) * HOUR;
    const currentDay = Math.floor((T0 + 30 * HOUR) / (24 * HOUR)) * 24 * HOUR;
    expect(left).toEqual([`m-${currentDay}.jsonl`, `s-${currentHour}.jsonl`]);
  });

  it('a lower bound set while writing deletes the oldest files at once (not at the next hour), a higher one deletes nothing', () => {
    const dir = archiveDir();
    const archive = new SeriesArchive(dir, 1e9);
    const now = Date.now();
    // Three hours of one row a minute, ending now: nothing expired.
    for (let minute = 3 * 60; minute > 0; minute--) archive.record(now - minute * 60_000, new Map([['a', minute]]));
    const before = readdirSync(dir).sort();
    expect(before.filter((name) => name.startsWith('s-')).length).toBeGreaterThanOrEqual(3);
    archive.setMaxBytes(2e9);
    expect(readdirSync(dir).sort()).toEqual(before);
    archive.setMaxBytes(100);
    // Only the two files being written stay: the newest of each tier.
    const newest = (prefix: string): string | undefined => before.filter((name) => name.startsWith(prefix)).at(-1);
    expect(readdirSync(dir).sort()).toEqual([newest('m-'), newest('s-')]);
  });
});

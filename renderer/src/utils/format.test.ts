import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatOffset, formatPercent, formatRate, formatSeconds, MISSING, parseByteSize } from './format';

describe('formatBytes', () => {
  it('uses binary units, one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(128 * 1024)).toBe('128 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GiB');
  });
  it('never prints 1024 of a unit', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
  });
  it('keeps the sign and shows a dash for missing values', () => {
    expect(formatBytes(-2048)).toBe('-2 KiB');
    expect(formatBytes(null)).toBe(MISSING);
    expect(formatBytes(Number.NaN)).toBe(MISSING);
  });
  it('rates add /s', () => {
    expect(formatRate(48 * 1024)).toBe('48 KiB/s');
    expect(formatRate(null)).toBe(MISSING);
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0 s'],
    // Some time, less than the tenth it would round to 0 at: never "0 s" (a 16 KiB backlog at 840 KiB/s lasts 0.019 s).
    [0.019, '< 0.1 s'],
    [0.05, '0.1 s'],
    [0.44, '0.4 s'],
    [9.96, '10 s'],
    [12.4, '12 s'],
    [65, '1 min 05 s'],
    [3599, '59 min 59 s'],
    [3600 + 3 * 60, '1 h 03 min'],
    [86_400 * 3 + 3600 * 4, '3 d 4 h'],
    // A whole unit reads as itself, not "1 min 00 s".
    [60, '1 min'],
    [59.6, '1 min'],
    [300, '5 min'],
    [1800, '30 min'],
    [3600, '1 h'],
    [7200 + 20, '2 h'],
    [86_400, '1 d'],
  ])('%s s -> %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
  it('handles missing and infinite', () => {
    expect(formatSeconds(null)).toBe(MISSING);
    expect(formatSeconds(Infinity)).toBe('∞');
  });
  it('formats relative times', () => {
    expect(formatAgo(1000, 1500)).toBe('just now');
    expect(formatAgo(0, 65_000)).toBe('1 min 05 s ago');
  });
});

describe('offsets and percentages', () => {
  it('groups offset digits exactly', () => {
    expect(formatOffset(12_345_678)).toBe('12,345,678');
    expect(formatOffset(-1)).toBe('-1');
    expect(formatOffset(null)).toBe(MISSING);
  });
  it('formats fractions as percentages', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.1234, 1)).toBe('12.3%');
  });
});

describe('parseByteSize', () => {
  it('reads redis.conf style sizes as binary units', () => {
    expect(parseByteSize('1mb')).toBe(1024 * 1024);
    expect(parseByteSize('512 KiB')).toBe(512 * 1024);
    expect(parseByteSize('1.5MiB')).toBe(1.5 * 1024 * 1024);
    expect(parseByteSize('16384')).toBe(16384);
    expect(parseByteSize('2g')).toBe(2 * 1024 ** 3);
  });
  it('rejects anything else', () => {
    expect(parseByteSize('')).toBeNull();
    expect(parseByteSize('lots')).toBeNull();
    expect(parseByteSize('-1mb')).toBeNull();
  });
  it('round-trips what formatBytes prints (without the space)', () => {
    for (const bytes of [16 * 1024, 1024 * 1024, 64 * 1024 * 1024]) expect(parseByteSize(formatBytes(bytes).replace(' ', ''))).toBe(bytes);
  });
});

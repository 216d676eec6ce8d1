/** The range of an incident bundle (main/console/replay/bundle-writer.ts): defaults, the end clamped to now, the start to the session's first state, the 7-day bound. */
import { describe, expect, it } from 'vitest';
import { bundleRange } from '../../main/console/replay/bundle-writer';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

describe('bundleRange', () => {
  it('defaults to the last 15 minutes and never ends after now', () => {
    expect(bundleRange({}, NOW, null)).toEqual({ fromMs: NOW - 15 * 60_000, toMs: NOW });
    expect(bundleRange({ fromMs: NOW - 1000, toMs: NOW + 60_000 }, NOW, null)).toEqual({ fromMs: NOW - 1000, toMs: NOW });
  });

  it('starts no earlier than the first topology state of the session', () => {
    expect(bundleRange({ fromMs: NOW - DAY }, NOW, NOW - 30_000)).toEqual({ fromMs: NOW - 30_000, toMs: NOW });
    expect(bundleRange({ fromMs: NOW - 10_000 }, NOW, NOW - 30_000)).toEqual({ fromMs: NOW - 10_000, toMs: NOW });
    // A range wholly before the first state is left as asked (the bundle then holds the first state only).
    expect(bundleRange({ fromMs: NOW - DAY, toMs: NOW - DAY + 1000 }, NOW, NOW - 30_000)).toEqual({ fromMs: NOW - DAY, toMs: NOW - DAY + 1000 });
  });

  it('refuses a range that ends before it starts, or spans more than 7 days', () => {
    expect(() => bundleRange({ fromMs: NOW, toMs: NOW - 1 }, NOW, null)).toThrow('the range ends before it starts');
    expect(() => bundleRange({ fromMs: NOW - 8 * DAY }, NOW, null)).toThrow('a bundle covers at most 7 days; this range is 8.0 days');
    expect(bundleRange({ fromMs: NOW - 7 * DAY }, NOW, null)).toEqual({ fromMs: NOW - 7 * DAY, toMs: NOW });
  });
});

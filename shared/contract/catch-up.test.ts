import { describe, expect, it } from 'vitest';
import { catchUp, IN_FLIGHT_FLOOR_BYTES, outageCoveredSeconds, outOfBacklog } from './catch-up';

const KiB = 1024;
const poll = 1000;

describe('catch-up: the time for the byte lag to close at apply rate - write rate', () => {
  it('a closing lag: lag / (apply - write), not lag / apply', () => {
    // 900 KiB behind, applying 100 KiB/s while the master writes 37 KiB/s: 900 / 63 s.
    expect(catchUp({ lagBytes: 900 * KiB, applyRateBytesPerSec: 100 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll }))
      .toEqual({ catchUpSeconds: 900 / 63, fallingBehind: false });
  });

  it('a growing lag (the trial: 8 KiB/s applied, 37 KiB/s written, 905 KiB behind) has no figure and falls behind', () => {
    expect(catchUp({ lagBytes: 905 * KiB, applyRateBytesPerSec: 8 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll }))
      .toEqual({ catchUpSeconds: null, fallingBehind: true });
    // Applying exactly as fast as the master writes: the lag holds, it does not close either.
    expect(catchUp({ lagBytes: 905 * KiB, applyRateBytesPerSec: 37 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll }).fallingBehind).toBe(true);
  });

  it('a steady small lag (no more than one poll of writes in flight) on a healthy link never reads falling behind', () => {
    // A healthy link whose apply rate dipped under the write rate for one poll: 30 KiB in flight at 37 KiB/s.
    expect(catchUp({ lagBytes: 30 * KiB, applyRateBytesPerSec: 35 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll }))
      .toEqual({ catchUpSeconds: 30 / 35, fallingBehind: false });
    // Low write rates: the fixed floor holds.
    expect(catchUp({ lagBytes: IN_FLIGHT_FLOOR_BYTES, applyRateBytesPerSec: 1 * KiB, writeRateBytesPerSec: 2 * KiB, pollIntervalMs: poll }).fallingBehind).toBe(false);
    // Just past one poll of writes, with apply < write: it is falling behind.
    expect(catchUp({ lagBytes: 38 * KiB, applyRateBytesPerSec: 35 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll }).fallingBehind).toBe(true);
    // A longer poll interval has more in flight.
    expect(catchUp({ lagBytes: 70 * KiB, applyRateBytesPerSec: 35 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: 2000 }).fallingBehind).toBe(false);
  });

  it('caught up, unknown lag, unknown rates', () => {
    expect(catchUp({ lagBytes: 0, applyRateBytesPerSec: null, writeRateBytesPerSec: null, pollIntervalMs: poll })).toEqual({ catchUpSeconds: 0, fallingBehind: false });
    expect(catchUp({ lagBytes: null, applyRateBytesPerSec: 8 * KiB, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll })).toEqual({ catchUpSeconds: null, fallingBehind: false });
    // Past what is in flight with a rate unknown (first poll, a full sync between polls): no guess either way.
    expect(catchUp({ lagBytes: 500 * KiB, applyRateBytesPerSec: 8 * KiB, writeRateBytesPerSec: null, pollIntervalMs: poll })).toEqual({ catchUpSeconds: null, fallingBehind: false });
    expect(catchUp({ lagBytes: 500 * KiB, applyRateBytesPerSec: null, writeRateBytesPerSec: 37 * KiB, pollIntervalMs: poll })).toEqual({ catchUpSeconds: null, fallingBehind: false });
  });
});

describe('outOfBacklog', () => {
  const pollIntervalMs = 1000;
  it('a replica falling behind leaves the backlog at headroom ÷ (write - apply), not headroom ÷ write', () => {
    const closing = catchUp({ lagBytes: 500_000, applyRateBytesPerSec: 8_000, writeRateBytesPerSec: 37_000, pollIntervalMs });
    expect(outOfBacklog(548_576, closing, 8_000, 37_000)).toEqual({ seconds: 548_576 / 29_000, keepsUp: false });
    expect(outageCoveredSeconds(548_576, 37_000)).toBe(548_576 / 37_000);
  });
  it('a replica that keeps up (streaming, or closing its lag) never leaves it: no figure', () => {
    expect(outOfBacklog(1_000_000, catchUp({ lagBytes: 4_000, applyRateBytesPerSec: 37_000, writeRateBytesPerSec: 37_000, pollIntervalMs }), 37_000, 37_000)).toEqual({ seconds: null, keepsUp: true });
    expect(outOfBacklog(500_000, catchUp({ lagBytes: 500_000, applyRateBytesPerSec: 60_000, writeRateBytesPerSec: 37_000, pollIntervalMs }), 60_000, 37_000)).toEqual({ seconds: null, keepsUp: true });
  });
  it('a rate unknown: no figure, and not "keeps up"', () => {
    expect(outOfBacklog(500_000, catchUp({ lagBytes: 500_000, applyRateBytesPerSec: null, writeRateBytesPerSec: 37_000, pollIntervalMs }), null, 37_000)).toEqual({ seconds: null, keepsUp: false });
    expect(outageCoveredSeconds(500_000, 0)).toBeNull();
  });
});

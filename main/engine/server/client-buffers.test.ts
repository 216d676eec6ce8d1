import { describe, expect, it } from 'vitest';
import { jemallocSizeClass, QueryBufferMeter, sdsUsable } from './query-buffer';
import { ReplyBufferMeter, type ReplyBufferStats } from './reply-buffer';

/** One request of `bytes` read and run whole. */
function readWhole(meter: QueryBufferMeter, bytes: number): void {
  meter.read(bytes, -1, 0);
  meter.consumed(0, -1);
}

describe('sds sizes on jemalloc', () => {
  it('rounds to jemalloc size classes and takes the sds header and NUL off', () => {
    expect([8, 9, 17, 128, 129, 161, 257, 16390, 100_012].map(jemallocSizeClass)).toEqual([8, 16, 32, 128, 160, 192, 320, 20480, 114688]);
    // A fresh client's sdsempty(), its first 16 KB read, a 100000-byte argument (redis-server's figures).
    expect([0, 16384, 100_002].map(sdsUsable)).toEqual([4, 20474, 114678]);
  });
});

describe('QueryBufferMeter (clientsCronResizeQueryBuffer)', () => {
  it('an idle client loses its whole buffer after more than 2 s, not before', () => {
    const meter = new QueryBufferMeter();
    readWhole(meter, 40);
    expect([meter.length, meter.free]).toEqual([0, 20474]);
    meter.cron(2, -1);
    expect(meter.allocated).toBe(20474);
    meter.cron(3, -1);
    expect([meter.length, meter.allocated]).toEqual([0, 0]);
  });

  it('a buffer grown for a big argument shrinks toward the recent peak once it is twice the peak', () => {
    const meter = new QueryBufferMeter();
    meter.read(40, -1, 0); // the header of a 400000-byte argument and its first bytes
    meter.consumed(10, 400_000);
    meter.read(400_002 - 10, 400_000, 10);
    meter.consumed(0, -1);
    const big = meter.allocated;
    expect(big).toBe(sdsUsable(400_002));
    meter.cron(0, -1); // the peak of this cycle is the argument itself: kept
    expect(meter.allocated).toBe(big);
    readWhole(meter, 130);
    meter.cron(0, -1);
    expect(meter.allocated).toBe(130);
    expect(meter.peak).toBe(0);
  });

  it('never trims below the bulk argument being received', () => {
    const meter = new QueryBufferMeter();
    meter.read(64, -1, 0);
    meter.consumed(20, 200_000);
    meter.cron(0, 200_000);
    expect(meter.allocated).toBeGreaterThanOrEqual(200_000);
    expect(meter.peak).toBe(200_000);
  });
});

describe('ReplyBufferMeter (clientsCronResizeOutputBuffer)', () => {
  const stats = (): ReplyBufferStats => ({ replyBufferShrinks: 0, replyBufferExpands: 0 });
  /** A wall-clock time: a new client's first cron resets the peak (Redis compares ms with its creation second). */
  const t0 = 1_700_000_000_000;

  it('an idle client shrinks to 1 KB: the first cron resets the peak, the next shrinks', () => {
    const meter = new ReplyBufferMeter();
    const counters = stats();
    meter.cron(t0 + 1000, 0, 5000, counters);
    expect(meter.size).toBe(16384);
    meter.cron(t0 + 1100, 0, 5000, counters);
    expect([meter.size, counters.replyBufferShrinks]).toEqual([1024, 1]);
    meter.cron(t0 + 1200, 0, 5000, counters);
    expect(meter.size).toBe(1024);
  });

  it('a client filling its buffer doubles it each cron up to 16 KB, never past', () => {
    const meter = new ReplyBufferMeter();
    const counters = stats();
    meter.cron(t0 + 1000, 0, 5000, counters);
    meter.cron(t0 + 1100, 0, 5000, counters);
    const sizes: number[] = [];
    for (let tick = 0; tick < 6; tick++) {
      meter.noteQueued(40_000);
      meter.cron(t0 + 1200 + tick * 100, 0, -1, counters);
      sizes.push(meter.size);
    }
    expect(sizes).toEqual([2048, 4096, 8192, 16384, 16384, 16384]);
    expect(counters.replyBufferExpands).toBe(4);
    expect(meter.inList(40_000)).toEqual({ bytes: 40_000 - 16384, blocks: 2 });
  });
});

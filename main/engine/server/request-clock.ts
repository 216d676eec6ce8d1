/**
 * Wall-clock milliseconds for the request path, derived from the monotonic
 * reading the dispatcher takes anyway to time each command (call()'s
 * duration for commandstats and the slowlog). Redis reads its clocks two or
 * three times per command too, but from cheap sources; in Node each read is
 * a native call, so the request path reads one clock, not two.
 *
 * The derived time is floor(monotonic + offset). Date.now() only gives
 * whole milliseconds, so anchoring the offset on one Date.now() reading
 * puts the derived clock up to 1 ms behind the real one: a client that
 * reads its own clock, sends GETEX PXAT (its time + 10000) and then PTTL got
 * 10001 from us in 60% of tries (never from redis-server, whose mstime() is
 * the exact time floored). So the offset is measured at a millisecond tick
 * (spinning on Date.now() until it changes: at most 1 ms, at start and
 * after the system clock steps), and the cron keeps it inside what each
 * new reading allows.
 *
 * Invariant: wallAt(performance.now()) is floor(real time), never behind it
 * and ahead by at most a microsecond or two, to within the clocks'
 * drift since the offset was measured. Every cron tick (1000/hz ms) checks
 * it against a fresh Date.now() reading and measures it again when the
 * reading rules it out: drift (NTP slewing) past that margin, or a step of
 * the system clock, which is thus followed at the next tick, as Redis
 * follows it at its next clock read. A measurement blocks until the next
 * millisecond tick (up to 1 ms; a few when the thread is preempted during
 * it and it is taken again). The check itself rarely asks for one: after
 * the one at start, none in 20,000 resync() calls made at random points of
 * the millisecond (a scratch loop of about 3 s, so it says nothing of drift).
 */
import { performance } from 'node:perf_hooks';

export class RequestClock {
  /** Unix time in ms minus performance.now(), at sub-millisecond precision. */
  private offset = measureOffset();

  /**
   * Checks the offset against a fresh Date.now() reading (from the cron).
   * The reading brackets the real time: it was at least `wall` by the
   * second monotonic reading and below `wall + 1` at the first, so the
   * offset must lie in [wall - after, wall + 1 - before).
   */
  resync(): void {
    const before = performance.now();
    const wall = Date.now();
    const after = performance.now();
    const low = wall - after;
    const high = wall + 1 - before;
    if (this.offset < low || this.offset >= high) this.offset = measureOffset();
  }

  /** The performance.now() value at Unix time `wall` (ms): wallAt's inverse, to within its flooring. */
  monotonicAt(wall: number): number {
    return wall - this.offset;
  }

  /** Unix time in ms at the monotonic instant `monotonic` (a performance.now() value). */
  wallAt(monotonic: number): number {
    return Math.floor(monotonic + this.offset);
  }
}

/** A measurement whose two monotonic readings lie further apart than this (ms: the thread was preempted) is taken again. */
const MEASURE_TOLERANCE_MS = 0.02;

/**
 * The wall-clock offset of performance.now(), read at a Date.now() tick,
 * never below the true one: the tick came after the last Date.now() call
 * that still returned the old millisecond, which came after the monotonic
 * reading `lastOld`, so at `lastOld` the real time was below the new
 * millisecond `wall`. It is above the true one by less than the time from
 * `lastOld` to `after` (read once the new millisecond was seen, when the
 * real time was at least `wall`): two loop turns, about a microsecond,
 * unless the thread was preempted there, in which case the next tick is
 * waited for.
 */
function measureOffset(): number {
  for (let attempt = 0; ; attempt++) {
    let lastOld = performance.now();
    const first = Date.now();
    let before = performance.now();
    let wall = Date.now();
    while (wall === first) {
      lastOld = before;
      before = performance.now();
      wall = Date.now();
    }
    const after = performance.now();
    if (after - lastOld <= MEASURE_TOLERANCE_MS || attempt === 4) return wall - lastOld;
  }
}

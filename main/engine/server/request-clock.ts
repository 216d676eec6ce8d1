/**
 * Wall-clock milliseconds for the request path, derived from the monotonic
 * reading the dispatcher takes anyway to time each command (call()'s
 * duration for commandstats and the slowlog). Redis reads its clocks two or
 * three times per command too, but from cheap sources; in Node each read is
 * a native call, so the request path reads one clock, not two.
 *
 * Invariant: wallAt(performance.now()) is Date.now() to within a
 * millisecond, re-anchored by the cron (every 1000/hz ms), so a step of the
 * system clock (NTP) is followed within one cron tick, as Redis follows it at
 * its next cached-time update.
 */
import { performance } from 'node:perf_hooks';

export class RequestClock {
  private wallAnchor = Date.now();
  private monotonicAnchor = performance.now();

  /** Re-reads both clocks together (from the cron). */
  resync(): void {
    this.wallAnchor = Date.now();
    this.monotonicAnchor = performance.now();
  }

  /** The performance.now() value at Unix time `wall` (ms): wallAt's inverse, to within its flooring. */
  monotonicAt(wall: number): number {
    return wall - this.wallAnchor + this.monotonicAnchor;
  }

  /** Unix time in ms at the monotonic instant `monotonic` (a performance.now() value). */
  wallAt(monotonic: number): number {
    return Math.floor(this.wallAnchor + (monotonic - this.monotonicAnchor));
  }
}

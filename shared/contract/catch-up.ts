/**
 * How long a replica needs to close its byte lag, and whether it is closing
 * it at all.
 *
 * The lag closes at the replica's apply rate minus the master's write rate
 * (both Δoffset/Δt between the same two polls): a replica applying 8 KiB/s
 * behind a master writing 37 KiB/s never catches up, however small
 * lag ÷ apply rate looks. So:
 *  - lag 0: caught up (0 s);
 *  - lag within what is in flight (at most one poll interval of writes, or
 *    IN_FLIGHT_FLOOR_BYTES): a healthy streaming link, lag ÷ apply rate, never
 *    "falling behind" (a single poll's rates are noisy; the bytes written
 *    between the master's and the replica's INFO are not a trend);
 *  - apply > write: lag ÷ (apply - write);
 *  - apply ≤ write: the lag is not closing: no figure, `fallingBehind`;
 *  - a rate unknown (first poll, a full sync between polls): no figure.
 */
export const IN_FLIGHT_FLOOR_BYTES = 16 * 1024;

export interface CatchUpInput {
  readonly lagBytes: number | null;
  readonly applyRateBytesPerSec: number | null;
  readonly writeRateBytesPerSec: number | null;
  readonly pollIntervalMs: number;
}

export interface CatchUp {
  readonly catchUpSeconds: number | null;
  readonly fallingBehind: boolean;
}

export function catchUp(input: CatchUpInput): CatchUp {
  const { lagBytes, applyRateBytesPerSec: apply, writeRateBytesPerSec: write } = input;
  if (lagBytes === null) return { catchUpSeconds: null, fallingBehind: false };
  if (lagBytes === 0) return { catchUpSeconds: 0, fallingBehind: false };
  const inFlight = Math.max(IN_FLIGHT_FLOOR_BYTES, ((write ?? 0) * input.pollIntervalMs) / 1000);
  if (lagBytes <= inFlight) return { catchUpSeconds: apply !== null && apply > 0 ? lagBytes / apply : null, fallingBehind: false };
  if (apply === null || write === null) return { catchUpSeconds: null, fallingBehind: false };
  const closing = lagClosingRate(apply, write);
  return closing > 0 ? { catchUpSeconds: lagBytes / closing, fallingBehind: false } : { catchUpSeconds: null, fallingBehind: true };
}

/** Bytes per second the byte lag closes at (negative: it grows): the replica's apply rate minus the master's write rate. */
export function lagClosingRate(applyRateBytesPerSec: number, writeRateBytesPerSec: number): number {
  return applyRateBytesPerSec - writeRateBytesPerSec;
}

export interface OutOfBacklog {
  /** Seconds until the replica's position leaves the backlog at these rates; null when it keeps up or a rate is unknown. */
  readonly seconds: number | null;
  /** The replica keeps up (catch-up's rule: not falling behind, rates known): at these rates it never leaves the backlog. */
  readonly keepsUp: boolean;
}

/**
 * How long until a replica that keeps applying falls out of its master's
 * backlog. The headroom (repl-backlog-size - byte lag) shrinks only as fast
 * as the lag grows, write rate - apply rate: a replica applying 8 KiB/s
 * behind 37 KiB/s of writes loses 29 KiB/s, not 37. So, by the same rule
 * as catch-up (one window of rates, the same in-flight allowance):
 *  - falling behind: headroom ÷ (write - apply);
 *  - catching up or streaming: it keeps up, no finite figure;
 *  - a rate unknown: no figure.
 * A frozen replica (the link dropped) is the other question: headroom ÷
 * write rate (outageCoveredSeconds).
 */
export function outOfBacklog(headroomBytes: number, closing: CatchUp, applyRateBytesPerSec: number | null, writeRateBytesPerSec: number | null): OutOfBacklog {
  if (applyRateBytesPerSec === null || writeRateBytesPerSec === null) return { seconds: null, keepsUp: false };
  if (!closing.fallingBehind) return { seconds: null, keepsUp: true };
  return { seconds: headroomBytes / -lagClosingRate(applyRateBytesPerSec, writeRateBytesPerSec), keepsUp: false };
}

/** If the link dropped now, seconds until the frozen replica's position leaves the backlog: headroom ÷ write rate; null with no writes or no rate. */
export function outageCoveredSeconds(headroomBytes: number, writeRateBytesPerSec: number | null): number | null {
  return writeRateBytesPerSec !== null && writeRateBytesPerSec > 0 ? headroomBytes / writeRateBytesPerSec : null;
}

/**
 * A link's "falling behind" as one number, as the views show it: 1 where
 * they say "falling behind", 0 where they show a catch-up figure (0 s for no
 * lag), null where they show "—" (the lag or a rate unknown). The Prometheus
 * gauge and the recorded series (so a replay shows what the live view did)
 * both read it here.
 */
export function fallingBehindReading(link: CatchUp): 1 | 0 | null {
  if (link.fallingBehind) return 1;
  return link.catchUpSeconds === null ? null : 0;
}

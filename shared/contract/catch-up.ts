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
  const closing = apply - write;
  return closing > 0 ? { catchUpSeconds: lagBytes / closing, fallingBehind: false } : { catchUpSeconds: null, fallingBehind: true };
}

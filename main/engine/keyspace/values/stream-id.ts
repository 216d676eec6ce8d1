/**
 * Stream IDs (stream.h streamID): two unsigned 64-bit numbers, `ms-seq`,
 * ordered as one 128-bit number (ms first).
 *
 * Representation: each half is a `U64`, a JS number while it is a safe
 * integer (<= 2^53 - 1) and a bigint only beyond that. The rule is strict
 * (`u64()` normalizes), so equal values always have the same JS type and
 * `===` compares them; `<` and `>` work across number and bigint. Every ID a
 * client makes with `*` (a millisecond clock, a small sequence) stays on
 * numbers; `18446744073709551615-18446744073709551615` is a pair of bigints.
 *
 * The same normalized number-or-bigint form holds the 64-bit counters of a
 * stream (entries-added, entries-read, delivery counts): `Counter`.
 */

import { latin1String } from '../../util/latin1';

/** An unsigned 64-bit value: a number when safe, else a bigint (never a bigint <= 2^53 - 1). */
export type U64 = number | bigint;
/** A signed 64-bit counter in the same normalized form (entries_read may be -1). */
export type Counter = number | bigint;

export interface StreamId {
  readonly ms: U64;
  readonly seq: U64;
}

export const U64_MAX = 2n ** 64n - 1n;
const SAFE = Number.MAX_SAFE_INTEGER;
const BIG_SAFE = BigInt(SAFE);
const TWO_64 = 2n ** 64n;
const TWO_32 = 2 ** 32;

export const MIN_ID: StreamId = Object.freeze({ ms: 0, seq: 0 });
export const MAX_ID: StreamId = Object.freeze({ ms: U64_MAX, seq: U64_MAX });

/** The normalized form of a bigint (number when it is safe). */
export function u64(value: bigint): U64 {
  return value <= BIG_SAFE && value >= -BIG_SAFE ? Number(value) : value;
}

export function streamId(ms: U64, seq: U64): StreamId {
  return { ms, seq };
}

/** streamCompareID: -1, 0 or 1. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function isMaxId(id: StreamId): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

/** Room for `<ms>-<seq>` with both halves safe integers (16 digits each). */
const ID_TEXT = Buffer.alloc(34);
/** The ms whose digits and '-' are ID_TEXT[0, idPrefixLength) (-1: none yet). */
let idPrefixMs = -1;
let idPrefixLength = 0;

/**
 * createStreamIDString: `<ms>-<seq>` in decimal. A template literal longer
 * than 12 chars is a cons string, which every write to a socket or buffer
 * flattens first (a native call and a copy), and its numbers go through
 * V8's number-to-string cache. IDs on numbers are written as bytes instead
 * and made one flat string (latin1String): the ms digits are kept for the
 * next ID, which usually shares them (XADD under load, the entries of a
 * range), so an ID costs its sequence's few digits.
 */
export function formatId(id: StreamId): string {
  const { ms, seq } = id;
  if (typeof ms !== 'number' || typeof seq !== 'number') return `${ms}-${seq}`;
  if (ms !== idPrefixMs) {
    idPrefixLength = writeDecimal(ID_TEXT, 0, ms);
    ID_TEXT[idPrefixLength++] = 0x2d; // '-'
    idPrefixMs = ms;
  }
  return latin1String(ID_TEXT, 0, writeDecimal(ID_TEXT, idPrefixLength, seq));
}

/** Writes a non-negative safe integer's digits at pos; returns the end. */
function writeDecimal(out: Buffer, pos: number, value: number): number {
  if (value <= 0x7fffffff) {
    // A sequence number: int32 arithmetic.
    let digits = 1;
    for (let scan = value; scan >= 10; scan = (scan / 10) | 0) digits++;
    const end = pos + digits;
    let rest = value;
    for (let at = end - 1; at >= pos; at--) {
      const quotient = (rest / 10) | 0;
      out[at] = 0x30 + (rest - quotient * 10);
      rest = quotient;
    }
    return end;
  }
  let digits = 1;
  for (let scan = value; scan >= 10; scan = Math.floor(scan / 10)) digits++;
  const end = pos + digits;
  let rest = value;
  for (let at = end - 1; at >= pos; at--) {
    const quotient = Math.floor(rest / 10);
    out[at] = 0x30 + (rest - quotient * 10);
    rest = quotient;
  }
  return end;
}

/** x + 1 for a counter (or a U64 known not to be at its maximum). */
export function increment(value: Counter): Counter {
  if (typeof value === 'number' && value < SAFE) return value + 1;
  return u64(BigInt(value) + 1n);
}

/** x - 1 for a counter. */
export function decrement(value: Counter): Counter {
  if (typeof value === 'number' && value > -SAFE) return value - 1;
  return u64(BigInt(value) - 1n);
}

/** a - b for counters (lag = entries_added - entries_read). */
export function subtract(a: Counter, b: Counter): Counter {
  if (typeof a === 'number' && typeof b === 'number') {
    const difference = a - b;
    if (Number.isSafeInteger(difference)) return difference;
  }
  return u64(BigInt(a) - BigInt(b));
}

/**
 * streamIncrID: the successor. At the maximum ID it wraps to 0-0 and
 * `overflow` is true (callers decide, as Redis's C_ERR).
 */
export function nextId(id: StreamId): { id: StreamId; overflow: boolean } {
  if (id.seq !== U64_MAX) return { id: { ms: id.ms, seq: increment(id.seq) }, overflow: false };
  if (id.ms !== U64_MAX) return { id: { ms: increment(id.ms), seq: 0 }, overflow: false };
  return { id: MIN_ID, overflow: true };
}

/** streamDecrID: the predecessor. At 0-0 it wraps to the maximum and `overflow` is true. */
export function previousId(id: StreamId): { id: StreamId; overflow: boolean } {
  if (id.seq !== 0) return { id: { ms: id.ms, seq: decrement(id.seq) }, overflow: false };
  if (id.ms !== 0) return { id: { ms: decrement(id.ms), seq: U64_MAX }, overflow: false };
  return { id: MAX_ID, overflow: true };
}

/**
 * Adds a signed 64-bit delta to an unsigned 64-bit base modulo 2^64, the
 * way C adds an int64 listpack delta to a uint64 master ID.
 */
export function addDelta(base: U64, delta: number | bigint): U64 {
  if (typeof base === 'number' && typeof delta === 'number') {
    const sum = base + delta;
    if (sum >= 0 && sum <= SAFE) return sum;
  }
  let sum = (BigInt(base) + BigInt(delta)) % TWO_64;
  if (sum < 0n) sum += TWO_64;
  return u64(sum);
}

/**
 * value - base as the int64 a listpack stores (C computes it in uint64 and
 * lpAppendInteger takes it as int64). Number when safe.
 */
export function deltaOf(value: U64, base: U64): number | bigint {
  if (typeof value === 'number' && typeof base === 'number') return value - base;
  let delta = (BigInt(value) - BigInt(base)) % TWO_64;
  if (delta < 0n) delta += TWO_64;
  if (delta >= 2n ** 63n) delta -= TWO_64;
  return u64(delta);
}

/** streamEncodeID: 16 bytes big-endian (the radix-tree key, RDB PEL IDs). */
export function writeIdBE(out: Buffer, offset: number, id: StreamId): void {
  writeU64BE(out, offset, id.ms);
  writeU64BE(out, offset + 8, id.seq);
}

export function encodeId(id: StreamId): Buffer {
  const out = Buffer.allocUnsafe(16);
  writeIdBE(out, 0, id);
  return out;
}

/** streamDecodeID. */
export function readIdBE(data: Buffer, offset: number): StreamId {
  return { ms: readU64BE(data, offset), seq: readU64BE(data, offset + 8) };
}

function writeU64BE(out: Buffer, offset: number, value: U64): void {
  if (typeof value === 'bigint') {
    out.writeBigUInt64BE(value, offset);
    return;
  }
  out.writeUInt32BE(Math.floor(value / TWO_32), offset);
  out.writeUInt32BE(value % TWO_32, offset + 4);
}

function readU64BE(data: Buffer, offset: number): U64 {
  const high = data.readUInt32BE(offset);
  const low = data.readUInt32BE(offset + 4);
  // Below 2^21 in the high word the value is at most 2^53 - 1.
  if (high < 0x200000) return high * TWO_32 + low;
  return data.readBigUInt64BE(offset);
}

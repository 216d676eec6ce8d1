/**
 * The byte layout of a Redis HyperLogLog (hyperloglog.c), which is a plain
 * string value: it travels in RDB files, DUMP payloads and the replication
 * stream as bytes, so every byte here must be the one redis-server writes.
 *
 *   +------+---+-----+----------+----------------------------//
 *   | HYLL | E | N/U | Cardin.  | registers (dense or sparse)
 *   +------+---+-----+----------+----------------------------//
 *    0..3   4   5..7   8..15     16..
 *
 *   E        0 = dense, 1 = sparse (anything else is not an HLL).
 *   N/U      three bytes, zero.
 *   Cardin.  the last computed cardinality, uint64 little endian. Bit 7 of
 *            byte 15 set means "stale": the registers changed since.
 *
 * Dense: 16384 registers of 6 bits packed from the least significant bit
 * of byte 16 upwards, 12288 bytes, so a dense value is exactly 12304 bytes
 * (a string of another length with E = 0 is refused):
 *
 *   +--------+--------+--------+------//
 *   |11000000|22221111|33333322|55444444
 *   +--------+--------+--------+------//
 *
 * Register i starts at bit 6i. Reading the last register also reads the
 * byte after the value (sds strings end with a NUL, which Redis relies on);
 * readers here treat that byte as 0.
 *
 * Sparse: run-length opcodes (hll-sparse.ts) covering exactly 16384
 * registers.
 */
import { error, type ErrorReply } from '../resp/reply';
import * as errors from '../resp/errors';
import type { RedisValue } from '../keyspace/values';
import { HeldBytes } from '../keyspace/held-bytes';
import { HeldInteger } from '../keyspace/held-integer';
import { lastHashHigh, murmurHash64A, murmurHash64AOfBytes, HLL_HASH_SEED } from './murmur-hash64a';
import { WASM_PATTERN_MAX_BYTES, wasmPattern } from './hll-pattern-wasm';

export const HLL_HEADER_SIZE = 16;
export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
/** Bits of the hash above the register index (64 - P): patterns run up to Q + 1. */
export const HLL_Q = 64 - HLL_P;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_DENSE_SIZE = HLL_HEADER_SIZE + (HLL_REGISTERS * HLL_BITS) / 8; // 12304
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
/** Offset of the encoding byte and of the cached cardinality. */
export const ENCODING_OFFSET = 4;
export const CARDINALITY_OFFSET = 8;

/**
 * An HLL as the PF commands find it in the keyspace: a string, or the bytes
 * of a dense HLL a PF command left held (an HllBuffer; held-bytes.ts). The
 * readers below take either.
 */
export type HllView = string | { readonly bytes: Uint8Array };

/** Byte `at` of either form (a string's char code; past a string's end NaN, which reads as 0 once shifted or masked). */
function byteAt(value: HllView, at: number): number {
  return typeof value === 'string' ? value.charCodeAt(at) : value.bytes[at]!;
}

export const INVALID_HLL = error('INVALIDOBJ Corrupted HLL object detected');
export const NOT_AN_HLL = error('WRONGTYPE Key is not a valid HyperLogLog string value.');

/**
 * isHLLObjectOrReply: null when `value` may be used as an HLL; otherwise the
 * error Redis answers (a non-string is the generic WRONGTYPE, a string with a
 * bad header or a dense one of the wrong length is "not a valid
 * HyperLogLog"). The sparse payload is checked only where it is walked.
 * Held bytes are a dense HLL (only the PF commands leave a value held so),
 * except a counter held as its integer (held-integer.ts), which is not one.
 */
export function hllValueError(value: RedisValue | HeldBytes): ErrorReply | null {
  if (value instanceof HeldInteger) return NOT_AN_HLL;
  if (value instanceof HeldBytes) return null;
  if (typeof value !== 'string') return errors.WRONGTYPE;
  if (value.length < HLL_HEADER_SIZE) return NOT_AN_HLL;
  if (value.charCodeAt(0) !== 72 || value.charCodeAt(1) !== 89 || value.charCodeAt(2) !== 76 || value.charCodeAt(3) !== 76) return NOT_AN_HLL; // "HYLL"
  const encoding = value.charCodeAt(ENCODING_OFFSET);
  if (encoding > HLL_SPARSE) return NOT_AN_HLL;
  if (encoding === HLL_DENSE && value.length !== HLL_DENSE_SIZE) return NOT_AN_HLL;
  return null;
}

export function isDense(value: HllView): boolean {
  return byteAt(value, ENCODING_OFFSET) === HLL_DENSE;
}

/** HLL_VALID_CACHE: the cached cardinality may be returned as is. */
export function hasValidCache(value: HllView): boolean {
  return (byteAt(value, CARDINALITY_OFFSET + 7) & 0x80) === 0;
}

/** The cached cardinality (uint64 LE; always below 2^53 when Redis wrote it). */
export function cachedCardinality(value: HllView): number | bigint {
  let high = 0;
  for (let i = 7; i >= 4; i--) high = high * 256 + byteAt(value, CARDINALITY_OFFSET + i);
  let low = 0;
  for (let i = 3; i >= 0; i--) low = low * 256 + byteAt(value, CARDINALITY_OFFSET + i);
  if (high < 0x200000) return high * 0x100000000 + low;
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Caches `cardinality` (an estimate, below 2^53) in the header, valid bit clear. */
export function setCachedCardinality(bytes: Uint8Array, cardinality: number): void {
  let rest = cardinality;
  for (let i = 0; i < 8; i++) {
    bytes[CARDINALITY_OFFSET + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/** HLL_INVALIDATE_CACHE on a buffer holding an HLL. */
export function invalidateCache(bytes: Uint8Array): void {
  bytes[CARDINALITY_OFFSET + 7] = bytes[CARDINALITY_OFFSET + 7]! | 0x80;
}

/** HLL_DENSE_GET_REGISTER on bytes (the byte after the end reads as 0). */
export function denseRegister(bytes: Uint8Array, index: number): number {
  const bit = index * HLL_BITS;
  const at = HLL_HEADER_SIZE + (bit >>> 3);
  const shift = bit & 7;
  return ((bytes[at]! >>> shift) | ((bytes[at + 1] ?? 0) << (8 - shift))) & HLL_REGISTER_MAX;
}

/** The same read on a string value (charCodeAt past the end is NaN, which shifts to 0). */
export function denseRegisterOfString(value: string, index: number): number {
  const bit = index * HLL_BITS;
  const at = HLL_HEADER_SIZE + (bit >>> 3);
  const shift = bit & 7;
  return ((value.charCodeAt(at) >>> shift) | (value.charCodeAt(at + 1) << (8 - shift))) & HLL_REGISTER_MAX;
}

/** A dense register of either form. */
export function denseRegisterOf(value: HllView, index: number): number {
  return typeof value === 'string' ? denseRegisterOfString(value, index) : denseRegister(value.bytes, index);
}

/** HLL_DENSE_SET_REGISTER: `count` must be 0..63. The typed array keeps the low 8 bits, like the C uint8. */
export function setDenseRegister(bytes: Uint8Array, index: number, count: number): void {
  const bit = index * HLL_BITS;
  const at = HLL_HEADER_SIZE + (bit >>> 3);
  const shift = bit & 7;
  const shift8 = 8 - shift;
  bytes[at] = (bytes[at]! & ~(HLL_REGISTER_MAX << shift)) | (count << shift);
  if (at + 1 < bytes.length) bytes[at + 1] = (bytes[at + 1]! & ~(HLL_REGISTER_MAX >> shift8)) | (count >> shift8);
}

/**
 * hllPatLen: the register an element updates and its pattern length (the
 * position of the first 1 bit above the index bits, counting from 1; at
 * most Q + 1 = 51), packed as `length * HLL_REGISTERS + index` so that
 * hashing many elements allocates nothing.
 */
export function hllPattern(element: string): number {
  const length = element.length;
  if (wasmPattern !== null && length <= WASM_PATTERN_MAX_BYTES) {
    // A loop, not a native copy: an element is latin1 (char codes 0..255, one byte each), which
    // TextEncoder.encodeInto would write as UTF-8; Buffer#latin1Write is right, but it is a call
    // into C++ per element, which for short elements costs as much as the loop saves.
    const memory = wasmPattern.memory;
    for (let i = 0; i < length; i++) memory[i] = element.charCodeAt(i);
    return wasmPattern.pattern(0, length);
  }
  return hllPatternInJs(element);
}

/** hllPattern of the element whose latin1 bytes are bytes[start, start + length). */
export function hllPatternOfBytes(bytes: Uint8Array, start: number, length: number): number {
  if (wasmPattern !== null && length <= WASM_PATTERN_MAX_BYTES) {
    // A loop: memory.set(bytes.subarray(...)) and Buffer#copy make a view or a native call per
    // element, which for short elements costs more than copying the bytes one by one.
    const memory = wasmPattern.memory;
    for (let i = 0; i < length; i++) memory[i] = bytes[start + i]!;
    return wasmPattern.pattern(0, length);
  }
  return patternOfHash(murmurHash64AOfBytes(bytes, start, length, HLL_HASH_SEED), lastHashHigh());
}

/** hllPattern computed in JS (the path for elements beyond WASM_PATTERN_MAX_BYTES): what the tests hold the WebAssembly one against. */
export function hllPatternInJs(element: string): number {
  return patternOfHash(murmurHash64A(element, HLL_HASH_SEED), lastHashHigh());
}

function patternOfHash(low: number, high: number): number {
  const index = low & (HLL_REGISTERS - 1);
  // Bits 14..63 of the hash, with bit 64 standing for the sentinel bit Q.
  const lowRest = low >>> HLL_P;
  let length: number;
  if (lowRest !== 0) length = 32 - Math.clz32(lowRest & -lowRest);
  else if (high !== 0) length = 32 - HLL_P + 32 - Math.clz32(high & -high);
  else length = HLL_Q + 1;
  return length * HLL_REGISTERS + index;
}

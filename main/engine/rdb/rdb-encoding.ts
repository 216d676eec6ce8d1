/**
 * The RDB primitive encodings (rdbSaveLen, rdbSaveRawString,
 * rdbTryIntegerEncoding, rdbSaveLzfStringObject), see constants.ts for the
 * bit layouts.
 *
 * Strings: a canonical decimal integer of at most 11 chars that fits in
 * int32 is stored as INT8/16/32 (smallest); otherwise, with rdbcompression,
 * a string longer than 20 bytes is stored LZF-compressed when that saves at
 * least 4 bytes; otherwise raw. Binary blobs (listpacks, intsets) go through
 * the same path, as in Redis.
 */
import { parseInt64 } from '../util/integers';
import type { ByteWriter } from './byte-writer';
import { LZF_MIN_LENGTH, RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_ENCVAL } from './constants';
import { lzfCompress } from './lzf';

export function writeLength(out: ByteWriter, length: number): void {
  if (length < 1 << 6) {
    out.byte(length);
  } else if (length < 1 << 14) {
    out.byte((RDB_14BITLEN << 6) | (length >> 8));
    out.byte(length & 0xff);
  } else if (length <= 0xffffffff) {
    out.byte(RDB_32BITLEN);
    out.uint32BE(length);
  } else {
    out.byte(RDB_64BITLEN);
    out.uint64BE(BigInt(length));
  }
}

/**
 * rdbSaveLen of an unsigned 64-bit value (stream IDs and counters). A
 * negative counter is written as C writes it: its two's complement as
 * uint64 (entries_read -1 is 2^64 - 1).
 */
export function writeLengthU64(out: ByteWriter, value: number | bigint): void {
  if (typeof value === 'number' && value >= 0) {
    writeLength(out, value);
    return;
  }
  const unsigned = BigInt.asUintN(64, BigInt(value));
  if (unsigned <= 0xffffffffn) writeLength(out, Number(unsigned));
  else {
    out.byte(RDB_64BITLEN);
    out.uint64BE(unsigned);
  }
}

/** Writes the INT8/16/32 form of a canonical integer string if it has one; returns whether it did. */
function tryIntegerEncoding(out: ByteWriter, text: string): boolean {
  if (text.length > 11 || text.length === 0) return false;
  const value = parseInt64(text);
  if (typeof value !== 'number') return false;
  if (value >= -128 && value <= 127) {
    out.byte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
    out.byte(value & 0xff);
  } else if (value >= -32768 && value <= 32767) {
    out.byte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
    out.byte(value & 0xff);
    out.byte((value >> 8) & 0xff);
  } else if (value >= -2147483648 && value <= 2147483647) {
    out.byte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
    out.byte(value & 0xff);
    out.byte((value >> 8) & 0xff);
    out.byte((value >> 16) & 0xff);
    out.byte((value >>> 24) & 0xff);
  } else {
    return false;
  }
  return true;
}

function tryLzf(out: ByteWriter, data: Buffer): boolean {
  if (data.length <= LZF_MIN_LENGTH) return false;
  if (data.length <= 4) return false;
  const packed = lzfCompress(data, data.length - 4);
  if (!packed) return false;
  writeLzfBlob(out, packed, data.length);
  return true;
}

/** rdbSaveLzfBlob: LZF bytes already made, with the length they expand to. */
export function writeLzfBlob(out: ByteWriter, packed: Uint8Array, originalLength: number): void {
  out.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
  writeLength(out, packed.length);
  writeLength(out, originalLength);
  out.bytes(packed);
}

/** A latin1 string value or key, with Redis's choice of encoding. */
export function writeString(out: ByteWriter, text: string, compress: boolean): void {
  if (tryIntegerEncoding(out, text)) return;
  if (compress && text.length > LZF_MIN_LENGTH && tryLzf(out, Buffer.from(text, 'latin1'))) return;
  writeLength(out, text.length);
  out.latin1(text);
}

/** A binary blob (listpack, intset), LZF-compressed when worthwhile. */
export function writeBlob(out: ByteWriter, blob: Buffer, compress: boolean): void {
  if (compress && tryLzf(out, blob)) return;
  writeLength(out, blob.length);
  out.bytes(blob);
}

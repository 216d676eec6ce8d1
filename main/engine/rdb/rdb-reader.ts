/**
 * Primitive RDB reads over the checkpointed ByteQueue (rdbLoadLen,
 * rdbGenericLoadStringObject, rdbLoadDoubleValue, rdbLoadBinaryDoubleValue,
 * rdbLoadMillisecondTime). Each throws NEED_MORE when its bytes have not all
 * arrived, and RdbFormatError (with the byte offset) on bad data.
 */
import type { ByteQueue } from './byte-queue';
import { RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_6BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_ENCVAL } from './constants';
import { RdbFormatError } from './format-error';
import { LzfError, lzfCheck, lzfDecompress } from './lzf';

/** A safety bound for a single string: proto-max-bulk-len's maximum scale (and what V8 strings can hold). */
const MAX_STRING = 512 * 1024 * 1024;

export class RdbReader {
  constructor(readonly queue: ByteQueue) {}

  fail(message: string): never {
    throw new RdbFormatError(message, this.queue.position);
  }

  byte(): number {
    return this.queue.readByte();
  }

  /**
   * Set by lengthOrEncoding: the value it returned is a string-encoding
   * marker (RDB_ENC_*), not a length. A field rather than a returned object:
   * this runs for every key and value of a load and must not allocate.
   */
  private lastWasEncoding = false;

  /** A length, or a special-encoding marker (then lastWasEncoding is true). */
  private lengthOrEncoding(): number {
    const first = this.queue.readByte();
    const kind = (first & 0xc0) >> 6;
    this.lastWasEncoding = kind === RDB_ENCVAL;
    if (kind === RDB_ENCVAL || kind === RDB_6BITLEN) return first & 0x3f;
    if (kind === RDB_14BITLEN) return ((first & 0x3f) << 8) | this.queue.readByte();
    if (first === RDB_32BITLEN) return this.queue.readBytes(4).readUInt32BE(0);
    if (first === RDB_64BITLEN) {
      const value = this.queue.readBytes(8).readBigUInt64BE(0);
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${value} is too large`);
      return Number(value);
    }
    return this.fail(`unknown length encoding byte 0x${first.toString(16)}`);
  }

  length(): number {
    const length = this.lengthOrEncoding();
    if (this.lastWasEncoding) this.fail('expected a length, found a string encoding marker');
    return length;
  }

  /**
   * A length as an unsigned 64-bit value (stream IDs and counters): a
   * number while safe, a bigint beyond.
   */
  lengthU64(): number | bigint {
    const first = this.queue.readByte();
    if (first === RDB_64BITLEN) {
      const value = this.queue.readBytes(8).readBigUInt64BE(0);
      return value > BigInt(Number.MAX_SAFE_INTEGER) ? value : Number(value);
    }
    const kind = (first & 0xc0) >> 6;
    if (kind === RDB_6BITLEN) return first & 0x3f;
    if (kind === RDB_14BITLEN) return ((first & 0x3f) << 8) | this.queue.readByte();
    if (first === RDB_32BITLEN) return this.queue.readBytes(4).readUInt32BE(0);
    return this.fail(kind === RDB_ENCVAL ? 'expected a length, found a string encoding marker' : `unknown length encoding byte 0x${first.toString(16)}`);
  }

  /** A string as raw bytes (integer encodings become their decimal text). */
  blob(): Buffer {
    const length = this.lengthOrEncoding();
    if (!this.lastWasEncoding) {
      if (length > MAX_STRING) this.fail(`string length ${length} exceeds the supported maximum`);
      return this.queue.readBytes(length);
    }
    return this.encodedBlob(length);
  }

  /**
   * blob() without making a view of the bytes: returns where they start in
   * `spanBytes` (the input chunk itself when they sit in one), and sets
   * `spanLength`. For the values a load keeps encoded, which are only
   * checked here (a view per key was an allocation per key).
   */
  blobSpan(): number {
    const length = this.lengthOrEncoding();
    if (!this.lastWasEncoding) {
      if (length > MAX_STRING) this.fail(`string length ${length} exceeds the supported maximum`);
      const at = this.queue.readSpan(length);
      this.spanBytes = this.queue.spanBytes;
      this.spanLength = length;
      return at;
    }
    const bytes = this.encodedBlob(length);
    this.spanBytes = bytes;
    this.spanLength = bytes.length;
    return 0;
  }

  /** The buffer and length of the last blobSpan(). */
  spanBytes: Buffer = Buffer.alloc(0);
  spanLength = 0;

  /** The bytes of an integer- or LZF-encoded string (`encoding` is the RDB_ENC_* marker). */
  private encodedBlob(encoding: number): Buffer {
    switch (encoding) {
      case RDB_ENC_INT8:
        return Buffer.from(String(this.queue.readBytes(1).readInt8(0)), 'latin1');
      case RDB_ENC_INT16:
        return Buffer.from(String(this.queue.readBytes(2).readInt16LE(0)), 'latin1');
      case RDB_ENC_INT32:
        return Buffer.from(String(this.queue.readBytes(4).readInt32LE(0)), 'latin1');
      case RDB_ENC_LZF:
        return this.lzfPayload();
      default:
        return this.fail(`unknown string encoding ${encoding}`);
    }
  }

  /**
   * Passes over a string, checking it as string() would (an LZF payload is
   * checked as decompressing it would check it, and not decompressed). Returns its length when stored plain (its
   * bytes are then the `length` bytes before the cursor), -1 when stored
   * integer- or LZF-encoded.
   */
  skipString(): number {
    const length = this.lengthOrEncoding();
    if (!this.lastWasEncoding) {
      if (length > MAX_STRING) this.fail(`string length ${length} exceeds the supported maximum`);
      this.queue.skip(length);
      return length;
    }
    switch (length) {
      case RDB_ENC_INT8:
        this.queue.skip(1);
        return -1;
      case RDB_ENC_INT16:
        this.queue.skip(2);
        return -1;
      case RDB_ENC_INT32:
        this.queue.skip(4);
        return -1;
      case RDB_ENC_LZF:
        this.checkLzfPayload();
        return -1;
      default:
        return this.fail(`unknown string encoding ${length}`);
    }
  }

  /** After the LZF marker: <compressed length> <original length> <payload>, decompressed. */
  private lzfPayload(): Buffer {
    const compressedLength = this.length();
    const originalLength = this.length();
    if (originalLength > MAX_STRING) this.fail(`LZF string length ${originalLength} exceeds the supported maximum`);
    const compressed = this.queue.readBytes(compressedLength);
    try {
      return lzfDecompress(compressed, originalLength);
    } catch (failure) {
      if (failure instanceof LzfError) this.fail(failure.message);
      throw failure;
    }
  }

  /** lzfPayload's checks without keeping the decompressed bytes (skipString). */
  private checkLzfPayload(): void {
    const compressedLength = this.length();
    const originalLength = this.length();
    if (originalLength > MAX_STRING) this.fail(`LZF string length ${originalLength} exceeds the supported maximum`);
    try {
      const at = this.queue.readSpan(compressedLength);
      lzfCheck(this.queue.spanBytes, originalLength, at, at + compressedLength);
    } catch (failure) {
      if (failure instanceof LzfError) this.fail(failure.message);
      throw failure;
    }
  }

  /** A string as a latin1 JS string (keys, members, values). */
  string(): string {
    const length = this.lengthOrEncoding();
    if (!this.lastWasEncoding) {
      if (length > MAX_STRING) this.fail(`string length ${length} exceeds the supported maximum`);
      return this.queue.readLatin1(length);
    }
    switch (length) {
      case RDB_ENC_INT8:
        return String(this.queue.readBytes(1).readInt8(0));
      case RDB_ENC_INT16:
        return String(this.queue.readBytes(2).readInt16LE(0));
      case RDB_ENC_INT32:
        return String(this.queue.readBytes(4).readInt32LE(0));
      case RDB_ENC_LZF:
        return this.lzfPayload().toString('latin1');
      default:
        return this.fail(`unknown string encoding ${length}`);
    }
  }

  /** Legacy text double (ZSET type 3): 1-byte length then ASCII; 253 NaN, 254 +inf, 255 -inf. */
  textDouble(): number {
    const length = this.queue.readByte();
    if (length === 253) return NaN;
    if (length === 254) return Infinity;
    if (length === 255) return -Infinity;
    const text = this.queue.readBytes(length).toString('latin1');
    const value = Number(text);
    if (Number.isNaN(value) && text.toLowerCase() !== 'nan') this.fail(`invalid double '${text}'`);
    return value;
  }

  binaryDouble(): number {
    return this.queue.readBytes(8).readDoubleLE(0);
  }

  /** A signed 64-bit LE time in ms, as a number (rounded like Number(bigint) beyond 2^53). */
  millisecondTime(): number {
    const at = this.queue.readSpan(8);
    const bytes = this.queue.spanBytes;
    return bytes.readInt32LE(at + 4) * 0x100000000 + bytes.readUInt32LE(at);
  }

  /** A key's EXPIRETIME_MS: a number, or the exact bigint where a number would round it (past 2^53). */
  expireTime(): number | bigint {
    const at = this.queue.readSpan(8);
    const bytes = this.queue.spanBytes;
    const ms = bytes.readInt32LE(at + 4) * 0x100000000 + bytes.readUInt32LE(at);
    return Number.isSafeInteger(ms) ? ms : bytes.readBigInt64LE(at);
  }

  secondTime(): number {
    return this.queue.readBytes(4).readInt32LE(0);
  }

  raw(count: number): Buffer {
    return this.queue.readBytes(count);
  }
}

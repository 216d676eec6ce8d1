/**
 * A growable byte buffer that replies are encoded into. One per connection;
 * `take()` hands the encoded bytes to the socket (copied into a right-sized
 * buffer, which is cheap for the small replies that dominate, while a large
 * buffer is handed over whole and replaced).
 */
import { decimalDigitCount, writeDecimalDigits } from '../util/integers';

const INITIAL_SIZE = 16 * 1024;
const HAND_OVER_THRESHOLD = 64 * 1024;
/** take() copies up to this many bytes byte by byte. */
const SMALL_COPY = 64;
/**
 * writeLatin1 copies strings up to this long char by char: Buffer's native
 * latin1 write costs more below (node 20, flat strings: ~47 ns native at
 * any length up to 32; the loop 17 ns at 8 chars, 33 at 17, 42 at 24,
 * 52 at 32). Stream IDs are 15-19 chars.
 */
const INLINE_WRITE_MAX = 24;
/** Prefix, sign, 16 digits of a safe integer, CR LF. */
const MAX_NUMBER_LINE = 20;
/** A bulk's bytes besides its value: `$`, 16 length digits, two CR LFs. */
const MAX_BULK_FRAMING = 21;

export class OutputBuffer {
  private buffer: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private length = 0;
  /**
   * The view pending() made last, while `buffer` is still the one it views:
   * a pipeline's flushes repeat their size (16 × "+OK"), and a new Buffer
   * view per flush was an allocation for nothing.
   */
  private lastView: Buffer | null = null;

  get size(): number {
    return this.length;
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
    this.lastView = null;
  }

  /** Appends an ASCII/latin1 string (protocol text or binary-safe latin1 data). */
  writeLatin1(text: string): void {
    const byteLength = text.length;
    this.ensure(byteLength);
    if (byteLength <= INLINE_WRITE_MAX) {
      for (let i = 0; i < byteLength; i++) this.buffer[this.length + i] = text.charCodeAt(i);
    } else {
      this.buffer.write(text, this.length, byteLength, 'latin1');
    }
    this.length += byteLength;
  }

  /**
   * Appends `<prefix><text>\r\n` (a simple string or an error line) without
   * building the line as a string first (+OK is the reply of every SET).
   */
  writeLine(prefix: number, text: string): void {
    const byteLength = text.length;
    this.ensure(byteLength + 3);
    this.buffer[this.length++] = prefix;
    this.writeLatin1(text);
    this.buffer[this.length] = 13;
    this.buffer[this.length + 1] = 10;
    this.length += 2;
  }

  /**
   * Appends `<prefix><decimal>\r\n` (a RESP integer, or a bulk/array
   * header) digit by digit, without building the text as a string first.
   */
  writeNumberLine(prefix: number, value: number): void {
    if (!Number.isSafeInteger(value)) {
      this.writeLatin1(`${String.fromCharCode(prefix)}${value}\r\n`);
      return;
    }
    this.ensure(MAX_NUMBER_LINE);
    const buffer = this.buffer;
    let pos = this.length;
    buffer[pos++] = prefix;
    let rest = value;
    if (rest < 0) {
      buffer[pos++] = 0x2d; // '-'
      rest = -rest;
    }
    const end = pos + decimalDigitCount(rest);
    writeDecimalDigits(buffer, end, rest);
    buffer[end] = 13;
    buffer[end + 1] = 10;
    this.length = end + 2;
  }

  /**
   * Appends a bulk string, `$<len>\r\n<value>\r\n`, with one capacity
   * check and the header's digits written in place (a GET's reply, each
   * element of an LRANGE's): three writeLatin1 calls cost three checks and
   * three loops per bulk, most of an LRANGE 100's encoding.
   */
  writeBulk(value: string): void {
    this.ensure(value.length + MAX_BULK_FRAMING);
    this.length = this.putBulk(this.buffer, this.length, value);
  }

  /**
   * Appends `*<n>\r\n` and the values as bulks (`nullBulk` for a null,
   * `$-1\r\n` or RESP3's `_\r\n`), the room for all of them checked once.
   */
  writeBulkArray(values: ReadonlyArray<string | null>, nullBulk: string): void {
    const count = values.length;
    this.writeNumberLine(0x2a /* '*' */, count);
    let room = 0;
    for (let index = 0; index < count; index++) {
      const value = values[index]!;
      // `$`, the length's digits, two CR LFs: the bulk's exact size.
      room += value === null ? nullBulk.length : value.length + 5 + decimalDigitCount(value.length);
    }
    this.ensure(room);
    const buffer = this.buffer;
    let pos = this.length;
    for (let index = 0; index < count; index++) {
      const value = values[index]!;
      if (value === null) {
        for (let at = 0; at < nullBulk.length; at++) buffer[pos++] = nullBulk.charCodeAt(at);
      } else {
        pos = this.putBulk(buffer, pos, value);
      }
    }
    this.length = pos;
  }

  /** Writes one bulk at `pos` of `buffer` (room checked by the caller); returns the position after it. */
  private putBulk(buffer: Buffer, pos: number, value: string): number {
    const byteLength = value.length;
    buffer[pos++] = 0x24; // '$'
    if (byteLength < 10) {
      buffer[pos++] = 0x30 + byteLength;
    } else {
      pos += decimalDigitCount(byteLength);
      writeDecimalDigits(buffer, pos, byteLength);
    }
    buffer[pos] = 13;
    buffer[pos + 1] = 10;
    pos += 2;
    if (byteLength <= INLINE_WRITE_MAX) {
      for (let index = 0; index < byteLength; index++) buffer[pos + index] = value.charCodeAt(index);
    } else {
      buffer.write(value, pos, byteLength, 'latin1');
    }
    pos += byteLength;
    buffer[pos] = 13;
    buffer[pos + 1] = 10;
    return pos + 2;
  }

  /**
   * Appends a stream ID `<ms>-<seq>` (non-negative safe integers) as a
   * bulk string, `$<len>\r\n<ms>-<seq>\r\n`, digit by digit.
   */
  writeStreamIdBulk(ms: number, seq: number): void {
    const msDigits = decimalDigitCount(ms);
    const seqDigits = decimalDigitCount(seq);
    const length = msDigits + 1 + seqDigits;
    // '$', two header digits (an ID is at most 33 chars), CR LF, the ID, CR LF.
    this.ensure(length + 7);
    const buffer = this.buffer;
    let pos = this.length;
    buffer[pos++] = 0x24; // '$'
    if (length >= 10) buffer[pos++] = 0x30 + ((length / 10) | 0);
    buffer[pos++] = 0x30 + (length % 10);
    buffer[pos++] = 13;
    buffer[pos++] = 10;
    writeDecimalDigits(buffer, pos + msDigits, ms);
    pos += msDigits;
    buffer[pos++] = 0x2d; // '-'
    pos += seqDigits;
    writeDecimalDigits(buffer, pos, seq);
    buffer[pos] = 13;
    buffer[pos + 1] = 10;
    this.length = pos + 2;
  }

  writeBytes(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /**
   * The bytes written since the last take() or handedOver(), as a view of
   * the buffer itself (no copy). handedOver() must follow before anything
   * else is written.
   */
  pending(): Buffer {
    const last = this.lastView;
    if (last !== null && last.length === this.length) return last;
    const view = this.buffer.subarray(0, this.length);
    this.lastView = view;
    return view;
  }

  /**
   * The view pending() gave was handed to a socket. `released`: the socket
   * keeps no reference to it (the kernel took every byte within the write
   * call), so the buffer is filled again from its start; otherwise the
   * socket holds those bytes until its write completes, and a new buffer
   * takes their place.
   */
  handedOver(released: boolean): void {
    if (!released) {
      this.buffer = Buffer.allocUnsafe(INITIAL_SIZE);
      this.lastView = null;
    }
    this.length = 0;
  }

  /** Returns the bytes written since the last take() and resets the buffer. */
  take(): Buffer {
    if (this.length >= HAND_OVER_THRESHOLD) {
      const out = this.buffer.subarray(0, this.length);
      this.buffer = Buffer.allocUnsafe(INITIAL_SIZE);
      this.lastView = null;
      this.length = 0;
      return out;
    }
    const out = Buffer.allocUnsafe(this.length);
    if (this.length <= SMALL_COPY) {
      // The replies of one unpipelined request: a byte loop costs less than
      // Buffer.copy's argument checks (~0.1 us per write, a few % of a request).
      const buffer = this.buffer;
      for (let index = 0; index < this.length; index++) out[index] = buffer[index]!;
    } else {
      this.buffer.copy(out, 0, 0, this.length);
    }
    this.length = 0;
    return out;
  }
}

/**
 * Listpack (listpack.c), the compact container 7.0 writes for small hashes
 * and sorted sets and for quicklist nodes:
 *
 *   <total bytes u32 LE> <element count u16 LE, 65535 = unknown> <entry>* 0xFF
 *   entry = <encoding + data> <backlen>
 *
 *   0xxxxxxx            7-bit unsigned int           1110xxxx yyyyyyyy   12-bit length string
 *   10xxxxxx            6-bit length string          0xF0 <u32 LE len>   32-bit length string
 *   110xxxxx yyyyyyyy   13-bit signed int            0xF1/F2/F3/F4       int16/24/32/64 LE
 *
 * backlen: the size of encoding+data, 1-5 bytes, base 128, most significant
 * group first, every byte but the first with bit 7 set (readable from the
 * right). Writers store a string as an integer whenever it is a canonical
 * int64 (no sign, leading zero or space surprises), readers give integers
 * back as decimal text.
 */
import { parseInt64 } from '../util/integers';
import { RdbFormatError } from './format-error';
import { latin1String } from '../util/latin1';

export const LISTPACK_HEADER_SIZE = 6;
const HEADER_SIZE = LISTPACK_HEADER_SIZE;
const EOF = 0xff;

export function backlenSize(length: number): number {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

/** One decoded element (readListpackElement fills a caller-owned one: no allocation per element). */
export interface ListpackElement {
  /** A string element (its bytes are blob[start, start + length)), or an integer. */
  isString: boolean;
  integer: number | bigint;
  start: number;
  length: number;
  /** Bytes of encoding + data (the backlen that follows not included). */
  size: number;
}

export function newListpackElement(): ListpackElement {
  return { isString: false, integer: 0, start: 0, length: 0, size: 0 };
}

/**
 * Decodes the element whose encoding byte is at `pos` (entries end at
 * `end`, the 0xFF terminator's offset) into `out`. Throws RdbFormatError
 * when it runs past the end or has an unknown encoding.
 */
export function readListpackElement(blob: Buffer, pos: number, end: number, out: ListpackElement): void {
  const first = blob[pos]!;
  if ((first & 0x80) === 0) {
    setInteger(out, first & 0x7f, 1);
  } else if ((first & 0xc0) === 0x80) {
    setString(out, pos + 1, first & 0x3f, 1, end);
  } else if ((first & 0xe0) === 0xc0) {
    if (pos + 2 > end) throw new RdbFormatError('listpack int13 entry runs past the end');
    const v = ((first & 0x1f) << 8) | blob[pos + 1]!;
    setInteger(out, v >= 4096 ? v - 8192 : v, 2);
  } else if ((first & 0xf0) === 0xe0) {
    if (pos + 2 > end) throw new RdbFormatError('listpack string12 header runs past the end');
    setString(out, pos + 2, ((first & 0x0f) << 8) | blob[pos + 1]!, 2, end);
  } else {
    switch (first) {
      case 0xf0:
        if (pos + 5 > end) throw new RdbFormatError('listpack string32 header runs past the end');
        setString(out, pos + 5, blob.readUInt32LE(pos + 1), 5, end);
        return;
      case 0xf1:
        if (pos + 3 > end) throw new RdbFormatError('listpack int16 runs past the end');
        setInteger(out, blob.readInt16LE(pos + 1), 3);
        return;
      case 0xf2:
        if (pos + 4 > end) throw new RdbFormatError('listpack int24 runs past the end');
        setInteger(out, blob.readIntLE(pos + 1, 3), 4);
        return;
      case 0xf3:
        if (pos + 5 > end) throw new RdbFormatError('listpack int32 runs past the end');
        setInteger(out, blob.readInt32LE(pos + 1), 5);
        return;
      case 0xf4: {
        if (pos + 9 > end) throw new RdbFormatError('listpack int64 runs past the end');
        const big = blob.readBigInt64LE(pos + 1);
        setInteger(out, big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big, 9);
        return;
      }
      default:
        throw new RdbFormatError(`listpack entry with unknown encoding byte 0x${first.toString(16)}`);
    }
  }
}

function setString(element: ListpackElement, start: number, length: number, header: number, limit: number): void {
  if (start + length > limit) throw new RdbFormatError('listpack string entry runs past the end');
  element.isString = true;
  element.start = start;
  element.length = length;
  element.size = header + length;
}

function setInteger(element: ListpackElement, value: number | bigint, size: number): void {
  element.isString = false;
  element.integer = value;
  element.size = size;
}

/** The element's value as Redis gives it back: strings as latin1, integers as decimal text. */
export function listpackElementText(blob: Buffer, element: ListpackElement): string {
  return element.isString ? latin1String(blob, element.start, element.start + element.length) : String(element.integer);
}

/** Decodes a listpack blob into its elements (as latin1 strings). */
export function decodeListpack(blob: Buffer): string[] {
  const out: string[] = [];
  walkListpack(blob, 0, blob.length, out, null);
  return out;
}

/**
 * The number of elements of the listpack bytes[start, end), checked as
 * decodeListpack checks it (same errors) but making no string: a load that
 * keeps the blob as it is (rdb/loaded-keys.ts) only needs to know it is
 * sound.
 */
export function countListpack(bytes: Buffer, start = 0, end = bytes.length): number {
  return walkListpack(bytes, start, end, null, null);
}

/**
 * Checks the listpack bytes[start, end) as decodeListpack does and
 * describes its first `records.length` elements in `records` (caller-owned,
 * reused: no string or object is made; their `start` is an offset in
 * `bytes`). Returns the element count, which may exceed records.length (the
 * rest are checked, not described).
 */
export function scanListpack(bytes: Buffer, records: ListpackElement[], start = 0, end = bytes.length): number {
  return walkListpack(bytes, start, end, null, records);
}

/**
 * Checks every entry of the listpack bytes[start, end) and the header's
 * counts; appends each element's text to `out`, or describes it in
 * `records`, when given. Returns the element count.
 */
function walkListpack(bytes: Buffer, start: number, end: number, out: string[] | null, records: ListpackElement[] | null): number {
  const size = end - start;
  if (size < HEADER_SIZE + 1) throw new RdbFormatError(`listpack of ${size} bytes is shorter than its header`);
  const total = bytes.readUInt32LE(start);
  if (total !== size) throw new RdbFormatError(`listpack header says ${total} bytes but the blob has ${size}`);
  if (bytes[end - 1] !== EOF) throw new RdbFormatError('listpack does not end with 0xFF');
  const declared = bytes.readUInt16LE(start + 4);
  const element = newListpackElement();
  let count = 0;
  let pos = start + HEADER_SIZE;
  const last = end - 1;
  while (pos < last) {
    readListpackElement(bytes, pos, last, element);
    pos += element.size + backlenSize(element.size);
    if (pos > last) throw new RdbFormatError('listpack entry backlen runs past the end');
    if (out !== null) out.push(listpackElementText(bytes, element));
    else if (records !== null && count < records.length) copyElement(element, records[count]!);
    count++;
  }
  if (declared !== 65535 && declared !== count) {
    throw new RdbFormatError(`listpack header counts ${declared} elements but holds ${count}`);
  }
  return count;
}

function copyElement(from: ListpackElement, to: ListpackElement): void {
  to.isString = from.isString;
  to.integer = from.integer;
  to.start = from.start;
  to.length = from.length;
  to.size = from.size;
}

/** Bytes of an integer entry's encoding and data (its backlen not included). */
export function integerEntrySize(integer: number | bigint): number {
  // A bigint only comes back for values outside the safe range: int64 width.
  if (typeof integer === 'bigint') return 9;
  if (integer >= 0 && integer <= 127) return 1;
  if (integer >= -4096 && integer <= 4095) return 2;
  if (integer >= -32768 && integer <= 32767) return 3;
  if (integer >= -8388608 && integer <= 8388607) return 4;
  if (integer >= -2147483648 && integer <= 2147483647) return 5;
  return 9;
}

/** Bytes of a string entry's encoding and data (its backlen not included). */
export function stringEntrySize(length: number): number {
  if (length <= 63) return 1 + length;
  if (length <= 4095) return 2 + length;
  return 5 + length;
}

/** Bytes one element takes in a listpack: its entry (an integer where lpStringToInt64 accepts it) and its backlen. */
export function listpackEntryBytes(value: string): number {
  const integer = value.length <= 20 ? parseInt64(value) : null;
  const size = integer !== null ? integerEntrySize(integer) : stringEntrySize(value.length);
  return size + backlenSize(size);
}

export function writeIntegerEntry(blob: Buffer, pos: number, integer: number | bigint, size: number): void {
  switch (size) {
    case 1:
      blob[pos] = integer as number;
      return;
    case 2: {
      const n = integer as number;
      const u = n < 0 ? 8192 + n : n;
      blob[pos] = 0xc0 | (u >> 8);
      blob[pos + 1] = u & 0xff;
      return;
    }
    case 3:
      blob[pos] = 0xf1;
      blob.writeInt16LE(integer as number, pos + 1);
      return;
    case 4:
      blob[pos] = 0xf2;
      blob.writeIntLE(integer as number, pos + 1, 3);
      return;
    case 5:
      blob[pos] = 0xf3;
      blob.writeInt32LE(integer as number, pos + 1);
      return;
    default:
      blob[pos] = 0xf4;
      blob.writeBigInt64LE(BigInt(integer), pos + 1);
  }
}

export function writeStringEntry(blob: Buffer, pos: number, value: string): void {
  const length = value.length;
  let dataAt: number;
  if (length <= 63) {
    blob[pos] = 0x80 | length;
    dataAt = pos + 1;
  } else if (length <= 4095) {
    blob[pos] = 0xe0 | (length >> 8);
    blob[pos + 1] = length & 0xff;
    dataAt = pos + 2;
  } else {
    blob[pos] = 0xf0;
    blob.writeUInt32LE(length, pos + 1);
    dataAt = pos + 5;
  }
  blob.write(value, dataAt, length, 'latin1');
}

/** The backlen of an entry of `size` bytes, at `pos`; returns its width. */
export function writeBacklen(blob: Buffer, pos: number, size: number): number {
  const width = backlenSize(size);
  for (let i = width - 1, remaining = size; i >= 0; i--, remaining = Math.floor(remaining / 128)) {
    blob[pos + i] = (remaining & 127) | (i === 0 ? 0 : 128);
  }
  return width;
}

/**
 * Encodes elements into a listpack blob, in one buffer: a first pass sizes
 * every entry (integers as Redis stores them, see lpStringToInt64), the
 * second writes them (a snapshot encodes millions of entries; one small
 * Buffer per header, body and backlen made that a third of SAVE).
 */
export function encodeListpack(values: ReadonlyArray<string>): Buffer {
  const integers: Array<number | bigint | null> = new Array<number | bigint | null>(values.length);
  const sizes: number[] = new Array<number>(values.length);
  let total = HEADER_SIZE + 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const integer = value.length <= 20 ? parseInt64(value) : null;
    const size = integer !== null ? integerEntrySize(integer) : stringEntrySize(value.length);
    integers[i] = integer;
    sizes[i] = size;
    total += size + backlenSize(size);
  }
  const blob = Buffer.allocUnsafe(total);
  blob.writeUInt32LE(total, 0);
  blob.writeUInt16LE(Math.min(values.length, 65535), 4);
  let pos = HEADER_SIZE;
  for (let i = 0; i < values.length; i++) {
    const integer = integers[i]!;
    const size = sizes[i]!;
    if (integer !== null) writeIntegerEntry(blob, pos, integer, size);
    else writeStringEntry(blob, pos, values[i]!);
    pos += size;
    pos += writeBacklen(blob, pos, size);
  }
  blob[pos] = EOF;
  return blob;
}

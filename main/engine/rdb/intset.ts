/**
 * Intset (intset.c): a sorted array of unique integers of one width.
 *
 *   <encoding u32 LE: 2, 4 or 8 bytes per element> <length u32 LE> <elements LE, ascending>
 *
 * The blob size must be exactly 8 + length * encoding, and an empty intset
 * is corrupt (Redis refuses it). Writers use the smallest width that fits
 * every member.
 */
import { RdbFormatError } from './format-error';

/**
 * Checks the intset bytes[start, end) (header, exact size, strictly
 * ascending members); returns its length.
 */
export function validateIntset(bytes: Buffer, start = 0, end = bytes.length): number {
  const size = end - start;
  if (size < 8) throw new RdbFormatError(`intset of ${size} bytes is shorter than its header`);
  const width = bytes.readUInt32LE(start);
  const length = bytes.readUInt32LE(start + 4);
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbFormatError(`intset with invalid encoding ${width}`);
  if (size !== 8 + length * width) throw new RdbFormatError(`intset header says ${length} x ${width} bytes but the blob has ${size - 8}`);
  if (length === 0) throw new RdbFormatError('empty intset');
  const first = start + 8;
  for (let i = 1; i < length; i++) {
    if (compareAt(bytes, width, first + i * width, first + (i - 1) * width) <= 0) throw new RdbFormatError('intset elements are not sorted and unique');
  }
  return length;
}

/** Sign of (element at `a`) - (element at `b`); plain numbers below 8-byte width. */
function compareAt(blob: Buffer, width: number, a: number, b: number): number {
  if (width === 2) return blob.readInt16LE(a) - blob.readInt16LE(b);
  if (width === 4) return blob.readInt32LE(a) - blob.readInt32LE(b);
  const x = blob.readBigInt64LE(a);
  const y = blob.readBigInt64LE(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function decodeIntset(blob: Buffer): string[] {
  const length = validateIntset(blob);
  const width = blob.readUInt32LE(0);
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const at = 8 + i * width;
    out.push(width === 2 ? String(blob.readInt16LE(at)) : width === 4 ? String(blob.readInt32LE(at)) : blob.readBigInt64LE(at).toString());
  }
  return out;
}

/** Encodes canonical int64 strings as an intset (sorted, the smallest width from `minWidth` up that holds them). */
export function encodeIntset(members: ReadonlyArray<string>, minWidth = 2): Buffer {
  const values = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = minWidth;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const blob = Buffer.allocUnsafe(8 + values.length * width);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  values.forEach((v, i) => {
    const at = 8 + i * width;
    if (width === 2) blob.writeInt16LE(Number(v), at);
    else if (width === 4) blob.writeInt32LE(Number(v), at);
    else blob.writeBigInt64LE(v, at);
  });
  return blob;
}

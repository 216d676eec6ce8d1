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

const HEADER_SIZE = 6;
const EOF = 0xff;

function backlenSize(length: number): number {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

/** Decodes a listpack blob into its elements (as latin1 strings). */
export function decodeListpack(blob: Buffer): string[] {
  if (blob.length < HEADER_SIZE + 1) throw new RdbFormatError(`listpack of ${blob.length} bytes is shorter than its header`);
  const total = blob.readUInt32LE(0);
  if (total !== blob.length) throw new RdbFormatError(`listpack header says ${total} bytes but the blob has ${blob.length}`);
  if (blob[blob.length - 1] !== EOF) throw new RdbFormatError('listpack does not end with 0xFF');
  const declared = blob.readUInt16LE(4);
  const out: string[] = [];
  let pos = HEADER_SIZE;
  const end = blob.length - 1;
  while (pos < end) {
    const first = blob[pos]!;
    let size: number;
    let value: string;
    if ((first & 0x80) === 0) {
      value = String(first & 0x7f);
      size = 1;
    } else if ((first & 0xc0) === 0x80) {
      const length = first & 0x3f;
      size = 1 + length;
      if (pos + size > end) throw new RdbFormatError('listpack string entry runs past the end');
      value = blob.toString('latin1', pos + 1, pos + size);
    } else if ((first & 0xe0) === 0xc0) {
      if (pos + 2 > end) throw new RdbFormatError('listpack int13 entry runs past the end');
      let v = ((first & 0x1f) << 8) | blob[pos + 1]!;
      if (v >= 4096) v -= 8192;
      value = String(v);
      size = 2;
    } else if ((first & 0xf0) === 0xe0) {
      if (pos + 2 > end) throw new RdbFormatError('listpack string12 header runs past the end');
      const length = ((first & 0x0f) << 8) | blob[pos + 1]!;
      size = 2 + length;
      if (pos + size > end) throw new RdbFormatError('listpack string entry runs past the end');
      value = blob.toString('latin1', pos + 2, pos + size);
    } else {
      switch (first) {
        case 0xf0: {
          if (pos + 5 > end) throw new RdbFormatError('listpack string32 header runs past the end');
          const length = blob.readUInt32LE(pos + 1);
          size = 5 + length;
          if (pos + size > end) throw new RdbFormatError('listpack string entry runs past the end');
          value = blob.toString('latin1', pos + 5, pos + size);
          break;
        }
        case 0xf1:
          size = 3;
          if (pos + size > end) throw new RdbFormatError('listpack int16 runs past the end');
          value = String(blob.readInt16LE(pos + 1));
          break;
        case 0xf2:
          size = 4;
          if (pos + size > end) throw new RdbFormatError('listpack int24 runs past the end');
          value = String(blob.readIntLE(pos + 1, 3));
          break;
        case 0xf3:
          size = 5;
          if (pos + size > end) throw new RdbFormatError('listpack int32 runs past the end');
          value = String(blob.readInt32LE(pos + 1));
          break;
        case 0xf4:
          size = 9;
          if (pos + size > end) throw new RdbFormatError('listpack int64 runs past the end');
          value = blob.readBigInt64LE(pos + 1).toString();
          break;
        default:
          throw new RdbFormatError(`listpack entry with unknown encoding byte 0x${first.toString(16)}`);
      }
    }
    pos += size + backlenSize(size);
    if (pos > end) throw new RdbFormatError('listpack entry backlen runs past the end');
    out.push(value);
  }
  if (declared !== 65535 && declared !== out.length) {
    throw new RdbFormatError(`listpack header counts ${declared} elements but holds ${out.length}`);
  }
  return out;
}

function encodeEntry(value: string, parts: Buffer[]): number {
  const integer = value.length <= 20 ? parseInt64(value) : null;
  let head: Buffer;
  if (integer !== null) {
    const v = typeof integer === 'bigint' ? integer : BigInt(integer);
    const n = Number(v);
    if (n >= 0 && n <= 127) {
      head = Buffer.from([n]);
    } else if (n >= -4096 && n <= 4095) {
      const u = n < 0 ? 8192 + n : n;
      head = Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    } else if (n >= -32768 && n <= 32767) {
      head = Buffer.allocUnsafe(3);
      head[0] = 0xf1;
      head.writeInt16LE(n, 1);
    } else if (n >= -8388608 && n <= 8388607) {
      head = Buffer.allocUnsafe(4);
      head[0] = 0xf2;
      head.writeIntLE(n, 1, 3);
    } else if (n >= -2147483648 && n <= 2147483647) {
      head = Buffer.allocUnsafe(5);
      head[0] = 0xf3;
      head.writeInt32LE(n, 1);
    } else {
      head = Buffer.allocUnsafe(9);
      head[0] = 0xf4;
      head.writeBigInt64LE(v, 1);
    }
  } else {
    const length = value.length;
    const data = Buffer.from(value, 'latin1');
    if (length <= 63) head = Buffer.concat([Buffer.from([0x80 | length]), data]);
    else if (length <= 4095) head = Buffer.concat([Buffer.from([0xe0 | (length >> 8), length & 0xff]), data]);
    else {
      const prefix = Buffer.allocUnsafe(5);
      prefix[0] = 0xf0;
      prefix.writeUInt32LE(length, 1);
      head = Buffer.concat([prefix, data]);
    }
  }
  const size = head.length;
  const backlen = backlenSize(size);
  const tail = Buffer.allocUnsafe(backlen);
  for (let i = backlen - 1, remaining = size; i >= 0; i--, remaining = Math.floor(remaining / 128)) {
    tail[i] = (remaining & 127) | (i === 0 ? 0 : 128);
  }
  parts.push(head, tail);
  return size + backlen;
}

/** Encodes elements into a listpack blob. */
export function encodeListpack(values: ReadonlyArray<string>): Buffer {
  const parts: Buffer[] = [Buffer.alloc(HEADER_SIZE)];
  let total = HEADER_SIZE + 1;
  for (const value of values) total += encodeEntry(value, parts);
  parts.push(Buffer.from([EOF]));
  const blob = Buffer.concat(parts, total);
  blob.writeUInt32LE(total, 0);
  blob.writeUInt16LE(Math.min(values.length, 65535), 4);
  return blob;
}

/**
 * Ziplist (ziplist.c), read only: old RDB files (lists before 3.2, hashes and
 * sorted sets before 7.0, quicklist v1 nodes) carry them; 7.0 converts them
 * on load and never writes them.
 *
 *   <zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry>* 0xFF
 *   entry = <prevlen: 1 byte < 254, or 0xFE + u32 LE> <encoding> <data>
 *
 *   00pppppp            string, 6-bit length      11000000  int16 LE
 *   01pppppp qqqqqqqq   string, 14-bit BE length  11010000  int32 LE
 *   10000000 + u32 BE   string, 32-bit length     11100000  int64 LE
 *   11110000            int24 LE                  11111110  int8
 *   1111xxxx            immediate 0..12 (xxxx - 1, for 0001..1101)
 */
import { RdbFormatError } from './format-error';
import { latin1String } from '../util/latin1';

export function decodeZiplist(blob: Buffer): string[] {
  if (blob.length < 11) throw new RdbFormatError(`ziplist of ${blob.length} bytes is shorter than its header`);
  const total = blob.readUInt32LE(0);
  if (total !== blob.length) throw new RdbFormatError(`ziplist header says ${total} bytes but the blob has ${blob.length}`);
  if (blob[blob.length - 1] !== 0xff) throw new RdbFormatError('ziplist does not end with 0xFF');
  const out: string[] = [];
  let pos = 10;
  const end = blob.length - 1;
  while (pos < end) {
    pos += blob[pos] === 0xfe ? 5 : 1; // prevlen
    if (pos >= end) throw new RdbFormatError('ziplist entry header runs past the end');
    const encoding = blob[pos]!;
    const kind = encoding >> 6;
    if (kind === 0) {
      const length = encoding & 0x3f;
      out.push(readString(blob, pos + 1, length, end));
      pos += 1 + length;
    } else if (kind === 1) {
      const length = ((encoding & 0x3f) << 8) | blob[pos + 1]!;
      out.push(readString(blob, pos + 2, length, end));
      pos += 2 + length;
    } else if (kind === 2) {
      const length = blob.readUInt32BE(pos + 1);
      out.push(readString(blob, pos + 5, length, end));
      pos += 5 + length;
    } else {
      switch (encoding) {
        case 0xc0: out.push(String(blob.readInt16LE(pos + 1))); pos += 3; break;
        case 0xd0: out.push(String(blob.readInt32LE(pos + 1))); pos += 5; break;
        case 0xe0: out.push(blob.readBigInt64LE(pos + 1).toString()); pos += 9; break;
        case 0xf0: out.push(String(blob.readIntLE(pos + 1, 3))); pos += 4; break;
        case 0xfe: out.push(String(blob.readInt8(pos + 1))); pos += 2; break;
        default:
          if (encoding >= 0xf1 && encoding <= 0xfd) {
            out.push(String((encoding & 0x0f) - 1));
            pos += 1;
          } else {
            throw new RdbFormatError(`ziplist entry with unknown encoding byte 0x${encoding.toString(16)}`);
          }
      }
      if (pos > end) throw new RdbFormatError('ziplist integer entry runs past the end');
    }
  }
  return out;
}

function readString(blob: Buffer, start: number, length: number, end: number): string {
  if (start + length > end) throw new RdbFormatError('ziplist string entry runs past the end');
  return latin1String(blob, start, start + length);
}

/**
 * Zipmap (zipmap.c), read only: hashes in Redis 2.x RDB files.
 *
 *   <zmlen 1 byte> ( <len> <key> <len> <free 1 byte> <value> <free bytes> )* 0xFF
 *   len = 1 byte when < 254, else 254 followed by u32 LE
 */
import { RdbFormatError } from './format-error';

export function decodeZipmap(blob: Buffer): string[] {
  const out: string[] = [];
  let pos = 1;
  const readLength = (): number => {
    const first = blob[pos];
    if (first === undefined) throw new RdbFormatError('zipmap runs past the end');
    if (first < 254) {
      pos += 1;
      return first;
    }
    if (first === 254) {
      if (pos + 5 > blob.length) throw new RdbFormatError('zipmap length runs past the end');
      const length = blob.readUInt32LE(pos + 1);
      pos += 5;
      return length;
    }
    throw new RdbFormatError('zipmap length byte 255 where a length was expected');
  };
  for (;;) {
    if (pos >= blob.length) throw new RdbFormatError('zipmap does not end with 0xFF');
    if (blob[pos] === 0xff) break;
    const keyLength = readLength();
    if (pos + keyLength > blob.length) throw new RdbFormatError('zipmap key runs past the end');
    const key = blob.toString('latin1', pos, pos + keyLength);
    pos += keyLength;
    const valueLength = readLength();
    const free = blob[pos];
    if (free === undefined) throw new RdbFormatError('zipmap runs past the end');
    pos += 1;
    if (pos + valueLength + free > blob.length) throw new RdbFormatError('zipmap value runs past the end');
    out.push(key, blob.toString('latin1', pos, pos + valueLength));
    pos += valueLength + free;
  }
  return out;
}

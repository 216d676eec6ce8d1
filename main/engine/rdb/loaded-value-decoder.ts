/**
 * Decodes a value kept in its RDB encoding by LoadedKeys, on first access:
 * the bytes after the type byte, exactly as the RDB had them. The loader
 * validated them when it stored them, so a failure here is an internal
 * error, not corrupt input.
 */
import type { RedisValue } from '../keyspace/values';
import { ByteQueue } from './byte-queue';
import { buildCompactValue } from './compact-values';
import { QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_STRING } from './constants';
import { decodeListpack } from './listpack';
import { RdbReader } from './rdb-reader';
import { ListBuilder, type EncodingLimits } from './value-builders';
import { latin1String } from '../util/latin1';

export function decodeLoadedValue(type: number, bytes: Buffer, limits: EncodingLimits): RedisValue {
  if (type === RDB_TYPE_STRING) {
    const direct = directString(bytes);
    if (direct !== null) return direct;
  }
  const queue = new ByteQueue();
  queue.stopCrc();
  queue.push(bytes);
  const r = new RdbReader(queue);
  if (type === RDB_TYPE_STRING) return r.string();
  if (type !== RDB_TYPE_LIST_QUICKLIST_2) return buildCompactValue(type, r.blob(), limits, 0);
  const list = new ListBuilder();
  for (let nodes = r.length(); nodes > 0; nodes--) {
    if (r.length() === QUICKLIST_NODE_CONTAINER_PLAIN) list.add(r.string());
    else for (const element of decodeListpack(r.blob())) list.add(element);
  }
  return list.finish();
}

/**
 * The common string forms read straight from the bytes, without a reader:
 * a plain string with a 6- or 14-bit length, or an 8/16/32-bit integer
 * (first byte 11|000000..11|000010). Null for the others (LZF, 32-bit
 * lengths), which go through RdbReader.
 */
function directString(bytes: Buffer): string | null {
  const first = bytes[0]!;
  switch (first >> 6) {
    case 0:
      return latin1String(bytes, 1, 1 + (first & 0x3f));
    case 1:
      return latin1String(bytes, 2, 2 + (((first & 0x3f) << 8) | bytes[1]!));
    case 3:
      if (first === 0xc0) return String(bytes.readInt8(1));
      if (first === 0xc1) return String(bytes.readInt16LE(1));
      if (first === 0xc2) return String(bytes.readInt32LE(1));
      return null;
    default:
      return null;
  }
}

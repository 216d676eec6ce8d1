/**
 * Decodes a value kept in its RDB encoding by LoadedKeys, on first access:
 * the bytes after the type byte, exactly as the RDB had them. The loader
 * validated them when it stored them, so a failure here is an internal
 * error, not corrupt input.
 */
import type { RedisValue } from '../keyspace/values';
import { ByteQueue } from './byte-queue';
import { buildCompactValue } from './compact-values';
import { QUICKLIST_NODE_CONTAINER_PLAIN, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET, RDB_TYPE_STRING } from './constants';
import { decodeListpack } from './listpack';
import { lzfDecompressInto } from './lzf';
import { RdbReader } from './rdb-reader';
import { ListBuilder, SetBuilder, type EncodingLimits } from './value-builders';
import { latin1String } from '../util/latin1';

export function decodeLoadedValue(type: number, slab: Buffer, start: number, end: number, limits: EncodingLimits): RedisValue {
  if (type === RDB_TYPE_STRING) {
    const direct = directString(slab, start);
    if (direct !== null) return direct;
  }
  const queue = new ByteQueue();
  queue.stopCrc();
  queue.push(slab.subarray(start, end));
  const r = new RdbReader(queue);
  if (type === RDB_TYPE_STRING) return r.string();
  if (type === RDB_TYPE_SET) {
    // A small plain set (the loader checked it for duplicate members).
    const set = new SetBuilder();
    for (let members = r.length(); members > 0; members--) set.add(r.string(), 0);
    return set.finish(limits);
  }
  if (type !== RDB_TYPE_LIST_QUICKLIST_2) return buildCompactValue(type, r.blob(), limits, 0);
  const list = new ListBuilder();
  for (let nodes = r.length(); nodes > 0; nodes--) {
    if (r.length() === QUICKLIST_NODE_CONTAINER_PLAIN) list.add(r.string());
    else for (const element of decodeListpack(r.blob())) list.add(element);
  }
  return list.finish();
}

/**
 * The common string forms read straight from the slab, without a reader
 * or a view of the bytes: a plain string with a 6- or 14-bit length, an
 * 8/16/32-bit integer (first byte 11|000000..11|000010), an LZF string
 * whose two lengths are 6- or 14-bit ones. Null for the others (32/64-bit
 * lengths), which go through RdbReader.
 */
export function directString(slab: Buffer, at: number): string | null {
  const first = slab[at]!;
  switch (first >> 6) {
    case 0:
      return latin1String(slab, at + 1, at + 1 + (first & 0x3f));
    case 1:
      return latin1String(slab, at + 2, at + 2 + (((first & 0x3f) << 8) | slab[at + 1]!));
    case 3:
      if (first === 0xc0) return String(slab.readInt8(at + 1));
      if (first === 0xc1) return String(slab.readInt16LE(at + 1));
      if (first === 0xc2) return String(slab.readInt32LE(at + 1));
      if (first === 0xc3) return directLzfString(slab, at + 1);
      return null;
    default:
      return null;
  }
}

/** <compressed length> <original length> <payload> at `at`, when both lengths are short forms. */
function directLzfString(slab: Buffer, at: number): string | null {
  const compressed = shortLength(slab, at);
  if (compressed < 0) return null;
  at += compressed < 64 ? 1 : 2;
  const original = shortLength(slab, at);
  if (original < 0) return null;
  at += original < 64 ? 1 : 2;
  // The loader checked the payload (lzfCheck): decompressing cannot fail.
  lzfDecompressInto(slab, at, at + compressed, lzfScratch, original);
  return latin1String(lzfScratch, 0, original);
}

/**
 * Where directLzfString decompresses: its strings have 14-bit lengths at
 * most, and each is copied into a JS string at once, so one buffer serves
 * every decode (a read of a small loaded string decodes it each time).
 */
const lzfScratch = Buffer.allocUnsafeSlow(1 << 14);

/** A 6-bit (00xxxxxx) or 14-bit (01xxxxxx yyyyyyyy) RDB length at `at`, or -1 for the other forms. */
function shortLength(slab: Buffer, at: number): number {
  const first = slab[at]!;
  if (first >> 6 === 0) return first & 0x3f;
  if (first >> 6 === 1) return ((first & 0x3f) << 8) | slab[at + 1]!;
  return -1;
}

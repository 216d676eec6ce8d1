/**
 * Serializes one value the way Redis 7.0 does (rdbSaveObjectType +
 * rdbSaveObject), choosing only types a 7.0 replica accepts (§6.11):
 *
 *   string                        0  (integer / LZF / raw string encodings)
 *   list                         18  quicklist 2: PACKED listpack nodes cut as Redis cuts them
 *                                    (list-max-listpack-size), PLAIN nodes for elements past
 *                                    the packed threshold
 *   set,  intset encoding        11  intset blob
 *   set,  hashtable              2   members
 *   zset, listpack encoding      17  listpack of member, score (ascending)
 *   zset, skiplist               5   member + 8-byte LE double, highest score first
 *   hash, listpack encoding      16  listpack of field, value (insertion order)
 *   hash, hashtable              4   field, value pairs
 *   stream                      19   listpack nodes as they are, metadata, groups (stream-rdb-writer.ts)
 *
 * The compact forms are used exactly when Redis would use them: the value's
 * `encoding` field tracks Redis's (one-way) conversions.
 */
import type { HashValue} from '../keyspace/values';
import { ListValue, SetValue, StreamValue, ZSetValue, type RedisValue } from '../keyspace/values';
import type { ByteWriter } from './byte-writer';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './constants';
import { encodeIntset } from './intset';
import { encodeListpack } from './listpack';
import { writeBlob, writeLength, writeLzfBlob, writeString } from './rdb-encoding';
import { listpackScoreText } from '../resp/format-double';
import { writeStream } from './stream-rdb-writer';
import { inCompressedRange, listCompressDepth, MIN_COMPRESS_BYTES, quicklistLayout, quicklistNodeLzf } from '../memory/quicklist-layout';

export interface ValueWriteOptions {
  /** rdbcompression */
  readonly compress: boolean;
  /**
   * A list element at least this long is written as a PLAIN quicklist node
   * of its own (Redis's packed_threshold, 1 GB unless DEBUG
   * QUICKLIST-PACKED-THRESHOLD changed it).
   */
  readonly plainNodeThreshold?: number | undefined;
  /** list-max-listpack-size: how the list's quicklist nodes are cut (-2, Redis's default, when absent). */
  readonly listFill?: number | undefined;
  /**
   * list-compress-depth: the nodes Redis holds LZF-compressed are written as
   * those LZF bytes even without rdbcompression (rdbSaveObject writes a
   * compressed node as it is). With rdbcompression the bytes are the same
   * either way.
   */
  readonly listCompressDepth?: number | undefined;
}

/** Redis's default packed_threshold: elements of 1 GB and more live in plain nodes. */
export const DEFAULT_PLAIN_NODE_THRESHOLD = 1 << 30;
/** list-max-listpack-size's default: nodes of at most 8 KB. */
export const DEFAULT_LIST_FILL = -2;

/** The RDB type byte of a value as we serialize it. */
export function rdbTypeOf(value: RedisValue): number {
  if (typeof value === 'string') return RDB_TYPE_STRING;
  if (value instanceof ListValue) return RDB_TYPE_LIST_QUICKLIST_2;
  if (value instanceof SetValue) return value.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
  if (value instanceof ZSetValue) return value.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
  if (value instanceof StreamValue) return RDB_TYPE_STREAM_LISTPACKS_2;
  return (value as HashValue).encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
}

/** Writes the payload of a value (after its type byte and key). */
export function writeValue(out: ByteWriter, value: RedisValue, options: ValueWriteOptions): void {
  if (typeof value === 'string') {
    writeString(out, value, options.compress);
  } else if (value instanceof ListValue) {
    writeQuicklist(out, value, options);
  } else if (value instanceof SetValue) {
    if (value.encoding === 'intset') {
      writeBlob(out, encodeIntset([...value.items], value.intsetWidth), options.compress);
    } else {
      writeLength(out, value.size);
      for (const member of value.items) writeString(out, member, options.compress);
    }
  } else if (value instanceof StreamValue) {
    writeStream(out, value, options.compress);
  } else if (value instanceof ZSetValue) {
    if (value.encoding === 'listpack') {
      const flat: string[] = [];
      for (const [member, score] of value.entries()) flat.push(member, listpackScoreText(score));
      writeBlob(out, encodeListpack(flat), options.compress);
    } else {
      writeLength(out, value.size);
      // 7.0 writes from the tail (highest score first) so loading inserts at the head cheaply.
      for (let node = value.last(); node; node = node.backward) {
        writeString(out, node.member, options.compress);
        out.doubleLE(node.score);
      }
    }
  } else {
    const hash = value as HashValue;
    if (hash.encoding === 'listpack') {
      const flat: string[] = [];
      for (const [field, fieldValue] of hash.entries()) flat.push(field, fieldValue);
      writeBlob(out, encodeListpack(flat), options.compress);
    } else {
      writeLength(out, hash.size);
      for (const [field, fieldValue] of hash.entries()) {
        writeString(out, field, options.compress);
        writeString(out, fieldValue, options.compress);
      }
    }
  }
}

/**
 * One RDB node per quicklist node redis-server 7.0 would hold for the list
 * (memory/quicklist-layout.ts: cut by list-max-listpack-size, a PLAIN node
 * for each element past the packed threshold), as rdbSaveObject writes a
 * quicklist node by node. Without rdbcompression, a node Redis holds
 * compressed (list-compress-depth) is still written as its LZF bytes; with
 * it, rdbSaveRawString's LZF of the raw node gives the same bytes (both
 * liblzf over the same input, which fits either output limit).
 */
function writeQuicklist(out: ByteWriter, list: ListValue, options: ValueWriteOptions): void {
  const nodes = quicklistLayout(list, options.listFill ?? DEFAULT_LIST_FILL, options.plainNodeThreshold ?? DEFAULT_PLAIN_NODE_THRESHOLD);
  writeLength(out, nodes.length);
  const elements = list[Symbol.iterator]();
  const depth = options.compress ? 0 : listCompressDepth(list, options.listCompressDepth ?? 0);
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    const compressed = inCompressedRange(n, nodes.length, depth) && node.bytes >= MIN_COMPRESS_BYTES;
    if (node.plain) {
      const element = elements.next().value as string;
      writeLength(out, QUICKLIST_NODE_CONTAINER_PLAIN);
      const raw = compressed ? Buffer.from(element, 'latin1') : null;
      const lzf = raw === null ? null : quicklistNodeLzf(raw);
      if (lzf !== null) writeLzfBlob(out, lzf, element.length);
      else writeString(out, element, options.compress);
    } else {
      const packed = new Array<string>(node.count);
      for (let i = 0; i < node.count; i++) packed[i] = elements.next().value as string;
      const raw = encodeListpack(packed);
      const lzf = compressed ? quicklistNodeLzf(raw) : null;
      writeLength(out, QUICKLIST_NODE_CONTAINER_PACKED);
      if (lzf !== null) writeLzfBlob(out, lzf, raw.length);
      else writeBlob(out, raw, options.compress);
    }
  }
}

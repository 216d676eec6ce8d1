/**
 * Serializes one value the way Redis 7.0 does (rdbSaveObjectType +
 * rdbSaveObject), choosing only types a 7.0 replica accepts (§6.11):
 *
 *   string                        0  (integer / LZF / raw string encodings)
 *   list                         18  quicklist 2: PACKED listpack nodes of <= 8 KB,
 *                                    PLAIN nodes for elements past the packed threshold
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
  QUICKLIST_NODE_MAX_BYTES,
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
import { writeBlob, writeLength, writeString } from './rdb-encoding';
import { listpackScoreText } from '../resp/format-double';
import { writeStream } from './stream-rdb-writer';

export interface ValueWriteOptions {
  /** rdbcompression */
  readonly compress: boolean;
  /**
   * A list element at least this long is written as a PLAIN quicklist node
   * of its own (Redis's packed_threshold, 1 GB unless DEBUG
   * QUICKLIST-PACKED-THRESHOLD changed it).
   */
  readonly plainNodeThreshold?: number;
}

/** Redis's default packed_threshold: elements of 1 GB and more live in plain nodes. */
export const DEFAULT_PLAIN_NODE_THRESHOLD = 1 << 30;

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
 * How a list is cut into quicklist 2 nodes: greedy PACKED listpack nodes of
 * at most 8 KB of listpack (one element always fits); an element of
 * `plainThreshold` bytes or more gets a PLAIN node of its own (a string
 * here), as quicklist's isLargeElement puts it there.
 */
export function quicklistNodes(list: ListValue, plainThreshold: number): Array<string[] | string> {
  const nodes: Array<string[] | string> = [];
  let current: string[] = [];
  let currentBytes = 7;
  for (const element of list) {
    if (element.length >= plainThreshold) {
      if (current.length > 0) nodes.push(current);
      nodes.push(element);
      current = [];
      currentBytes = 7;
      continue;
    }
    const estimate = element.length + 11;
    if (current.length > 0 && currentBytes + estimate > QUICKLIST_NODE_MAX_BYTES) {
      nodes.push(current);
      current = [];
      currentBytes = 7;
    }
    current.push(element);
    currentBytes += estimate;
  }
  if (current.length > 0) nodes.push(current);
  return nodes;
}

function writeQuicklist(out: ByteWriter, list: ListValue, options: ValueWriteOptions): void {
  const nodes = quicklistNodes(list, options.plainNodeThreshold ?? DEFAULT_PLAIN_NODE_THRESHOLD);
  writeLength(out, nodes.length);
  for (const node of nodes) {
    if (typeof node === 'string') {
      writeLength(out, QUICKLIST_NODE_CONTAINER_PLAIN);
      writeString(out, node, options.compress);
    } else {
      writeLength(out, QUICKLIST_NODE_CONTAINER_PACKED);
      writeBlob(out, encodeListpack(node), options.compress);
    }
  }
}

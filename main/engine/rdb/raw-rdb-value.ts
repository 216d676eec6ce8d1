/**
 * A loaded value a snapshot writes through in its RDB encoding, unchanged.
 */
import { RDB_TYPE_HASH_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET_INTSET, RDB_TYPE_STRING, RDB_TYPE_ZSET_LISTPACK } from './constants';

/** A value still in its RDB encoding: what a snapshot can copy through unchanged. */
export class RawRdbValue {
  constructor(
    readonly type: number,
    readonly bytes: Buffer,
  ) {}
}

/**
 * Types a snapshot copies through as loaded: exactly those Redis 7.0 itself
 * writes for compact values (so a 7.0 replica accepts them). Others (7.2's
 * listpack sets, the pre-7.0 ziplist forms) are decoded and re-encoded.
 */
const COPY_THROUGH = new Set([RDB_TYPE_STRING, RDB_TYPE_SET_INTSET, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2]);
/** First byte of an LZF-compressed RDB string: 11|000011. */
const LZF_STRING_MARK = 0xc3;

/** A value of this RDB type may be written as loaded (a type 7.0 writes). */
export function copiesThrough(type: number): boolean {
  return COPY_THROUGH.has(type);
}

/** The value is an LZF-compressed string: a snapshot with rdbcompression no must not write it as is. */
export function isLzfString(type: number, bytes: Buffer): boolean {
  return type === RDB_TYPE_STRING && bytes[0] === LZF_STRING_MARK;
}

/**
 * The quicklist nodes redis-server 7.0 holds for a list pushed element by
 * element at its tail (RPUSH; quicklist.c quicklistPushTail), which
 * MEMORY USAGE sums. Our lists are not stored as quicklists; this is the
 * shape Redis would have for the same elements.
 *
 *  - An element of `packedThreshold` bytes or more gets a plain node of its
 *    own (isLargeElement), and nothing is appended to a plain node.
 *  - Otherwise it joins the tail node when _quicklistNodeAllowInsert says
 *    so: the node's listpack bytes + the element's length + 8 (the
 *    estimate's overhead) must be within the fill's size class for a
 *    negative fill (-1..-5: 4, 8, 16, 32, 64 KB), or within 8 KB with fewer
 *    than `fill` entries in the node for a positive fill.
 *
 * Lists grown at the head (LPUSH), edited in the middle (LINSERT, LREM,
 * LSET) or loaded from an RDB split differently in Redis (their history
 * decides), and Redis keeps the fill in force when the list was created
 * where this takes the current one.
 */
import { listpackEntryBytes } from '../rdb/listpack';
import { lzfCompress } from '../rdb/lzf';
import type { ListValue } from '../keyspace/values';

export interface QuicklistNodeShape {
  /** Index of the node's first element in the list. */
  readonly first: number;
  count: number;
  /** The listpack's bytes (lpBytes), or the element's length for a plain node. */
  bytes: number;
  readonly plain: boolean;
}

/** list-max-listpack-size -1..-5: a node's listpack bytes at most. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** A node with a count limit (positive fill) still stays within this many bytes. */
const SIZE_SAFETY_LIMIT = 8192;
/** Added to the element's length when estimating the grown listpack. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** An empty listpack: 6 header bytes and the end byte. */
const EMPTY_LISTPACK = 7;
/** quicklistSetFill's range (the fill is a 16-bit field). */
const FILL_MIN = -5;
const FILL_MAX = 32767;

/** The fill a quicklist keeps (quicklistSetFill clamps list-max-listpack-size to its 16-bit field's range); DEBUG OBJECT prints it. */
export function quicklistFill(fill: number): number {
  return Math.min(FILL_MAX, Math.max(FILL_MIN, fill));
}

function allowInsert(node: QuicklistNodeShape, fill: number, length: number): boolean {
  const grown = node.bytes + length + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0 && grown <= OPTIMIZATION_LEVEL[-fill - 1]!) return true;
  if (grown > SIZE_SAFETY_LIMIT) return false;
  return node.count < fill;
}

/**
 * The nodes, head first, for list-max-listpack-size `fill` and the
 * plain-node threshold; with `maxNodes`, only the first `maxNodes` (the walk
 * stops there).
 */
export function quicklistLayout(list: ListValue, fill: number, packedThreshold: number, maxNodes = Infinity): QuicklistNodeShape[] {
  const clampedFill = quicklistFill(fill);
  const nodes: QuicklistNodeShape[] = [];
  let tail: QuicklistNodeShape | undefined;
  const length = list.length;
  for (let index = 0; index < length; index++) {
    const element = list.at(index);
    if (element.length >= packedThreshold) {
      if (nodes.length >= maxNodes) break;
      tail = { first: index, count: 1, bytes: element.length, plain: true };
      nodes.push(tail);
    } else if (tail !== undefined && !tail.plain && allowInsert(tail, clampedFill, element.length)) {
      tail.count++;
      tail.bytes += listpackEntryBytes(element);
    } else {
      if (nodes.length >= maxNodes) break;
      tail = { first: index, count: 1, bytes: EMPTY_LISTPACK + listpackEntryBytes(element), plain: false };
      nodes.push(tail);
    }
  }
  return nodes;
}

/** __quicklistCompressNode's limits: smaller nodes stay raw, and LZF must save more than 8 bytes. */
export const MIN_COMPRESS_BYTES = 48;
export const MIN_COMPRESS_IMPROVE = 8;
/** quicklistSetCompressDepth's maximum (a 16-bit field). */
const COMPRESS_MAX = 65535;

/**
 * Whether node `index` of `count` lies where __quicklistCompress compresses
 * under list-compress-depth: past `depth` nodes from both ends, and only
 * once the list has more than depth x 2 nodes.
 */
export function inCompressedRange(index: number, count: number, compressDepth: number): boolean {
  const depth = Math.min(COMPRESS_MAX, Math.max(0, compressDepth));
  return depth > 0 && count > depth * 2 && index >= depth && index < count - depth;
}

/**
 * The LZF bytes a node in the compressed range holds (__quicklistCompressNode:
 * the node's listpack, or a plain node's element, compressed by liblzf into
 * at most its own size), or null where it stays raw: under 48 bytes, or
 * compressing saves 8 bytes or less.
 */
export function quicklistNodeLzf(raw: Uint8Array): Buffer | null {
  if (raw.length < MIN_COMPRESS_BYTES) return null;
  const lzf = lzfCompress(raw, raw.length);
  return lzf === null || lzf.length + MIN_COMPRESS_IMPROVE >= raw.length ? null : lzf;
}

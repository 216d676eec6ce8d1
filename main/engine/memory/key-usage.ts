/**
 * MEMORY USAGE <key> as redis-server 7.0 computes it (object.c
 * memoryCommand, objectComputeSize) for the compact encodings, whose sizes
 * follow from the content: the key's sds and its dictEntry, the robj, and
 * the encoded value as jemalloc rounds its allocation.
 *
 *  - int string: the robj alone (its value is the pointer); embstr: robj,
 *    sdshdr8 and the bytes in one allocation; raw: robj plus the sds's
 *    allocation (memory/sds-layout.ts: as SET or sdsnewlen made it, or with
 *    the spare room APPEND, SETRANGE, SETBIT or BITFIELD grew it by).
 *  - list (quicklist): robj + quicklist, then per node its quicklistNode
 *    and its listpack (or plain element), the first `samples` nodes
 *    measured and their average taken for every node, the sum truncated
 *    (Redis adds the double to a size_t). The nodes are the ones Redis
 *    cuts for list-max-listpack-size (memory/quicklist-layout.ts: exact
 *    for a list built by RPUSH under the current config). Under
 *    list-compress-depth the nodes past `depth` from both ends hold their
 *    LZF bytes (8-byte length + liblzf's output, made as Redis makes it)
 *    where compressing saves more than 8 bytes of a listpack of 48 or more.
 *  - listpack hash and sorted set: robj + the listpack; intset set: robj +
 *    the intset.
 *
 * Hashtable, skiplist and stream values keep the eviction estimate
 * (value-size.ts): their dicts' and nodes' sizes are not modelled here.
 */
import { HashValue, ListValue, SetValue, ZSetValue, type RedisValue } from '../keyspace/values';
import { HeldBytes } from '../keyspace/held-bytes';
import { objectEncoding } from '../keyspace/encoding';
import { encodingOverride, ENCODING_DERIVED } from '../keyspace/key-entry';
import { sdsAllocation, valueSds } from './sds-layout';
import { encodeListpack } from '../rdb/listpack';
import { inCompressedRange, listCompressDepth, MIN_COMPRESS_BYTES, MIN_COMPRESS_IMPROVE, quicklistLayout, quicklistNodeLzf, type QuicklistNodeShape } from './quicklist-layout';
import { listpackScoreText } from '../resp/format-double';
import { estimateKeyBytes } from './value-size';

const ROBJ = 16;
const DICT_ENTRY = 24;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
const INTSET_HEADER = 8;

/** jemalloc's size class for a request: 8, 16 steps to 128, then four classes per doubling. */
export function jemallocSize(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return Math.ceil(bytes / 16) * 16;
  const step = 2 ** (Math.ceil(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** An sds of `length` bytes as sdsnewlen allocates it: the header its length needs, the bytes, a NUL. */
function sdsSize(length: number, allowType5: boolean): number {
  const header = allowType5 && length < 32 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : length < 2 ** 32 ? 9 : 17;
  return jemallocSize(header + length + 1);
}

function stringSize(value: string, meta: number, recordedSds: number | undefined): number {
  const encoding = objectEncoding(value, meta);
  if (encoding === 'int') return ROBJ;
  if (encoding === 'embstr') return jemallocSize(ROBJ + 3 + value.length + 1);
  return ROBJ + sdsAllocation(valueSds(recordedSds, value.length, encodingOverride(meta) === ENCODING_DERIVED));
}

/** How the server shapes a list's quicklist: list-max-listpack-size, list-compress-depth, the plain-node threshold. */
export interface ListShape {
  readonly fill: number;
  readonly compressDepth: number;
  readonly packedThreshold: number;
}

/** quicklistLZF's size_t length field before the compressed bytes. */
const QUICKLIST_LZF_HEADER = 8;

/**
 * Compressed nodes actually LZF-compressed per MEMORY USAGE. Redis reads
 * each node's stored size; we make the LZF bytes, about 0.15 ms per 8 KB
 * node, so SAMPLES 0 on a list of a million short elements (1944 nodes)
 * held the event loop about 300 ms. Past this many, every k-th compressed
 * node is compressed (k making this many) and stands for the k - 1 after it
 * (exact up to here).
 */
const MAX_COMPRESSED_NODES = 128;

/** zmalloc_size of a node's LZF form (quicklistLZF: its length field and the bytes), or of the raw node where LZF does not pay. */
function storedSize(rawBytes: number, lzfBytes: number | null): number {
  return jemallocSize(lzfBytes === null || lzfBytes + MIN_COMPRESS_IMPROVE >= rawBytes ? rawBytes : QUICKLIST_LZF_HEADER + lzfBytes);
}

function rawNode(list: ListValue, node: QuicklistNodeShape): Buffer {
  return node.plain ? Buffer.from(list.at(node.first), 'latin1') : encodeListpack(list.range(node.first, node.first + node.count - 1));
}

function listSize(list: ListValue, samples: number, shape: ListShape): number {
  const nodes = quicklistLayout(list, shape.fill, shape.packedThreshold);
  const depth = listCompressDepth(list, shape.compressDepth);
  const sampled = Math.max(1, Math.min(samples, nodes.length));
  let measured = 0;
  // zmalloc_size(node->entry): the listpack or plain element, or its LZF form for an interior node.
  const compressed: QuicklistNodeShape[] = [];
  for (let i = 0; i < sampled; i++) {
    const node = nodes[i]!;
    measured += QUICKLIST_NODE;
    if (node.bytes >= MIN_COMPRESS_BYTES && inCompressedRange(i, nodes.length, depth)) compressed.push(node);
    else measured += jemallocSize(node.bytes);
  }
  // Every stride-th node is compressed; the others take their group's first node's ratio (stratified,
  // so the jemalloc classes the estimates round to are spread as the measured ones are).
  const stride = Math.ceil(compressed.length / MAX_COMPRESSED_NODES);
  for (let i = 0; i < compressed.length; i += stride) {
    const bytes = rawNode(list, compressed[i]!);
    const lzf = quicklistNodeLzf(bytes);
    measured += storedSize(bytes.length, lzf === null ? null : lzf.length);
    const ratio = lzf === null ? 1 : lzf.length / bytes.length;
    for (let j = i + 1; j < Math.min(i + stride, compressed.length); j++) {
      const node = compressed[j]!;
      measured += storedSize(node.bytes, lzf === null ? null : Math.round(node.bytes * ratio));
    }
  }
  // objectComputeSize: asize += (double)elesize/samples*ql->len, asize a size_t (the double truncated).
  return Math.trunc(ROBJ + QUICKLIST + (measured / sampled) * nodes.length);
}

/** intset: its header and every member at the width the set grew to (SetValue.intsetWidth: never narrower after SREM). */
function intsetSize(set: SetValue): number {
  return jemallocSize(INTSET_HEADER + set.size * set.intsetWidth);
}

/** The compact encoding's bytes, or null where the estimate stands in. */
function valueSize(value: RedisValue, meta: number, samples: number, listShape: ListShape, recordedSds: number | undefined): number | null {
  if (typeof value === 'string') return stringSize(value, meta, recordedSds);
  if (value instanceof ListValue) return listSize(value, samples, listShape);
  if (value instanceof HashValue && value.encoding === 'listpack') return ROBJ + jemallocSize(encodeListpack([...value.entries()].flat()).length);
  if (value instanceof ZSetValue && value.encoding === 'listpack') {
    return ROBJ + jemallocSize(encodeListpack([...value.entries()].flatMap(([member, score]) => [member, listpackScoreText(score)])).length);
  }
  if (value instanceof SetValue && value.encoding === 'intset') return ROBJ + intsetSize(value);
  return null;
}

/**
 * `samples`: nested elements measured (Infinity: all); `listShape`: how the
 * server cuts a list into quicklist nodes; `recordedSds`: a string's sds as
 * an in-place write left it (Database.sdsShapes), if one did.
 */
export function keyUsageBytes(key: string, value: RedisValue | HeldBytes, meta: number, samples: number, listShape: ListShape, recordedSds?: number): number {
  const size = value instanceof HeldBytes ? null : valueSize(value, meta, samples, listShape, recordedSds);
  if (size === null) return Math.round(estimateKeyBytes(key, value, samples));
  return Math.round(size + sdsSize(key.length, true) + DICT_ENTRY);
}

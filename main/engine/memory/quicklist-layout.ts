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
 * Lists created by a push track their nodes as Redis changes them
 * (QuicklistNodes below: LPUSH, pops, LREM, LTRIM, LSET in place). Lists
 * whose nodes are not tracked are cut as RPUSH would: those loaded from an
 * RDB (their history decides, unknown here), those LINSERT or a splitting
 * LSET edited, and those past the tracking bounds (MATERIALIZE_MAX_ELEMENTS,
 * MAX_TRACKED_NODES).
 */
import { listpackEntryBytes } from '../rdb/listpack';
import { lzfCompress } from '../rdb/lzf';
import type { ListValue, QuicklistTracker } from '../keyspace/values/list-value';

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
/**
 * The longest list whose nodes are cut when it first changes other than by a
 * tail push (materialize): the cut reads every element, so this bounds the
 * one-off work a pop or an edit adds to a command (about an LRANGE of that
 * many elements), where Redis's pop is O(1). A longer list is left untracked.
 */
export const MATERIALIZE_MAX_ELEMENTS = 4096;
/**
 * The most nodes a list tracks: a node made or emptied at the head moves the
 * others in the array (unshift, shift), so this bounds that cost per push or
 * pop. A list that would need more is left untracked.
 */
export const MAX_TRACKED_NODES = 1024;
/** quicklistSetFill's range (the fill is a 16-bit field). */
const FILL_MIN = -5;
const FILL_MAX = 32767;

/** The fill a quicklist keeps (quicklistSetFill clamps list-max-listpack-size to its 16-bit field's range); DEBUG OBJECT prints it. */
export function quicklistFill(fill: number): number {
  return Math.min(FILL_MAX, Math.max(FILL_MIN, fill));
}

function allowInsert(node: { readonly count: number; readonly bytes: number }, fill: number, length: number): boolean {
  const grown = node.bytes + length + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0 && grown <= OPTIMIZATION_LEVEL[-fill - 1]!) return true;
  if (grown > SIZE_SAFETY_LIMIT) return false;
  return node.count < fill;
}

/**
 * The quicklist a list holds in redis-server 7.0, node by node, as pushes,
 * pops and removals change it (quicklistPushHead / PushTail,
 * quicklistDelIndex), with the fill and compress depth in force when the
 * list was created (pushGenericCommand's quicklistSetOptions: a later
 * CONFIG SET leaves the list's own). LPUSH fills the head node, so a list
 * grown at the head splits where one grown at the tail does not; a pop or
 * a removal (LREM, LTRIM) leaves its node short (nothing merges), and
 * LSET rewrites an entry in place.
 *
 * A list only ever pushed at its tail holds the nodes its content gives
 * (quicklistLayout), so it keeps a `shared` instance (one per fill, depth
 * and threshold, no nodes of its own: a list of a few elements costs no
 * more than its field); its first other change materializes its nodes, if
 * it has at most MATERIALIZE_MAX_ELEMENTS. An edit that splits or merges
 * nodes (LINSERT, LSET of a large element or in a plain node) is not
 * modelled, nor a list longer than that at its first other change or
 * grown past MAX_TRACKED_NODES: the nodes are dropped (`exact` false; a
 * shared `inexact()` instance where there were none yet) and the list is
 * taken as RPUSH would have built it under its own fill. All work here is
 * bounded by those two constants per command, besides LREM/LTRIM's walk of
 * the nodes (those commands are O(N) already).
 */
export class QuicklistNodes implements QuicklistTracker {
  /** Head first. */
  private nodes: { count: number; bytes: number; plain: boolean }[] = [];
  exact = true;
  /** Per config: the instance for lists only pushed at their tail, and the one for untracked lists. */
  private static readonly sharedInstances = new Map<string, { tail: QuicklistNodes; inexact: QuicklistNodes }>();

  private constructor(
    /** quicklistSetFill's clamped fill. */
    readonly fill: number,
    readonly compressDepth: number,
    private readonly packedThreshold: number,
    readonly shared: boolean,
  ) {}

  private static instances(fill: number, compressDepth: number, packedThreshold: number): { tail: QuicklistNodes; inexact: QuicklistNodes } {
    const key = `${fill},${compressDepth},${packedThreshold}`;
    let instances = QuicklistNodes.sharedInstances.get(key);
    if (instances === undefined) {
      const inexact = new QuicklistNodes(fill, compressDepth, packedThreshold, false);
      inexact.exact = false;
      instances = { tail: new QuicklistNodes(fill, compressDepth, packedThreshold, true), inexact };
      QuicklistNodes.sharedInstances.set(key, instances);
    }
    return instances;
  }

  /** The shared instance for a new list under this config. */
  static forConfig(fill: number, compressDepth: number, packedThreshold: number): QuicklistNodes {
    return QuicklistNodes.instances(quicklistFill(fill), compressDepth, packedThreshold).tail;
  }

  /** A tracker with no nodes (cut as RPUSH would) under this one's fill and depth, shared, told of nothing. */
  inexact(): QuicklistNodes {
    return QuicklistNodes.instances(this.fill, this.compressDepth, this.packedThreshold).inexact;
  }

  /**
   * The list's own nodes: those its content gives as RPUSH built it (it was
   * only pushed at its tail); the inexact instance for a list too long to
   * cut now or with too many nodes.
   */
  materialize(list: ListValue): QuicklistNodes {
    if (!this.shared) return this;
    if (list.length > MATERIALIZE_MAX_ELEMENTS) return this.inexact();
    const cut = cutNodes(list, this.fill, this.packedThreshold, MAX_TRACKED_NODES + 1);
    if (cut.length > MAX_TRACKED_NODES) return this.inexact();
    const own = new QuicklistNodes(this.fill, this.compressDepth, this.packedThreshold, false);
    own.nodes = cut.map(({ count, bytes, plain }) => ({ count, bytes, plain }));
    return own;
  }

  clone(): QuicklistNodes {
    // The shared instances and an untracked list's (told of nothing) can be held by both lists.
    if (this.shared || !this.exact) return this;
    const copy = new QuicklistNodes(this.fill, this.compressDepth, this.packedThreshold, false);
    copy.nodes = this.nodes.map((node) => ({ ...node }));
    copy.exact = this.exact;
    return copy;
  }

  pushed(element: string, atHead: boolean): void {
    if (!this.exact || this.shared) return;
    const end = this.nodes.length === 0 ? undefined : this.nodes[atHead ? 0 : this.nodes.length - 1]!;
    if (element.length < this.packedThreshold && end !== undefined && !end.plain && allowInsert(end, this.fill, element.length)) {
      end.count++;
      end.bytes += listpackEntryBytes(element);
      return;
    }
    if (this.nodes.length >= MAX_TRACKED_NODES) return this.edited();
    const plain = element.length >= this.packedThreshold;
    const node = { count: 1, bytes: plain ? element.length : EMPTY_LISTPACK + listpackEntryBytes(element), plain };
    if (atHead) this.nodes.unshift(node);
    else this.nodes.push(node);
  }

  popped(element: string, atHead: boolean): void {
    if (!this.exact || this.shared || this.nodes.length === 0) return;
    const index = atHead ? 0 : this.nodes.length - 1;
    const end = this.nodes[index]!;
    end.count--;
    if (!end.plain) end.bytes -= listpackEntryBytes(element);
    if (end.count > 0) return;
    if (atHead) this.nodes.shift();
    else this.nodes.pop();
  }

  /**
   * quicklistDelIndex / quicklistDelRange at list positions `positions`
   * (ascending, of the list before the removal; `elementAt` gives the
   * element there): each entry leaves its node, an emptied node goes,
   * nothing merges. One walk over the nodes.
   */
  removed(positions: readonly number[], elementAt: (position: number) => string): void {
    if (!this.exact || this.shared) return;
    let next = 0;
    let first = 0;
    for (const node of this.nodes) {
      const end = first + node.count;
      while (next < positions.length && positions[next]! < end) {
        const position = positions[next++]!;
        node.count--;
        if (!node.plain) node.bytes -= listpackEntryBytes(elementAt(position));
      }
      first = end;
    }
    if (next < positions.length) return this.edited();
    this.nodes = this.nodes.filter((node) => node.count > 0);
  }

  /**
   * quicklistReplaceAtIndex (LSET): a listpack node's entry is replaced in
   * place whatever its fill; a plain node or a large element splits the
   * node (not modelled: the nodes are dropped).
   */
  replaced(index: number, old: string, element: string): void {
    if (!this.exact || this.shared) return;
    let first = 0;
    for (const node of this.nodes) {
      if (index < first + node.count) {
        if (node.plain || element.length >= this.packedThreshold) return this.edited();
        node.bytes += listpackEntryBytes(element) - listpackEntryBytes(old);
        return;
      }
      first += node.count;
    }
    this.edited();
  }

  /** An edit that splits or merges nodes: they are no longer known. */
  edited(): void {
    this.exact = false;
    this.nodes = [];
  }

  /** The first `maxNodes` nodes, head first, or null where they follow from the content (shared) or an edit dropped them. */
  shapes(maxNodes = Infinity): QuicklistNodeShape[] | null {
    if (!this.exact || this.shared) return null;
    const shapes: QuicklistNodeShape[] = [];
    const count = Math.min(maxNodes, this.nodes.length);
    let first = 0;
    for (let i = 0; i < count; i++) {
      const node = this.nodes[i]!;
      shapes.push({ first, count: node.count, bytes: node.bytes, plain: node.plain });
      first += node.count;
    }
    return shapes;
  }
}

/**
 * The nodes, head first, for list-max-listpack-size `fill` and the
 * plain-node threshold; with `maxNodes`, only the first `maxNodes` (the walk
 * stops there). A list that tracks its quicklist (ListValue.quicklist) has
 * those nodes and its own fill instead.
 */
export function quicklistLayout(list: ListValue, fill: number, packedThreshold: number, maxNodes = Infinity): QuicklistNodeShape[] {
  const tracked = list.quicklist?.shapes(maxNodes);
  if (tracked) return tracked;
  return cutNodes(list, list.quicklist?.fill ?? fill, packedThreshold, maxNodes);
}

/** The nodes RPUSH of the list's elements makes. */
function cutNodes(list: ListValue, fill: number, packedThreshold: number, maxNodes: number): QuicklistNodeShape[] {
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

/** The list-compress-depth the list's quicklist keeps (its own, set at creation, or the one `configured`). */
export function listCompressDepth(list: ListValue, configured: number): number {
  return list.quicklist?.compressDepth ?? configured;
}

/** The fill the list's quicklist keeps, as DEBUG OBJECT prints it (its own, or the one `configured`, clamped). */
export function listFill(list: ListValue, configured: number): number {
  return list.quicklist?.fill ?? quicklistFill(configured);
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

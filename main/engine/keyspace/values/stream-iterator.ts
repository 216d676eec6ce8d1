/**
 * streamIterator: walks a stream's entries in [start, end], forward or in
 * reverse, node by node. The first node is the one whose master ID is the
 * greatest <= the bound the walk starts from (raxSeek "<="), else the first
 * (or last) node; entries outside the range and, unless asked for,
 * tombstones are passed over.
 *
 *   const it = stream.iterate(start, end);
 *   while (it.next()) use(it.entry.id, it.fields());
 *
 * removeCurrent() tombstones the entry just returned (or drops its node if
 * that was the node's last live entry) and restarts the walk after it, as
 * streamIteratorRemoveEntry re-seeks.
 */
import { compareIds, isZeroId, MAX_ID, MIN_ID, type StreamId } from './stream-id';
import { newStreamEntry, STREAM_ITEM_FLAG_DELETED, type StreamEntry, type StreamNode } from './stream-node';
import type { StreamValue } from './stream-value';

export class StreamIterator {
  private start: StreamId;
  private end: StreamId;
  private node: StreamNode | undefined;
  /** Index (in `node`) of the next entry to read; out of [0, node entries) when the node is done. */
  private index = -1;
  private finished = false;
  /** The entry returned by the last successful next(). */
  readonly entry: StreamEntry = newStreamEntry();
  /** The node holding `entry`. */
  current: StreamNode | null = null;

  constructor(
    private readonly stream: StreamValue,
    start: StreamId | null,
    end: StreamId | null,
    private readonly reverse: boolean,
    private readonly skipTombstones = true,
  ) {
    this.start = start ?? MIN_ID;
    this.end = end ?? MAX_ID;
    this.seek();
  }

  /**
   * The first node as Redis picks it, then, inside it, the first entry in
   * range by binary search (entries before it would only be passed over).
   */
  private seek(): void {
    const nodes = this.stream.nodes;
    if (!this.reverse) {
      this.node = (isZeroId(this.start) ? undefined : nodes.floor(this.start)?.value) ?? nodes.first()?.value;
      this.index = this.node ? this.node.search(this.start, false) : -1;
    } else {
      // No node starting at or below the end: every entry is above it (Redis walks them all to find that out).
      this.node = nodes.floor(this.end)?.value;
      this.index = this.node ? this.node.search(this.end, true) - 1 : -1;
    }
  }

  /** Moves to the next node in the walk's direction; false at the end of the stream. */
  private nextNode(): boolean {
    const nodes = this.stream.nodes;
    const node = this.node!;
    this.node = this.reverse ? nodes.lower(node.master)?.value : nodes.higher(node.master)?.value;
    if (!this.node) return false;
    this.index = this.reverse ? this.node.totalEntries - 1 : 0;
    return true;
  }

  /** Advances to the next entry in range; false when there is none. */
  next(): boolean {
    if (this.finished) return false;
    const entry = this.entry;
    for (;;) {
      const node = this.node;
      if (!node) return this.finish();
      if (this.index < 0 || this.index >= node.totalEntries) {
        if (!this.nextNode()) return this.finish();
        continue;
      }
      node.readEntry(this.index, entry);
      this.index += this.reverse ? -1 : 1;
      if (this.skipTombstones && (entry.flags & STREAM_ITEM_FLAG_DELETED) !== 0) continue;
      if (!this.reverse) {
        if (compareIds(entry.id, this.start) < 0) continue;
        if (compareIds(entry.id, this.end) > 0) return this.finish();
      } else {
        if (compareIds(entry.id, this.end) > 0) continue;
        if (compareIds(entry.id, this.start) < 0) return this.finish();
      }
      this.current = node;
      return true;
    }
  }

  private finish(): false {
    this.finished = true;
    this.current = null;
    return false;
  }

  /** The current entry's fields and values, flat. */
  fields(): string[] {
    return this.current!.fieldsAndValues(this.entry);
  }

  /** Tombstones the current entry (dropping its node when it was the last live one) and re-seeks past it. */
  removeCurrent(): void {
    const node = this.current!;
    const id = this.entry.id;
    if (node.live === 1) this.stream.removeNode(node);
    else node.markDeleted(this.entry.flagsPos);
    this.stream.length--;
    if (this.reverse) this.end = id;
    else this.start = id;
    this.finished = false;
    this.current = null;
    this.seek();
  }
}

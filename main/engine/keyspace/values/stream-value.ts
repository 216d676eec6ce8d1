/**
 * A Redis stream (stream.h `stream`): listpack nodes ordered by their
 * master ID (IdTree, in place of Redis's rax), the 7.0 bookkeeping
 * (length, last/first/max-deleted IDs, entries-added) and the consumer
 * groups by name.
 *
 * Invariants (as Redis):
 *  - every entry ID is above every ID of the nodes before it, and the tail
 *    node is the only one that grows;
 *  - `length` counts live entries; tombstones stay in their node until the
 *    node's last live entry goes (then the node goes);
 *  - `lastId` never goes down, not even when its entry is deleted
 *    (only XSETID moves it, and not below the last live entry);
 *  - `firstId` is the first live entry's ID, 0-0 when empty.
 */
import { IdTree } from './stream-id-tree';
import { compareIds, increment, isMaxId, MIN_ID, nextId, U64_MAX, type Counter, type StreamId } from './stream-id';
import { StreamNode } from './stream-node';
import { StreamIterator } from './stream-iterator';
import type { StreamGroup } from './stream-group';

/** stream-node-max-bytes / stream-node-max-entries (named as in HotConfig, which XADD passes). */
export interface StreamNodeLimits {
  readonly streamNodeMaxBytes: number;
  readonly streamNodeMaxEntries: number;
}

/** STREAM_LISTPACK_MAX_SIZE: no listpack may grow past 1 GB. */
const LISTPACK_MAX_SIZE = 2 ** 30;

/** What append() did: 'not-greater' is EDOM (the ID is not above the last ID), 'too-large' ERANGE. */
export type AppendStatus = 'ok' | 'not-greater' | 'too-large';

export class StreamValue {
  readonly nodes = new IdTree<StreamNode>();
  length = 0;
  lastId: StreamId = MIN_ID;
  firstId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  entriesAdded: Counter = 0;
  /** Created on first use, as in Redis. */
  groups: Map<string, StreamGroup> | null = null;
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;

  get size(): number {
    return this.length;
  }

  /**
   * streamNextID for `*`: the clock, or the last ID plus one when the clock
   * is not ahead of it. At the maximum ID it gives 0-0, which append()
   * refuses as not greater (XADD checks `exhausted` first).
   */
  autoId(now: number): StreamId {
    const last = this.lastId;
    if (now > last.ms) return { ms: now, seq: 0 };
    if (last.seq !== U64_MAX) return { ms: last.ms, seq: increment(last.seq) };
    return nextId(last).id;
  }

  /** The ID for `<ms>-*`: the next sequence within ms, or null when it would pass 2^64 - 1 (Redis fails before setting errno). */
  idWithinMs(ms: StreamId['ms']): StreamId | null {
    const last = this.lastId;
    if (last.ms !== ms) return { ms, seq: 0 };
    if (last.seq === U64_MAX) return null;
    return { ms, seq: increment(last.seq) };
  }

  /**
   * streamAppendItem: adds an entry with the given ID (fields and values
   * flat in argv[from ..], at least one pair). Node switch rule: a new node
   * when the tail's listpack bytes plus the new fields' and values' lengths
   * reach stream-node-max-bytes, or when it holds stream-node-max-entries
   * entries (tombstones included).
   */
  append(argv: ReadonlyArray<string>, from: number, id: StreamId, limits: StreamNodeLimits): AppendStatus {
    if (compareIds(id, this.lastId) <= 0) return 'not-greater';
    let elementBytes = 0;
    for (let i = from; i < argv.length; i++) elementBytes += argv[i]!.length;
    if (elementBytes > LISTPACK_MAX_SIZE) return 'too-large';

    const tail = this.nodes.lastValue();
    if (tail && !this.tailIsFull(tail, elementBytes, limits)) tail.append(id, argv, from);
    else {
      const spare = tail ? tail.shrink() : null;
      this.nodes.set(id, StreamNode.create(id, argv, from, limits.streamNodeMaxBytes, spare));
    }
    this.length++;
    this.entriesAdded = increment(this.entriesAdded);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return 'ok';
  }

  private tailIsFull(tail: StreamNode, elementBytes: number, limits: StreamNodeLimits): boolean {
    const limit = limits.streamNodeMaxBytes;
    const maxBytes = limit === 0 || limit > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : limit;
    if (tail.byteSize + elementBytes >= maxBytes) return true;
    return limits.streamNodeMaxEntries > 0 && tail.totalEntries >= limits.streamNodeMaxEntries;
  }

  /** True once the last possible ID was used (XADD refuses to add). */
  get exhausted(): boolean {
    return isMaxId(this.lastId);
  }

  /** An iterator over [start, end] (null: unbounded), live entries only by default. */
  iterate(start: StreamId | null, end: StreamId | null, reverse = false): StreamIterator {
    return new StreamIterator(this, start, end, reverse);
  }

  /** streamGetEdgeID: first or last entry ID (tombstones optionally), max/min ID when there is none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const iterator = new StreamIterator(this, null, null, !first, skipTombstones);
    if (iterator.next()) return iterator.entry.id;
    return first ? { ms: U64_MAX, seq: U64_MAX } : MIN_ID;
  }

  /** streamLastValidID: the last live entry's ID (0-0 for an empty stream). */
  lastValidId(): StreamId {
    const iterator = new StreamIterator(this, null, null, true);
    return iterator.next() ? iterator.entry.id : MIN_ID;
  }

  /** streamEntryExists: a live entry with this ID. */
  hasEntry(id: StreamId): boolean {
    const iterator = new StreamIterator(this, id, id, false);
    return iterator.next();
  }

  /** The entry's fields and values (flat), or null when there is no live entry with this ID. */
  entry(id: StreamId): string[] | null {
    const iterator = new StreamIterator(this, id, id, false);
    return iterator.next() ? iterator.fields() : null;
  }

  /** streamDeleteItem: tombstones one entry; true when it existed. Leaves the IDs bookkeeping to deleteEntries(). */
  deleteEntry(id: StreamId): boolean {
    const iterator = new StreamIterator(this, id, id, false);
    if (!iterator.next()) return false;
    iterator.removeCurrent();
    return true;
  }

  /**
   * XDEL: tombstones the given entries; returns how many existed. Keeps the
   * 7.0 bookkeeping: the maximum deleted ID, and the first ID when the
   * first entry went.
   */
  deleteEntries(ids: ReadonlyArray<StreamId>): number {
    let deleted = 0;
    let firstDeleted = false;
    for (const id of ids) {
      if (!this.deleteEntry(id)) continue;
      if (compareIds(id, this.firstId) === 0) firstDeleted = true;
      if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (this.length === 0) this.firstId = MIN_ID;
      else if (firstDeleted) this.firstId = this.edgeId(true, true);
    }
    return deleted;
  }

  /** Removes a whole node (its last live entry went, or trimming took it). */
  removeNode(node: StreamNode): void {
    this.nodes.delete(node.master);
  }

  /** A deep copy (COPY, snapshots), groups and PELs included. */
  clone(): StreamValue {
    const copy = new StreamValue();
    for (const { key, value } of this.nodes.entries()) copy.nodes.set(key, value.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    if (this.groups) {
      copy.groups = new Map();
      for (const [name, group] of this.groups) copy.groups.set(name, group.clone());
    }
    return copy;
  }
}

/**
 * A Redis list: a double-ended queue of latin1 strings over a ring buffer, so
 * pushes and pops at both ends are O(1) and LINDEX is O(1). Redis 7.0 reports
 * every list as "quicklist" (the listpack list encoding arrived in 7.2).
 */
/**
 * What follows a list's changes to keep the quicklist nodes redis-server
 * would hold (memory/quicklist-layout.ts QuicklistNodes): told of every
 * push, pop, removal and replacement, and of any other edit.
 */
export interface QuicklistTracker {
  /** The fill (clamped) and compress depth the list was created with. */
  readonly fill: number;
  readonly compressDepth: number;
  /** Shared by lists only ever pushed at their tail (their nodes follow from their content); told of nothing. */
  readonly shared: boolean;
  /** The list's own tracker, its nodes as its content gives them where shared (or an untracked one: a long list is not walked). */
  materialize(list: ListValue): QuicklistTracker;
  /** A tracker under the same fill and compress depth that keeps no nodes (the list is cut as RPUSH would), told of nothing. */
  inexact(): QuicklistTracker;
  pushed(element: string, atHead: boolean): void;
  popped(element: string, atHead: boolean): void;
  /** The elements at these list positions (ascending) leave the list; `elementAt` reads them before they go. */
  removed(positions: readonly number[], elementAt: (position: number) => string): void;
  replaced(index: number, old: string, element: string): void;
  edited(): void;
  clone(): QuicklistTracker;
  /** The nodes head first (their first element's index, entries, listpack bytes or a plain element's length), or null where not kept. */
  shapes(maxNodes?: number): { readonly first: number; count: number; bytes: number; readonly plain: boolean }[] | null;
}

export class ListValue {
  private items: (string | undefined)[];
  private head = 0;
  private count = 0;
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;
  /**
   * The quicklist nodes redis-server would hold, kept by every push and pop
   * (memory/quicklist-layout.ts), for a list a push created; null for one
   * built otherwise (loaded, SORT STORE), cut from its content when asked.
   */
  quicklist: QuicklistTracker | null = null;

  constructor(initialCapacity = 8) {
    this.items = new Array<string | undefined>(Math.max(4, initialCapacity));
  }

  /** The list's own quicklist tracker before a change other than a tail push (a shared one materialized first). */
  private ownQuicklist(): QuicklistTracker | null {
    const tracker = this.quicklist;
    if (tracker === null || !tracker.shared) return tracker;
    return (this.quicklist = tracker.materialize(this));
  }

  static from(elements: Iterable<string>): ListValue {
    const list = new ListValue();
    for (const element of elements) list.pushTail(element);
    return list;
  }

  get length(): number {
    return this.count;
  }

  private grow(): void {
    const capacity = this.items.length * 2;
    const next = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }

  private maybeShrink(): void {
    if (this.items.length > 64 && this.count < this.items.length / 4) {
      const next = new Array<string | undefined>(Math.max(8, this.items.length / 2));
      for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
      this.items = next;
      this.head = 0;
    }
  }

  pushHead(element: string): void {
    const tracker = this.ownQuicklist();
    if (this.count === this.items.length) this.grow();
    // Wrapped by a compare, not `%`: a modulo by a variable is an integer division.
    this.head = (this.head === 0 ? this.items.length : this.head) - 1;
    this.items[this.head] = element;
    this.count++;
    if (tracker !== null) tracker.pushed(element, true);
  }

  pushTail(element: string): void {
    if (this.count === this.items.length) this.grow();
    const index = this.head + this.count;
    this.items[index < this.items.length ? index : index - this.items.length] = element;
    this.count++;
    if (this.quicklist !== null) this.quicklist.pushed(element, false);
  }

  popHead(): string | undefined {
    if (this.count === 0) return undefined;
    const tracker = this.ownQuicklist();
    const element = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    this.maybeShrink();
    if (tracker !== null) tracker.popped(element!, true);
    return element;
  }

  popTail(): string | undefined {
    if (this.count === 0) return undefined;
    const tracker = this.ownQuicklist();
    const index = (this.head + this.count - 1) % this.items.length;
    const element = this.items[index];
    this.items[index] = undefined;
    this.count--;
    this.maybeShrink();
    if (tracker !== null) tracker.popped(element!, false);
    return element;
  }

  /** Element at a non-negative index < length. */
  at(index: number): string {
    return this.items[(this.head + index) % this.items.length] as string;
  }

  set(index: number, element: string): void {
    const slot = (this.head + index) % this.items.length;
    const tracker = this.ownQuicklist();
    if (tracker !== null) tracker.replaced(index, this.items[slot] as string, element);
    this.items[slot] = element;
  }

  /** Elements [start, end] inclusive, indexes already clamped to the list. */
  range(start: number, end: number): string[] {
    // An empty range (start past end) is an empty array, as the old slice gave: a negative
    // length would throw RangeError from the Array constructor.
    if (end < start) return [];
    const items = this.items;
    const capacity = items.length;
    const out = new Array<string>(end - start + 1);
    // The ring is read in at most two straight runs: a slot that wraps by a compare, not a modulo
    // (an integer division) per element, into an array sized once (LRANGE 0 99 is 100 of them).
    let slot = this.head + start;
    if (slot >= capacity) slot -= capacity;
    for (let index = 0; index < out.length; index++) {
      out[index] = items[slot] as string;
      if (++slot === capacity) slot = 0;
    }
    return out;
  }

  toArray(): string[] {
    return this.range(0, this.count - 1);
  }

  /**
   * Replaces the whole content (used by LREM, LINSERT, LTRIM: O(n) operations
   * anyway). `removed`: the positions (ascending) of the elements removed
   * where the rest are `elements` in order (LREM, LTRIM): the quicklist's
   * nodes lose those entries; otherwise its nodes are dropped.
   */
  replaceAll(elements: string[], removed?: readonly number[]): void {
    if (this.quicklist !== null) {
      // An edit not modelled drops the nodes without cutting them first (no walk of a shared list's elements).
      if (removed === undefined) this.quicklist = this.quicklist.inexact();
      else this.ownQuicklist()!.removed(removed, (position) => this.at(position));
    }
    this.items = new Array<string | undefined>(Math.max(8, elements.length * 2));
    for (let i = 0; i < elements.length; i++) this.items[i] = elements[i];
    this.head = 0;
    this.count = elements.length;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** quicklistDup: the same nodes, fill and compress depth (a shared tracker stays shared). */
  clone(): ListValue {
    const copy = ListValue.from(this);
    if (this.quicklist !== null) copy.quicklist = this.quicklist.clone();
    return copy;
  }
}

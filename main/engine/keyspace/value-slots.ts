/**
 * Where a dict keeps its string values, its small (packed) hashes and
 * sorted sets, and their keys' meta words: two parallel arrays indexed by
 * a slot number, which is what the dict's Map holds for such a key (a
 * small integer: V8 stores it in the Map's entry itself, no object).
 *
 * A string is a primitive and has nowhere to keep its key's meta word (key-
 * entry.ts), and a packed hash or sorted set is one string (packed-
 * elements.ts) inside a HashValue or ZSetValue object of 40 bytes (24 of
 * header, the string and the meta word). A slot costs 12 bytes (an array
 * element and an int32; at most one page is spare), so a key of these
 * kinds keeps no object of its own: after 1M small keys built by commands
 * (a third each strings, 4-field hashes, 5-member sorted sets) that is 40
 * bytes fewer per collection key.
 *
 * A packed collection is handed out as a view: a HashValue or ZSetValue
 * made around the slot's string and bound to the slot (`home`, `slot`), so
 * that every change it makes replaces the slot's string too (`rewrite`),
 * and a change to its big form (Map, skiplist) puts the object itself in
 * the slot, where it stays. A value the dict is given (HSET's new hash) is
 * bound the same way. The last view made is kept, so a command's repeated
 * lookups of one key get one object.
 *
 * Invariants:
 *  - A slot is live from `add` to `free`. A live slot holds a string value,
 *    a packed collection's string (its kind in the meta word's KIND bits),
 *    or a collection object that outgrew its packed form; a free slot holds
 *    '' (so the old value can be collected) and, in `metas`, the next free
 *    slot (-1 ends the chain).
 *  - A string value may be held as bytes (HeldBytes, held-bytes.ts):
 *    `value` gives it as a string, which the slot keeps from then on;
 *    `held` gives the bytes, for a command that edits them in place.
 *  - A view writes only to the slot it is bound to, and only while the
 *    slot still holds a packed collection equal to the string the view
 *    last saw: a view kept past its key's deletion or overwrite is refused
 *    with an internal error (short of the slot's new owner holding the
 *    very same bytes), never written over a string or a changed value.
 *    No command keeps a view past its own lookups: values change only
 *    through a lookup made for that write.
 *  - TIMED (a meta bit of the slot, not of the key's meta word): set on a
 *    slot whose key may have a TTL (Dict.noteTimed), so that a read of a
 *    key without it skips the database's expires lookup (Dict.read). Every
 *    slot whose key has an entry in expires has it; a stale one (the TTL
 *    went) costs only that lookup. `put` clears it; Dict.set carries it
 *    over an overwrite.
 *  - Slots are reused most recently freed first; the arrays never shrink
 *    while a slot is live (a dict emptied by deletes resets them).
 *
 * Both arrays are kept in pages of PAGE_SLOTS slots, added one at a time: a
 * single array grown by half each time it fills has up to a third of its
 * capacity spare (4 MB at 1M slots) and leaves every outgrown copy behind
 * for the collector, and the outgrown meta arrays (malloc'd, being
 * ArrayBuffers) as holes in the C heap.
 */
import type { CollectionValue } from './key-entry';
import { HeldBytes } from './held-bytes';
import { HashValue, ZSetValue, type RedisValue } from './values';

/** The meta word's bits that say what a slot's string is (bits 0..26 are key-entry.ts's). */
const KIND_SHIFT = 27;
const KIND_MASK = 3 << KIND_SHIFT;
const KIND_STRING = 0;
const KIND_HASH = 1 << KIND_SHIFT;
const KIND_ZSET = 2 << KIND_SHIFT;
/** The slot's key may have a TTL (see the invariants above). */
const TIMED = 1 << 29;
/** The bits of a slot's meta that are the slot's own, not the key's meta word. */
const SLOT_BITS = KIND_MASK | TIMED;

/** What a bound view writes back through (ValueSlots). */
export interface SlotHome {
  rewrite(slot: number, seen: string, next: string | CollectionValue): void;
}

type SlotValue = string | HeldBytes | CollectionValue;

export class ValueSlots implements SlotHome {
  /** Slot -> value ('' when free), by page. */
  private values: SlotValue[][] = [];
  /** Slot -> the key's meta word and KIND bits, or for a free slot the next free one, by page. */
  private metas: Int32Array[] = [];
  /** Slots ever handed out (the next new one), while some is live. */
  private used = 0;
  private freeHead = -1;
  private live = 0;
  /** The last view made or bound (see header), or null. */
  private lastView: HashValue | ZSetValue | null = null;

  /** True when the dict keeps this value in a slot: a string, or a collection in its packed form. */
  static holds(value: RedisValue | HeldBytes): value is string | HeldBytes | HashValue | ZSetValue {
    return typeof value === 'string' || value instanceof HeldBytes || ((value instanceof HashValue || value instanceof ZSetValue) && value.packedForm() !== null);
  }

  /** A new slot holding this value (one `holds` accepts) and meta word; a collection is bound to it. */
  add(value: string | HeldBytes | HashValue | ZSetValue, meta: number): number {
    let slot = this.freeHead;
    if (slot >= 0) {
      this.freeHead = this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK]!;
    } else {
      slot = this.used++;
      if ((slot & PAGE_MASK) === 0) this.addPage();
    }
    this.live++;
    this.put(slot, value, meta);
    return slot;
  }

  /** A live slot's new value (one `holds` accepts) and meta word. */
  put(slot: number, value: string | HeldBytes | HashValue | ZSetValue, meta: number): void {
    const page = slot >> PAGE_BITS;
    const at = slot & PAGE_MASK;
    if (typeof value === 'string' || value instanceof HeldBytes) {
      this.values[page]![at] = value;
      this.metas[page]![at] = meta & ~SLOT_BITS;
      return;
    }
    this.values[page]![at] = value.packedForm()!;
    this.metas[page]![at] = (meta & ~SLOT_BITS) | (value instanceof HashValue ? KIND_HASH : KIND_ZSET);
    value.bindTo(this, slot);
    this.lastView = value;
  }

  /** Releases a live slot; once none is live the arrays are dropped. */
  free(slot: number): void {
    if (this.lastView !== null && this.lastView.slot === slot) this.lastView = null;
    if (--this.live === 0) {
      this.values = [];
      this.metas = [];
      this.used = 0;
      this.freeHead = -1;
      return;
    }
    this.values[slot >> PAGE_BITS]![slot & PAGE_MASK] = '';
    this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK] = this.freeHead;
    this.freeHead = slot;
  }

  /** The slot's value: a string, or a collection (a view of its packed form, or the object it became). */
  value(slot: number): RedisValue {
    const held = this.values[slot >> PAGE_BITS]![slot & PAGE_MASK]!;
    if (typeof held !== 'string') return held instanceof HeldBytes ? this.settle(slot, held) : held;
    const kind = this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK]! & KIND_MASK;
    if (kind === KIND_STRING) return held;
    const last = this.lastView;
    if (last !== null && last.slot === slot && last.home === this && last.packedForm() === held) return last;
    const view = kind === KIND_HASH ? HashValue.packedView(held) : ZSetValue.packedView(held);
    view.bindTo(this, slot);
    this.lastView = view;
    return view;
  }

  /** value(), except that a string held as bytes is given as those bytes. */
  held(slot: number): RedisValue | HeldBytes {
    const held = this.values[slot >> PAGE_BITS]![slot & PAGE_MASK]!;
    return held instanceof HeldBytes ? held : this.value(slot);
  }

  /** Held bytes read as a string: the string replaces them in the slot (one copy). */
  private settle(slot: number, held: HeldBytes): string {
    const value = held.toValue();
    this.values[slot >> PAGE_BITS]![slot & PAGE_MASK] = value;
    return value;
  }

  /** The key's meta word (without the slot's KIND and TIMED bits). */
  meta(slot: number): number {
    return this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK]! & ~SLOT_BITS;
  }

  setMeta(slot: number, meta: number): void {
    const metas = this.metas[slot >> PAGE_BITS]!;
    const at = slot & PAGE_MASK;
    metas[at] = (meta & ~SLOT_BITS) | (metas[at]! & SLOT_BITS);
  }

  /** The live slot's key may have a TTL from now on. */
  markTimed(slot: number): void {
    this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK]! |= TIMED;
  }

  /** False when the live slot's key has no TTL (TIMED clear): a read need not look in expires. */
  mayExpire(slot: number): boolean {
    return (this.metas[slot >> PAGE_BITS]![slot & PAGE_MASK]! & TIMED) !== 0;
  }

  /**
   * A bound view's change: its new packed string, or itself once in its
   * big form. `seen` is the string the view held until now.
   */
  rewrite(slot: number, seen: string, next: string | CollectionValue): void {
    const values = this.values[slot >> PAGE_BITS]!;
    const at = slot & PAGE_MASK;
    if (values[at] !== seen || (this.metas[slot >> PAGE_BITS]![at]! & KIND_MASK) === KIND_STRING) {
      throw new Error('internal: a collection was changed after its key was deleted or overwritten');
    }
    values[at] = next;
  }

  /** One more page of slots to hand out (values filled by push: a packed array, no holes to check on a read). */
  private addPage(): void {
    const values: SlotValue[] = [];
    for (let i = 0; i < PAGE_SLOTS; i++) values.push('');
    this.values.push(values);
    this.metas.push(new Int32Array(PAGE_SLOTS));
  }
}

const PAGE_BITS = 10;
/** Slots per page: 8 KB of values and 4 KB of meta words. */
const PAGE_SLOTS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SLOTS - 1;

/**
 * Where a dict keeps its string values and their keys' meta words: two
 * parallel arrays indexed by a slot number, which is what the dict's Map
 * holds for a string key (a small integer: V8 stores it in the Map's entry
 * itself, no object).
 *
 * A string is a primitive and has nowhere to keep its key's meta word (key-
 * entry.ts), so each string key used to own a KeyEntry, a 40-byte object
 * (24 bytes of header, two fields) for one word; a slot costs 12 bytes (an
 * array element and an int32) plus the arrays' spare capacity.
 *
 * Invariants:
 *  - A slot is live from `add` to `free`. A live slot holds the value and
 *    the meta word; a free slot holds '' (so the old string can be
 *    collected) and, in `metas`, the next free slot (-1 ends the chain).
 *  - Slots are reused most recently freed first; the arrays never shrink
 *    while a slot is live (a dict emptied by deletes resets them).
 */
export class StringSlots {
  /** Slot -> value ('' when free). A packed array: grown by push only. */
  private values: string[] = [];
  /** Slot -> the key's meta word, or for a free slot the next free one. */
  private metas: Int32Array = EMPTY;
  private freeHead = -1;
  private live = 0;

  /** A new slot holding this value and meta word. */
  add(value: string, meta: number): number {
    let slot = this.freeHead;
    if (slot >= 0) {
      this.freeHead = this.metas[slot]!;
      this.values[slot] = value;
    } else {
      slot = this.values.length;
      if (slot === this.metas.length) this.grow();
      this.values.push(value);
    }
    this.metas[slot] = meta;
    this.live++;
    return slot;
  }

  /** Releases a live slot; once none is live the arrays are dropped. */
  free(slot: number): void {
    if (--this.live === 0) {
      this.values = [];
      this.metas = EMPTY;
      this.freeHead = -1;
      return;
    }
    this.values[slot] = '';
    this.metas[slot] = this.freeHead;
    this.freeHead = slot;
  }

  value(slot: number): string {
    return this.values[slot]!;
  }

  setValue(slot: number, value: string): void {
    this.values[slot] = value;
  }

  meta(slot: number): number {
    return this.metas[slot]!;
  }

  setMeta(slot: number, meta: number): void {
    this.metas[slot] = meta;
  }

  /** Grows the meta array by half (as V8 grows the values array), at least 16 slots. */
  private grow(): void {
    const grown = new Int32Array(Math.max(16, this.metas.length + (this.metas.length >> 1)));
    grown.set(this.metas);
    this.metas = grown;
  }
}

const EMPTY = new Int32Array(0);

/**
 * A Redis hash in one of Redis 7.0's two encodings, which OBJECT ENCODING
 * reports:
 *
 *  - "listpack" while small: the fields and values packed into one string
 *    (packed-elements.ts), in insertion order, looked up by a linear walk,
 *    as Redis walks its listpack. A hash made by HSET stays this small.
 *  - "hashtable" once hash-max-listpack-entries or -value is crossed: a
 *    Map, insertion ordered too. 7.0 never converts back.
 *
 * Conversion happens where Redis converts (hashTypeTryConversion before a
 * write, hashTypeSet's entry count after it): the commands call
 * updateEncoding after every set, with the field and value just written.
 */
import type { SlotHome } from '../value-slots';
import { detached, elementCount, elementEquals, elementText, packElement, skipElement } from './packed-elements';
import { flattened } from '../../util/flat-string';

export type HashEncoding = 'listpack' | 'hashtable';

export class HashValue {
  /**
   * The listpack form (field, value, field, value... in one string) or the
   * hashtable form (a Map), in one field. Its field count is not kept: 8
   * bytes per hash key are worth more than an O(1) HLEN of at most
   * hash-max-listpack-entries fields.
   */
  private store: string | Map<string, string> = '';
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;
  /** While a dict's slot holds the packed form: that slot, which every change rewrites (keyspace/value-slots.ts). */
  home: SlotHome | null = null;
  slot = -1;
  /**
   * The field findPacked() found last and where, in the packed string the
   * store holds now (forgotten whenever the store changes). ValueSlots hands
   * consecutive commands on one small hash the same view while its slot
   * holds the same string, so repeated access to one field (a counter's
   * HINCRBY, HSET then HGET, every request of redis-benchmark's HSET) skips
   * the walk and the compare of the field's text: `field === lastField` is
   * a pointer compare for the decoder's reused argument strings, otherwise a
   * length test or a compare of two flat strings in V8's builtin.
   */
  private lastField: string | null = null;
  private lastFieldAt = -1;
  /**
   * A string known equal to lastField's value, or null: the value set() last
   * wrote or found already there. A client re-writing a field with the same
   * value (every request of redis-benchmark's HSET, whose value argument the
   * decoder hands out as the same string) is then told apart by a pointer
   * compare instead of a copy and compare of the packed value's text.
   */
  private lastValue: string | null = null;

  /** A hash around a dict slot's packed string (ValueSlots binds it). */
  static packedView(packed: string): HashValue {
    const hash = new HashValue();
    hash.store = packed;
    return hash;
  }

  /** The packed string while in listpack form, else null. */
  packedForm(): string | null {
    return typeof this.store === 'string' ? this.store : null;
  }

  bindTo(home: SlotHome, slot: number): void {
    this.home = home;
    this.slot = slot;
  }

  /** Replaces the store, and the bound slot's copy (a big form is then the slot's value itself, unbound). */
  private replaceStore(next: string | Map<string, string>): void {
    const home = this.home;
    if (home !== null) {
      home.rewrite(this.slot, this.store as string, typeof next === 'string' ? next : this);
      if (typeof next !== 'string') this.home = null;
    }
    this.store = next;
    this.lastField = null;
    this.lastValue = null;
  }

  /** A hash in the encoding its content calls for (the RDB loader's and the builders' way in). */
  static fromPairs(flat: ReadonlyArray<string>, hashtable: boolean): HashValue {
    const hash = new HashValue();
    if (hashtable) {
      const table = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) table.set(flat[i]!, flat[i + 1]!);
      hash.store = table;
      return hash;
    }
    hash.store = flattened(flat.map(packElement).join(''));
    return hash;
  }

  get encoding(): HashEncoding {
    return typeof this.store === 'string' ? 'listpack' : 'hashtable';
  }

  get size(): number {
    const packed = this.store;
    return typeof packed !== 'string' ? packed.size : elementCount(packed) >> 1;
  }

  /**
   * Where the field's element starts in the listpack form, or -1.
   * lastValue belongs to lastField: every assignment of lastField resets it
   * (here, on a field found by walking, it is the guard that matters; the
   * lastValue reset in replaceStore is defensive, lastField is null then).
   */
  private findPacked(packed: string, field: string): number {
    if (field === this.lastField) return this.lastFieldAt;
    for (let at = 0; at < packed.length; at = skipElement(packed, skipElement(packed, at))) {
      if (elementEquals(packed, at, field)) {
        this.lastField = field;
        this.lastFieldAt = at;
        this.lastValue = null;
        return at;
      }
    }
    return -1;
  }

  get(field: string): string | undefined {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.get(field);
    const at = this.findPacked(packed, field);
    return at < 0 ? undefined : elementText(packed, skipElement(packed, at));
  }

  has(field: string): boolean {
    const packed = this.store;
    return typeof packed !== 'string' ? packed.has(field) : this.findPacked(packed, field) >= 0;
  }

  /** Sets a field; true when it was new. The caller then calls updateEncoding (see header). */
  set(field: string, value: string): boolean {
    const packed = this.store;
    if (typeof packed !== 'string') {
      const table = packed;
      const sizeBefore = table.size;
      table.set(field, value);
      return table.size !== sizeBefore;
    }
    const at = this.findPacked(packed, field);
    if (at < 0) {
      this.replaceStore(flattened(packed + packElement(field) + packElement(value)));
      return true;
    }
    // The same value again (a client re-writing a field) leaves the string as it is.
    // findPacked found the field, so it is lastField now and lastValue is its value's or null.
    if (value === this.lastValue) return false;
    const valueAt = skipElement(packed, at);
    if (elementEquals(packed, valueAt, value)) {
      this.lastValue = value;
      return false;
    }
    this.replaceStore(flattened(packed.slice(0, valueAt) + packElement(value) + packed.slice(skipElement(packed, valueAt))));
    // Only the value after it changed: the field is where it was.
    this.lastField = field;
    this.lastFieldAt = at;
    this.lastValue = value;
    return false;
  }

  delete(field: string): boolean {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.delete(field);
    const at = this.findPacked(packed, field);
    if (at < 0) return false;
    this.replaceStore(flattened(packed.slice(0, at) + packed.slice(skipElement(packed, skipElement(packed, at)))));
    return true;
  }

  /** Converts to the hashtable form when a limit is crossed (hash-max-listpack-entries/value). */
  updateEncoding(maxEntries: number, maxValueLength: number, field?: string, value?: string): void {
    const packed = this.store;
    if (typeof packed !== 'string') return;
    if ((field !== undefined && field.length > maxValueLength) || (value !== undefined && value.length > maxValueLength)) {
      this.convertToHashtable();
      return;
    }
    // Every field and value takes at least its one-char length prefix, so
    // the count is walked only when the string is long enough to be over.
    if (packed.length >> 1 > maxEntries && this.size > maxEntries) this.convertToHashtable();
  }

  /** hashTypeConvert: the Map form, for good. */
  convertToHashtable(): void {
    if (typeof this.store !== 'string') return;
    const table = new Map<string, string>();
    for (const [field, value] of this.entries()) table.set(detached(field), detached(value));
    this.replaceStore(table);
  }

  /** [field, value] in reply order (insertion order in both forms). */
  *entries(): IterableIterator<[string, string]> {
    const packed = this.store;
    if (typeof packed !== 'string') {
      yield* packed;
      return;
    }
    for (let at = 0; at < packed.length;) {
      const valueAt = skipElement(packed, at);
      yield [elementText(packed, at), elementText(packed, valueAt)];
      at = skipElement(packed, valueAt);
    }
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** Fields in reply order, as an array (HKEYS, HSCAN of a listpack, HRANDFIELD). */
  fieldList(): string[] {
    const packed = this.store;
    if (typeof packed !== 'string') return [...packed.keys()];
    const out: string[] = [];
    for (let at = 0; at < packed.length; at = skipElement(packed, skipElement(packed, at))) out.push(elementText(packed, at));
    return out;
  }

  /** Values in reply order (HVALS). */
  valueList(): string[] {
    const packed = this.store;
    if (typeof packed !== 'string') return [...packed.values()];
    const out: string[] = [];
    if (packed.length === 0) return out;
    for (let at = skipElement(packed, 0); at < packed.length; at = skipElement(packed, skipElement(packed, at))) out.push(elementText(packed, at));
    return out;
  }

  /**
   * The hashtable form's Map, for cursors that walk it (HSCAN); null in
   * listpack form, which a scan returns whole.
   */
  hashtable(): ReadonlyMap<string, string> | null {
    return typeof this.store === 'string' ? null : this.store;
  }

  clone(): HashValue {
    const copy = new HashValue();
    copy.store = typeof this.store === 'string' ? this.store : new Map(this.store);
    return copy;
  }
}

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
import { detached, elementEquals, elementText, flattened, packElement, skipElement } from './packed-elements';

export type HashEncoding = 'listpack' | 'hashtable';

export class HashValue {
  /** The listpack form (field, value, field, value...), or null in hashtable form. */
  private packed: string | null = '';
  /** Fields in the listpack form. */
  private packedCount = 0;
  private table: Map<string, string> | null = null;
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;

  /** A hash in the encoding its content calls for (the RDB loader's and the builders' way in). */
  static fromPairs(flat: ReadonlyArray<string>, hashtable: boolean): HashValue {
    const hash = new HashValue();
    if (hashtable) {
      const table = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) table.set(flat[i]!, flat[i + 1]!);
      hash.packed = null;
      hash.table = table;
      return hash;
    }
    hash.packed = flattened(flat.map(packElement).join(''));
    hash.packedCount = flat.length >> 1;
    return hash;
  }

  get encoding(): HashEncoding {
    return this.packed === null ? 'hashtable' : 'listpack';
  }

  get size(): number {
    return this.table === null ? this.packedCount : this.table.size;
  }

  /** Where the field's element starts in the listpack form, or -1. */
  private findPacked(packed: string, field: string): number {
    for (let at = 0; at < packed.length; at = skipElement(packed, skipElement(packed, at))) {
      if (elementEquals(packed, at, field)) return at;
    }
    return -1;
  }

  get(field: string): string | undefined {
    const packed = this.packed;
    if (packed === null) return this.table!.get(field);
    const at = this.findPacked(packed, field);
    return at < 0 ? undefined : elementText(packed, skipElement(packed, at));
  }

  has(field: string): boolean {
    const packed = this.packed;
    return packed === null ? this.table!.has(field) : this.findPacked(packed, field) >= 0;
  }

  /** Sets a field; true when it was new. The caller then calls updateEncoding (see header). */
  set(field: string, value: string): boolean {
    const packed = this.packed;
    if (packed === null) {
      const table = this.table!;
      const sizeBefore = table.size;
      table.set(field, value);
      return table.size !== sizeBefore;
    }
    const at = this.findPacked(packed, field);
    if (at < 0) {
      this.packed = flattened(packed + packElement(field) + packElement(value));
      this.packedCount++;
      return true;
    }
    const valueAt = skipElement(packed, at);
    // The same value again (a client re-writing a field) leaves the string as it is.
    if (elementEquals(packed, valueAt, value)) return false;
    this.packed = flattened(packed.slice(0, valueAt) + packElement(value) + packed.slice(skipElement(packed, valueAt)));
    return false;
  }

  delete(field: string): boolean {
    const packed = this.packed;
    if (packed === null) return this.table!.delete(field);
    const at = this.findPacked(packed, field);
    if (at < 0) return false;
    this.packed = flattened(packed.slice(0, at) + packed.slice(skipElement(packed, skipElement(packed, at))));
    this.packedCount--;
    return true;
  }

  /** Converts to the hashtable form when a limit is crossed (hash-max-listpack-entries/value). */
  updateEncoding(maxEntries: number, maxValueLength: number, field?: string, value?: string): void {
    if (this.packed === null) return;
    if (this.packedCount > maxEntries || (field !== undefined && field.length > maxValueLength) || (value !== undefined && value.length > maxValueLength)) {
      this.convertToHashtable();
    }
  }

  /** hashTypeConvert: the Map form, for good. */
  convertToHashtable(): void {
    if (this.packed === null) return;
    const table = new Map<string, string>();
    for (const [field, value] of this.entries()) table.set(detached(field), detached(value));
    this.table = table;
    this.packed = null;
    this.packedCount = 0;
  }

  /** [field, value] in reply order (insertion order in both forms). */
  *entries(): IterableIterator<[string, string]> {
    const packed = this.packed;
    if (packed === null) {
      yield* this.table!;
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
    const packed = this.packed;
    if (packed === null) return [...this.table!.keys()];
    const out: string[] = [];
    for (let at = 0; at < packed.length; at = skipElement(packed, skipElement(packed, at))) out.push(elementText(packed, at));
    return out;
  }

  /** Values in reply order (HVALS). */
  valueList(): string[] {
    const packed = this.packed;
    if (packed === null) return [...this.table!.values()];
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
    return this.table;
  }

  clone(): HashValue {
    const copy = new HashValue();
    copy.packed = this.packed;
    copy.packedCount = this.packedCount;
    copy.table = this.table === null ? null : new Map(this.table);
    return copy;
  }
}

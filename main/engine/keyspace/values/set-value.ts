/**
 * A Redis set of latin1 strings. `encoding` is what Redis 7.0 would report:
 * "intset" while every member is a canonical int64 and the set has at most
 * set-max-intset-entries members, then "hashtable" for good. An intset
 * replies in ascending numeric order, so readers that enumerate members must
 * use `members()`, which sorts in that case.
 */
import { isCanonicalInt64 } from '../../util/integers';

export type SetEncoding = 'intset' | 'hashtable';

export class SetValue {
  readonly items = new Set<string>();
  encoding: SetEncoding = 'intset';
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;

  get size(): number {
    return this.items.size;
  }

  has(member: string): boolean {
    return this.items.has(member);
  }

  /** Adds a member; returns true if it was new. Promotes the encoding as Redis does. */
  add(member: string, maxIntsetEntries: number): boolean {
    if (this.items.has(member)) return false;
    this.items.add(member);
    if (this.encoding === 'intset' && (!isCanonicalInt64(member) || this.items.size > maxIntsetEntries)) {
      this.encoding = 'hashtable';
    }
    return true;
  }

  delete(member: string): boolean {
    return this.items.delete(member);
  }

  /** Members in the order Redis would reply them for this encoding. */
  members(): string[] {
    const list = [...this.items];
    if (this.encoding === 'intset') list.sort(compareIntegerStrings);
    return list;
  }

  clone(): SetValue {
    const copy = new SetValue();
    for (const member of this.items) copy.items.add(member);
    copy.encoding = this.encoding;
    return copy;
  }
}

export function compareIntegerStrings(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

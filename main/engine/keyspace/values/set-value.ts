/**
 * A Redis set of latin1 strings. `encoding` is what Redis 7.0 would report:
 * "intset" while every member is a canonical int64 and the set has at most
 * set-max-intset-entries members, then "hashtable" for good. An intset
 * replies in ascending numeric order, so readers that enumerate members must
 * use `members()`, which sorts in that case.
 *
 * `intsetWidth` is the bytes per member of Redis's intset (2, 4 or 8): it
 * grows to the widest member ever added (intsetUpgradeAndAdd) and never
 * shrinks when members leave (intsetRemove keeps the encoding), so
 * MEMORY USAGE and the RDB intset blob count the width Redis has.
 */
import { isCanonicalInt64 } from '../../util/integers';

export type SetEncoding = 'intset' | 'hashtable';

export class SetValue {
  readonly items = new Set<string>();
  encoding: SetEncoding = 'intset';
  intsetWidth = 2;
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
    if (this.encoding === 'intset') {
      if (!isCanonicalInt64(member) || this.items.size > maxIntsetEntries) this.encoding = 'hashtable';
      else this.widenIntset(member);
    }
    return true;
  }

  /** Widens the intset for a canonical int64 member, as intsetAdd upgrades it. */
  widenIntset(member: string): void {
    const width = intsetWidthOf(member);
    if (width > this.intsetWidth) this.intsetWidth = width;
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
    copy.intsetWidth = this.intsetWidth;
    return copy;
  }
}

/** The intset width a canonical int64 needs: int16, int32 or int64 (intset.c _intsetValueEncoding). */
export function intsetWidthOf(member: string): number {
  // Up to 4 characters ("-999".."9999") always fits int16; up to 15 digits is exact as a Number.
  if (member.length <= 4) return 2;
  const value = member.length <= 15 ? Number(member) : BigInt(member);
  if (value < -2147483648 || value > 2147483647) return 8;
  return value < -32768 || value > 32767 ? 4 : 2;
}

export function compareIntegerStrings(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

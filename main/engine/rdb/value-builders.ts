/**
 * Turns loaded elements into our value types, with the encoding Redis 7.0
 * would end up with after loading (rdbLoadObject's conversions), and the
 * corruption checks it makes (duplicate members or fields, NaN scores).
 */
import { HashValue, ListValue, SetValue, ZSetValue } from '../keyspace/values';
import { isCanonicalInt64 } from '../util/integers';
import { RdbFormatError } from './format-error';

export interface EncodingLimits {
  readonly hashMaxListpackEntries: number;
  readonly hashMaxListpackValue: number;
  readonly zsetMaxListpackEntries: number;
  readonly zsetMaxListpackValue: number;
  readonly setMaxIntsetEntries: number;
}

export const DEFAULT_LIMITS: EncodingLimits = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
};

export class HashBuilder {
  /** field, value, field, value... as loaded; `seen` checks duplicates. */
  private readonly flat: string[] = [];
  private readonly seen = new Set<string>();
  private longest = 0;

  get size(): number {
    return this.flat.length >> 1;
  }

  add(field: string, fieldValue: string, offset: number): void {
    const sizeBefore = this.seen.size;
    this.seen.add(field);
    if (this.seen.size === sizeBefore) throw new RdbFormatError('Duplicate hash fields detected', offset);
    this.flat.push(field, fieldValue);
    if (field.length > this.longest) this.longest = field.length;
    if (fieldValue.length > this.longest) this.longest = fieldValue.length;
  }

  finish(limits: EncodingLimits): HashValue {
    const big = this.size > limits.hashMaxListpackEntries || this.longest > limits.hashMaxListpackValue;
    return HashValue.fromPairs(this.flat, big);
  }
}

export class ZSetBuilder {
  /** [member, score] as loaded; `seen` checks duplicates. */
  private readonly entries: Array<[string, number]> = [];
  private readonly seen = new Set<string>();
  private longest = 0;

  get size(): number {
    return this.entries.length;
  }

  add(member: string, score: number, offset: number): void {
    if (Number.isNaN(score)) throw new RdbFormatError('Zset with NAN score detected', offset);
    const sizeBefore = this.seen.size;
    this.seen.add(member);
    if (this.seen.size === sizeBefore) throw new RdbFormatError('Duplicate zset fields detected', offset);
    this.entries.push([member, score]);
    if (member.length > this.longest) this.longest = member.length;
  }

  finish(limits: EncodingLimits): ZSetValue {
    const big = this.size > limits.zsetMaxListpackEntries || this.longest > limits.zsetMaxListpackValue;
    return ZSetValue.fromEntries(this.entries, big);
  }
}

export class SetBuilder {
  readonly value = new SetValue();
  private allIntegers = true;

  add(member: string, offset: number): void {
    if (this.value.items.has(member)) throw new RdbFormatError('Duplicate set members detected', offset);
    this.value.items.add(member);
    if (this.allIntegers && !isCanonicalInt64(member)) this.allIntegers = false;
  }

  /** `intsetWidth`: a loaded intset blob's own width, which Redis keeps as it is. */
  finish(limits: EncodingLimits, intsetWidth = 2): SetValue {
    this.value.encoding = this.allIntegers && this.value.size <= limits.setMaxIntsetEntries ? 'intset' : 'hashtable';
    if (this.value.encoding === 'intset') {
      this.value.intsetWidth = intsetWidth;
      for (const member of this.value.items) this.value.widenIntset(member);
    }
    return this.value;
  }
}

export class ListBuilder {
  readonly value = new ListValue();

  add(element: string): void {
    this.value.pushTail(element);
  }

  finish(): ListValue {
    return this.value;
  }
}

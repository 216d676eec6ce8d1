import { describe, expect, it } from 'vitest';
import { Dict } from './dict';
import { ValueSlots } from './value-slots';
import { HeldBytes } from './held-bytes';
import { AccessPolicy } from './key-entry';
import { HashValue, ListValue, ZSetValue } from './values';
import type { ExpiryGate } from './dict';

/** Bytes standing for a string, counting how often they were turned into one. */
class CountedBytes extends HeldBytes {
  copies = 0;
  constructor(public text: string) {
    super();
  }
  toValue(): string {
    this.copies++;
    return this.text;
  }
}

describe('ValueSlots', () => {
  it('keeps each slot its value and meta word, and reuses freed slots most recent first', () => {
    const slots = new ValueSlots();
    const a = slots.add('alpha', 7);
    const b = slots.add('beta', 1 << 26);
    const c = slots.add('gamma', 0);
    expect([slots.value(a), slots.value(b), slots.value(c)]).toEqual(['alpha', 'beta', 'gamma']);
    expect([slots.meta(a), slots.meta(b), slots.meta(c)]).toEqual([7, 1 << 26, 0]);
    slots.free(a);
    slots.free(c);
    expect(slots.add('delta', 3)).toBe(c);
    expect(slots.add('epsilon', 4)).toBe(a);
    expect(slots.add('zeta', 5)).toBe(3);
    expect([slots.value(b), slots.meta(b)]).toEqual(['beta', 1 << 26]);
  });

  it('grows past its first pages and starts over once every slot is free', () => {
    const slots = new ValueSlots();
    const made = Array.from({ length: 3000 }, (_, i) => slots.add(`v${i}`, i));
    expect(made).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    for (let i = 0; i < 3000; i += 97) expect([slots.value(i), slots.meta(i)]).toEqual([`v${i}`, i]);
    for (const slot of made) slots.free(slot);
    expect(slots.add('again', 9)).toBe(0);
  });
});

describe('Dict string slots', () => {
  it('moves a key between a string and a collection without losing the other keys', () => {
    const dict = new Dict();
    dict.set('s1', 'one', 11);
    dict.set('s2', 'two', 12);
    const hash = HashValue.fromPairs(['f', 'v'], false);
    expect(dict.set('s1', hash, 21)).toBe(false);
    expect(dict.get('s1')).toBe(hash);
    expect(dict.metaOf('s1')).toBe(21);
    expect(dict.set('s3', 'three', 13)).toBe(true);
    expect(dict.set('s1', 'back', 31)).toBe(false);
    expect([dict.get('s1'), dict.get('s2'), dict.get('s3')]).toEqual(['back', 'two', 'three']);
    expect([dict.metaOf('s1'), dict.metaOf('s2'), dict.metaOf('s3')]).toEqual([31, 12, 13]);
    expect(dict.delete('s2')).toBe(true);
    expect(dict.get('s2')).toBeUndefined();
    expect([...dict.entries()]).toEqual([
      ['s1', 'back'],
      ['s3', 'three'],
    ]);
    const held = dict.entry('s3')!;
    dict.setHolderMeta(held, 99);
    expect(dict.metaOf('s3')).toBe(99);
    expect(dict.valueOf(held)).toBe('three');
  });
});

describe('Dict packed collections in slots', () => {
  it('writes a view\'s changes back to its slot, and keeps the object once it outgrows the packed form', () => {
    const dict = new Dict();
    const made = new HashValue();
    dict.set('h', made, 5);
    made.set('f1', 'v1');
    const view = dict.entry('h')!;
    expect(typeof view).toBe('number');
    const first = dict.get('h') as HashValue;
    expect(first.get('f1')).toBe('v1');
    first.set('f2', 'v2');
    expect([...(dict.get('h') as HashValue).entries()]).toEqual([
      ['f1', 'v1'],
      ['f2', 'v2'],
    ]);
    // Another key's view in between: each view still writes to its own slot.
    dict.set('z', ZSetValue.fromEntries([['m', 1]], false), 6);
    const zset = dict.get('z') as ZSetValue;
    first.delete('f1');
    zset.set('n', 2);
    expect((dict.get('h') as HashValue).fieldList()).toEqual(['f2']);
    expect([...(dict.get('z') as ZSetValue).entries()]).toEqual([
      ['m', 1],
      ['n', 2],
    ]);
    first.convertToHashtable();
    const big = dict.get('h') as HashValue;
    expect(big).toBe(first);
    expect(big.encoding).toBe('hashtable');
    big.set('f3', 'v3');
    expect((dict.get('h') as HashValue).size).toBe(2);
    expect([dict.metaOf('h'), dict.metaOf('z')]).toEqual([5, 6]);
  });

  it('refuses a change through a view kept after its key was deleted, whatever reused the slot', () => {
    const dict = new Dict();
    dict.set('a', HashValue.fromPairs(['f', 'v'], false), 0);
    const stale = dict.get('a') as HashValue;
    dict.delete('a');
    dict.set('b', HashValue.fromPairs(['g', 'w'], false), 0);
    expect(() => stale.set('x', 'y')).toThrow(/internal/);
    expect((dict.get('b') as HashValue).fieldList()).toEqual(['g']);
  });

  it('hands held bytes only to a held read; any other read turns them into the string the slot keeps', () => {
    const dict = new Dict();
    const access = new AccessPolicy();
    dict.set('other', 'plain', 1);
    const bytes = new CountedBytes('first');
    dict.set('h', 'old', 2);
    expect(dict.set('h', bytes, 3)).toBe(false);
    expect(dict.read('h', access, null, true)).toBe(bytes);
    expect(dict.heldValueOf(dict.entry('h')!)).toBe(bytes);
    bytes.text = 'edited in place';
    expect(bytes.copies).toBe(0);
    expect(dict.get('h')).toBe('edited in place');
    expect(bytes.copies).toBe(1);
    // The slot holds the string now: held reads get it, and the bytes are not asked again.
    expect(dict.read('h', access, null, true)).toBe('edited in place');
    expect(dict.read('h', access, null)).toBe('edited in place');
    expect(bytes.copies).toBe(1);
    // Every walk reads strings.
    const again = new CountedBytes('second');
    dict.set('h', again, 4);
    expect([...dict.entries()]).toEqual([
      ['other', 'plain'],
      ['h', 'second'],
    ]);
    const walk = dict.walkForSave(false);
    walk.next();
    dict.set('h', new CountedBytes('third'), 5);
    expect(walk.next()).toEqual(['h', 'third']);
    expect(dict.get('other')).toBe('plain');
  });

  it('looks a read key up in expires only when its slot may have a TTL (TIMED), and keeps TIMED over overwrites', () => {
    const dict = new Dict();
    const access = new AccessPolicy();
    // Every key the gate is asked about reads as expired, so a read that skipped the gate shows the value.
    const asked: string[] = [];
    const gate: ExpiryGate = { expired: (key) => (asked.push(key), true) };
    dict.set('plain', 'v', 0);
    expect(dict.read('plain', access, gate)).toBe('v');
    expect(asked).toEqual([]);
    dict.set('timed', 'v', 0);
    dict.noteTimed('timed');
    expect(dict.read('timed', access, gate)).toBeUndefined();
    // SET KEEPTTL and in-place edits overwrite the slot: the key stays TIMED, through its access updates and meta words.
    dict.set('timed', 'w', 5);
    dict.setHolderMeta(dict.entry('timed')!, 9);
    expect(dict.metaOf('timed')).toBe(9);
    expect(dict.read('timed', access, gate)).toBeUndefined();
    dict.set('timed', 'x', 6);
    expect(dict.read('timed', access, gate)).toBeUndefined();
    expect(asked).toEqual(['timed', 'timed', 'timed']);
    // A collection held as itself is always asked about, and a string that replaces it (SET KEEPTTL) is TIMED.
    const list = new ListValue();
    list.pushTail('a');
    dict.set('list', list, 0);
    expect(dict.read('list', access, gate)).toBeUndefined();
    dict.set('list', 'now a string', 0);
    expect(dict.read('list', access, gate)).toBeUndefined();
    expect(asked.slice(3)).toEqual(['list', 'list']);
    // A freed TIMED slot given to a new key carries nothing over.
    dict.delete('timed');
    dict.set('fresh', 'v', 0);
    expect(dict.read('fresh', access, gate)).toBe('v');
    expect(asked).toHaveLength(5);
  });
});

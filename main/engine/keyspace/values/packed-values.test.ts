/**
 * The packed (listpack) forms of hashes and sorted sets against plain
 * models: random sets, updates and deletes of binary fields and members
 * (every byte value, empty, and longer than 254 bytes so the long length
 * prefix is used), then every read agrees with the model in both forms,
 * before and after converting to the big form; and the conversions happen
 * exactly at the limits given.
 */
import { describe, expect, it } from 'vitest';
import { HashValue } from './hash-value';
import { compareEntries, ZSetValue } from './zset-value';

/** A deterministic generator (xorshift32) so a failure replays. */
function generator(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomText(random: () => number): string {
  const roll = random();
  const length = roll < 0.05 ? 0 : roll < 0.1 ? 255 + Math.floor(random() * 300) : Math.floor(random() * 12);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 256));
  return text;
}

describe('packed hash', () => {
  it('reads as a Map of the same writes, in insertion order, in both encodings', () => {
    const random = generator(7);
    for (let round = 0; round < 40; round++) {
      const hash = new HashValue();
      const model = new Map<string, string>();
      const names = Array.from({ length: 12 }, () => randomText(random));
      for (let step = 0; step < 60; step++) {
        const field = names[Math.floor(random() * names.length)]!;
        if (random() < 0.3) {
          expect(hash.delete(field)).toBe(model.delete(field));
        } else {
          const value = randomText(random);
          expect(hash.set(field, value)).toBe(!model.has(field));
          model.set(field, value);
        }
        if (round % 2 === 1 && step === 30) hash.convertToHashtable();
        expect(hash.size).toBe(model.size);
      }
      expect(hash.encoding).toBe(round % 2 === 1 ? 'hashtable' : 'listpack');
      expect([...hash.entries()]).toEqual([...model.entries()]);
      expect(hash.fieldList()).toEqual([...model.keys()]);
      expect(hash.valueList()).toEqual([...model.values()]);
      for (const name of names) {
        expect(hash.get(name)).toBe(model.get(name));
        expect(hash.has(name)).toBe(model.has(name));
      }
      const copy = hash.clone();
      copy.set('only in the copy', 'x');
      expect(hash.has('only in the copy')).toBe(false);
    }
  });

  it('tells apart fields and members that differ in one byte only, short and long (from 13 chars an element is compared as a view)', () => {
    for (const length of [1, 2, 12, 13, 14, 20, 64, 254, 255, 300]) {
      const base = 'f'.repeat(length - 1) + 'z';
      // Same length and same last byte as base, differing at one position each.
      const near = Array.from({ length: Math.min(length - 1, 6) }, (_, i) => {
        const at = Math.floor((i * (length - 1)) / 6);
        return base.slice(0, at) + 'g' + base.slice(at + 1);
      });
      const hash = new HashValue();
      const zset = new ZSetValue();
      near.forEach((field, i) => {
        hash.set(field, `v${i}`);
        zset.set(field, i);
      });
      expect(hash.get(base)).toBeUndefined();
      expect(zset.score(base)).toBeUndefined();
      expect(zset.rank(base)).toBeUndefined();
      expect(hash.set(base, 'base')).toBe(true);
      expect(zset.set(base, -1)).toBe('added');
      expect(hash.get(base)).toBe('base');
      expect(zset.rank(base)).toBe(0);
      near.forEach((field, i) => {
        expect(hash.get(field)).toBe(`v${i}`);
        expect(zset.score(field)).toBe(i);
      });
      expect(hash.size).toBe(near.length + 1);
      expect(zset.size).toBe(near.length + 1);
    }
  });

  it('finds a field read just before again after a change elsewhere moved it (each view remembers its last find)', () => {
    const hash = new HashValue();
    const zset = new ZSetValue();
    for (const name of ['a', 'b', 'c']) {
      hash.set(name, name);
      zset.set(name, name.charCodeAt(0));
    }
    expect(hash.get('c')).toBe('c');
    expect(zset.score('c')).toBe(99);
    // Longer, then shorter, values and a member moved before and after it: 'c' moves each time.
    hash.set('a', 'a much longer value');
    expect(hash.get('c')).toBe('c');
    hash.delete('b');
    expect(hash.get('c')).toBe('c');
    hash.set('a', '');
    expect(hash.get('a')).toBe('');
    expect(hash.get('c')).toBe('c');
    expect([...hash.entries()]).toEqual([['a', ''], ['c', 'c']]);
    zset.set('a', 1000);
    expect(zset.score('c')).toBe(99);
    zset.delete('b');
    expect(zset.score('c')).toBe(99);
    expect(zset.score('a')).toBe(1000);
    zset.set('a', 0);
    expect(zset.score('c')).toBe(99);
    expect(zset.rank('c')).toBe(1);
    expect(hash.delete('c')).toBe(true);
    expect(hash.get('c')).toBeUndefined();
    expect(zset.delete('c')).toBe(true);
    expect(zset.score('c')).toBeUndefined();
  });

  it('re-writing a field with the value it holds, or reading a member score again, follows every change (each view remembers its last value and score)', () => {
    const hash = new HashValue();
    const value = 'xxx';
    expect(hash.set('f', value)).toBe(true);
    expect(hash.set('f', value)).toBe(false);
    // The same string again, then an equal one made apart, then a different one.
    expect(hash.set('f', value)).toBe(false);
    expect(hash.set('f', ['x', 'x', 'x'].join(''))).toBe(false);
    expect(hash.get('f')).toBe('xxx');
    hash.set('f', 'yyy');
    expect(hash.get('f')).toBe('yyy');
    hash.set('f', value);
    expect(hash.get('f')).toBe('xxx');
    // A change to another field moves 'f': the remembered value must not outlive it.
    hash.set('g', 'g');
    hash.delete('g');
    hash.set('e', 'e');
    expect(hash.set('f', value)).toBe(false);
    expect(hash.set('f', 'zzz')).toBe(false);
    expect([...hash.entries()]).toEqual([['f', 'zzz'], ['e', 'e']]);
    hash.convertToHashtable();
    expect(hash.set('f', value)).toBe(false);
    expect(hash.get('f')).toBe('xxx');

    const zset = new ZSetValue();
    zset.set('m', 1);
    expect(zset.score('m')).toBe(1);
    expect(zset.score('m')).toBe(1);
    zset.set('m', 2);
    expect(zset.score('m')).toBe(2);
    zset.set('a', 0);
    expect(zset.score('m')).toBe(2);
    zset.changeScore('m', 2, -5);
    expect(zset.score('m')).toBe(-5);
    expect(zset.score('a')).toBe(0);
    expect(zset.score('m')).toBe(-5);
    zset.delete('m');
    expect(zset.score('m')).toBeUndefined();
  });

  it('a field or member found by walking does not inherit the value or score known for the one found before it', () => {
    const hash = new HashValue();
    hash.set('f', 'F');
    hash.set('g', 'G');
    // 'f' found by walking, its value 'F' then known.
    expect(hash.set('f', 'F')).toBe(false);
    // 'g' found by walking, the store unchanged: 'F' is not g's value.
    expect(hash.has('g')).toBe(true);
    expect(hash.set('g', 'F')).toBe(false);
    expect(hash.get('g')).toBe('F');
    expect([...hash.entries()]).toEqual([['f', 'F'], ['g', 'F']]);

    const zset = new ZSetValue();
    zset.set('m', 1);
    zset.set('a', 5);
    // m's score 1 then known; 'a' found by walking, the store unchanged: 1 is not a's score.
    expect(zset.score('m')).toBe(1);
    expect(zset.set('a', 5)).toBe('unchanged');
    expect(zset.score('a')).toBe(5);
    expect(zset.score('m')).toBe(1);
  });
  it('converts to hashtable past the entry count or the value length, not before', () => {
    const hash = new HashValue();
    for (let i = 0; i < 4; i++) {
      hash.set(`f${i}`, 'v');
      hash.updateEncoding(4, 8, `f${i}`, 'v');
    }
    expect(hash.encoding).toBe('listpack');
    hash.set('f4', 'v');
    hash.updateEncoding(4, 8, 'f4', 'v');
    expect(hash.encoding).toBe('hashtable');
    expect(hash.get('f2')).toBe('v');

    const long = new HashValue();
    long.set('f', '12345678');
    long.updateEncoding(4, 8, 'f', '12345678');
    expect(long.encoding).toBe('listpack');
    long.set('f', '123456789');
    long.updateEncoding(4, 8, 'f', '123456789');
    expect(long.encoding).toBe('hashtable');
    expect(long.hashtable()?.get('f')).toBe('123456789');
  });
});

describe('packed sorted set', () => {
  it('reads as a sorted model of the same writes, with ranks and ranges, in both encodings', () => {
    const random = generator(11);
    const scores = [0, 1, -1, 1.5, -2.25, 1e300, -Infinity, Infinity, 3];
    for (let round = 0; round < 40; round++) {
      const zset = new ZSetValue();
      const model = new Map<string, number>();
      const names = Array.from({ length: 14 }, () => randomText(random));
      for (let step = 0; step < 70; step++) {
        const member = names[Math.floor(random() * names.length)]!;
        if (random() < 0.25) {
          expect(zset.delete(member)).toBe(model.delete(member));
        } else {
          const score = scores[Math.floor(random() * scores.length)]!;
          const expected = !model.has(member) ? 'added' : model.get(member) === score ? 'unchanged' : 'updated';
          expect(zset.set(member, score)).toBe(expected);
          model.set(member, score);
        }
        if (round % 2 === 1 && step === 35) zset.convertToSkiplist();
        expect(zset.size).toBe(model.size);
      }
      expect(zset.encoding).toBe(round % 2 === 1 ? 'skiplist' : 'listpack');
      const sorted = [...model.entries()].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
      expect([...zset.entries()]).toEqual(sorted);
      sorted.forEach(([member, score], rank) => {
        expect(zset.score(member)).toBe(score);
        expect(zset.rank(member)).toBe(rank);
        expect(zset.nodeAtRank(rank)?.member).toBe(member);
      });
      for (const [start, end] of [[0, sorted.length - 1], [1, 3], [2, 2]] as const) {
        if (end >= sorted.length || start > end) continue;
        expect(zset.rangeByRank(start, end, false)).toEqual(sorted.slice(start, end + 1));
        expect(zset.rangeByRank(start, end, true)).toEqual([...sorted].reverse().slice(start, end + 1));
      }
      expect(zset.first()?.member).toBe(sorted[0]?.[0]);
      expect(zset.last()?.member).toBe(sorted.at(-1)?.[0]);
      // Walking the nodes both ways gives the order back.
      const forward: string[] = [];
      for (let node = zset.first(); node; node = node.next) forward.push(node.member);
      const backward: string[] = [];
      for (let node = zset.last(); node; node = node.backward) backward.push(node.member);
      expect(forward).toEqual(sorted.map(([member]) => member));
      expect(backward.reverse()).toEqual(forward);
      for (const bound of [-1, 1, 1.5]) {
        expect(zset.firstInScoreRange(bound, false)?.member).toBe(sorted.find(([, s]) => s >= bound)?.[0]);
        expect(zset.firstInScoreRange(bound, true)?.member).toBe(sorted.find(([, s]) => s > bound)?.[0]);
        expect(zset.lastInScoreRange(bound, false)?.member).toBe(sorted.findLast(([, s]) => s <= bound)?.[0]);
        expect(zset.lastInScoreRange(bound, true)?.member).toBe(sorted.findLast(([, s]) => s < bound)?.[0]);
      }
      expect(zset.score('not a member \u00ff')).toBeUndefined();
    }
  });

  it('keeps equal scores in member byte order and converts past the limits, not before', () => {
    const zset = new ZSetValue();
    for (const member of ['b', 'a', '\u00ff', 'c']) {
      zset.set(member, 5);
      zset.updateEncoding(4, 3, member);
    }
    expect([...zset.entries()].map(([member]) => member)).toEqual(['a', 'b', 'c', '\u00ff']);
    expect(zset.firstInLexRange('b', true)?.member).toBe('c');
    expect(zset.lastInLexRange('c', false)?.member).toBe('c');
    expect(zset.encoding).toBe('listpack');
    zset.set('d', 1);
    zset.updateEncoding(4, 3, 'd');
    expect(zset.encoding).toBe('skiplist');
    expect(zset.rank('d')).toBe(0);

    const long = new ZSetValue();
    long.set('abc', 1);
    long.updateEncoding(4, 3, 'abc');
    expect(long.encoding).toBe('listpack');
    long.set('abcd', 1);
    long.updateEncoding(4, 3, 'abcd');
    expect(long.encoding).toBe('skiplist');
    expect(long.scoreMap()?.get('abcd')).toBe(1);
  });

  it('builds either form from entries in any order', () => {
    const entries: Array<[string, number]> = [['z', 1], ['a', 2], ['m', 1]];
    for (const skiplist of [false, true]) {
      const zset = ZSetValue.fromEntries(entries, skiplist);
      expect(zset.encoding).toBe(skiplist ? 'skiplist' : 'listpack');
      expect([...zset.entries()]).toEqual([['m', 1], ['z', 1], ['a', 2]]);
    }
  });
});

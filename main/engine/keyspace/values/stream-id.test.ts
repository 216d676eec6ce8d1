/**
 * Stream IDs: parsing as string2ull does, the number/bigint halves and
 * their arithmetic at the 64-bit edges, and the IdTree's ordered-map
 * operations against a sorted reference over random operations.
 */
import { describe, expect, it } from 'vitest';
import { addDelta, compareIds, deltaOf, encodeId, formatId, MAX_ID, nextId, previousId, readIdBE, U64_MAX, type StreamId } from './stream-id';
import { parseStreamId, parseUll } from './stream-id-parse';
import { IdTree } from './stream-id-tree';

const MAX = '18446744073709551615';

describe('parseUll (string2ull)', () => {
  it.each([
    ['0', 0], ['42', 42], ['9007199254740991', 9007199254740991], ['9007199254740992', 9007199254740992n], [MAX, U64_MAX],
    ['007', 7], ['+5', 5], [' 12', 12], ['\t3', 3], ['-0', 0], [`-${MAX}`, 1], ['-18446744073709551614', 2],
  ] as const)('%j -> %s', (text, expected) => {
    expect(parseUll(text)).toBe(expected);
  });

  it.each(['', ' ', '-1', '-', '+', '12 ', '0x10', '1.5', '18446744073709551616', '-18446744073709551616', 'abc'])('%j is invalid', (text) => {
    expect(parseUll(text)).toBeNull();
  });
});

describe('parseStreamId', () => {
  const loose = { missingSeq: 0, strict: false };
  it('reads the forms Redis reads', () => {
    expect(parseStreamId('5-3', loose)?.id).toEqual({ ms: 5, seq: 3 });
    expect(parseStreamId('5', { missingSeq: U64_MAX, strict: false })?.id).toEqual({ ms: 5, seq: U64_MAX });
    expect(parseStreamId('-', loose)?.id).toEqual({ ms: 0, seq: 0 });
    expect(parseStreamId('+', loose)?.id).toEqual(MAX_ID);
    expect(parseStreamId('-', { missingSeq: 0, strict: true })).toBeNull();
    expect(parseStreamId('5-*', loose)).toBeNull();
    expect(parseStreamId('5-*', { missingSeq: 0, strict: true, allowSeqStar: true })).toEqual({ id: { ms: 5, seq: 0 }, seqGiven: false });
    // Split at the first '-'; a NUL ends the C string; over 127 bytes is invalid.
    expect(parseStreamId('5--0', loose)?.id).toEqual({ ms: 5, seq: 0 });
    expect(parseStreamId('-5-1', loose)).toBeNull();
    expect(parseStreamId('7\u0000junk', loose)?.id).toEqual({ ms: 7, seq: 0 });
    expect(parseStreamId(`${'0'.repeat(127)}`, loose)?.id).toEqual({ ms: 0, seq: 0 });
    expect(parseStreamId(`${'0'.repeat(128)}`, loose)).toBeNull();
  });
});

describe('ID arithmetic', () => {
  it('increments and decrements across the 2^53 and 2^64 edges', () => {
    expect(nextId({ ms: 1, seq: 9007199254740991 }).id).toEqual({ ms: 1, seq: 9007199254740992n });
    expect(nextId({ ms: 1, seq: U64_MAX }).id).toEqual({ ms: 2, seq: 0 });
    expect(nextId(MAX_ID)).toEqual({ id: { ms: 0, seq: 0 }, overflow: true });
    expect(previousId({ ms: 2, seq: 0 }).id).toEqual({ ms: 1, seq: U64_MAX });
    expect(previousId({ ms: 0, seq: 0 })).toEqual({ id: MAX_ID, overflow: true });
    expect(previousId({ ms: 1, seq: 9007199254740992n }).id).toEqual({ ms: 1, seq: 9007199254740991 });
  });

  it('listpack deltas wrap modulo 2^64 as int64, and add back exactly', () => {
    const cases: Array<[StreamId, StreamId]> = [
      [{ ms: 5, seq: 10 }, { ms: 6, seq: 0 }],
      [{ ms: 0, seq: 1 }, { ms: U64_MAX, seq: U64_MAX }],
      [{ ms: 1700000000000, seq: 0 }, { ms: 1700000000123, seq: 7 }],
      [{ ms: 9007199254740991, seq: 0 }, { ms: 9007199254740993n, seq: 1 }],
    ];
    for (const [master, id] of cases) {
      expect(addDelta(master.ms, deltaOf(id.ms, master.ms))).toBe(id.ms);
      expect(addDelta(master.seq, deltaOf(id.seq, master.seq))).toBe(id.seq);
    }
    expect(deltaOf(U64_MAX, 0)).toBe(-1);
    expect(deltaOf(0, 10)).toBe(-10);
  });

  it('encodes 16 bytes big-endian, ordered like the IDs', () => {
    const ordered: StreamId[] = [{ ms: 0, seq: 1 }, { ms: 1, seq: 0 }, { ms: 4294967296, seq: 5 }, { ms: 9007199254740992n, seq: 0 }, MAX_ID];
    for (const id of ordered) expect(readIdBE(encodeId(id), 0)).toEqual(id);
    for (let i = 1; i < ordered.length; i++) {
      expect(Buffer.compare(encodeId(ordered[i - 1]!), encodeId(ordered[i]!))).toBe(-1);
      expect(compareIds(ordered[i - 1]!, ordered[i]!)).toBe(-1);
    }
    expect(formatId(MAX_ID)).toBe(`${MAX}-${MAX}`);
  });

  it('formats IDs as String() would, whether or not the previous ID shared the ms', () => {
    const ids: StreamId[] = [
      { ms: 0, seq: 0 }, { ms: 1764836951000, seq: 0 }, { ms: 1764836951000, seq: 9 }, { ms: 1764836951000, seq: 10 },
      { ms: 1764836951000, seq: 2147483647 }, { ms: 1764836951000, seq: 2147483648 }, { ms: 1764836951001, seq: 123 },
      { ms: 10, seq: 9007199254740991 }, { ms: 9007199254740991, seq: 1 }, { ms: 9007199254740992n, seq: 7 },
      { ms: 9007199254740991, seq: U64_MAX }, { ms: 9007199254740991, seq: 2 }, { ms: 99, seq: 5 }, { ms: 100, seq: 5 },
    ];
    for (const id of ids) expect(formatId(id)).toBe(`${String(id.ms)}-${String(id.seq)}`);
  });
});

describe('IdTree', () => {
  it('agrees with a sorted array over random inserts, deletes and seeks', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const tree = new IdTree<number>();
    const reference = new Map<string, { id: StreamId; value: number }>();
    const key = (id: StreamId): string => `${id.ms}-${id.seq}`;
    const sorted = (): StreamId[] => [...reference.values()].map((entry) => entry.id).sort(compareIds);
    for (let step = 0; step < 6000; step++) {
      const id = { ms: random(40), seq: random(50) };
      const roll = random(10);
      if (roll < 6) {
        expect(tree.set(id, step)).toBe(!reference.has(key(id)));
        reference.set(key(id), { id, value: step });
      } else if (roll < 9) {
        expect(tree.delete(id)).toBe(reference.get(key(id))?.value);
        reference.delete(key(id));
      } else {
        const all = sorted();
        const ceiling = all.find((other) => compareIds(other, id) >= 0);
        const higher = all.find((other) => compareIds(other, id) > 0);
        const floor = [...all].reverse().find((other) => compareIds(other, id) <= 0);
        const lower = [...all].reverse().find((other) => compareIds(other, id) < 0);
        expect(tree.ceiling(id)?.key).toEqual(ceiling);
        expect(tree.higher(id)?.key).toEqual(higher);
        expect(tree.floor(id)?.key).toEqual(floor);
        expect(tree.lower(id)?.key).toEqual(lower);
        expect([...tree.entriesFrom(id)].map((entry) => entry.key)).toEqual(all.filter((other) => compareIds(other, id) >= 0));
      }
      expect(tree.size).toBe(reference.size);
    }
    expect([...tree.keys()]).toEqual(sorted());
    expect(tree.first()?.key).toEqual(sorted()[0]);
    expect(tree.last()?.key).toEqual(sorted().at(-1));
  });
});

/**
 * LoadedKeys' index: built once after the load by a radix sort on home
 * buckets, it must find every key and only those, including keys whose
 * probe runs past the last bucket and wraps around, and it must report a
 * duplicate key wherever it sits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RDB_TYPE_STRING } from './constants';
import { hashLatin1 } from './loaded-key-hash';
import { LoadedKeys } from './loaded-keys';
import { decodeLoadedValue } from './loaded-value-decoder';
import { DEFAULT_LIMITS } from './value-builders';
import { AccessPolicy } from '../keyspace/key-entry';

/** A table holding `keys` as string values equal to the key (one-byte RDB length prefix). */
function tableOf(keys: ReadonlyArray<string>): LoadedKeys {
  const table = new LoadedKeys(decodeLoadedValue, DEFAULT_LIMITS);
  for (const key of keys) {
    const valueLength = 1 + key.length;
    const slab = table.reserve(key.length + valueLength);
    const at = table.reservedAt;
    slab.write(key, at, 'latin1');
    slab[at + key.length] = key.length; // 6-bit length: keys here are shorter than 64 bytes
    slab.write(key, at + key.length + 1, 'latin1');
    table.append(RDB_TYPE_STRING, key.length, valueLength, table.reservedHash(key.length), 0);
  }
  return table;
}

/** A table holding `keys` with values `value:<key>` (6- or 14-bit RDB length prefix), so keys of any length up to 16 KB fit. */
function tableWithValues(keys: ReadonlyArray<string>): LoadedKeys {
  const table = new LoadedKeys(decodeLoadedValue, DEFAULT_LIMITS);
  for (const key of keys) {
    const value = `value:${key}`;
    const prefix = value.length < 64 ? 1 : 2;
    const valueLength = prefix + value.length;
    const slab = table.reserve(key.length + valueLength);
    const at = table.reservedAt;
    slab.write(key, at, 'latin1');
    if (prefix === 1) slab[at + key.length] = value.length;
    else {
      slab[at + key.length] = 0x40 | (value.length >> 8);
      slab[at + key.length + 1] = value.length & 0xff;
    }
    slab.write(value, at + key.length + prefix, 'latin1');
    table.append(RDB_TYPE_STRING, key.length, valueLength, table.reservedHash(key.length), 0);
  }
  return table;
}

/** Distinct keys whose home bucket in a table of `buckets` buckets is the last one. */
function keysHomedAtTheEnd(count: number, buckets: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if ((hashLatin1(`key-${i}`) & (buckets - 1)) === buckets - 1) keys.push(`key-${i}`);
  return keys;
}

describe('LoadedKeys index', () => {
  it('hashes bytes and strings alike', () => {
    const table = tableOf(['abc', '\u00ff\u0000x']);
    expect(table.buildIndex()).toBe(-1);
    expect(table.find('abc')).toBe(0);
    expect(table.find('\u00ff\u0000x')).toBe(1);
  });

  it('finds keys whose probes wrap past the last bucket', () => {
    // 4 keys -> 8 buckets; all four have bucket 7 as home, so three wrap to 0, 1, 2.
    const keys = keysHomedAtTheEnd(4, 8);
    const table = tableOf(keys);
    expect(table.buildIndex()).toBe(-1);
    keys.forEach((key, entry) => expect(table.find(key)).toBe(entry));
    expect(table.find('absent')).toBe(-1);
  });

  it('reports a duplicate key, also among wrapped ones', () => {
    const keys = keysHomedAtTheEnd(3, 8);
    expect(tableOf([...keys, keys[1]!]).buildIndex()).toBe(3);
    expect(tableOf(['a', 'b', 'a', 'c']).buildIndex()).toBe(2);
  });

  it('indexes a table of more buckets than it has partitions (20,000 keys), and finds a duplicate there', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `key:${i * 7919}`);
    const table = tableOf(keys);
    expect(table.buildIndex()).toBe(-1);
    keys.forEach((key, entry) => expect(table.find(key)).toBe(entry));
    expect(table.find('key:1')).toBe(-1);
    expect(tableOf([...keys.slice(0, 12_345), keys[777]!, ...keys.slice(12_345)]).buildIndex()).toBe(12_345);
  });

  it('finds keys spread over many slabs at any offset (a bucket keeps its entry\'s slab and key start)', () => {
    // Adopted input chunks (appendInPlace), one per three keys at shifting offsets, mixed with copied
    // entries in the table's own slabs: a lookup reads the key from the slab and start its bucket holds.
    const table = new LoadedKeys(decodeLoadedValue, DEFAULT_LIMITS);
    const keys = Array.from({ length: 600 }, (_, i) => `k${i}:${'x'.repeat(i % 17)}`);
    let chunk = Buffer.alloc(0);
    let used = 0;
    keys.forEach((key, i) => {
      const entryBytes = 2 * key.length + 1;
      if (i % 5 === 4) {
        const slab = table.reserve(entryBytes);
        const at = table.reservedAt;
        slab.write(key, at, 'latin1');
        slab[at + key.length] = key.length;
        slab.write(key, at + key.length + 1, 'latin1');
        table.append(RDB_TYPE_STRING, key.length, key.length + 1, table.reservedHash(key.length), 0);
        return;
      }
      if (i % 3 === 0) {
        chunk = Buffer.alloc(256);
        used = i % 7;
      }
      chunk.write(key, used, 'latin1');
      chunk[used + key.length] = key.length;
      chunk.write(key, used + key.length + 1, 'latin1');
      table.appendInPlace(RDB_TYPE_STRING, chunk, used, key.length, key.length + 1, 0);
      used += entryBytes;
    });
    expect(table.buildIndex()).toBe(-1);
    keys.forEach((key, entry) => {
      expect(table.find(key)).toBe(entry);
      expect(table.keyOf(entry)).toBe(key);
      expect(table.value(entry)).toBe(key);
    });
    expect(table.find('k1:')).toBe(-1);
    expect(table.find('k600:')).toBe(-1);
  });

  it('finds every key of random sets and nothing else; removed keys stay found by nobody (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 0, maxLength: 20 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')), { maxLength: 300 }), (keys) => {
        const table = tableOf(keys);
        expect(table.buildIndex()).toBe(-1);
        keys.forEach((key, entry) => {
          expect(table.find(key)).toBe(entry);
          expect(table.value(entry)).toBe(key);
        });
        expect(table.find('\u0001not-a-key')).toBe(-1);
        for (let entry = 0; entry < keys.length; entry += 2) table.remove(entry);
        keys.forEach((key, entry) => expect(table.find(key)).toBe(entry % 2 === 0 ? -1 : entry));
        expect(table.size).toBe(Math.floor(keys.length / 2));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('reads small strings through the recent-reads cache right: entries sharing a slot, overwritten and removed ones (property)', () => {
    // 3 * 8192 keys (the cache's slots): entries e, e + 8192 and e + 16384 share a slot.
    const keys = Array.from({ length: 3 * 8192 }, (_, i) => `key:${i}`);
    const operation = fc.record({ kind: fc.constantFrom('read', 'read', 'read', 'replace', 'remove'), entry: fc.constantFrom(5, 8197, 16_389, 77, 8269, 24_575) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const table = tableOf(keys);
        expect(table.buildIndex()).toBe(-1);
        const model = new Map(keys.map((key, entry) => [entry, key]));
        for (const { kind, entry } of operations) {
          if (!model.has(entry)) continue;
          if (kind === 'read') expect(table.readValue(entry)).toBe(model.get(entry));
          else if (kind === 'replace') {
            table.replace(entry, `new:${entry}:${operations.length}`, 0);
            model.set(entry, `new:${entry}:${operations.length}`);
          } else {
            table.remove(entry);
            model.delete(entry);
            expect(table.find(keys[entry]!)).toBe(-1);
          }
        }
        for (const [entry, value] of model) if (entry % 8192 === 5 || entry % 8192 === 77 || entry === 24_575) expect(table.readValue(entry)).toBe(value);
      }),
      { seed: 11, numRuns: 50 },
    );
  });

  it('reads, TTL marks, replacements and removals agree with a model for keys of every length around the 255-byte tag (property)', () => {
    // Keys up to 254 bytes carry their length in the bucket, longer ones in their fields; values of
    // short keys are small strings read from their bytes (the bucket's FRESH flag), long keys' values are decoded and kept.
    const lengths = [0, 1, 7, 60, 200, 253, 254, 255, 256, 300, 1000];
    const keys = [...new Set(lengths.flatMap((length) => ['a'.repeat(length), 'b'.repeat(length)]))];
    // Same-length keys that differ only in their last byte, and keys one byte apart in length.
    keys.push('x'.repeat(254) + 'y', 'x'.repeat(254) + 'z', 'x'.repeat(255) + 'y', 'x'.repeat(253) + 'y');
    const operation = fc.record({ kind: fc.constantFrom('read', 'read', 'get', 'decode', 'timed', 'replace', 'remove'), entry: fc.nat(keys.length - 1) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const table = tableWithValues(keys);
        expect(table.buildIndex()).toBe(-1);
        const access = new AccessPolicy();
        const model = new Map(keys.map((key, entry) => [entry, `value:${key}`]));
        const timed = new Set<number>();
        for (const { kind, entry } of operations) {
          const key = keys[entry]!;
          if (!model.has(entry)) {
            expect(table.find(key)).toBe(-1);
            continue;
          }
          if (kind === 'read') {
            expect(table.find(key)).toBe(entry);
            expect(table.mayExpire(entry)).toBe(timed.has(entry));
            expect(table.read(entry, access)).toBe(model.get(entry));
          } else if (kind === 'get') expect(table.readValue(entry)).toBe(model.get(entry));
          else if (kind === 'decode') expect(table.value(entry)).toBe(model.get(entry));
          else if (kind === 'timed') {
            table.markTimed(entry);
            timed.add(entry);
          } else if (kind === 'replace') {
            table.replace(entry, `new:${entry}:${operations.length}`, 0);
            model.set(entry, `new:${entry}:${operations.length}`);
          } else {
            table.remove(entry);
            model.delete(entry);
          }
          // An entry asked about without a find just before goes by its own arrays.
          const other = entry === 0 ? keys.length - 1 : 0;
          if (model.has(other)) expect(table.mayExpire(other)).toBe(timed.has(other));
        }
        for (const [entry, value] of model) {
          expect(table.find(keys[entry]!)).toBe(entry);
          expect(table.read(entry, access)).toBe(value);
          expect(table.mayExpire(entry)).toBe(timed.has(entry));
        }
        for (let entry = 0; entry < keys.length; entry++) if (!model.has(entry)) expect(table.find(keys[entry]!)).toBe(-1);
      }),
      { seed: 29, numRuns: 150 },
    );
  });
});

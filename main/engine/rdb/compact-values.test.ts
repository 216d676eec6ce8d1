import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as C from './constants';
import { validateCompactValue, parseScore } from './compact-values';
import { RdbFormatError } from './format-error';
import { backlenSize, decodeListpack, encodeListpack, stringEntrySize, writeBacklen, writeStringEntry } from './listpack';

/** What checking by strings says: the element texts, odd count, duplicate fields, scores, in that order. */
function byStrings(blob: Buffer, type: number): string {
  try {
    const flat = decodeListpack(blob);
    const what = type === C.RDB_TYPE_HASH_LISTPACK ? 'hash' : 'sorted set';
    if (flat.length % 2 !== 0) return `${what} listpack with an odd number of elements`;
    const fields = flat.filter((_, i) => i % 2 === 0);
    if (new Set(fields).size !== fields.length) return type === C.RDB_TYPE_HASH_LISTPACK ? 'Duplicate hash fields detected' : 'Duplicate zset fields detected';
    if (type === C.RDB_TYPE_ZSET_LISTPACK) for (let i = 1; i < flat.length; i += 2) parseScore(flat[i]!, 0);
    return `ok ${flat.length / 2}`;
  } catch (failure) {
    if (failure instanceof RdbFormatError) return failure.message.replace(/ \(at byte offset \d+\)$/, '');
    throw failure;
  }
}

/** Validation of the blob where a load meets it: inside a larger input chunk, with bytes on both sides. */
function byValidation(blob: Buffer, type: number): string {
  const chunk = Buffer.concat([Buffer.from([0xff, 0x10, 0xf0]), blob, Buffer.from([0xff, 0x00])]);
  try {
    return `ok ${validateCompactValue(type, chunk, 3, 3 + blob.length, 0)}`;
  } catch (failure) {
    if (failure instanceof RdbFormatError) return failure.message.replace(/ \(at byte offset \d+\)$/, '');
    throw failure;
  }
}

/** A listpack whose elements are all string entries, integers' texts included (what a non-canonical writer could produce). */
function allStrings(values: ReadonlyArray<string>): Buffer {
  let total = 7;
  for (const value of values) total += stringEntrySize(value.length) + backlenSize(stringEntrySize(value.length));
  const blob = Buffer.alloc(total);
  blob.writeUInt32LE(total, 0);
  blob.writeUInt16LE(values.length, 4);
  let pos = 6;
  for (const value of values) {
    writeStringEntry(blob, pos, value);
    pos += stringEntrySize(value.length);
    pos += writeBacklen(blob, pos, stringEntrySize(value.length));
  }
  blob[pos] = 0xff;
  return blob;
}

describe('validateCompactValue on small hash and sorted set listpacks', () => {
  it('says what checking by strings says (property: duplicates, odd counts, integer and text fields, bad scores)', () => {
    const element = fc.oneof(fc.constantFrom('a', 'b', '1', '12', '-5', '2.5', 'inf', 'nan', '', 'x'.repeat(70)), fc.integer({ min: -1e6, max: 1e6 }).map(String), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(element, { maxLength: 34 }), fc.boolean(), fc.boolean(), (values, zset, strings) => {
        const type = zset ? C.RDB_TYPE_ZSET_LISTPACK : C.RDB_TYPE_HASH_LISTPACK;
        const blob = strings ? allStrings(values) : encodeListpack(values);
        expect(byValidation(blob, type)).toBe(byStrings(blob, type));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('finds a field stored once as an integer entry and once as its text', () => {
    // "12" as an integer entry, then "12" as a string entry: the same field.
    const integerFirst = encodeListpack(['12', 'v']);
    const mixed = Buffer.concat([integerFirst.subarray(0, integerFirst.length - 1), allStrings(['12', 'w']).subarray(6)]);
    mixed.writeUInt32LE(mixed.length, 0);
    mixed.writeUInt16LE(4, 4);
    expect(decodeListpack(mixed)).toEqual(['12', 'v', '12', 'w']);
    expect(() => validateCompactValue(C.RDB_TYPE_HASH_LISTPACK, mixed, 0, mixed.length, 0)).toThrow('Duplicate hash fields detected');
  });
});

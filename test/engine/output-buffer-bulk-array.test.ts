/**
 * OutputBuffer.writeBulkArray against the RESP encoding written out plainly:
 * `*<n>\r\n`, then `$<len>\r\n<value>\r\n` per value (the null bulk as
 * given). The room it reserves is checked once for all the values, and a
 * Buffer drops writes past its end silently, so a reservation one byte short
 * shows as a truncated reply when the array ends exactly at the buffer's
 * capacity: the values are written after filler that leaves that capacity
 * minus the array's size, plus or minus a few bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../main/engine/resp/output-buffer';

const INITIAL_CAPACITY = 16 * 1024;

function plainEncoding(values: ReadonlyArray<string | null>, nullBulk: string): Buffer {
  const parts = [`*${values.length}\r\n`, ...values.map((value) => (value === null ? nullBulk : `$${value.length}\r\n${value}\r\n`))];
  return Buffer.from(parts.join(''), 'latin1');
}

/** Lengths around every change in the count of length digits, and 0. */
const valueLength = fc.oneof(
  fc.constantFrom(0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10_000),
  fc.integer({ min: 0, max: 300 }),
);
const value = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(valueLength, fc.integer({ min: 0, max: 255 })).map(([length, code]) => String.fromCharCode(code).repeat(length)) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const nullBulk = fc.constantFrom('$-1\r\n', '_\r\n');

describe('OutputBuffer.writeBulkArray', () => {
  it('writes what the plain RESP encoding gives, after any prefix', () => {
    fc.assert(fc.property(fc.array(value, { maxLength: 20 }), nullBulk, fc.integer({ min: 0, max: 40_000 }), (values, nullText, prefix) => {
      const output = new OutputBuffer();
      output.writeLatin1('x'.repeat(prefix));
      output.writeBulkArray(values, nullText);
      expect(output.pending().subarray(prefix).toString('latin1')).toBe(plainEncoding(values, nullText).toString('latin1'));
    }), { numRuns: 300 });
  });

  it('writes every byte when the array ends at the buffer\'s capacity, or a few bytes either side of it', () => {
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), nullBulk, fc.integer({ min: -3, max: 3 }), (values, nullText, slack) => {
      const expected = plainEncoding(values, nullText);
      const header = `*${values.length}\r\n`.length;
      // The header is written (and checked) on its own; the values' room is what writeBulkArray reserves.
      const prefix = INITIAL_CAPACITY - expected.length + slack;
      fc.pre(prefix >= 0 && prefix + header <= INITIAL_CAPACITY - 20);
      const output = new OutputBuffer();
      output.writeLatin1('x'.repeat(prefix));
      output.writeBulkArray(values, nullText);
      expect(output.pending().subarray(prefix).toString('latin1')).toBe(expected.toString('latin1'));
    }), { numRuns: 2000 });
  });
});

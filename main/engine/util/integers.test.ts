import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalString, parseInt64 } from './integers';

describe('decimalString', () => {
  it('writes what String() writes for every digit count, both signs and the safe-integer bounds', () => {
    const values = [0, -0, 1, -1, 9, 10, -10, 99, 100, 12345, -9999999, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (let power = 1; power <= 1e15; power *= 10) values.push(power - 1, power, power + 1, -power, -(power - 1));
    for (const value of values) expect(decimalString(value)).toBe(String(value));
  });

  it('is right on both sides of the int32 bound, where its digits switch from float to int32 arithmetic', () => {
    const bound = 2 ** 31;
    for (const value of [bound - 2, bound - 1, bound, bound + 1, bound * 10 - 1, bound * 10, 2 ** 32, -(bound - 1), -bound, -(bound + 1)]) {
      expect(decimalString(value)).toBe(String(value));
    }
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => decimalString(value) === String(value)));
  });

  it('round-trips through parseInt64 (the INCR cycle)', () => {
    let value = -1000;
    for (let i = 0; i < 3000; i++, value += 7) expect(parseInt64(decimalString(value))).toBe(value);
  });
});

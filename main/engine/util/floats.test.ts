import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random';
import { parseRedisDouble } from './floats';

/** A plain decimal: optional sign, `whole` integer digits, then `decimals` digits after a point (none: no point). */
function plainDecimal(random: () => number, whole: number, decimals: number): string {
  const digits = (count: number): string => Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
  const sign = ['', '-', '+'][Math.floor(random() * 3)]!;
  return `${sign}${digits(whole)}${decimals > 0 ? `.${digits(decimals)}` : ''}`;
}

describe('parseRedisDouble on plain decimals', () => {
  it('gives exactly what Number() (correctly rounded, as strtod) gives, at every digit count', () => {
    const random = seededRandom(17).next;
    for (let whole = 1; whole <= 20; whole++) {
      for (let decimals = 0; decimals <= 25; decimals++) {
        for (let sample = 0; sample < 40; sample++) {
          const text = plainDecimal(random, whole, decimals);
          expect(Object.is(parseRedisDouble(text), Number(text)), text).toBe(true);
        }
      }
    }
  });

  it('keeps the sign of zero and rounds at the edge of exact integers as strtod', () => {
    for (const text of ['0', '-0', '+0', '-0.0', '0.000', '5.', '-5.', '007', '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993', '900719925474099.35', '0.1', '0.3', '13.361389', '38.115556', '1.0000000000000000000001', '0.0000000000000000000001', '0.00000000000000000000001']) {
      expect(Object.is(parseRedisDouble(text), Number(text)), text).toBe(true);
    }
  });

  it('leaves every other form to the general rules', () => {
    expect(parseRedisDouble('')).toBeNull();
    expect(parseRedisDouble('-')).toBeNull();
    expect(parseRedisDouble('.')).toBeNull();
    expect(parseRedisDouble('1.2.3')).toBeNull();
    expect(parseRedisDouble(' 1')).toBeNull();
    expect(parseRedisDouble('1 ')).toBeNull();
    expect(parseRedisDouble('1\0')).toBeNull();
    expect(parseRedisDouble('nan')).toBeNull();
    expect(parseRedisDouble('1e309')).toBeNull();
    expect(parseRedisDouble('1e-400')).toBeNull();
    expect(parseRedisDouble('.5')).toBe(0.5);
    expect(parseRedisDouble('+.5e1')).toBe(5);
    expect(parseRedisDouble('1e3')).toBe(1000);
    expect(parseRedisDouble('-inf')).toBe(-Infinity);
    expect(parseRedisDouble('0x10')).toBe(16);
  });
});

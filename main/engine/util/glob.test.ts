import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastMatchFrames, stringMatch } from './glob';
import { globCases, referenceMatch } from '../../../test/support/glob-reference';

describe('stringMatch', () => {
  it('agrees with the memoized reference on random patterns (fixed seed), and enters at most stars x length + 1 frames', () => {
    fc.assert(
      fc.property(globCases(), ({ pattern, text, noCase }) => {
        expect(stringMatch(pattern, text, noCase)).toBe(referenceMatch(pattern, text, noCase));
        const stars = [...pattern].filter((char) => char === '*').length;
        expect(lastMatchFrames()).toBeLessThanOrEqual(stars * text.length + 1);
      }),
      { seed: 20221, numRuns: 20_000 },
    );
  });

  it('answers the CVE-2022-36021 patterns in a bounded number of frames', () => {
    const text = 'a'.repeat(40);
    for (const stars of [8, 10, 20, 40]) {
      const pattern = `${'a*'.repeat(stars)}b`;
      expect(stringMatch(pattern, text, false)).toBe(false);
      expect(lastMatchFrames()).toBeLessThanOrEqual(stars * text.length + 1);
      expect(stringMatch(`${'*a'.repeat(stars)}*`, text, false)).toBe(true);
    }
    const long = 'a'.repeat(5000);
    expect(stringMatch(`${'*a'.repeat(500)}*b`, long, false)).toBe(false);
    expect(lastMatchFrames()).toBeLessThanOrEqual(501 * long.length + 1);
  });

  it('keeps Redis quirks: empty strings, signed ranges, C-locale folding, unterminated classes, the nesting limit', () => {
    expect(stringMatch('*', '', false)).toBe(false);
    expect(stringMatch('', '', false)).toBe(true);
    expect(stringMatch('a*?', 'a', false)).toBe(false);
    expect(stringMatch('[a-\xff]', '\xff', false)).toBe(true);
    expect(stringMatch('[a-\xff]', '\x80', false)).toBe(false);
    expect(stringMatch('[a-\xff]', 'b', false)).toBe(false);
    expect(stringMatch('\xe9', '\xc9', true)).toBe(false);
    expect(stringMatch('HELLO', 'hello', true)).toBe(true);
    expect(stringMatch('[abc', 'b', false)).toBe(true);
    expect(stringMatch('[^', 'x', false)).toBe(true);
    expect(stringMatch('a\\', 'a\\', false)).toBe(true);
    expect(stringMatch('[\\A]', 'a', true)).toBe(false);
    // 1001 nested stars: the innermost frame is past the limit and answers no.
    expect(stringMatch(`${'a*'.repeat(1002)}`, 'a'.repeat(1100), false)).toBe(false);
    expect(stringMatch(`${'a*'.repeat(999)}`, 'a'.repeat(1100), false)).toBe(true);
  });
});

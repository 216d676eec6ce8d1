/**
 * A reference for Redis's glob matcher, written to be obviously right
 * rather than fast: the pattern is cut into tokens first, then a memoized
 * recursion over (token, text position) answers, so it is polynomial by
 * construction and shares no control flow with main/engine/util/glob.ts.
 *
 * The semantics are those of Redis 7.0's stringmatchlen without its early
 * exit (which must not change any answer) and without the nesting limit:
 *  - matching stops as soon as the pattern or the string runs out; after a
 *    token consumes the last char, trailing `*` tokens are dropped; the
 *    answer is "both ran out";
 *  - a run of `*` acts as one; a `*` ending the pattern matches; otherwise
 *    the rest of the pattern is tried on every non-empty suffix;
 *  - `[...]` classes: `^` negates, `\x` is x compared case-sensitively,
 *    `a-b` is a range over signed chars (ends swapped if reversed, folded
 *    when case-insensitive), a missing `]` ends the class at the pattern's
 *    end; `\x` outside a class is x, a trailing `\` is itself;
 *  - case folding is A-Z only.
 */
import fc from 'fast-check';

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'literal'; code: number }
  | { kind: 'class'; negated: boolean; items: ClassItem[] };

type ClassItem = { kind: 'escaped'; code: number } | { kind: 'char'; code: number } | { kind: 'range'; low: number; high: number };

const lowerAscii = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);
const asSignedChar = (code: number): number => (code > 127 ? code - 256 : code);

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === '*') {
      tokens.push({ kind: 'star' });
      index++;
    } else if (char === '?') {
      tokens.push({ kind: 'any' });
      index++;
    } else if (char === '\\') {
      const escaped = index + 1 < pattern.length;
      tokens.push({ kind: 'literal', code: pattern.charCodeAt(escaped ? index + 1 : index) });
      index += escaped ? 2 : 1;
    } else if (char === '[') {
      index++;
      const negated = pattern[index] === '^';
      if (negated) index++;
      const items: ClassItem[] = [];
      while (index < pattern.length && pattern[index] !== ']') {
        const rest = pattern.length - index;
        if (pattern[index] === '\\' && rest >= 2) {
          items.push({ kind: 'escaped', code: pattern.charCodeAt(index + 1) });
          index += 2;
        } else if (rest >= 3 && pattern[index + 1] === '-') {
          const ends = [asSignedChar(pattern.charCodeAt(index)), asSignedChar(pattern.charCodeAt(index + 2))].sort((a, b) => a - b);
          items.push({ kind: 'range', low: ends[0]!, high: ends[1]! });
          index += 3;
        } else {
          items.push({ kind: 'char', code: pattern.charCodeAt(index) });
          index++;
        }
      }
      index++; // past the ']' (or past the end of an unterminated class)
      tokens.push({ kind: 'class', negated, items });
    } else {
      tokens.push({ kind: 'literal', code: pattern.charCodeAt(index) });
      index++;
    }
  }
  return tokens;
}

function tokenMatches(token: Token, code: number, noCase: boolean): boolean {
  const fold = (value: number): number => (noCase ? lowerAscii(value) : value);
  switch (token.kind) {
    case 'star':
      throw new Error('a star consumes nothing by itself');
    case 'any':
      return true;
    case 'literal':
      return fold(token.code) === fold(code);
    case 'class': {
      const found = token.items.some((item) => {
        if (item.kind === 'escaped') return item.code === code;
        if (item.kind === 'char') return fold(item.code) === fold(code);
        const subject = fold(asSignedChar(code));
        return subject >= fold(item.low) && subject <= fold(item.high);
      });
      return found !== token.negated;
    }
  }
}

export function referenceMatch(pattern: string, text: string, noCase: boolean): boolean {
  const tokens = tokenize(pattern);
  const memo = new Map<number, boolean>();
  const dropStars = (index: number): number => {
    while (tokens[index]?.kind === 'star') index++;
    return index;
  };
  const match = (index: number, position: number): boolean => {
    if (index === tokens.length || position === text.length) return index === tokens.length && position === text.length;
    const key = index * (text.length + 1) + position;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const token = tokens[index]!;
    if (token.kind === 'star') {
      const last = dropStars(index) - 1;
      result = last === tokens.length - 1;
      for (let start = position; !result && start < text.length; start++) result = match(last + 1, start);
    } else if (!tokenMatches(token, text.charCodeAt(position), noCase)) {
      result = false;
    } else if (position + 1 === text.length) {
      result = dropStars(index + 1) === tokens.length;
    } else {
      result = match(index + 1, position + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** Random (pattern, text, noCase) cases over small alphabets, so stars, classes, escapes and high bytes meet often. */
export function globCases(maxLength = 14): fc.Arbitrary<{ pattern: string; text: string; noCase: boolean }> {
  return fc.record({
    pattern: fc.array(fc.constantFrom('a', 'b', 'A', '*', '*', '?', '[', ']', '^', '-', '\\', 'z', '\xe9', '\xff'), { maxLength }).map((chars) => chars.join('')),
    text: fc.array(fc.constantFrom('a', 'b', 'A', 'B', '*', '[', ']', '-', '\\', '\xe9', '\xc9', '\xff', '\x00'), { maxLength }).map((chars) => chars.join('')),
    noCase: fc.boolean(),
  });
}

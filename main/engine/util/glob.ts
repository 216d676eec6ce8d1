/**
 * Redis's glob matcher (util.c stringmatchlen, 7.0.9 and later): `*`, `?`,
 * `[abc]`, `[^a]`, `[a-z]` and backslash escapes, optionally
 * case-insensitive. Used by KEYS, SCAN MATCH, PSUBSCRIBE, PUBSUB CHANNELS,
 * CONFIG GET, COMMAND LIST FILTERBY PATTERN and ACL key/channel patterns.
 *
 * Strings are latin1 (one char per byte), so char codes are byte values.
 * Redis's quirks are kept on purpose, since replies must match its own:
 *  - a non-empty pattern never matches the empty string (`*` included: KEYS
 *    special-cases a lone `*` itself);
 *  - a `*` followed by more pattern only tries non-empty rests of the string
 *    (the rest of the pattern never sees an exhausted string there);
 *  - an unterminated `[` class runs to the end of the pattern;
 *  - ranges compare C `char`s, which are signed: bytes 0x80-0xff sort below
 *    0x00 (`[a-\xff]` is the range -1..97 once ordered);
 *  - case folding is the C locale's: only A-Z;
 *  - inside a class an escaped char is compared case-sensitively.
 *
 * Cost (CVE-2022-36021): a `*` whose rest of pattern matches no suffix of
 * the string sets `skipLongerMatches`, and every enclosing `*` then gives up
 * at once: letting an earlier `*` swallow more of the string could only make
 * that same rest start later, where it has just failed everywhere. So the
 * recursion is one chain of `*` frames, each trying at most every position:
 * at most (stars x string length) + 1 frames instead of exponentially many.
 * Nesting beyond 1000 `*` frames answers "no match" (Redis 7.2's guard
 * against deep recursion; 7.0.15 has no such limit, and no test pattern
 * reaches it).
 */
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;
const MAX_NESTING = 1000;

/** Set when a `*` found no match for the rest of the pattern anywhere in the rest of the string. */
let skipLongerMatches = false;
/** Frames entered by the last match (the fuzz tests bound it; never read on the hot path). */
let framesEntered = 0;

export function stringMatch(pattern: string, text: string, noCase: boolean): boolean {
  skipLongerMatches = false;
  framesEntered = 0;
  return matchFrom(pattern, 0, text, 0, noCase, 0);
}

/** How many recursive frames the last stringMatch call entered (for tests bounding its work). */
export function lastMatchFrames(): number {
  return framesEntered;
}

/** C-locale tolower on a char code. */
function fold(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** A byte as C's signed char. */
function signedChar(code: number): number {
  return code >= 0x80 ? code - 0x100 : code;
}

function matchFrom(pattern: string, p: number, text: string, t: number, noCase: boolean, nesting: number): boolean {
  framesEntered++;
  if (nesting > MAX_NESTING) return false;
  const patternLength = pattern.length;
  const textLength = text.length;
  while (p < patternLength && t < textLength) {
    const token = pattern.charCodeAt(p);
    if (token === STAR) {
      while (p + 1 < patternLength && pattern.charCodeAt(p + 1) === STAR) p++;
      if (p + 1 === patternLength) return true;
      for (; t < textLength; t++) {
        if (matchFrom(pattern, p + 1, text, t, noCase, nesting + 1)) return true;
        if (skipLongerMatches) return false;
      }
      skipLongerMatches = true;
      return false;
    } else if (token === QUESTION) {
      t++;
    } else if (token === OPEN) {
      const end = matchClass(pattern, p + 1, text.charCodeAt(t), noCase);
      if (end < 0) return false;
      p = end;
      t++;
    } else {
      // A backslash escapes the next pattern char (a trailing one is literal).
      if (token === BACKSLASH && p + 1 < patternLength) p++;
      const expected = pattern.charCodeAt(p);
      const actual = text.charCodeAt(t);
      if (noCase ? fold(expected) !== fold(actual) : expected !== actual) return false;
      t++;
    }
    p++;
    if (t === textLength) {
      // charCodeAt past the end is NaN, so this stops at the end of the pattern.
      while (pattern.charCodeAt(p) === STAR) p++;
      break;
    }
  }
  return p === patternLength && t === textLength;
}

/**
 * Matches one char against the class starting at p (just after `[`).
 * Returns the position of its closing `]` (or of the pattern's last char
 * for an unterminated class) on a match, -1 otherwise.
 */
function matchClass(pattern: string, p: number, actual: number, noCase: boolean): number {
  const patternLength = pattern.length;
  const negated = pattern.charCodeAt(p) === CARET;
  if (negated) p++;
  let matched = false;
  for (;; p++) {
    const code = pattern.charCodeAt(p);
    if (code === BACKSLASH && patternLength - p >= 2) {
      p++;
      if (pattern.charCodeAt(p) === actual) matched = true;
    } else if (code === CLOSE) {
      break;
    } else if (p >= patternLength) {
      p--;
      break;
    } else if (patternLength - p >= 3 && pattern.charCodeAt(p + 1) === DASH) {
      let low = signedChar(code);
      let high = signedChar(pattern.charCodeAt(p + 2));
      let subject = signedChar(actual);
      if (low > high) [low, high] = [high, low];
      if (noCase) {
        low = fold(low);
        high = fold(high);
        subject = fold(subject);
      }
      p += 2;
      if (subject >= low && subject <= high) matched = true;
    } else if (noCase ? fold(code) === fold(actual) : code === actual) {
      matched = true;
    }
  }
  return matched !== negated ? p : -1;
}

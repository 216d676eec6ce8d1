/**
 * Redis's glob matcher (util.c stringmatchlen): * ? [abc] [^a] [a-z] and
 * backslash escapes, optionally case-insensitive. Used by KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET, CLIENT KILL-style filters.
 */
export function stringMatch(pattern: string, text: string, noCase: boolean): boolean {
  return matchAt(pattern, 0, text, 0, noCase, 0);
}

const MAX_NESTING = 1000;

function lower(c: string): string {
  return c.toLowerCase();
}

function matchAt(pattern: string, p: number, text: string, t: number, noCase: boolean, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = pattern.length;
  const tlen = text.length;
  while (p < plen && t <= tlen) {
    const pc = pattern[p]!;
    switch (pc) {
      case '*': {
        while (p + 1 < plen && pattern[p + 1] === '*') p++;
        if (p + 1 === plen) return true;
        for (let i = t; i <= tlen; i++) {
          if (matchAt(pattern, p + 1, text, i, noCase, nesting + 1)) return true;
        }
        return false;
      }
      case '?':
        if (t >= tlen) return false;
        t++;
        break;
      case '[': {
        if (t >= tlen) return false;
        p++;
        const not = pattern[p] === '^';
        if (not) p++;
        let matched = false;
        for (;;) {
          if (p >= plen) {
            p--;
            break;
          }
          const c = pattern[p]!;
          if (c === '\\' && p + 1 < plen) {
            p++;
            if (pattern[p] === text[t]) matched = true;
          } else if (c === ']') {
            break;
          } else if (p + 2 < plen && pattern[p + 1] === '-') {
            let start = pattern.charCodeAt(p);
            let end = pattern.charCodeAt(p + 2);
            let ch = text.charCodeAt(t);
            if (start > end) [start, end] = [end, start];
            if (noCase) {
              start = lower(String.fromCharCode(start)).charCodeAt(0);
              end = lower(String.fromCharCode(end)).charCodeAt(0);
              ch = lower(String.fromCharCode(ch)).charCodeAt(0);
            }
            p += 2;
            if (ch >= start && ch <= end) matched = true;
          } else if (noCase ? lower(c) === lower(text[t]!) : c === text[t]) {
            matched = true;
          }
          p++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        t++;
        break;
      }
      default: {
        // A backslash escapes the next pattern character, matched literally.
        if (pc === '\\' && p + 1 < plen) p++;
        if (t >= tlen) return false;
        const c = pattern[p]!;
        if (noCase ? lower(c) !== lower(text[t]!) : c !== text[t]) return false;
        t++;
      }
    }
    p++;
    if (t === tlen) {
      while (p < plen && pattern[p] === '*') p++;
      break;
    }
  }
  return p === plen && t === tlen;
}

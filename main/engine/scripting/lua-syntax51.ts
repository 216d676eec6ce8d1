/**
 * Lua 5.3+ syntax a 5.1 compiler (so redis-server 7.0) refuses, refused
 * here with 5.1's error: `//`, `&`, `|`, `~` (not `~=`), `<<`, `>>`, `::`
 * and a local's `<const>`/`<close>` attribute. 5.1's lexer reads each of
 * their characters as a token of its own that its grammar has no place
 * for, so the error names the first such character ("unexpected symbol
 * near '/'", "'<eof>' expected near '&'"...), after whatever the parser
 * expected at that point.
 *
 * How: the source is scanned once when a script is compiled (strings and
 * comments skipped); each such character becomes a control character
 * (\x01-\x07) that 5.4's lexer also reads as a lone token and its grammar
 * also refuses at the same point, and 5.4's error ("near '<\1>'") is
 * given back the character 5.1 would name. Line numbers do not move (one
 * character replaces one). A script without these tokens is compiled as
 * it is. Not done: `goto` (a statement in 5.4, a name in 5.1), 5.2+
 * string escapes (\x, \z, \u{}), which change what a script means rather
 * than whether it compiles; loadstring's chunks.
 */

/** The control character standing for each character 5.1 refuses. */
const POISON: Readonly<Record<string, string>> = { '/': '\x01', '&': '\x02', '|': '\x03', '~': '\x04', '<': '\x05', '>': '\x06', ':': '\x07' };
const POISONED = new Map(Object.entries(POISON).map(([char, poison]) => [poison, char]));

/** The `<close>` local no-tail-calls.ts puts into EVAL bodies: ours, not the script's. */
const KEEP_FRAME_LOCAL = '__redis_keep_frame';

/** The level of a long bracket opening at `at` (`[[` 0, `[=[` 1...), or -1. */
function longBracket(source: string, at: number): number {
  if (source[at] !== '[') return -1;
  let level = 0;
  while (source[at + 1 + level] === '=') level++;
  return source[at + 1 + level] === '[' ? level : -1;
}

/** The index after the long bracket of `level` opened at `at` closes (or the end). */
function skipLong(source: string, at: number, level: number): number {
  const close = `]${'='.repeat(level)}]`;
  const end = source.indexOf(close, at + level + 2);
  return end < 0 ? source.length : end + close.length;
}

/**
 * The source with every 5.3+ token poisoned, or null when it has none.
 * Positions only: this is not a parser, and strings and comments are the
 * only context it needs (no other token holds these characters).
 */
export function poison53Syntax(source: string): string | null {
  let out: string[] | null = null;
  const poison = (at: number, char: string): void => {
    out ??= source.split('');
    out[at] = POISON[char]!;
  };
  let lastName = '';
  let beforeLastName = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '-' && source[i + 1] === '-') {
      const level = longBracket(source, i + 2);
      if (level >= 0) { i = skipLong(source, i + 2, level) - 1; continue; }
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (c === '[') {
      const level = longBracket(source, i);
      if (level >= 0) { i = skipLong(source, i, level) - 1; continue; }
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < source.length && /\w/.test(source[j]!)) j++;
      beforeLastName = lastName;
      lastName = source.slice(i, j);
      i = j - 1;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      // A number (with an exponent's sign) or a dot: nothing refused inside.
      let j = i;
      while (j < source.length && (/[\w.]/.test(source[j]!) || (/[eEpP]/.test(source[j - 1]!) && /[-+]/.test(source[j]!)))) j++;
      if (j > i + 1 || c !== '.') { i = j - 1; lastName = beforeLastName = ''; continue; }
    }
    const next = source[i + 1];
    if (c === '/' && next === '/') poison(i + 1, '/');
    else if (c === '&' || c === '|') poison(i, c);
    else if (c === '~' && next !== '=') poison(i, '~');
    else if ((c === '<' || c === '>' || c === ':') && next === c) poison(i + 1, c);
    else if (c === '<' && beforeLastName === 'local' && lastName !== KEEP_FRAME_LOCAL) poison(i, '<');
    else if (c === '~' || c === '=' || c === '<' || c === '>') { i += next === '=' ? 1 : 0; }
    if (!/\s/.test(c)) lastName = beforeLastName = '';
  }
  return out === null ? null : (out as string[]).join('');
}

/** A 5.4 error about a poisoned source, naming the character 5.1 names. */
export function unpoisonMessage(message: string): string {
  return message.replace(/'<\\([1-7])>'/g, (whole, digit: string) => {
    const char = POISONED.get(String.fromCharCode(Number(digit)));
    return char === undefined ? whole : `'${char}'`;
  });
}

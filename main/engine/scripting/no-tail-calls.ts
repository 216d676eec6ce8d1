/**
 * Keeps a script's frames on the stack where Lua 5.4 would tail-call one
 * of the engine's Lua libraries.
 *
 * Redis's libraries (cjson, cmsgpack, bit, struct, and what the engine
 * wraps in Lua to act as 5.1: string.format, setmetatable, ...) are C
 * functions there. Calling a C function never replaces the caller's frame,
 * so `return cjson.decode(s)` failing reports the script's line
 * ("user_script:1: Expected ..." and "script: <sha>, on @user_script:1.").
 * Here those are Lua functions, and `return f(...)` compiles to a tail call
 * that drops the script's frame: the error would have no position at all.
 *
 * Lua 5.4 compiles no tail call inside the scope of a to-be-closed
 * variable, so a `local <close> = nil` (nil is never closed) at the top of
 * the chunk and of every function body keeps every frame. It costs a
 * register and a TBC instruction per call, so it is added only to a body
 * with a `return` of something that may be such a call (a name other than
 * `redis`, whose API is C here too), and on the line where the body or the
 * function starts, so line numbers stay the script's.
 */
const KEEP_FRAME = 'local __redis_keep_frame <close> = nil; ';

/** A `return` whose value starts with a name (a possible tail call), other than redis.*, nil, true, false, not, function. */
const MAY_TAIL_CALL = /\breturn\s+(?!(?:redis|nil|true|false|not|function)\b)[A-Za-z_]/;

export function withoutTailCalls(body: string): string {
  if (!MAY_TAIL_CALL.test(body)) return body;
  const insertAt: number[] = [];
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i]!;
    if (c === '-' && body[i + 1] === '-') {
      const long = longBracketEnd(body, i + 2);
      if (long !== null) {
        i = long;
      } else {
        const end = body.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      }
    } else if (c === '"' || c === "'") {
      i = quotedEnd(body, i);
    } else if (c === '[') {
      i = longBracketEnd(body, i) ?? i + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < n && /\w/.test(body[end]!)) end++;
      if (body.slice(i, end) === 'function') {
        const open = body.indexOf('(', end);
        const close = open < 0 ? -1 : body.indexOf(')', open);
        if (close > 0) {
          insertAt.push(close + 1);
          i = close + 1;
          continue;
        }
      }
      i = end;
    } else {
      i++;
    }
  }
  let out = KEEP_FRAME;
  let from = 0;
  for (const at of insertAt) {
    out += body.slice(from, at) + ' ' + KEEP_FRAME;
    from = at;
  }
  return out + body.slice(from);
}

/** The index after a quoted string starting at `start` (escapes skipped; an unfinished one ends the body). */
function quotedEnd(body: string, start: number): number {
  const quote = body[start];
  let i = start + 1;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') i += 2;
    else if (c === quote || c === '\n') return i + 1;
    else i++;
  }
  return body.length;
}

/** The index after a long bracket ([[...]], [==[...]==]) starting at `start`, or null when none starts there. */
function longBracketEnd(body: string, start: number): number | null {
  const match = /^\[(=*)\[/.exec(body.slice(start, start + 64));
  if (!match) return null;
  const closing = `]${match[1]}]`;
  const end = body.indexOf(closing, start + match[0].length);
  return end < 0 ? body.length : end + closing.length;
}

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
 * the chunk and of every function body keeps every frame. It is added on
 * the line where the body or the function starts, so line numbers stay the
 * script's.
 *
 * It also takes the script's own tail calls away, and those Lua 5.1 has:
 * `return loop(n - 1)` recurses without limit on redis-server, and without
 * the tail call it fails with "stack overflow" a few hundred thousand
 * levels down here (and each call pays a register and a TBC instruction).
 * So a body is rewritten only when it returns a call of a name it does not
 * declare as a function itself (`function f`, `local function f`,
 * `f = function`): a library, an alias of one, or a global nobody set.
 * `redis` is left out too: its API is C here as in Redis. A script that
 * both tail-calls its own recursion and returns a library call keeps the
 * positions and loses the unbounded recursion.
 */
const KEEP_FRAME = 'local __redis_keep_frame <close> = nil; ';

/** A dotted or method name: `f`, `cjson.decode`, `self:get` (spaces around `.` and `:` allowed, as Lua does). */
const NAME_PATH = String.raw`[A-Za-z_]\w*(?:\s*[.:]\s*[A-Za-z_]\w*)*`;

/** A `return` whose value starts with a name (a possible tail call), other than redis.*, nil, true, false, not, function. */
const RETURNED_NAME = new RegExp(String.raw`\breturn\s+(?!(?:redis|nil|true|false|not|function)\b)(${NAME_PATH})`, 'g');

/** A function the script declares: `function f`, `local function f`, `f = function`, `local f = function`. */
const DECLARED_FUNCTION = new RegExp(String.raw`\bfunction\s+(${NAME_PATH})|(${NAME_PATH})\s*=\s*function\b`, 'g');

const withoutSpaces = (name: string): string => name.replace(/\s+/g, '');

/** Whether the body returns a call of a name it does not declare as a function (see the comment at the top). */
function mayTailCallLibrary(body: string): boolean {
  const declared = new Set<string>();
  for (const match of body.matchAll(DECLARED_FUNCTION)) declared.add(withoutSpaces(match[1] ?? match[2]!));
  for (const match of body.matchAll(RETURNED_NAME)) {
    if (!declared.has(withoutSpaces(match[1]!))) return true;
  }
  return false;
}

export function withoutTailCalls(body: string): string {
  if (!mayTailCallLibrary(body)) return body;
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

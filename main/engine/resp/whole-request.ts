/**
 * The request decoder's fast path (request-decoder.ts holds the grammar and
 * the full state machine). Almost every request a client pipelines lies
 * whole inside the chunk it arrived in: such a request is parsed here in one
 * tight pass with local variables, straight into a right-sized argv.
 *
 * Invariant: this path only ever accepts input the state machine would
 * accept, with the same argv and wire length, and it changes no decoder
 * state. Whenever anything is unusual (the request continues in the next
 * chunk, a header is not plain digits, a limit is near, a count is not
 * positive) it answers "no" and the state machine decodes the same bytes
 * from the same position, producing partial buffering or Redis's exact
 * error. The decoder's split-point property tests hold both paths to that.
 */
import { latin1String } from '../util/latin1';
import { PROTO_UNAUTH_MAX_BULK, PROTO_UNAUTH_MAX_MULTIBULK } from './request-limits';

const CR = 13;
const DOLLAR = 0x24;
/** Headers longer than this many digits go the slow way (it rejects > 2^53). */
const MAX_FAST_DIGITS = 15;
/**
 * Arguments up to this length are remembered for reuse: every command name,
 * most keys and field names, EVALSHA's 40-char SHA1 (which the script cache
 * looks up by string: a repeated one has its hash and its Map entry
 * at hand), short EVAL bodies. Comparing a longer argument byte by byte in
 * JS could cost more than the copy it saves when it differs late.
 */
const MAX_REMEMBERED_NAME = 64;
/** Argument positions remembered: the command name, the key, and the next four (field names, a fixed value). */
const REMEMBERED_POSITIONS = 6;

export interface WholeRequest {
  argv: string[];
  /** Position just after the request (its wire length is end - start). */
  end: number;
}

export interface FastPathLimits {
  readonly maxBulkLength: number;
  readonly masterMode: boolean;
  readonly isAuthenticated: () => boolean;
}

/** The smallest argument on the wire: "$0\r\n\r\n". */
const MIN_ARGUMENT_BYTES = 6;

/**
 * The leading arguments of a request as strings. A pipeline repeats the
 * same command name, and mostly the same key and field names (XADD's
 * fields, HSET's, a counter's key), so for each of the first few positions
 * the string decoded last time is reused when the bytes are equal: no
 * allocation, and a key's Map lookup finds the string's hash already
 * computed. A different argument costs a length test, or a compare up to
 * its first differing byte. Strings are immutable, so sharing one between
 * requests is invisible to the commands.
 */
export class CommandNames {
  private readonly last: string[] = new Array<string>(REMEMBERED_POSITIONS).fill('');

  decode(chunk: Buffer, start: number, length: number, position = 0): string {
    if (position >= REMEMBERED_POSITIONS || length > MAX_REMEMBERED_NAME) return latin1String(chunk, start, start + length);
    const last = this.last[position]!;
    if (last.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (chunk[start + i] !== last.charCodeAt(i)) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    const name = latin1String(chunk, start, start + length);
    this.last[position] = name;
    return name;
  }
}

/**
 * Reads "[1-9][0-9]*" followed by CR (and one more byte, the LF, which is
 * not checked, like Redis) at `pos`. Returns the value and sets
 * `cursor.end` to the position after the LF, or returns -1.
 */
function readHeaderNumber(chunk: Buffer, pos: number, end: number, cursor: WholeRequest, allowZero: boolean): number {
  let p = pos;
  let value = 0;
  const first = p < end ? chunk[p]! : -1;
  if (first === 0x30 && allowZero) {
    p++;
  } else {
    while (p < end) {
      const digit = chunk[p]! - 0x30;
      if (digit < 0 || digit > 9) break;
      if (digit === 0 && p === pos) return -1;
      value = value * 10 + digit;
      p++;
    }
    if (p === pos || p - pos > MAX_FAST_DIGITS) return -1;
  }
  if (p + 1 >= end || chunk[p] !== CR) return -1;
  cursor.end = p + 2;
  return value;
}

/**
 * Tries to parse the multibulk request starting at `start` (chunk[start] is
 * '*'). On success fills `out` and returns true; otherwise returns false and
 * the caller runs the state machine from `start`.
 */
export function readWholeRequest(chunk: Buffer, start: number, limits: FastPathLimits, names: CommandNames, out: WholeRequest): boolean {
  const end = chunk.length;
  const count = readHeaderNumber(chunk, start + 1, end, out, false);
  let p = out.end;
  // Also bounds the argv allocated below by what the chunk can hold.
  if (count <= 0 || count * MIN_ARGUMENT_BYTES > end - p) return false;
  const { masterMode } = limits;
  if (!masterMode && count > PROTO_UNAUTH_MAX_MULTIBULK && !limits.isAuthenticated()) return false;
  const argv = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    if (p >= end || chunk[p] !== DOLLAR) return false;
    const length = readHeaderNumber(chunk, p + 1, end, out, true);
    if (length < 0) return false;
    if (!masterMode && (length > limits.maxBulkLength || (length > PROTO_UNAUTH_MAX_BULK && !limits.isAuthenticated()))) return false;
    p = out.end;
    if (p + length + 2 > end) return false;
    argv[i] = names.decode(chunk, p, length, i);
    p += length + 2;
  }
  out.argv = argv;
  out.end = p;
  return true;
}

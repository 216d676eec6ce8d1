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

/** Where the request read last ended (a number only: storing the argv here too cost a write barrier per request). */
export interface WholeRequest {
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
 * The bytes of a request's leading arguments, as the decoder still holds
 * them (CommandNames): a command that only needs an argument's bytes (PFADD
 * hashes its elements) reads them there instead of reading the string back.
 */
export interface ArgumentBytes {
  /** The bytes bytesAt() positions point into. */
  readonly rememberedBytes: Uint8Array;
  /** Where the latin1 bytes of `argument` start in rememberedBytes, or -1 when they are not held. */
  bytesAt(position: number, argument: string): number;
}

/**
 * The leading arguments of a request as strings. A pipeline repeats the
 * same command name, and mostly the same key and field names (XADD's
 * fields, HSET's, a counter's key), so for each of the first few positions
 * the string decoded last time is reused when the bytes are equal: no
 * allocation, and a key's Map lookup finds the string's hash already
 * computed. A different argument costs a length test, or a compare up to
 * its first differing byte. Strings are immutable, so sharing one between
 * requests is invisible to the commands.
 *
 * The bytes of each remembered string are kept beside it and compared
 * with the chunk's, four bytes to an int32 (typed-array loads, which V8
 * compiles inline): comparing with the string's charCodeAt() made the parse of a
 * pipelined INCR ~1.6x as dear (V8 dispatches on the string's
 * representation at every call), and int32 compares through a DataView of
 * each chunk cost more to set up than they saved once a read holds few
 * requests (the view, its three accessor loads and two write-barrier
 * stores: a one-request read's path was 13-18% dearer in process).
 */
export class CommandNames implements ArgumentBytes {
  private readonly last: string[] = new Array<string>(REMEMBERED_POSITIONS).fill('');
  /** The byte length of each remembered string (its bytes start at position * MAX_REMEMBERED_NAME in `bytes`). */
  private readonly lengths = new Int32Array(REMEMBERED_POSITIONS);
  private readonly bytes = new Uint8Array(REMEMBERED_POSITIONS * MAX_REMEMBERED_NAME);
  /**
   * The same bytes four at a time (byte i + 1 in bits 8-15 and so on, as
   * decode() composes the chunk's: no dependence on the host's byte order),
   * for the compare: one int32 compare per four bytes instead of four
   * byte compares. Parsing 16 pipelined requests in process (medians of 7,
   * alternating builds): HSET 115-123 -> 102-108 ns a request, SET 92-93 ->
   * 85, INCR 86-91 -> 72-73; PFADD with a new element each request (the
   * remember() path) 152-179 -> 164-167, inside its noise. A new argument
   * is kept by remember(), out of line, so that decode() stays small
   * enough to inline into readWholeRequest (with the store inline, the
   * word compare made every parse slower).
   */
  private readonly words = new Int32Array((REMEMBERED_POSITIONS * MAX_REMEMBERED_NAME) >> 2);

  decode(chunk: Buffer, start: number, length: number, position = 0): string {
    if (position >= REMEMBERED_POSITIONS || length > MAX_REMEMBERED_NAME) return latin1String(chunk, start, start + length);
    const bytes = this.bytes;
    const base = position * MAX_REMEMBERED_NAME;
    // The last byte first: an argument that varies (a counter, a random key or
    // element: "element:000000012345") mostly differs there, after a long
    // common prefix the forward compare would walk first.
    if (this.lengths[position] === length && (length === 0 || chunk[start + length - 1] === bytes[base + length - 1])) {
      const words = this.words;
      let i = 0;
      for (let w = base >> 2; i + 3 < length; i += 4, w++) {
        const p = start + i;
        if ((chunk[p]! | (chunk[p + 1]! << 8) | (chunk[p + 2]! << 16) | (chunk[p + 3]! << 24)) !== words[w]) return this.remember(chunk, start, length, position);
      }
      while (i < length && chunk[start + i] === bytes[base + i]) i++;
      if (i === length) return this.last[position]!;
    }
    return this.remember(chunk, start, length, position);
  }

  /** A new argument at `position`: its string, kept with its bytes. */
  private remember(chunk: Buffer, start: number, length: number, position: number): string {
    const bytes = this.bytes;
    const words = this.words;
    const base = position * MAX_REMEMBERED_NAME;
    const name = latin1String(chunk, start, start + length);
    this.last[position] = name;
    this.lengths[position] = length;
    let i = 0;
    for (let w = base >> 2; i + 3 < length; i += 4, w++) {
      const p = start + i;
      const b0 = chunk[p]!;
      const b1 = chunk[p + 1]!;
      const b2 = chunk[p + 2]!;
      const b3 = chunk[p + 3]!;
      bytes[base + i] = b0;
      bytes[base + i + 1] = b1;
      bytes[base + i + 2] = b2;
      bytes[base + i + 3] = b3;
      words[w] = b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
    }
    for (; i < length; i++) bytes[base + i] = chunk[start + i]!;
    return name;
  }

  get rememberedBytes(): Uint8Array {
    return this.bytes;
  }

  /**
   * The bytes kept for `position` are those of the string remembered there
   * (both change together in decode()), so they are `argument`'s whenever
   * it equals that string: the argument of the request being run (the same
   * string, one pointer compare), or an equal one from elsewhere (MULTI's
   * queue, a script), whose bytes are the same. Anything else gets -1.
   */
  bytesAt(position: number, argument: string): number {
    if (position >= REMEMBERED_POSITIONS || this.last[position] !== argument) return -1;
    return position * MAX_REMEMBERED_NAME;
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
 * '*'). On success returns its arguments and sets `out.end`; otherwise
 * returns null and the caller runs the state machine from `start`.
 */
export function readWholeRequest(chunk: Buffer, start: number, limits: FastPathLimits, names: CommandNames, out: WholeRequest): string[] | null {
  const end = chunk.length;
  const count = readHeaderNumber(chunk, start + 1, end, out, false);
  let p = out.end;
  // Also bounds the argv allocated below by what the chunk can hold.
  if (count <= 0 || count * MIN_ARGUMENT_BYTES > end - p) return null;
  const { masterMode } = limits;
  if (!masterMode && count > PROTO_UNAUTH_MAX_MULTIBULK && !limits.isAuthenticated()) return null;
  // One compare per argument for both length limits: only a length above the
  // smaller of them needs the exact test (which limit, and AUTH, decide).
  const maxBulk = masterMode ? Infinity : Math.min(limits.maxBulkLength, PROTO_UNAUTH_MAX_BULK);
  // The usual counts get an array literal (a cloned boilerplate, allocated
  // inline) instead of new Array(count), a builtin call: with the string
  // compare above, a pipelined INCR's parse went ~80 -> ~68 ns.
  const argv = count === 2 ? ['', ''] : count === 3 ? ['', '', ''] : count === 4 ? ['', '', '', ''] : new Array<string>(count);
  for (let i = 0; i < count; i++) {
    // An argument takes at least "$0\r\n\r\n" (so p + 4 < end is no new refusal).
    if (p + 4 >= end || chunk[p] !== DOLLAR) return null;
    // "$<d>\r" and "$<1-9><d>\r" (command names, keys, fields, small values)
    // are read in place; the LF after CR is not checked, as readHeaderNumber
    // does not check it. Anything else goes through readHeaderNumber: in
    // process 10-25% less per parsed SET / INCR / HSET / LPUSH request.
    let length: number;
    const d0 = chunk[p + 1]! - 0x30;
    const second = chunk[p + 2]!;
    const d1 = second - 0x30;
    if (d0 >= 0 && d0 <= 9 && second === CR) {
      length = d0;
      p += 4;
    } else if (d0 >= 1 && d0 <= 9 && d1 >= 0 && d1 <= 9 && chunk[p + 3] === CR) {
      length = d0 * 10 + d1;
      p += 5;
    } else {
      length = readHeaderNumber(chunk, p + 1, end, out, true);
      if (length < 0) return null;
      p = out.end;
    }
    if (length > maxBulk && (length > limits.maxBulkLength || !limits.isAuthenticated())) return null;
    if (p + length + 2 > end) return null;
    argv[i] = names.decode(chunk, p, length, i);
    p += length + 2;
  }
  out.end = p;
  return argv;
}

/**
 * Server-side RESP request decoder: a cursor/state machine over the chunks a
 * socket delivers. It never re-parses bytes it has already consumed and never
 * concatenates whole chunks: a header line split across chunks is the only
 * thing joined (bounded by the 64 KB inline limit), and a bulk argument split
 * across chunks is copied once into a buffer preallocated to its announced
 * length (Redis's PROTO_MBULK_BIG_ARG idea). A multibulk request lying whole
 * in its chunk takes the fast path (whole-request.ts) instead; one that does
 * not (usually the last of a chunk) is scanned by the fast path, refused, and
 * then decoded here from the same byte.
 *
 * Grammar accepted (networking.c processMultibulkBuffer / processInlineBuffer):
 *
 *   request  = multibulk | inline
 *   multibulk= "*" <count> CRLF ( "$" <len> CRLF <len bytes> <2 bytes, not checked> ){count}
 *   inline   = <bytes up to LF, optional CR stripped, split like sdssplitargs>
 *
 * Limits and errors are Redis's own, word for word; every error is fatal for
 * the connection (Redis replies and closes after the reply):
 *   - a header line without CR after 64 KB    -> "too big mbulk count string" / "too big bulk count string"
 *   - an inline request without LF after 64 KB -> "too big inline request"
 *   - count not an integer or > INT_MAX       -> "invalid multibulk length"
 *   - count > 10 before authentication        -> "unauthenticated multibulk length"
 *   - bulk header not starting with '$'       -> "expected '$', got 'x'"
 *   - len not an integer, < 0, > proto-max-bulk-len -> "invalid bulk length"
 *   - len > 16384 before authentication       -> "unauthenticated bulk length"
 *   - unbalanced quotes in an inline request  -> "unbalanced quotes in request"
 *
 * A NUL byte before the end of a header or inline line stalls the
 * connection, as in Redis: it finds a line's end with strchr on its query
 * buffer, which stops at the NUL, so the line never ends. Nothing more is
 * answered until 64 KB have piled up, then the "too big" error of that line
 * kind closes the connection. (`\xff\xfe\x00\r\n` gets no reply at all.)
 *
 * Arguments are produced as latin1 ("binary") strings: one char per byte, so
 * any byte sequence round-trips and the keyspace can key Maps by them.
 */

import { latin1String } from '../util/latin1';
import { PROTO_INLINE_MAX_SIZE, PROTO_UNAUTH_MAX_BULK, PROTO_UNAUTH_MAX_MULTIBULK } from './request-limits';
import { CommandNames, readWholeRequest, type ArgumentBytes, type FastPathLimits, type WholeRequest } from './whole-request';

export { PROTO_INLINE_MAX_SIZE, PROTO_UNAUTH_MAX_BULK, PROTO_UNAUTH_MAX_MULTIBULK };
const INT_MAX = 2147483647;

const CR = 13;
const LF = 10;
const NUL = 0;
/** findLine's "no complete line yet" (-1 is a valid position: a CR ending the previous chunk). */
const NO_LINE = -2;

/**
 * A malformed request. `message` is the reply's text; `reason` is the text
 * Redis's setProtocolError logs for it (not always the reply's words), and
 * `input` the unparsed input from the start of the offending line (its
 * c->querybuf + c->qb_pos): both for the log line of protocol-error-log.ts.
 */
export class ProtocolError extends Error {
  constructor(message: string, readonly reason: string, readonly input: Buffer) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** The reason of an inline line from a master (processInlineBuffer). */
export const MASTER_INLINE_REASON = 'Master using the inline protocol. Desync?';

/** The input from a line's start: its bytes held from earlier chunks, then the chunk from `from` on. */
function failure(message: string, reason: string, held: readonly Buffer[], chunk: Buffer, from: number): ProtocolError {
  const rest = chunk.subarray(from);
  return new ProtocolError(message, reason, held.length === 0 ? Buffer.from(rest) : Buffer.concat([...held, rest]));
}

export interface RequestDecoderOptions {
  /** Upper bound of one bulk argument (config proto-max-bulk-len). Ignored in master mode. */
  maxBulkLength: number;
  /** When false, the unauthenticated limits apply. Re-read before every request header. */
  isAuthenticated: () => boolean;
  /**
   * Master mode: the peer is our replication master. No size limits apply,
   * and inline requests other than a bare newline are a protocol desync.
   */
  masterMode?: boolean;
}

/**
 * Called for every complete request, in order: its arguments, the exact
 * number of bytes it occupied on the wire (for replication offsets), and
 * whether it was an inline request (an empty line is reported with argv []).
 * Returning false stops decoding. Plain arguments rather than a request
 * object: this runs once per request on the hottest path.
 */
export type RequestHandler = (argv: string[], wireLength: number, inline: boolean) => boolean | void;

const enum State {
  RequestStart,
  MultibulkCount,
  BulkHeader,
  BulkBody,
  Inline,
}

export class RequestDecoder {
  private state: State = State.RequestStart;
  /** Bytes of a header/inline line not yet terminated, from earlier chunks. */
  private partialLine: Buffer[] = [];
  private partialLineLength = 0;
  private remainingArgs = 0;
  private argv: string[] = [];
  private bulkLength = 0;
  /** Preallocated buffer for a bulk argument that spans chunks. */
  private bulkBuffer: Buffer | null = null;
  private bulkFilled = 0;
  private wireLength = 0;
  /** The current header line: bytes [lineStart, lineEnd) of `line`. */
  private line: Buffer = Buffer.alloc(0);
  /** The current line has a NUL before its end: it never ends (see the header comment). */
  private stalled = false;
  private lineStart = 0;
  private lineEnd = 0;
  /** Reuses the strings of repeated leading arguments (both paths). */
  private readonly names = new CommandNames();
  private readonly fastPathLimits: FastPathLimits;
  private readonly whole: WholeRequest = { end: 0 };

  constructor(private readonly options: RequestDecoderOptions) {
    this.fastPathLimits = {
      maxBulkLength: options.maxBulkLength,
      masterMode: options.masterMode === true,
      isAuthenticated: options.isAuthenticated,
    };
  }

  /** True when no partial request is buffered (used by tests and by the master link). */
  get isIdle(): boolean {
    return this.state === State.RequestStart && this.partialLineLength === 0;
  }

  /** Bytes of unparsed input held between chunks (a header line's start, a bulk argument's part). */
  get heldBytes(): number {
    return this.partialLineLength + (this.bulkBuffer !== null ? this.bulkFilled : 0);
  }

  /** The bytes of the last request's leading arguments (whole-request.ts ArgumentBytes). */
  get argumentBytes(): ArgumentBytes {
    return this.names;
  }

  /** The length of the bulk argument being received, or -1 (Redis's c->bulklen). */
  get bulkInProgress(): number {
    return this.state === State.BulkBody ? this.bulkLength : -1;
  }

  /** The arguments already parsed of a request not yet complete: count and bytes (CLIENT LIST argv-mem). */
  pendingArguments(): { count: number; bytes: number } {
    if (this.state !== State.BulkHeader && this.state !== State.BulkBody) return { count: 0, bytes: 0 };
    let bytes = 0;
    for (const arg of this.argv) bytes += arg.length;
    return { count: this.argv.length, bytes };
  }

  /**
   * Feeds one chunk. `onCommand` is called synchronously for every complete
   * request, in order; it may return false to stop decoding (the remaining
   * bytes of the chunk are then returned so the caller can hand them to another
   * consumer, e.g. when a connection becomes a replica link; a view of the
   * chunk, which a caller whose chunks are reused must copy). Throws
   * ProtocolError on malformed input after delivering every request before it.
   */
  feed(chunk: Buffer, onCommand: RequestHandler): Buffer | null {
    return this.decodeChunk(chunk, onCommand);
  }

  private decodeChunk(chunk: Buffer, onCommand: RequestHandler): Buffer | null {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      switch (this.state) {
        case State.RequestStart: {
          if (chunk[pos] === 0x2a /* '*' */) {
            const argv = readWholeRequest(chunk, pos, this.fastPathLimits, this.names, this.whole);
            if (argv !== null) {
              const wireLength = this.whole.end - pos;
              pos = this.whole.end;
              if (onCommand(argv, wireLength, false) === false) return chunk.subarray(pos);
              break;
            }
            this.state = State.MultibulkCount;
            this.wireLength = 0;
          } else {
            this.state = State.Inline;
            this.wireLength = 0;
          }
          break;
        }
        case State.MultibulkCount: {
          // The line's bytes from earlier chunks (takeLine lets go of them) and its start here, for a failure.
          const held = this.partialLine;
          const from = pos;
          const lineEnd = this.findLine(chunk, pos, 'too big mbulk count string');
          if (lineEnd === NO_LINE) return null;
          this.takeLine(chunk, pos, lineEnd);
          pos = lineEnd + 2;
          const count = parseStrictInteger(this.line, this.lineStart + 1, this.lineEnd);
          if (count === null || count > INT_MAX) throw failure('Protocol error: invalid multibulk length', 'invalid mbulk count', held, chunk, from);
          if (!this.options.masterMode && count > PROTO_UNAUTH_MAX_MULTIBULK && !this.options.isAuthenticated()) {
            throw failure('Protocol error: unauthenticated multibulk length', 'unauth mbulk count', held, chunk, from);
          }
          if (count <= 0) {
            // "*0" and "*-1" are empty requests: consumed, nothing to run.
            this.state = State.RequestStart;
            if (this.deliver([], false, onCommand) === false) return chunk.subarray(pos);
            break;
          }
          this.remainingArgs = count;
          this.argv = [];
          this.state = State.BulkHeader;
          break;
        }
        case State.BulkHeader: {
          const held = this.partialLine;
          const from = pos;
          const lineEnd = this.findLine(chunk, pos, 'too big bulk count string');
          if (lineEnd === NO_LINE) return null;
          this.takeLine(chunk, pos, lineEnd);
          pos = lineEnd + 2;
          const first = this.line[this.lineStart];
          if (first !== 0x24 /* '$' */) {
            throw failure(`Protocol error: expected '$', got '${String.fromCharCode(first ?? 0)}'`, 'expected $ but got something else', held, chunk, from);
          }
          const length = parseStrictInteger(this.line, this.lineStart + 1, this.lineEnd);
          if (length === null || length < 0 || (!this.options.masterMode && length > this.options.maxBulkLength)) {
            throw failure('Protocol error: invalid bulk length', 'invalid bulk length', held, chunk, from);
          }
          if (!this.options.masterMode && length > PROTO_UNAUTH_MAX_BULK && !this.options.isAuthenticated()) {
            throw failure('Protocol error: unauthenticated bulk length', 'unauth bulk length', held, chunk, from);
          }
          this.bulkLength = length;
          this.bulkBuffer = null;
          this.bulkFilled = 0;
          this.state = State.BulkBody;
          break;
        }
        case State.BulkBody: {
          // Need bulkLength bytes of data plus the 2 trailing bytes, which Redis
          // skips without checking; we do the same to stay byte-compatible.
          const needed = this.bulkLength + 2;
          if (this.bulkBuffer === null && end - pos >= needed) {
            this.argv.push(this.names.decode(chunk, pos, this.bulkLength, this.argv.length));
            pos += needed;
            this.wireLength += needed;
          } else {
            if (this.bulkBuffer === null) this.bulkBuffer = Buffer.allocUnsafe(needed);
            const take = Math.min(needed - this.bulkFilled, end - pos);
            chunk.copy(this.bulkBuffer, this.bulkFilled, pos, pos + take);
            this.bulkFilled += take;
            pos += take;
            this.wireLength += take;
            if (this.bulkFilled < needed) return null;
            this.argv.push(latin1String(this.bulkBuffer, 0, this.bulkLength));
            this.bulkBuffer = null;
          }
          this.remainingArgs--;
          if (this.remainingArgs === 0) {
            const argv = this.argv;
            this.argv = [];
            this.state = State.RequestStart;
            if (this.deliver(argv, false, onCommand) === false) return chunk.subarray(pos);
          } else {
            this.state = State.BulkHeader;
          }
          break;
        }
        case State.Inline: {
          let lf = pos;
          if (!this.stalled) {
            while (lf < end && chunk[lf] !== LF && chunk[lf] !== NUL) lf++;
            if (lf < end && chunk[lf] === NUL) this.stalled = true;
          }
          if (this.stalled || lf >= end) {
            this.appendPartial(chunk.subarray(pos));
            if (this.partialLineLength > PROTO_INLINE_MAX_SIZE) {
              throw failure('Protocol error: too big inline request', 'too big inline request', this.partialLine, chunk, end);
            }
            return null;
          }
          const held = this.partialLine;
          const from = pos;
          const line = this.joinPartial(chunk, pos, lf);
          pos = lf + 1;
          this.wireLength = line.length + 1;
          let lineLength = line.length;
          if (lineLength > 0 && line[lineLength - 1] === CR) lineLength--;
          const argv = splitInlineArguments(line, lineLength);
          if (argv === null) throw failure('Protocol error: unbalanced quotes in request', 'unbalanced quotes in inline request', held, chunk, from);
          // A master may send an empty line (keepalive); any other inline line, whitespace only
          // included, is a desync there (processInlineBuffer tests querylen, not argc).
          if (this.options.masterMode && lineLength > 0) {
            throw failure(`Protocol error: ${MASTER_INLINE_REASON}`, MASTER_INLINE_REASON, held, chunk, from);
          }
          this.state = State.RequestStart;
          if (this.deliver(argv, true, onCommand) === false) return chunk.subarray(pos);
          break;
        }
      }
    }
    return null;
  }

  private deliver(argv: string[], inline: boolean, onCommand: RequestHandler): boolean {
    const wireLength = this.wireLength;
    this.wireLength = 0;
    return onCommand(argv, wireLength, inline) !== false;
  }

  /**
   * Finds the CR LF ending a header line that starts at `pos` (or continues a
   * partial line from earlier chunks). Returns the index of CR in `chunk`
   * (pos - 1 when the CR ended the previous chunk), or NO_LINE after saving
   * the partial line. Like Redis, a header needs its CR and
   * one more byte; the byte after CR is assumed to be LF.
   */
  private findLine(chunk: Buffer, pos: number, tooBigMessage: string): number {
    // A partial line may end with CR, with its LF being chunk[pos]: report the
    // CR as sitting just before this chunk (takeLine knows this case).
    if (this.partialLineLength > 0 && !this.stalled) {
      const last = this.partialLine[this.partialLine.length - 1]!;
      if (last[last.length - 1] === CR) return pos - 1;
    }
    // Header lines are a few bytes: a loop beats indexOf's native call here.
    let cr = pos;
    const end = chunk.length;
    if (!this.stalled) {
      while (cr < end && chunk[cr] !== CR && chunk[cr] !== NUL) cr++;
      if (cr < end && chunk[cr] === NUL) this.stalled = true;
    }
    if (this.stalled || cr + 1 >= end) {
      // No CR yet, a NUL before it (never ends), or CR is the very last byte: wait for more.
      this.appendPartial(chunk.subarray(pos));
      if (this.partialLineLength > PROTO_INLINE_MAX_SIZE) {
        throw failure(`Protocol error: ${tooBigMessage}`, tooBigMessage, this.partialLine, chunk, chunk.length);
      }
      return NO_LINE;
    }
    return cr;
  }

  /**
   * Points line/lineStart/lineEnd at the header line (without CR LF) ending at
   * `cr`. In the common case that is a range of the chunk itself (no
   * allocation); a line split across chunks is joined once.
   */
  private takeLine(chunk: Buffer, pos: number, cr: number): void {
    if (this.partialLineLength > 0) {
      let joined: Buffer;
      if (cr < pos) {
        // CR was the last byte of the partial data.
        const all = Buffer.concat(this.partialLine, this.partialLineLength);
        joined = all.subarray(0, all.length - 1);
      } else {
        joined = Buffer.concat([...this.partialLine, chunk.subarray(pos, cr)], this.partialLineLength + cr - pos);
      }
      this.partialLine = [];
      this.partialLineLength = 0;
      this.line = joined;
      this.lineStart = 0;
      this.lineEnd = joined.length;
    } else {
      this.line = chunk;
      this.lineStart = pos;
      this.lineEnd = cr;
    }
    this.wireLength += this.lineEnd - this.lineStart + 2;
  }

  /** Keeps a copy: a chunk may be a connection's shared read buffer, overwritten by the next read. */
  private appendPartial(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partialLine.push(Buffer.from(piece));
    this.partialLineLength += piece.length;
  }

  private joinPartial(chunk: Buffer, pos: number, lf: number): Buffer {
    if (this.partialLineLength === 0) return chunk.subarray(pos, lf);
    const line = Buffer.concat([...this.partialLine, chunk.subarray(pos, lf)], this.partialLineLength + lf - pos);
    this.partialLine = [];
    this.partialLineLength = 0;
    return line;
  }
}

/**
 * Parses a decimal integer the way Redis's string2ll does: optional '-', no
 * '+', no leading zeros (except "0" itself), no spaces, must fit in int64.
 * Returns null when the text is not such an integer. Values beyond 2^53 are
 * rejected too: they are never valid lengths or counts here.
 */
export function parseStrictInteger(bytes: Buffer, start: number, end: number): number | null {
  if (start >= end) return null;
  let pos = start;
  let negative = false;
  if (bytes[pos] === 0x2d /* '-' */) {
    negative = true;
    pos++;
    if (pos >= end) return null;
  }
  const first = bytes[pos]!;
  if (first === 0x30 /* '0' */) {
    return pos + 1 === end && !negative ? 0 : null;
  }
  if (first < 0x31 || first > 0x39) return null;
  let value = 0;
  for (; pos < end; pos++) {
    const digit = bytes[pos]! - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
    if (value > Number.MAX_SAFE_INTEGER) return null;
  }
  return negative ? -value : value;
}

/**
 * Splits an inline request like Redis's sdssplitargs: whitespace separates
 * arguments; "double quotes" support \n \r \t \b \a \\ \" and \xHH escapes;
 * 'single quotes' support \' only; a closing quote must be followed by a
 * space or the end. Returns null for unbalanced quotes.
 *
 * "Whitespace" is isspace() before an argument and after a closing quote,
 * but an unquoted argument ends only at ' ', \t, \n or \r: a \v or \f
 * inside one is part of it (`loglevel\vwarning` is one word there).
 */
export function splitInlineArguments(line: Buffer, length: number): string[] | null {
  const args: string[] = [];
  let pos = 0;
  const isSpace = (c: number | undefined): boolean =>
    c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
  const endsWord = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  for (;;) {
    while (pos < length && isSpace(line[pos])) pos++;
    if (pos >= length) return args;
    let inDoubleQuotes = false;
    let inSingleQuotes = false;
    let done = false;
    const current: number[] = [];
    while (!done) {
      const c = pos < length ? line[pos] : undefined;
      if (inDoubleQuotes) {
        if (c === undefined) return null;
        const next = pos + 1 < length ? line[pos + 1] : undefined;
        if (c === 0x5c /* \ */ && next === 0x78 /* x */ && pos + 3 < length && isHex(line[pos + 2]) && isHex(line[pos + 3])) {
          current.push(hexValue(line[pos + 2]!) * 16 + hexValue(line[pos + 3]!));
          pos += 3;
        } else if (c === 0x5c && next !== undefined) {
          pos++;
          switch (next) {
            case 0x6e: current.push(0x0a); break; // n
            case 0x72: current.push(0x0d); break; // r
            case 0x74: current.push(0x09); break; // t
            case 0x62: current.push(0x08); break; // b
            case 0x61: current.push(0x07); break; // a
            default: current.push(next);
          }
        } else if (c === 0x22 /* " */) {
          const after = pos + 1 < length ? line[pos + 1] : undefined;
          if (after !== undefined && !isSpace(after)) return null;
          done = true;
        } else {
          current.push(c);
        }
      } else if (inSingleQuotes) {
        if (c === undefined) return null;
        const next = pos + 1 < length ? line[pos + 1] : undefined;
        if (c === 0x5c && next === 0x27 /* ' */) {
          pos++;
          current.push(0x27);
        } else if (c === 0x27) {
          const after = pos + 1 < length ? line[pos + 1] : undefined;
          if (after !== undefined && !isSpace(after)) return null;
          done = true;
        } else {
          current.push(c);
        }
      } else if (c === undefined || endsWord(c)) {
        done = true;
      } else if (c === 0x22) {
        inDoubleQuotes = true;
      } else if (c === 0x27) {
        inSingleQuotes = true;
      } else {
        current.push(c);
      }
      if (pos < length) pos++;
    }
    args.push(Buffer.from(current).toString('latin1'));
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

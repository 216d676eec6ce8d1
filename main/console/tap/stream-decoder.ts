/**
 * Incremental decoder of a master's replication stream, as a replica reads
 * it after `+CONTINUE`: RESP arrays of bulk strings, one per propagated
 * command (§3.1 of the protocol reference), fed in whatever chunks the socket
 * delivers; a header or an argument may be split anywhere.
 *
 * Invariants:
 *  - `consumed` counts exactly the bytes of complete commands (and of empty
 *    lines between them), so `start offset - 1 + consumed` is the offset of
 *    the last byte of the last complete command: what a replica ACKs.
 *  - Each argument keeps at most `argKeep` bytes (its full length is
 *    reported): a 512 MB value costs the tap neither memory nor copies, only
 *    counting. Views handed to the callback may point into the chunk being
 *    fed and are valid only during the callback.
 *  - Anything that is not the replication stream (an inline command, a
 *    header that is not `*` or `$`, a non-numeric length) throws
 *    StreamProtocolError: the tap stops rather than guess where the next
 *    command starts.
 */

export interface DecodedCommand {
  /** argv; each argument truncated to the decoder's argKeep bytes (views valid during the callback only). */
  readonly args: readonly Buffer[];
  /** The full length of each argument. */
  readonly lengths: readonly number[];
  /** The command's bytes in the stream: how far the offset moves. */
  readonly bytes: number;
}

export class StreamProtocolError extends Error {
  override readonly name = 'StreamProtocolError';
}

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
const MINUS = 0x2d;
/** A header line longer than this is not RESP (`*` or `$` plus at most 20 digits). */
const MAX_HEADER = 32;
/** Arguments past this many are counted, not kept (a DEL of a million keys). */
const MAX_KEPT_ARGS = 10_000;
const EMPTY = Buffer.alloc(0);

type Phase = 'array-header' | 'bulk-header' | 'bulk-body';

export class ReplicationStreamDecoder {
  /** Bytes of complete commands (and empty lines) decoded so far. */
  consumed = 0;
  private phase: Phase = 'array-header';
  /** A header line split across chunks: its bytes so far. */
  private partialHeader: Buffer | null = null;
  private argsLeft = 0;
  private args: Buffer[] = [];
  private lengths: number[] = [];
  private commandBytes = 0;
  /** The bulk being read: bytes of body (+CRLF) still to come, and its kept copy when it spans chunks. */
  private bulkLeft = 0;
  private bulkLength = 0;
  private bulkKept: Buffer | null = null;
  private bulkKeptFilled = 0;

  constructor(
    private readonly onCommand: (command: DecodedCommand) => void,
    private readonly argKeep = 1024,
  ) {}

  /** Bytes received that are not yet part of a complete command. */
  get pendingBytes(): number {
    return this.commandBytes + (this.partialHeader?.length ?? 0);
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.phase === 'bulk-body') {
        pos = this.readBody(chunk, pos);
        continue;
      }
      const lineEnd = chunk.indexOf(LF, pos);
      if (lineEnd < 0) {
        this.keepPartialHeader(chunk.subarray(pos));
        return;
      }
      let line = chunk.subarray(pos, lineEnd + 1);
      if (this.partialHeader !== null) {
        line = Buffer.concat([this.partialHeader, line]);
        this.partialHeader = null;
      }
      pos = lineEnd + 1;
      this.header(line);
    }
  }

  private keepPartialHeader(part: Buffer): void {
    const joined = this.partialHeader === null ? Buffer.from(part) : Buffer.concat([this.partialHeader, part]);
    if (joined.length > MAX_HEADER) throw new StreamProtocolError(`a header line longer than ${MAX_HEADER} bytes: ${printable(joined)}`);
    this.partialHeader = joined;
  }

  /** One complete line (ending in LF) in the array-header or bulk-header phase. */
  private header(line: Buffer): void {
    const length = line.length;
    if (this.phase === 'array-header') {
      // An empty line is a master's keepalive: consumed, no command (as a replica does).
      if (length === 1 || (length === 2 && line[0] === CR)) {
        this.consumed += length;
        return;
      }
      if (line[0] !== STAR) throw new StreamProtocolError(`expected a command (RESP array), got ${printable(line)}`);
      const count = headerNumber(line);
      if (count <= 0) {
        this.consumed += length; // `*0` / `*-1`: nothing to run, as Redis skips it
        return;
      }
      this.argsLeft = count;
      this.args = [];
      this.lengths = [];
      this.commandBytes = length;
      this.phase = 'bulk-header';
      return;
    }
    if (line[0] !== DOLLAR) throw new StreamProtocolError(`expected an argument (RESP bulk string), got ${printable(line)}`);
    const size = headerNumber(line);
    if (size < 0) throw new StreamProtocolError(`negative argument length in ${printable(line)}`);
    this.commandBytes += length;
    this.bulkLength = size;
    this.bulkLeft = size + 2;
    this.bulkKept = null;
    this.bulkKeptFilled = 0;
    this.phase = 'bulk-body';
  }

  /** Reads body bytes (and the closing CRLF) of the current bulk from `pos`; returns the new position. */
  private readBody(chunk: Buffer, pos: number): number {
    const available = chunk.length - pos;
    const keep = Math.min(this.bulkLength, this.argKeep);
    const bodyStart = this.bulkLength + 2 - this.bulkLeft; // how much of the body was read before this chunk
    if (bodyStart === 0 && available >= this.bulkLeft) {
      // The whole bulk is in this chunk: a view, no copy.
      this.pushArg(chunk.subarray(pos, pos + keep));
      this.checkCrlf(chunk, pos + this.bulkLength);
      const taken = this.bulkLeft;
      this.commandBytes += taken;
      this.bulkLeft = 0;
      return this.argDone(pos + taken);
    }
    const take = Math.min(available, this.bulkLeft);
    if (bodyStart < keep) {
      this.bulkKept ??= Buffer.allocUnsafe(keep);
      const copyEnd = Math.min(take, keep - bodyStart);
      chunk.copy(this.bulkKept, bodyStart, pos, pos + copyEnd);
      this.bulkKeptFilled = bodyStart + copyEnd;
    }
    // The closing CRLF may come with this chunk, split across two, or later: check the part of it that is here.
    for (let at = Math.max(bodyStart, this.bulkLength); at < bodyStart + take; at++) {
      if (chunk[pos + at - bodyStart] !== (at === this.bulkLength ? CR : LF)) throw new StreamProtocolError('an argument not followed by CRLF');
    }
    this.bulkLeft -= take;
    this.commandBytes += take;
    if (this.bulkLeft > 0) return pos + take;
    this.pushArg(this.bulkKept === null ? EMPTY : this.bulkKept.subarray(0, this.bulkKeptFilled));
    this.bulkKept = null;
    return this.argDone(pos + take);
  }

  private checkCrlf(chunk: Buffer, at: number): void {
    if (chunk[at] !== CR || chunk[at + 1] !== LF) throw new StreamProtocolError('an argument not followed by CRLF');
  }

  private pushArg(value: Buffer): void {
    if (this.args.length < MAX_KEPT_ARGS) {
      this.args.push(value);
      this.lengths.push(this.bulkLength);
    }
  }

  /** One argument finished: the next header, or the command when it was the last. */
  private argDone(pos: number): number {
    this.argsLeft--;
    if (this.argsLeft > 0) {
      this.phase = 'bulk-header';
      return pos;
    }
    const bytes = this.commandBytes;
    this.consumed += bytes;
    this.commandBytes = 0;
    this.phase = 'array-header';
    const command: DecodedCommand = { args: this.args, lengths: this.lengths, bytes };
    this.args = [];
    this.lengths = [];
    this.onCommand(command);
    return pos;
  }
}

/** The integer after the type byte of a header line ending in CRLF (or LF). */
function headerNumber(line: Buffer): number {
  let end = line.length - 1; // the LF
  if (line[end - 1] === CR) end--;
  let index = 1;
  let negative = false;
  if (line[index] === MINUS) {
    negative = true;
    index++;
  }
  if (index >= end || end - index > 19) throw new StreamProtocolError(`not a length: ${printable(line)}`);
  let value = 0;
  for (; index < end; index++) {
    const digit = line[index]! - 0x30;
    if (digit < 0 || digit > 9) throw new StreamProtocolError(`not a length: ${printable(line)}`);
    value = value * 10 + digit;
  }
  if (!Number.isSafeInteger(value)) throw new StreamProtocolError(`length out of range: ${printable(line)}`);
  return negative ? -value : value;
}

/** At most 40 bytes, non-printable ones as \xNN, for error messages. */
export function printable(data: Buffer): string {
  return JSON.stringify(data.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

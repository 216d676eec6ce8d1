/**
 * Counts complete top-level RESP2 replies in the byte stream a pipelining
 * client receives (the demo's load worker: one reply per command sent, an
 * error reply counted as a failed write). Bulk strings are skipped by their
 * length (a value may hold a newline) and arrays element by element, so a
 * command with a nested reply (XREADGROUP, XADD's bulk ID) counts once. A
 * reply cut by a chunk boundary is kept and parsed again whole with the
 * next chunk.
 */
const LF = 0x0a;
const DOLLAR = 0x24;
const STAR = 0x2a;
const MINUS = 0x2d;

/** The header's integer ("$12\r\n", "*3\r\n"): from after the type byte to the CR. */
function headerNumber(buf: Buffer, from: number, lf: number): number {
  return Number.parseInt(buf.toString('latin1', from, lf - 1), 10);
}

/** The index right after the reply starting at `pos`, or -1 when it is not complete yet. */
function replyEnd(buf: Buffer, pos: number): number {
  const lf = buf.indexOf(LF, pos);
  if (lf < 0) return -1;
  const type = buf[pos];
  if (type === DOLLAR) {
    const length = headerNumber(buf, pos + 1, lf);
    if (length < 0) return lf + 1; // null bulk
    const end = lf + 1 + length + 2;
    return end <= buf.length ? end : -1;
  }
  if (type === STAR) {
    const count = headerNumber(buf, pos + 1, lf);
    let at = lf + 1;
    for (let i = 0; i < count; i++) {
      at = replyEnd(buf, at);
      if (at < 0) return -1;
    }
    return at;
  }
  return lf + 1; // +simple, -error, :integer (one line each)
}

export class ReplyCounter {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds received bytes; calls `onReply` once per complete reply, with the error text for an error reply. */
  feed(chunk: Buffer, onReply: (error: string | null) => void): void {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (pos < buf.length) {
      const end = replyEnd(buf, pos);
      if (end < 0) break;
      onReply(buf[pos] === MINUS ? buf.toString('latin1', pos + 1, buf.indexOf(LF, pos) - 1) : null);
      pos = end;
    }
    this.pending = buf.subarray(pos);
  }

  /** Forgets a partial reply (the connection was replaced). */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

/**
 * Exact line reading for the replica's handshake: lines end at LF (an
 * optional CR before it is stripped), and whatever follows a line stays
 * buffered for the next stage, byte for byte. A 7.0 replica reads the PSYNC
 * reply one byte at a time for the same reason: nothing after the line may be
 * consumed by the line reader.
 */
const LF = 10;
const MAX_LINE = 64 * 1024;

export class LineReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next complete line without its terminator, or null (throws on absurdly long lines). */
  readLine(): string | null {
    const lf = this.pending.indexOf(LF);
    if (lf < 0) {
      if (this.pending.length > MAX_LINE) throw new Error('line from master too long');
      return null;
    }
    const end = lf > 0 && this.pending[lf - 1] === 13 ? lf - 1 : lf;
    const line = this.pending.toString('latin1', 0, end);
    this.pending = this.pending.subarray(lf + 1);
    return line;
  }

  /** Everything buffered and not consumed as a line; empties the reader. */
  takeRest(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }

  get buffered(): number {
    return this.pending.length;
  }
}

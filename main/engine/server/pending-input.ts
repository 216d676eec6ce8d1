/**
 * What a blocked client sent while it waited (BLPOP ... with more commands
 * pipelined behind it, or simply more input), run once it is served.
 * Redis keeps reading a blocked client into its querybuf and parses it
 * only after the client is unblocked; so does the engine (tcp-server.ts),
 * so that the peer's close is seen at once.
 *
 * Invariant: the chunks are kept as they came (each a copy: a chunk may be
 * a view of the shared read buffer) and joined once, when the client is
 * served. Joining at every read would make a client that keeps sending
 * while blocked cost copies quadratic in what it sent. What is kept counts
 * in the client's query buffer, so client-query-buffer-limit bounds it.
 */
export class PendingInput {
  private chunks: Buffer[] = [];
  private bytes = 0;

  get length(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.bytes === 0;
  }

  keepCopyOf(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.from(chunk));
    this.bytes += chunk.length;
  }

  /** All of it as one buffer, leaving nothing kept; null when empty. */
  take(): Buffer | null {
    if (this.bytes === 0) return null;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    return all;
  }

  /** Its first `count` bytes (the log line of a client closed over the query buffer limit). */
  head(count: number): Buffer {
    const parts: Buffer[] = [];
    let left = count;
    for (const chunk of this.chunks) {
      if (left <= 0) break;
      parts.push(chunk.subarray(0, left));
      left -= chunk.length;
    }
    return Buffer.concat(parts);
  }
}

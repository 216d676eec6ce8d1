/**
 * A growable byte buffer that replies are encoded into. One per connection;
 * `take()` hands the encoded bytes to the socket (copied into a right-sized
 * buffer, which is cheap for the small replies that dominate, while a large
 * buffer is handed over whole and replaced).
 */
const INITIAL_SIZE = 16 * 1024;
const HAND_OVER_THRESHOLD = 64 * 1024;

export class OutputBuffer {
  private buffer: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private length = 0;

  get size(): number {
    return this.length;
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Appends an ASCII/latin1 string (protocol text or binary-safe latin1 data). */
  writeLatin1(text: string): void {
    const byteLength = text.length;
    this.ensure(byteLength);
    if (byteLength < 16) {
      for (let i = 0; i < byteLength; i++) this.buffer[this.length + i] = text.charCodeAt(i);
    } else {
      this.buffer.write(text, this.length, byteLength, 'latin1');
    }
    this.length += byteLength;
  }

  writeBytes(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** Returns the bytes written since the last take() and resets the buffer. */
  take(): Buffer {
    if (this.length >= HAND_OVER_THRESHOLD) {
      const out = this.buffer.subarray(0, this.length);
      this.buffer = Buffer.allocUnsafe(INITIAL_SIZE);
      this.length = 0;
      return out;
    }
    const out = Buffer.allocUnsafe(this.length);
    this.buffer.copy(out, 0, 0, this.length);
    this.length = 0;
    return out;
  }
}

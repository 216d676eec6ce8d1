/**
 * Strings up to this long are copied char by char: Buffer#write's own cost
 * per call (~150 ns) is more than such a loop's, and short keys and values
 * are most of what a snapshot writes.
 */
const SHORT_LATIN1 = 24;

/**
 * A growable byte buffer for building RDB bytes: numbers in the widths the
 * format uses, latin1 strings, and whole buffers. `drain()` hands over what
 * was written and starts again.
 */
export class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

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

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Each char's low byte, as Buffer#write's 'latin1' writes it (the keyspace's strings are latin1: one char per byte). */
  latin1(text: string): void {
    const length = text.length;
    this.ensure(length);
    if (length <= SHORT_LATIN1) {
      const buffer = this.buffer;
      const start = this.length;
      for (let i = 0; i < length; i++) buffer[start + i] = text.charCodeAt(i);
      this.length = start + length;
      return;
    }
    this.length += this.buffer.write(text, this.length, length, 'latin1');
  }

  uint32BE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
  }

  uint32LE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  int64LE(value: bigint): void {
    this.ensure(8);
    this.buffer.writeBigInt64LE(value, this.length);
    this.length += 8;
  }

  uint64BE(value: bigint): void {
    this.ensure(8);
    this.buffer.writeBigUInt64BE(value, this.length);
    this.length += 8;
  }

  doubleLE(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** Returns a copy of the bytes written so far and resets. */
  drain(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    this.buffer.copy(out, 0, 0, this.length);
    this.length = 0;
    return out;
  }
}

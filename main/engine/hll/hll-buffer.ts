/**
 * An HLL value while a command changes it: its bytes in a Buffer with room
 * to grow, like the sds string Redis edits in place. `bytes[length]` is
 * kept 0, the NUL that ends every sds string, which Redis's register code
 * reads past the end of the value (the last dense register, the second byte
 * of a truncated XZERO opcode).
 *
 * A dense HLL stays in the keyspace as its HllBuffer once a PF command has
 * changed it (held-bytes.ts), so the next PF command edits the same bytes.
 */
import { HeldBytes } from '../keyspace/held-bytes';
import { latin1String } from '../util/latin1';
import { ENCODING_OFFSET, HLL_DENSE } from './hll-layout';

export class HllBuffer extends HeldBytes {
  private constructor(
    public bytes: Buffer,
    public length: number,
  ) {
    super();
  }

  /** A copy of a string value, with `room` spare bytes. */
  static of(value: string, room = 4): HllBuffer {
    const bytes = Buffer.alloc(value.length + room + 1);
    bytes.write(value, 0, 'latin1');
    return new HllBuffer(bytes, value.length);
  }

  /** `length` zero bytes (sdsnewlen(NULL, length)). */
  static zeroed(length: number): HllBuffer {
    return new HllBuffer(Buffer.alloc(length + 1), length);
  }

  /** sdsMakeRoomFor: at least `extra` bytes past the end, plus the NUL. */
  reserve(extra: number): void {
    if (this.length + extra + 1 <= this.bytes.length) return;
    const grown = Buffer.alloc(Math.max(this.length + extra + 1, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  /** sdsIncrLen: moves the end (the caller has reserved room when growing). */
  resize(length: number): void {
    this.length = length;
    this.bytes[length] = 0;
  }

  /** Takes the contents of another buffer (a sparse value promoted to dense). */
  replaceWith(other: HllBuffer): void {
    this.bytes = other.bytes;
    this.length = other.length;
  }

  isDense(): boolean {
    return this.bytes[ENCODING_OFFSET] === HLL_DENSE;
  }

  override byteLength(): number {
    return this.length;
  }

  toValue(): string {
    return latin1String(this.bytes, 0, this.length);
  }
}

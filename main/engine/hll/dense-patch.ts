/**
 * Register writes to a dense HLL kept as a patch over its string value,
 * then made into the new value without copying the 12 KB the writes left
 * alone.
 *
 * Why: the keyspace holds an HLL as a string (it is one: GET, DUMP, RDB and
 * DEBUG DIGEST see Redis's bytes), and a JS string cannot be changed in
 * place. Copying it into a Buffer, writing a register and copying it back
 * cost two 12 KB copies and an off-heap allocation per PFADD that changed a
 * register, most of the PFADD's time while an HLL fills (1.6 us of 2.5).
 * Here the new value is the old one's unchanged runs (slices, which V8
 * makes without copying) joined by `+` (a rope) around the few changed
 * bytes. V8 flattens the rope once, in one native copy, the next time a
 * byte of it is read (the next PFADD's register read, a PFCOUNT, a GET).
 *
 * Past MAX_PATCHED_BYTES changed bytes (one PFADD of many elements) the
 * value is rebuilt in a Buffer instead: a rope of thousands of pieces costs
 * more to build and to flatten than the two copies.
 */
import { HllBuffer } from './hll-buffer';
import { CARDINALITY_OFFSET, HLL_BITS, HLL_HEADER_SIZE, HLL_REGISTER_MAX } from './hll-layout';

const MAX_PATCHED_BYTES = 64;

export class DensePatch {
  /** Byte offset -> new byte, for the bytes changed so far. */
  private readonly patched = new Map<number, number>();

  constructor(private readonly value: string) {}

  /** The byte at `at` as patched (0 past the end, like the sds NUL). */
  private byteAt(at: number): number {
    return this.patched.get(at) ?? (this.value.charCodeAt(at) | 0);
  }

  /** HLL_DENSE_GET_REGISTER with the writes so far. */
  register(index: number): number {
    const bit = index * HLL_BITS;
    const at = HLL_HEADER_SIZE + (bit >>> 3);
    const shift = bit & 7;
    return ((this.byteAt(at) >>> shift) | (this.byteAt(at + 1) << (8 - shift))) & HLL_REGISTER_MAX;
  }

  /** HLL_DENSE_SET_REGISTER: `count` is 0..63; the byte past the value's end is not part of it. */
  setRegister(index: number, count: number): void {
    const bit = index * HLL_BITS;
    const at = HLL_HEADER_SIZE + (bit >>> 3);
    const shift = bit & 7;
    const shift8 = 8 - shift;
    this.patched.set(at, ((this.byteAt(at) & ~(HLL_REGISTER_MAX << shift)) | (count << shift)) & 0xff);
    if (at + 1 < this.value.length) this.patched.set(at + 1, ((this.byteAt(at + 1) & ~(HLL_REGISTER_MAX >> shift8)) | (count >> shift8)) & 0xff);
  }

  /** HLL_INVALIDATE_CACHE: the top bit of the cached cardinality's last byte. */
  invalidateCache(): void {
    const last = CARDINALITY_OFFSET + 7;
    this.patched.set(last, this.byteAt(last) | 0x80);
  }

  /** The patched value. */
  toValue(): string {
    const value = this.value;
    if (this.patched.size > MAX_PATCHED_BYTES) {
      const rebuilt = HllBuffer.of(value, 0);
      for (const [at, byte] of this.patched) rebuilt.bytes[at] = byte;
      return rebuilt.toValue();
    }
    const offsets = [...this.patched.keys()].sort((a, b) => a - b);
    let result = '';
    let copiedTo = 0;
    for (let i = 0; i < offsets.length; ) {
      // A run of consecutive changed bytes becomes one short string.
      const start = offsets[i]!;
      let end = start + 1;
      let run = String.fromCharCode(this.patched.get(start)!);
      for (i++; i < offsets.length && offsets[i] === end; i++, end++) run += String.fromCharCode(this.patched.get(end)!);
      result += value.slice(copiedTo, start) + run;
      copiedTo = end;
    }
    return result + value.slice(copiedTo);
  }
}

/**
 * CRC-64 as Redis computes it (crc64.c, the "Jones" polynomial): width 64,
 * polynomial 0xad93d23594c935a9 used in reflected form 0x95ac9329ac4bc9b5,
 * reflected input and output, initial value 0, no final xor. Check value:
 * crc64("123456789") = 0xe9c6d914c4b8d9ca. RDB files and DUMP payloads store
 * it as 8 bytes little-endian.
 *
 * Speed: slice-by-8 over two 32-bit halves (no BigInt in the loop): eight
 * tables T0..T7, where T_k[b] is the CRC contribution of byte b followed by
 * k zero bytes, fold eight input bytes per step. Tables and halves are kept
 * as signed int32 so V8 stays on small-integer arithmetic (uint32 values
 * above 2^31 would become heap doubles).
 */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

const TABLE_HI: Uint32Array[] = [];
const TABLE_LO: Uint32Array[] = [];

function buildTables(): void {
  const hi0 = new Uint32Array(256);
  const lo0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    hi0[i] = hi;
    lo0[i] = lo;
  }
  TABLE_HI.push(hi0);
  TABLE_LO.push(lo0);
  for (let k = 1; k < 8; k++) {
    const prevHi = TABLE_HI[k - 1]!;
    const prevLo = TABLE_LO[k - 1]!;
    const hi = new Uint32Array(256);
    const lo = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      const h = prevHi[i]!;
      const l = prevLo[i]!;
      const index = l & 0xff;
      lo[i] = (lo0[index]! ^ ((l >>> 8) | (h << 24))) >>> 0;
      hi[i] = (hi0[index]! ^ (h >>> 8)) >>> 0;
    }
    TABLE_HI.push(hi);
    TABLE_LO.push(lo);
  }
}
buildTables();

const signed = (table: Uint32Array): Int32Array => new Int32Array(table.buffer);
const [H0, H1, H2, H3, H4, H5, H6, H7] = TABLE_HI.map(signed) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
const [L0, L1, L2, L3, L4, L5, L6, L7] = TABLE_LO.map(signed) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];

/** A running CRC-64 (update with chunks, read the result as 8 LE bytes or a bigint). */
export class Crc64 {
  private hi = 0;
  private lo = 0;

  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let hi = this.hi | 0;
    let lo = this.lo | 0;
    let i = start;
    // Bytes one at a time up to a 4-byte boundary of the underlying memory,
    // then whole 8-byte groups read as two little-endian int32 words (two
    // loads instead of eight byte loads and shifts; every platform Node
    // runs the engine on is little-endian), then the tail byte by byte.
    for (; i < end && ((bytes.byteOffset + i) & 3) !== 0; i++) {
      const index = (lo ^ bytes[i]!) & 0xff;
      lo = L0[index]! ^ ((lo >>> 8) | (hi << 24));
      hi = H0[index]! ^ (hi >>> 8);
    }
    const groups = (end - i) >> 3;
    if (groups > 0) {
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, groups * 2);
      for (let w = 0; w < words.length; w += 2) {
        const xl = lo ^ words[w]!;
        const xh = hi ^ words[w + 1]!;
        lo = L7[xl & 0xff]! ^ L6[(xl >> 8) & 0xff]! ^ L5[(xl >> 16) & 0xff]! ^ L4[(xl >>> 24)]! ^
          L3[xh & 0xff]! ^ L2[(xh >> 8) & 0xff]! ^ L1[(xh >> 16) & 0xff]! ^ L0[(xh >>> 24)]!;
        hi = H7[xl & 0xff]! ^ H6[(xl >> 8) & 0xff]! ^ H5[(xl >> 16) & 0xff]! ^ H4[(xl >>> 24)]! ^
          H3[xh & 0xff]! ^ H2[(xh >> 8) & 0xff]! ^ H1[(xh >> 16) & 0xff]! ^ H0[(xh >>> 24)]!;
      }
      i += groups * 8;
    }
    for (; i < end; i++) {
      const index = (lo ^ bytes[i]!) & 0xff;
      lo = L0[index]! ^ ((lo >>> 8) | (hi << 24));
      hi = H0[index]! ^ (hi >>> 8);
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** The CRC as stored in files: 8 bytes little-endian. */
  digestBytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo >>> 0, 0);
    out.writeUInt32LE(this.hi >>> 0, 4);
    return out;
  }

  value(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }
}

export function crc64(bytes: Uint8Array): bigint {
  return new Crc64().update(bytes).value();
}

/**
 * LZF (liblzf), the compression RDB strings use (encoding 11|000011):
 *
 *   control byte c < 32:   c + 1 literal bytes follow
 *   control byte c >= 32:  back reference of length (c >> 5) + 2, where a
 *                          length field of 7 takes one more byte to add;
 *                          distance = ((c & 0x1f) << 8 | next byte) + 1
 *                          back from the current output position (byte by
 *                          byte, so overlapping copies repeat patterns)
 *
 * The decompressor checks every bound and that the output has exactly the
 * announced length (an RDB stores it). The compressor makes the very bytes
 * Redis 7.0's liblzf makes (lzf_c.c built with HLOG 16, VERY_FAST): any
 * valid stream would load, but DUMP payloads and RDB files are compared
 * byte for byte with redis-server's, so the choices must be liblzf's: its
 * hash of three bytes, a match never at input position 0, two positions
 * re-hashed after each match, the output-room checks that decide when
 * compression is given up, and a match length that may read two bytes
 * past what `maxlen` names.
 */

export class LzfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LzfError';
  }
}

const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13; // 8192
const MAX_REF = (1 << 8) + (1 << 3); // 264 = 255 + 7 + 2
/** liblzf's HLOG as Redis builds it: a 2^16-slot table. */
const HASH_BITS = 16;
const HASH_SIZE = 1 << HASH_BITS;

/**
 * One hash table shared by every compression (allocating and clearing
 * 256 KB per string would dominate SAVE time on small values). Each call
 * owns a fresh range of position numbers starting at `nextBase`, so stale
 * entries from earlier calls are smaller than the current base and read as
 * empty slots (liblzf's table starts empty for the purpose: a slot that
 * does not point into the current input never matches). The table is
 * cleared only when the numbers would overflow.
 */
const hashTable = new Int32Array(HASH_SIZE);
let nextBase = 1;

function claimPositions(length: number): number {
  if (nextBase + length + 1 >= 0x7fffffff) {
    hashTable.fill(0);
    nextBase = 1;
  }
  const base = nextBase;
  nextBase += length + 1;
  return base;
}

export function lzfDecompress(input: Uint8Array, outputLength: number): Buffer {
  const out = Buffer.allocUnsafe(outputLength);
  lzfDecompressInto(input, 0, input.length, out, outputLength);
  return out;
}

/**
 * Decompresses the stream input[start, end) into out[0, outputLength)
 * (out may be longer: a scratch buffer reused by callers that copy the
 * result out at once). Same checks and errors as lzfDecompress.
 */
export function lzfDecompressInto(input: Uint8Array, start: number, end: number, out: Uint8Array, outputLength: number): void {
  if (outputLength > out.length) throw new RangeError('internal: LZF output buffer too small');
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > end) throw new LzfError('invalid LZF data: literal run past the end of the input');
      if (op + run > outputLength) throw new LzfError('invalid LZF data: output longer than announced');
      for (let i = 0; i < run; i++) out[op++] = input[ip++]!;
    } else {
      let length = ctrl >> 5;
      if (length === 7) {
        if (ip >= end) throw new LzfError('invalid LZF data: truncated back reference length');
        length += input[ip++]!;
      }
      if (ip >= end) throw new LzfError('invalid LZF data: truncated back reference');
      const ref = op - (((ctrl & 0x1f) << 8) + input[ip++]! + 1);
      length += 2;
      if (ref < 0) throw new LzfError('invalid LZF data: back reference before the start of the output');
      if (op + length > outputLength) throw new LzfError('invalid LZF data: output longer than announced');
      for (let i = 0; i < length; i++) out[op++] = out[ref + i]!;
    }
  }
  if (op !== outputLength) throw new LzfError(`invalid LZF data: ${op} bytes decompressed, ${outputLength} announced`);
}

/**
 * Checks an LZF stream exactly as lzfDecompress would (every bound, and the
 * announced length) without producing the output: a load that keeps the
 * compressed form (rdb/loaded-keys.ts) only needs to know decompressing it
 * later cannot fail. Same errors as lzfDecompress. The stream is
 * input[start, end).
 */
export function lzfCheck(input: Uint8Array, outputLength: number, start = 0, end = input.length): void {
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > end) throw new LzfError('invalid LZF data: literal run past the end of the input');
      if (op + run > outputLength) throw new LzfError('invalid LZF data: output longer than announced');
      ip += run;
      op += run;
    } else {
      let length = ctrl >> 5;
      if (length === 7) {
        if (ip >= end) throw new LzfError('invalid LZF data: truncated back reference length');
        length += input[ip++]!;
      }
      if (ip >= end) throw new LzfError('invalid LZF data: truncated back reference');
      const ref = op - (((ctrl & 0x1f) << 8) + input[ip++]! + 1);
      length += 2;
      if (ref < 0) throw new LzfError('invalid LZF data: back reference before the start of the output');
      if (op + length > outputLength) throw new LzfError('invalid LZF data: output longer than announced');
      op += length;
    }
  }
  if (op !== outputLength) throw new LzfError(`invalid LZF data: ${op} bytes decompressed, ${outputLength} announced`);
}

/** liblzf's IDX for VERY_FAST: `hash` holds the last bytes seen, most recent lowest (32-bit). */
function slotOf(hash: number): number {
  return ((hash >>> (24 - HASH_BITS)) - Math.imul(hash, 5)) & (HASH_SIZE - 1);
}

/**
 * lzf_compress: the compressed bytes, or null when they would not fit in
 * `maxOutput` bytes (Redis passes the length minus 4: LZF is kept only
 * when it saves at least 4 bytes). Positions are indexes into `input`; `op`
 * indexes the output, whose literal-run header sits at op - lit - 1.
 */
export function lzfCompress(input: Uint8Array, maxOutput: number): Buffer | null {
  const length = input.length;
  if (length < 4 || maxOutput <= 0) return null;
  const outEnd = maxOutput;
  // liblzf may write up to a byte past a run it then undoes: one spare byte, as Redis allocates.
  const out = Buffer.allocUnsafe(outEnd + 1);
  const table = hashTable;
  const base = claimPositions(length);
  const inEnd = length;
  let ip = 0;
  let op = 1; // start run
  let lit = 0;
  let hash = (input[0]! << 8) | input[1]!;
  while (ip < inEnd - 2) {
    hash = ((hash << 8) | input[ip + 2]!) >>> 0;
    const slot = slotOf(hash);
    const stored = table[slot]!;
    table[slot] = base + ip;
    const ref = stored >= base ? stored - base : -1;
    const off = ip - ref - 1;
    if (ref > 0 && off < MAX_OFFSET && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      const maxlen = Math.min(inEnd - ip - len, MAX_REF);
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      let unrolled = true;
      if (maxlen > 16) {
        // Sixteen steps without the maxlen bound (liblzf's unrolled loop).
        for (let step = 0; step < 16; step++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            unrolled = false;
            break;
          }
        }
      }
      if (unrolled) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: the two positions before the new one go into the table.
      ip -= 2;
      hash = (input[ip]! << 8) | input[ip + 1]!;
      hash = ((hash << 8) | input[ip + 2]!) >>> 0;
      table[slotOf(hash)] = base + ip;
      ip++;
      hash = ((hash << 8) | input[ip + 2]!) >>> 0;
      table[slotOf(hash)] = base + ip;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LITERAL) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }
  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return out.subarray(0, op);
}

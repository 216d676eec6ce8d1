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
 * announced length (an RDB stores it). The compressor is our own
 * hash-of-three-bytes greedy matcher: any valid LZF stream is accepted by
 * Redis, bytes need not match liblzf's.
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
const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;

/**
 * One hash table shared by every compression (allocating and clearing 64 KB
 * per string dominated SAVE time on small values). Each call owns a fresh
 * range of position numbers starting at `nextBase`, so stale entries from
 * earlier calls are simply smaller than the current base; the table is
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

/**
 * Compresses, or returns null when the result would exceed `maxOutput`
 * bytes (Redis keeps LZF only when it saves at least 4 bytes).
 */
export function lzfCompress(input: Uint8Array, maxOutput: number): Buffer | null {
  const length = input.length;
  if (length < 4) return null;
  const out = Buffer.allocUnsafe(Math.min(maxOutput, length + Math.ceil(length / MAX_LITERAL) + 1));
  const table = hashTable;
  const base = claimPositions(length);
  let ip = 0;
  let op = 0;
  let literalStart = 0;
  const limit = out.length;

  const flushLiterals = (end: number): boolean => {
    let start = literalStart;
    while (start < end) {
      const run = Math.min(MAX_LITERAL, end - start);
      if (op + 1 + run > limit) return false;
      out[op++] = run - 1;
      for (let i = 0; i < run; i++) out[op++] = input[start + i]!;
      start += run;
    }
    literalStart = end;
    return true;
  };

  while (ip + 2 < length) {
    const hash = (((input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!) * 2654435761) >>> (32 - HASH_BITS);
    // Entries written by earlier calls are below `base`: they read as "no position".
    const ref = table[hash]! - base;
    table[hash] = base + ip;
    const distance = ip - ref - 1;
    if (ref >= 0 && distance < MAX_OFFSET && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      let matched = 3;
      const maxMatch = Math.min(MAX_REF, length - ip);
      while (matched < maxMatch && input[ref + matched] === input[ip + matched]) matched++;
      if (!flushLiterals(ip)) return null;
      const lengthField = matched - 2;
      if (op + 3 > limit) return null;
      if (lengthField < 7) {
        out[op++] = (lengthField << 5) | (distance >> 8);
      } else {
        out[op++] = (7 << 5) | (distance >> 8);
        out[op++] = lengthField - 7;
      }
      out[op++] = distance & 0xff;
      ip += matched;
      literalStart = ip;
    } else {
      ip++;
    }
  }
  if (!flushLiterals(length)) return null;
  return op <= maxOutput ? out.subarray(0, op) : null;
}

/**
 * The 32-bit-halves MurmurHash64A against a direct BigInt rendering of
 * Redis's C (64-bit wrapping arithmetic), over every tail length and random
 * bytes, and the pattern/register split hllPatLen makes of it, in JS and in
 * WebAssembly (hll-pattern-wasm.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HLL_HASH_SEED, lastHashHigh, mulHighByMLow, murmurHash64A, murmurHash64AOfBytes } from './murmur-hash64a';
import { hllPattern, hllPatternInJs, hllPatternOfBytes, HLL_REGISTERS } from './hll-layout';
import { WASM_PATTERN_MAX_BYTES, wasmPattern } from './hll-pattern-wasm';

const MASK = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

function reference(data: string, seed: number): bigint {
  const length = data.length;
  let h = (BigInt(seed) ^ (BigInt(length) * M)) & MASK;
  const end = length - (length & 7);
  for (let i = 0; i < end; i += 8) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(data.charCodeAt(i + b));
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  if ((length & 7) !== 0) {
    for (let b = (length & 7) - 1; b >= 0; b--) h ^= BigInt(data.charCodeAt(end + b)) << BigInt(8 * b);
    h = (h * M) & MASK;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

const ours = (data: string): bigint => {
  const low = murmurHash64A(data, HLL_HASH_SEED);
  return (BigInt(lastHashHigh()) << 32n) | BigInt(low);
};

describe('MurmurHash64A', () => {
  it('takes the high half of x * M_LOW exactly, also where the low half is next to 0 or 2^32 (the rounding edges)', () => {
    const mLow = M & 0xffffffffn;
    const high = (a: bigint): number => Number(BigInt.asIntN(32, (a * mLow) >> 32n));
    // M_LOW is odd, so it has an inverse mod 2^32: inputs whose product ends in a chosen low half.
    let inverse = 1n;
    for (let i = 0; i < 5; i++) inverse = (inverse * (2n - mLow * inverse)) & 0xffffffffn;
    const inputs: bigint[] = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn];
    for (const low of [0n, 1n, 2n, 1023n, 1024n, 0x7fffffffn, 0x80000000n, 0xfffffc00n, 0xfffffffen, 0xffffffffn]) inputs.push((low * inverse) & 0xffffffffn);
    let state = 0x9e3779b9n;
    for (let i = 0; i < 20000; i++) {
      state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      inputs.push(state >> 32n);
    }
    for (const a of inputs) expect(mulHighByMLow(Number(BigInt.asIntN(32, a))), a.toString(16)).toBe(high(a));
  });

  it('equals the 64-bit reference for random byte strings of every tail length (fixed seed)', () => {
    const latin1 = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 70 }).map((bytes) => String.fromCharCode(...bytes));
    for (const data of fc.sample(latin1, { seed: 64, numRuns: 3000 })) expect(ours(data), JSON.stringify(data)).toBe(reference(data, HLL_HASH_SEED));
    for (let length = 0; length <= 24; length++) {
      const ones = '\xff'.repeat(length);
      expect(ours(ones)).toBe(reference(ones, HLL_HASH_SEED));
    }
  });

  it('the bytes version equals the string one for the same bytes at any offset (random bytes, every tail length, fixed seed)', () => {
    const latin1 = fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 70 }), fc.integer({ min: 0, max: 9 }));
    for (const [bytes, offset] of fc.sample(latin1, { seed: 65, numRuns: 3000 })) {
      const data = String.fromCharCode(...bytes);
      const buffer = new Uint8Array(offset + bytes.length + 8).fill(0xa5);
      buffer.set(bytes, offset);
      const low = murmurHash64AOfBytes(buffer, offset, bytes.length, HLL_HASH_SEED);
      expect((BigInt(lastHashHigh()) << 32n) | BigInt(low), JSON.stringify(data)).toBe(reference(data, HLL_HASH_SEED));
      expect(hllPatternOfBytes(buffer, offset, bytes.length)).toBe(hllPattern(data));
    }
  });

  it('hllPattern takes the register from the low 14 bits and counts the run of zeros above them, plus one', () => {
    for (const data of ['', 'a', 'hello', 'x'.repeat(33), '\x00\x01\x02']) {
      const hash = reference(data, HLL_HASH_SEED);
      const index = Number(hash & BigInt(HLL_REGISTERS - 1));
      let rest = (hash >> 14n) | (1n << 50n);
      let length = 1;
      while ((rest & 1n) === 0n) {
        rest >>= 1n;
        length++;
      }
      expect(hllPattern(data)).toBe(length * HLL_REGISTERS + index);
    }
  });

  it('the WebAssembly hllPatLen equals the JS one for random bytes of every tail length, from a string and from bytes at any offset (fixed seed)', () => {
    expect(wasmPattern).not.toBeNull();
    const latin1 = fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 90 }), fc.integer({ min: 0, max: 9 }));
    for (const [bytes, offset] of fc.sample(latin1, { seed: 66, numRuns: 3000 })) {
      const data = String.fromCharCode(...bytes);
      const buffer = new Uint8Array(offset + bytes.length + 8).fill(0x5a);
      buffer.set(bytes, offset);
      const expected = hllPatternInJs(data);
      expect(hllPattern(data), JSON.stringify(data)).toBe(expected);
      expect(hllPatternOfBytes(buffer, offset, bytes.length), JSON.stringify(data)).toBe(expected);
    }
  });

  it('elements at and past the WebAssembly limit (the JS fallback) hash as the reference does', () => {
    for (const length of [WASM_PATTERN_MAX_BYTES - 1, WASM_PATTERN_MAX_BYTES, WASM_PATTERN_MAX_BYTES + 1, WASM_PATTERN_MAX_BYTES + 7]) {
      let data = '';
      for (let i = 0; i < length; i++) data += String.fromCharCode((i * 131 + 7) & 0xff);
      const hash = reference(data, HLL_HASH_SEED);
      const index = Number(hash & BigInt(HLL_REGISTERS - 1));
      const run = (hash >> 14n) | (1n << 50n);
      let count = 1;
      while (((run >> BigInt(count - 1)) & 1n) === 0n) count++;
      expect(hllPattern(data), String(length)).toBe(count * HLL_REGISTERS + index);
      expect(hllPatternOfBytes(Buffer.from(data, 'latin1'), 0, length), String(length)).toBe(count * HLL_REGISTERS + index);
    }
  });
});

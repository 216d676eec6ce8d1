import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashHex, sha1Latin1, sha1OfHashInPlace, sha1Uint32 } from './sha1';

const reference = (data: Buffer): string => createHash('sha1').update(data).digest('hex');

function hexOfLatin1(text: string): string {
  const out = new Int32Array(5);
  sha1Latin1(text, out);
  return hashHex(out);
}

describe('sha1 of short inputs', () => {
  it('gives the FIPS 180-4 example digests', () => {
    expect(hexOfLatin1('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hexOfLatin1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(hexOfLatin1('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('equals node:crypto for every length up to past the long-input cutoff (256) and every byte value', () => {
    // Lengths 55/56 and 119/120 are where the length field stops fitting the last block; 63/64, 127/128 block ends.
    for (let length = 0; length <= 700; length++) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + length * 7 + 5) & 0xff;
      expect(hexOfLatin1(bytes.toString('latin1')), `length ${length}`).toBe(reference(bytes));
    }
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(hexOfLatin1(all.toString('latin1'))).toBe(reference(all));
    const big = Buffer.alloc(100_000, 0xa5);
    expect(hexOfLatin1(big.toString('latin1'))).toBe(reference(big));
  });

  it('hashes a char above 255 as its low byte, as Buffer.from(text, "latin1") does', () => {
    for (const text of ['\u0141x', 'a'.repeat(60) + '\u20ac', '\u0100'.repeat(600)]) {
      expect(hexOfLatin1(text)).toBe(reference(Buffer.from(text, 'latin1')));
    }
  });

  it('hashes a 4-byte big-endian integer and a 20-byte hash as their bytes', () => {
    for (const value of [0, 1, 6, 15, 0x7fffffff, 0x80000000, 0xffffffff]) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value);
      const out = new Int32Array(5);
      sha1Uint32(value, out);
      expect(hashHex(out)).toBe(reference(bytes));
    }
    const hash = new Int32Array(5);
    sha1Latin1('some key', hash);
    const bytes = Buffer.from(hashHex(hash), 'hex');
    sha1OfHashInPlace(hash);
    expect(hashHex(hash)).toBe(reference(bytes));
  });
});

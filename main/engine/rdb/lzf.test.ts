import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LzfError, lzfCheck, lzfCompress, lzfDecompress, lzfDecompressInto } from './lzf';

describe('LZF', () => {
  it('round-trips compressible data and actually compresses it', () => {
    const input = Buffer.from('abcabcabcabcabcabcabcabcabcabcabcabcabcabc hello hello hello hello hello'.repeat(20));
    const packed = lzfCompress(input, input.length - 4);
    expect(packed).not.toBeNull();
    expect(packed!.length).toBeLessThan(input.length / 4);
    expect(lzfDecompress(packed!, input.length).equals(input)).toBe(true);
  });

  it('refuses to grow incompressible data past the limit', () => {
    const input = Buffer.alloc(100);
    for (let i = 0; i < input.length; i++) input[i] = (i * 97 + 13) % 256;
    expect(lzfCompress(input, input.length - 4)).toBeNull();
  });

  it('round-trips arbitrary data (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 3000 }), fc.integer({ min: 0, max: 4 }), (bytes, repeat) => {
        const input = Buffer.concat(Array.from({ length: repeat + 1 }, () => Buffer.from(bytes)));
        const packed = lzfCompress(input, input.length * 2);
        expect(packed).not.toBeNull();
        expect(lzfDecompress(packed!, input.length).equals(input)).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('lzfDecompressInto reads a stream inside a larger buffer into a reused, longer output (property, fixed seed)', () => {
    const scratch = Buffer.alloc(4000, 0xee);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 1500 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9 }), (bytes, repeat, padding) => {
        const input = Buffer.concat(Array.from({ length: repeat + 1 }, () => Buffer.from(bytes)));
        const packed = lzfCompress(input, input.length * 2);
        if (packed === null) throw new Error('lzfCompress refused room for twice the input');
        const around = Buffer.concat([Buffer.alloc(padding, 0x1f), packed, Buffer.alloc(padding, 0x1f)]);
        lzfDecompressInto(around, padding, padding + packed.length, scratch, input.length);
        expect(scratch.subarray(0, input.length).equals(input)).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
    expect(() => lzfDecompressInto(Buffer.from([0x00, 0x61]), 0, 2, Buffer.alloc(1), 2)).toThrow(RangeError);
    expect(() => lzfDecompressInto(Buffer.from([0x05, 0x61, 0x62]), 0, 2, scratch, 6)).toThrow(/literal run past the end/);
  });

  it('decodes a hand-made stream with an overlapping back reference', () => {
    // literal "ab", then copy 6 bytes from distance 2: "abababab"
    const stream = Buffer.from([0x01, 0x61, 0x62, (4 << 5) | 0, 0x01]);
    expect(lzfDecompress(stream, 8).toString()).toBe('abababab');
  });

  it('rejects corrupt streams with a clear error', () => {
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow(LzfError);
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toThrow(/before the start/);
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toThrow(/announced/);
  });

  it('lzfCheck accepts and refuses exactly what lzfDecompress does, with the same message (property over mutated streams)', () => {
    const outcome = (run: () => unknown): string => {
      try {
        run();
        return 'ok';
      } catch (failure) {
        if (!(failure instanceof LzfError)) throw failure;
        return failure.message;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 400 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -3, max: 3 }), (bytes, at, byte, lengthDelta) => {
        const input = Buffer.concat([Buffer.from(bytes), Buffer.from(bytes)]);
        const packed = lzfCompress(input, input.length * 2)!;
        const mutated = Buffer.from(packed);
        mutated[at % mutated.length] = byte;
        const announced = Math.max(0, input.length + lengthDelta);
        expect(outcome(() => lzfCheck(mutated, announced))).toBe(outcome(() => lzfDecompress(mutated, announced)));
        expect(outcome(() => lzfCheck(packed, input.length))).toBe('ok');
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

/**
 * DensePatch against the Buffer it replaces: the same register writes on a
 * dense value give the same bytes (register reads seeing earlier writes,
 * runs of adjacent bytes, the last register at the value's end, the cache
 * flag), through both the rope and the rebuilt-Buffer forms.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DensePatch } from './dense-patch';
import { HllBuffer } from './hll-buffer';
import { denseRegister, HLL_DENSE_SIZE, HLL_REGISTERS, invalidateCache, setDenseRegister } from './hll-layout';

/** A dense value with random registers and a valid cache (top bit of byte 15 clear). */
function randomDense(seed: number): string {
  const bytes = Buffer.alloc(HLL_DENSE_SIZE);
  bytes.write('HYLL', 0, 'latin1');
  let state = seed >>> 0 || 1;
  for (let i = 16; i < HLL_DENSE_SIZE; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes.toString('latin1');
}

function viaBuffer(value: string, writes: ReadonlyArray<readonly [number, number]>): string {
  const hll = HllBuffer.of(value, 0);
  for (const [index, count] of writes) setDenseRegister(hll.bytes, index, count);
  invalidateCache(hll.bytes);
  return hll.toValue();
}

function viaPatch(value: string, writes: ReadonlyArray<readonly [number, number]>): string {
  const patch = new DensePatch(value);
  for (const [index, count] of writes) patch.setRegister(index, count);
  patch.invalidateCache();
  return patch.toValue();
}

const write = fc.tuple(fc.integer({ min: 0, max: HLL_REGISTERS - 1 }), fc.integer({ min: 0, max: 63 }));

describe('DensePatch', () => {
  it('writes the same bytes as the Buffer path, few writes (rope) and many (rebuilt)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(write, { maxLength: 200 }), (seed, writes) => {
        const value = randomDense(seed);
        const patched = viaPatch(value, writes);
        expect(patched.length).toBe(HLL_DENSE_SIZE);
        expect(patched === viaBuffer(value, writes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back its own writes, neighbours sharing a byte included', () => {
    const value = randomDense(7);
    const patch = new DensePatch(value);
    const bytes = Buffer.from(value, 'latin1');
    for (const [index, count] of [[0, 63], [1, 5], [2, 17], [3, 0], [HLL_REGISTERS - 1, 42], [HLL_REGISTERS - 2, 1]] as const) {
      patch.setRegister(index, count);
      setDenseRegister(bytes, index, count);
    }
    for (const index of [0, 1, 2, 3, 4, HLL_REGISTERS - 2, HLL_REGISTERS - 1]) expect(patch.register(index)).toBe(denseRegister(bytes, index));
  });

  it('leaves the string unchanged past its last byte (the last register ends the value)', () => {
    const value = randomDense(3);
    expect(viaPatch(value, [[HLL_REGISTERS - 1, 63]]).length).toBe(HLL_DENSE_SIZE);
  });
});

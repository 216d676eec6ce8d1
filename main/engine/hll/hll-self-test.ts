/**
 * PFSELFTEST (hyperloglog.c pfselftestCommand): checks the register code
 * from the inside, as Redis's does.
 *
 *   1. Dense registers: 1000 rounds of setting all 16384 registers to
 *      random 6-bit values and reading them back (no neighbour disturbed).
 *   2. Estimates: 10,000,000 distinct 8-byte elements added to a dense HLL
 *      and to a sparse one (which turns dense on the way); at 1, 10, 100,
 *      ... the sparse one must still be sparse while below half of
 *      hll-sparse-max-bytes, both must estimate the same, and the error
 *      must stay within 6 standard errors (exactly 1 at 10).
 *
 * Returns null on success or Redis's TESTFAILED message. The elements are
 * `j ^ seed` as 64-bit little-endian words; each is hashed once and the
 * pattern applied to both HLLs (Redis hashes it twice, with the same result).
 */
import { HllBuffer } from './hll-buffer';
import { denseHistogram, estimateFromHistogram, newHistogram } from './hll-count';
import { denseRegister, HLL_DENSE_SIZE, HLL_REGISTER_MAX, HLL_REGISTERS, hllPattern, setDenseRegister } from './hll-layout';
import { emptySparseHll, sparseHistogram, sparseSet } from './hll-sparse';

const TEST_CYCLES = 1000;
const ELEMENTS = 10_000_000;

function randomUint32(): number {
  return Math.floor(Math.random() * 0x100000000);
}

function checkRegisters(): string | null {
  const dense = HllBuffer.zeroed(HLL_DENSE_SIZE).bytes;
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < TEST_CYCLES; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = randomUint32() & HLL_REGISTER_MAX;
      expected[i] = value;
      setDenseRegister(dense, i, value);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseRegister(dense, i);
      if (value !== expected[i]) return `TESTFAILED Register ${i} should be ${expected[i]} but is ${value}`;
    }
  }
  return null;
}

function estimate(hll: HllBuffer): number {
  const histogram = newHistogram();
  if (hll.isDense()) denseHistogram(hll.bytes, histogram);
  else sparseHistogram(hll.bytes, hll.length, histogram);
  return estimateFromHistogram(histogram);
}

function checkEstimates(sparseMaxBytes: number): string | null {
  const dense = HllBuffer.zeroed(HLL_DENSE_SIZE);
  const sparse = HllBuffer.of(emptySparseHll());
  const relativeError = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLow = randomUint32();
  const seedHigh = randomUint32();
  const highBytes = String.fromCharCode(seedHigh & 0xff, (seedHigh >>> 8) & 0xff, (seedHigh >>> 16) & 0xff, seedHigh >>> 24);
  let checkpoint = 1;
  for (let j = 1; j <= ELEMENTS; j++) {
    const low = (j ^ seedLow) >>> 0;
    const element = String.fromCharCode(low & 0xff, (low >>> 8) & 0xff, (low >>> 16) & 0xff, low >>> 24) + highBytes;
    const pattern = hllPattern(element);
    const index = pattern & (HLL_REGISTERS - 1);
    const count = (pattern - index) / HLL_REGISTERS;
    if (count > denseRegister(dense.bytes, index)) setDenseRegister(dense.bytes, index, count);
    if (sparse.isDense()) {
      if (count > denseRegister(sparse.bytes, index)) setDenseRegister(sparse.bytes, index, count);
    } else {
      sparseSet(sparse, index, count, sparseMaxBytes);
    }
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && sparse.isDense()) return 'TESTFAILED sparse encoding not used';
    const denseEstimate = estimate(dense);
    if (denseEstimate !== estimate(sparse)) return 'TESTFAILED dense/sparse disagree';
    const absoluteError = Math.abs(checkpoint - denseEstimate);
    const maxError = j === 10 ? 1 : Math.ceil(relativeError * 6 * checkpoint);
    if (absoluteError > maxError) return `TESTFAILED Too big error. card:${checkpoint} abserr:${absoluteError}`;
    checkpoint *= 10;
  }
  return null;
}

export function hllSelfTest(sparseMaxBytes: number): string | null {
  return checkRegisters() ?? checkEstimates(sparseMaxBytes);
}

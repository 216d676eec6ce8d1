/**
 * The cardinality estimate (hyperloglog.c hllCount, Redis 7.0): a histogram
 * of register values, then Otmar Ertl's improved estimator ("New
 * cardinality estimation algorithms for HyperLogLog sketches",
 * arXiv:1702.01284) with its tau and sigma series. Every operation is the
 * double arithmetic Redis does, in its order, so the estimate is the same
 * integer redis-server computes for the same registers.
 */
import { HLL_HEADER_SIZE, HLL_Q, HLL_REGISTERS } from './hll-layout';

/** 0.5 / ln(2), Redis's HLL_ALPHA_INF. */
const ALPHA_INF = 0.7213475204444817; // the double nearest Redis's literal 0.721347520444481703680

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (previous !== z);
  return z / 3;
}

/** The estimate from a register histogram (64 buckets). */
export function estimateFromHistogram(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histogram[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * sigma(histogram[0]! / m);
  // llroundl: halves away from zero; the estimate is never negative.
  return Math.round((ALPHA_INF * m * m) / z);
}

/** hllDenseRegHisto: 16 registers (12 bytes) per step, as Redis unrolls it. */
export function denseHistogram(bytes: Uint8Array, histogram: Int32Array): void {
  for (let r = HLL_HEADER_SIZE, j = 0; j < HLL_REGISTERS / 16; j++, r += 12) {
    for (let k = 0; k < 12; k += 3) {
      const b0 = bytes[r + k]!;
      const b1 = bytes[r + k + 1]!;
      const b2 = bytes[r + k + 2]!;
      histogram[b0 & 63]!++;
      histogram[((b0 >> 6) | (b1 << 2)) & 63]!++;
      histogram[((b1 >> 4) | (b2 << 4)) & 63]!++;
      histogram[(b2 >> 2) & 63]!++;
    }
  }
}

/** hllRawRegHisto: one byte per register (the merged registers of a multi-key PFCOUNT). */
export function rawHistogram(registers: Uint8Array, histogram: Int32Array): void {
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registers[i]!]!++;
}

/** A fresh 64-bucket histogram (Redis sizes it 64 so no register value can overflow it). */
export function newHistogram(): Int32Array {
  return new Int32Array(64);
}

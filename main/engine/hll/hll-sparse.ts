/**
 * The sparse HLL representation (hyperloglog.c): after the 16-byte header,
 * run-length opcodes that together cover exactly 16384 registers.
 *
 *   ZERO   00xxxxxx            xxxxxx + 1 registers (1..64) set to 0
 *   XZERO  01xxxxxx yyyyyyyy   xxxxxxyyyyyyyy + 1 registers (1..16384) set to 0
 *   VAL    1vvvvvxx            xx + 1 registers (1..4) set to vvvvv + 1 (1..32)
 *
 * An empty HLL is XZERO:16384 (two bytes, 18 in all). Updates rewrite the
 * opcode holding the register in place exactly as Redis does (split into at
 * most ZERO/XZERO - VAL - ZERO/XZERO, then merge equal neighbouring VALs),
 * so a value built by the same additions is the same bytes on both servers.
 * A register above 32, or a value that would grow past
 * hll-sparse-max-bytes, turns the value dense first.
 *
 * Corrupt payloads (opcodes covering more or fewer than 16384 registers,
 * a VAL running past the end) are reported, never trusted: these functions
 * return -1 / false and the command answers INVALIDOBJ.
 */
import { HllBuffer } from './hll-buffer';
import { ENCODING_OFFSET, HLL_DENSE, HLL_DENSE_SIZE, HLL_HEADER_SIZE, HLL_REGISTERS, HLL_SPARSE, invalidateCache, setDenseRegister } from './hll-layout';

const VAL_BIT = 0x80;
const XZERO_BIT = 0x40;
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === XZERO_BIT;
const isVal = (op: number): boolean => (op & VAL_BIT) !== 0;
const zeroLength = (op: number): number => (op & 0x3f) + 1;
const xzeroLength = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLength = (op: number): number => (op & 0x3) + 1;
const valOpcode = (value: number, length: number): number => VAL_BIT | ((value - 1) << 2) | (length - 1);

/** createHLLObject: the empty sparse HLL ("HYLL", sparse, cache 0, XZERO:16384). */
export function emptySparseHll(): string {
  const bytes = Buffer.alloc(HLL_HEADER_SIZE + 2);
  bytes.write('HYLL', 0, 'latin1');
  bytes[ENCODING_OFFSET] = HLL_SPARSE;
  writeZeroRun(bytes, HLL_HEADER_SIZE, XZERO_MAX_LEN, true);
  return bytes.toString('latin1');
}

/** Writes a ZERO (one byte) or XZERO (two bytes) opcode; returns its size. */
function writeZeroRun(bytes: Uint8Array, at: number, length: number, extended: boolean): number {
  if (!extended) {
    bytes[at] = length - 1;
    return 1;
  }
  bytes[at] = ((length - 1) >> 8) | XZERO_BIT;
  bytes[at + 1] = (length - 1) & 0xff;
  return 2;
}

/**
 * hllSparseToDense: the dense twin of a sparse value (header copied, so the
 * cached cardinality travels; encoding set to dense), or null when the
 * opcodes do not cover exactly 16384 registers.
 */
export function sparseToDense(sparse: HllBuffer): HllBuffer | null {
  const source = sparse.bytes;
  const dense = HllBuffer.zeroed(HLL_DENSE_SIZE);
  source.copy(dense.bytes, 0, 0, HLL_HEADER_SIZE);
  dense.bytes[ENCODING_OFFSET] = HLL_DENSE;
  let index = 0;
  for (let p = HLL_HEADER_SIZE; p < sparse.length;) {
    const op = source[p]!;
    if (isZero(op)) {
      index += zeroLength(op);
      p++;
    } else if (isXZero(op)) {
      index += xzeroLength(op, source[p + 1]!);
      p += 2;
    } else {
      let run = valLength(op);
      const value = valValue(op);
      if (run + index > HLL_REGISTERS) break;
      while (run-- > 0) setDenseRegister(dense.bytes, index++, value);
      p++;
    }
  }
  return index === HLL_REGISTERS ? dense : null;
}

/**
 * hllSparseSet: raises register `index` to `count` if it is lower. Returns 1
 * when the register changed (the cache is then invalidated), 0 when not,
 * -1 when the payload is corrupt. May promote `hll` to dense in place.
 */
export function sparseSet(hll: HllBuffer, index: number, count: number, sparseMaxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(hll, index, count);
  // The worst split (XZERO -> XZERO VAL XZERO) grows the value by 3 bytes.
  hll.reserve(3);
  const bytes = hll.bytes;
  let end = hll.length;

  // Step 1: find the opcode covering `index`.
  let p = HLL_HEADER_SIZE;
  let first = 0;
  let previous = -1;
  let span = 0;
  while (p < end) {
    const op = bytes[p]!;
    let opLength = 1;
    if (isZero(op)) span = zeroLength(op);
    else if (isVal(op)) span = valLength(op);
    else {
      span = xzeroLength(op, bytes[p + 1]!);
      opLength = 2;
    }
    if (index <= first + span - 1) break;
    previous = p;
    p += opLength;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = bytes[p]!;
  let next = isXZero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const run = zero ? zeroLength(op) : xzero ? xzeroLength(op, bytes[p + 1]!) : valLength(op);

  // Step 2: the trivial updates in place.
  let done = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (run === 1) {
      bytes[p] = valOpcode(count, 1);
      done = true;
    }
  }
  if (!done && zero && run === 1) {
    bytes[p] = valOpcode(count, 1);
    done = true;
  }

  // Step 3: split the opcode into up to three and put them in its place.
  if (!done) {
    const sequence = new Uint8Array(5);
    let length = 0;
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) length += writeZeroRun(sequence, length, index - first, index - first > ZERO_MAX_LEN);
      sequence[length++] = valOpcode(count, 1);
      if (index !== last) length += writeZeroRun(sequence, length, last - index, last - index > ZERO_MAX_LEN);
    } else {
      const current = valValue(op);
      if (index !== first) sequence[length++] = valOpcode(current, index - first);
      sequence[length++] = valOpcode(count, 1);
      if (index !== last) sequence[length++] = valOpcode(current, last - index);
    }
    const delta = length - (xzero ? 2 : 1);
    if (delta > 0 && hll.length + delta > sparseMaxBytes) return promote(hll, index, count);
    if (delta !== 0 && next >= 0) bytes.copyWithin(next + delta, next, end);
    hll.resize(hll.length + delta);
    bytes.set(sequence.subarray(0, length), p);
    end += delta;
  }

  // Step 4: merge adjacent VALs of the same value, scanning up to five
  // opcodes from the one before the change.
  p = previous >= 0 ? previous : HLL_HEADER_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const here = bytes[p]!;
    if (isXZero(here)) {
      p += 2;
      continue;
    }
    if (isZero(here)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(bytes[p + 1]!)) {
      const value = valValue(here);
      const merged = valLength(here) + valLength(bytes[p + 1]!);
      if (value === valValue(bytes[p + 1]!) && merged <= VAL_MAX_LEN) {
        bytes[p + 1] = valOpcode(value, merged);
        bytes.copyWithin(p, p + 1, end);
        end--;
        hll.resize(hll.length - 1);
        continue;
      }
    }
    p++;
  }
  invalidateCache(bytes);
  return 1;
}

/** The promote path of hllSparseSet: to dense, then the dense update (which must change the register). */
function promote(hll: HllBuffer, index: number, count: number): number {
  const dense = sparseToDense(hll);
  if (dense === null) return -1;
  hll.replaceWith(dense);
  setDenseRegister(hll.bytes, index, count);
  return 1;
}

/**
 * hllSparseRegHisto: adds the sparse registers to `histogram`; returns false
 * when the opcodes do not cover exactly 16384 registers.
 */
export function sparseHistogram(value: Uint8Array, length: number, histogram: Int32Array): boolean {
  let index = 0;
  for (let p = HLL_HEADER_SIZE; p < length;) {
    const op = value[p]!;
    if (isZero(op)) {
      const run = zeroLength(op);
      index += run;
      histogram[0]! += run;
      p++;
    } else if (isXZero(op)) {
      const run = xzeroLength(op, value[p + 1] ?? 0);
      index += run;
      histogram[0]! += run;
      p += 2;
    } else {
      const run = valLength(op);
      index += run;
      histogram[valValue(op)]! += run;
      p++;
    }
  }
  return index === HLL_REGISTERS;
}

/**
 * hllMerge for a sparse value: max[i] = max(max[i], register i). Returns
 * false on a corrupt payload.
 */
export function mergeSparse(value: Uint8Array, length: number, max: Uint8Array): boolean {
  let index = 0;
  for (let p = HLL_HEADER_SIZE; p < length;) {
    const op = value[p]!;
    if (isZero(op)) {
      index += zeroLength(op);
      p++;
    } else if (isXZero(op)) {
      index += xzeroLength(op, value[p + 1] ?? 0);
      p += 2;
    } else {
      let run = valLength(op);
      const register = valValue(op);
      if (run + index > HLL_REGISTERS) break;
      while (run-- > 0) {
        if (register > max[index]!) max[index] = register;
        index++;
      }
      p++;
    }
  }
  return index === HLL_REGISTERS;
}

/** PFDEBUG DECODE: "Z:<n>", "z:<n>" and "v:<value>,<n>" per opcode, space separated. */
export function decodeSparse(value: Uint8Array, length: number): string {
  const parts: string[] = [];
  for (let p = HLL_HEADER_SIZE; p < length;) {
    const op = value[p]!;
    if (isZero(op)) {
      parts.push(`z:${zeroLength(op)}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${xzeroLength(op, value[p + 1] ?? 0)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLength(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}


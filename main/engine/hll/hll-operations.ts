/**
 * What the PF* commands do to an HLL value (hyperloglog.c hllAdd, hllCount,
 * hllMerge, the register writes of PFMERGE), on the string value the
 * keyspace holds. Values are never edited in place: a change produces a new
 * string, and a command that changes nothing copies nothing (a PFADD whose
 * elements all hash below their dense registers only reads the string).
 * Callers have checked the header (hllValueError).
 */
import { DensePatch } from './dense-patch';
import { HllBuffer } from './hll-buffer';
import { denseHistogram, estimateFromHistogram, newHistogram, rawHistogram } from './hll-count';
import { HLL_REGISTERS, denseRegister, denseRegisterOfString, hllPattern, invalidateCache, isDense, setDenseRegister } from './hll-layout';
import { mergeSparse, sparseHistogram, sparseSet, sparseToDense } from './hll-sparse';

export interface AddOutcome {
  /** The new value, or null when no register changed. */
  readonly value: string | null;
  /** Elements that changed a register. */
  readonly updated: number;
  /** A corrupt sparse payload stopped the additions (the earlier ones are in `value`). */
  readonly corrupt: boolean;
}

/** hllAdd for each element in order (a sparse value may turn dense on the way). */
export function addElements(value: string, elements: ReadonlyArray<string>, sparseMaxBytes: number): AddOutcome {
  if (isDense(value)) return addToDense(value, elements);
  const hll = HllBuffer.of(value);
  let updated = 0;
  let dense = false;
  for (const element of elements) {
    const pattern = hllPattern(element);
    const index = pattern & (HLL_REGISTERS - 1);
    const count = (pattern - index) / HLL_REGISTERS;
    if (dense) {
      // Promoted on the way: the rest goes into the promoted buffer.
      if (count <= denseRegister(hll.bytes, index)) continue;
      setDenseRegister(hll.bytes, index, count);
      updated++;
      continue;
    }
    const result = sparseSet(hll, index, count, sparseMaxBytes);
    if (result < 0) return { value: updated > 0 ? hll.toValue() : null, updated, corrupt: true };
    updated += result;
    dense = hll.isDense();
  }
  if (updated === 0) return { value: null, updated: 0, corrupt: false };
  invalidateCache(hll.bytes);
  return { value: hll.toValue(), updated, corrupt: false };
}

/** hllAdd into a value that is dense already: reads the string, patches the registers that grow (dense-patch.ts). */
function addToDense(value: string, elements: ReadonlyArray<string>): AddOutcome {
  let patch: DensePatch | null = null;
  let updated = 0;
  for (const element of elements) {
    const pattern = hllPattern(element);
    const index = pattern & (HLL_REGISTERS - 1);
    const count = (pattern - index) / HLL_REGISTERS;
    const current = patch === null ? denseRegisterOfString(value, index) : patch.register(index);
    if (count <= current) continue;
    patch ??= new DensePatch(value);
    patch.setRegister(index, count);
    updated++;
  }
  if (patch === null) return { value: null, updated: 0, corrupt: false };
  patch.invalidateCache();
  return { value: patch.toValue(), updated, corrupt: false };
}

/** hllCount of one value; null when a sparse payload is corrupt. */
export function countValue(value: string): number | null {
  const bytes = Buffer.from(value, 'latin1');
  const histogram = newHistogram();
  if (isDense(value)) denseHistogram(bytes, histogram);
  else if (!sparseHistogram(bytes, bytes.length, histogram)) return null;
  return estimateFromHistogram(histogram);
}

/** hllMerge: max[i] = max(max[i], register i of `value`); false when a sparse payload is corrupt. */
export function mergeRegisters(value: string, max: Uint8Array): boolean {
  const bytes = Buffer.from(value, 'latin1');
  if (!isDense(value)) return mergeSparse(bytes, bytes.length, max);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const register = denseRegister(bytes, i);
    if (register > max[i]!) max[i] = register;
  }
  return true;
}

/** The cardinality of merged one-byte registers (multi-key PFCOUNT, HLL_RAW). */
export function countRegisters(max: Uint8Array): number {
  const histogram = newHistogram();
  rawHistogram(max, histogram);
  return estimateFromHistogram(histogram);
}

/**
 * PFMERGE's write: `target` (already checked, and merged into `max`) made
 * dense first when a source was dense, then every nonzero merged register
 * written in register order, as Redis does (so a sparse result has Redis's
 * bytes), cache invalidated. Null when the target's sparse payload is
 * corrupt and it had to be made dense.
 */
export function writeMerged(target: string, max: Uint8Array, makeDense: boolean, sparseMaxBytes: number): string | null {
  let hll = HllBuffer.of(target);
  if (makeDense && !isDense(target)) {
    const dense = sparseToDense(hll);
    if (dense === null) return null;
    hll = dense;
  }
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const register = max[i]!;
    if (register === 0) continue;
    if (hll.isDense()) {
      if (register > denseRegister(hll.bytes, i)) setDenseRegister(hll.bytes, i, register);
    } else {
      // Redis ignores a corrupt payload here: the sources were all checked.
      sparseSet(hll, i, register, sparseMaxBytes);
    }
  }
  invalidateCache(hll.bytes);
  return hll.toValue();
}

/** hllSparseToDense of a sparse value; null when corrupt. */
export function denseOf(value: string): string | null {
  return sparseToDense(HllBuffer.of(value))?.toValue() ?? null;
}

/** PFDEBUG GETREG: the 16384 registers of a dense value. */
export function registersOf(denseValue: string): number[] {
  const registers: number[] = new Array<number>(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) registers[i] = denseRegisterOfString(denseValue, i);
  return registers;
}


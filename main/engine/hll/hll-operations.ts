/**
 * What the PF commands do to an HLL value (hyperloglog.c hllAdd, hllCount,
 * hllMerge, the register writes of PFMERGE). A value comes as the keyspace
 * holds it (HllValue): a string, or a dense HLL's bytes that an earlier PF
 * command left held (held-bytes.ts). Changes are made in an HllBuffer: the
 * held one itself, in place, or a copy of a string value made at the first
 * change, so a command that changes nothing copies nothing (a PFADD whose
 * elements all hash below their dense registers only reads the value). The
 * caller stores the buffer (storedHll). Callers have checked the header
 * (hllValueError).
 */
import { HllBuffer } from './hll-buffer';
import { denseHistogram, estimateFromHistogram, newHistogram, rawHistogram } from './hll-count';
import { HLL_REGISTERS, denseRegister, denseRegisterOf, denseRegisterOfString, hllPattern, hllPatternOfBytes, invalidateCache, isDense, setDenseRegister } from './hll-layout';
import type { ArgumentBytes } from '../resp/whole-request';
import { mergeSparse, sparseHistogram, sparseSet, sparseToDense } from './hll-sparse';

/** An HLL as the keyspace holds it. */
export type HllValue = string | HllBuffer;

export interface AddOutcome {
  /** The changed value, or null when no register changed. */
  readonly hll: HllBuffer | null;
  /** Elements that changed a register. */
  readonly updated: number;
  /** A corrupt sparse payload stopped the additions (the earlier ones are in `hll`). */
  readonly corrupt: boolean;
}

/**
 * How a PF command stores the HLL it changed: a dense one as its bytes,
 * which the next PF command edits in place; a sparse one (at most
 * hll-sparse-max-bytes, copied on every change as Redis moves its opcodes)
 * as a string.
 */
export function storedHll(hll: HllBuffer): HllValue {
  return hll.isDense() ? hll : hll.toValue();
}

/** An HllBuffer to change: the held one, or a copy of a string value. */
export function editable(value: HllValue): HllBuffer {
  return typeof value === 'string' ? HllBuffer.of(value) : value;
}

/** What a PFADD whose elements raised no register returns (shared: it allocates nothing). */
const UNCHANGED: AddOutcome = { hll: null, updated: 0, corrupt: false };

/** hllPattern of argv[position], hashed from the request decoder's bytes when it holds them (`held`). */
function elementPattern(argv: ReadonlyArray<string>, position: number, held: ArgumentBytes | null): number {
  const element = argv[position]!;
  if (held !== null) {
    const at = held.bytesAt(position, element);
    if (at >= 0) return hllPatternOfBytes(held.rememberedBytes, at, element.length);
  }
  return hllPattern(element);
}

/**
 * hllAdd for each element in order (a sparse value may turn dense on the
 * way): the elements are argv[first..], read where they are (no copy of
 * the argument vector per call). `held`: the bytes of the request's
 * arguments its decoder still holds (the client's), or null.
 */
export function addElements(value: HllValue, argv: ReadonlyArray<string>, first: number, sparseMaxBytes: number, held: ArgumentBytes | null = null): AddOutcome {
  if (isDense(value)) return addToDense(value, argv, first, held);
  const hll = editable(value);
  let updated = 0;
  let dense = false;
  for (let i = first; i < argv.length; i++) {
    const pattern = elementPattern(argv, i, held);
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
    if (result < 0) return { hll: updated > 0 ? hll : null, updated, corrupt: true };
    updated += result;
    dense = hll.isDense();
  }
  if (updated === 0) return UNCHANGED;
  invalidateCache(hll.bytes);
  return { hll, updated, corrupt: false };
}

/** hllAdd into a value that is dense already: held bytes are written in place; a string is read, and copied at its first raised register. */
function addToDense(value: HllValue, argv: ReadonlyArray<string>, first: number, held: ArgumentBytes | null): AddOutcome {
  let hll = typeof value === 'string' ? null : value;
  let updated = 0;
  for (let i = first; i < argv.length; i++) {
    const pattern = elementPattern(argv, i, held);
    const index = pattern & (HLL_REGISTERS - 1);
    const count = (pattern - index) / HLL_REGISTERS;
    const current = hll === null ? denseRegisterOfString(value as string, index) : denseRegister(hll.bytes, index);
    if (count <= current) continue;
    hll ??= HllBuffer.of(value as string, 0);
    setDenseRegister(hll.bytes, index, count);
    updated++;
  }
  if (hll === null || updated === 0) return UNCHANGED;
  invalidateCache(hll.bytes);
  return { hll, updated, corrupt: false };
}

/** The bytes of either form, and how many of them are the value (a held buffer has spare room). */
function bytesOf(value: HllValue): { bytes: Uint8Array; length: number } {
  if (typeof value !== 'string') return value;
  const bytes = Buffer.from(value, 'latin1');
  return { bytes, length: bytes.length };
}

/** hllCount of one value; null when a sparse payload is corrupt. */
export function countValue(value: HllValue): number | null {
  const { bytes, length } = bytesOf(value);
  const histogram = newHistogram();
  if (isDense(value)) denseHistogram(bytes, histogram);
  else if (!sparseHistogram(bytes, length, histogram)) return null;
  return estimateFromHistogram(histogram);
}

/** hllMerge: max[i] = max(max[i], register i of `value`); false when a sparse payload is corrupt. */
export function mergeRegisters(value: HllValue, max: Uint8Array): boolean {
  const { bytes, length } = bytesOf(value);
  if (!isDense(value)) return mergeSparse(bytes, length, max);
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
export function writeMerged(target: HllValue, max: Uint8Array, makeDense: boolean, sparseMaxBytes: number): HllBuffer | null {
  let hll = editable(target);
  if (makeDense && !hll.isDense()) {
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
  return hll;
}

/** hllSparseToDense of a sparse value; null when corrupt. */
export function denseOf(value: HllValue): HllBuffer | null {
  return sparseToDense(editable(value));
}

/** PFDEBUG GETREG: the 16384 registers of a dense value. */
export function registersOf(denseValue: HllValue): number[] {
  const registers: number[] = new Array<number>(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) registers[i] = denseRegisterOf(denseValue, i);
  return registers;
}


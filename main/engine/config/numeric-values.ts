/**
 * Numeric parameter values as config.c parses, checks and prints them
 * (numericParseString, numericBoundaryCheck, numericConfigGet), with C's
 * 64-bit arithmetic done in BigInt so the texts match redis-server's to the
 * digit: bounds print as 9223372036854775807, not 2^53 - 1, and a value up
 * to the type's limit is accepted and printed back exactly.
 *
 *  - A memory value is memtoull: digits (none is 0) and an optional unit
 *    (b k kb m mb g gb, any case), no sign, read up to a NUL (C string). strtoull saturates at
 *    ULLONG_MAX and the unit multiplies modulo 2^64, as in C.
 *  - A plain integer is string2ll: an optional '-', no leading zeros,
 *    within int64.
 *  - A percent (maxmemory-clients) is "<n>%" with n >= 0, stored as -n.
 *  - An octal value (unixsocketperm) is strtoll base 8, up to a NUL.
 *  - The result is a long long. Unsigned types (size_t, unsigned int,
 *    unsigned long [long]) compare it as unsigned, so "18446744073709551615"
 *    is ULLONG_MAX for maxmemory and -1 (below 0) for a signed type.
 */
import { cString } from '../util/c-string';

export const INT_MAX = 2_147_483_647n;
export const INT_MIN = -2_147_483_648n;
export const UINT_MAX = 4_294_967_295n;
export const LLONG_MAX = 9_223_372_036_854_775_807n;
export const ULLONG_MAX = 18_446_744_073_709_551_615n;

export interface NumericShape {
  readonly min: bigint;
  readonly max: bigint;
  readonly memory?: boolean;
  readonly percent?: boolean;
  readonly octal?: boolean;
  /** size_t, unsigned int, unsigned long, unsigned long long: bounds compared as unsigned. */
  readonly unsigned?: boolean;
}

/** memtoull's units; a Map, so only these suffixes match ("1constructor" is no memory value). */
const UNIT: ReadonlyMap<string, bigint> = new Map([
  ['', 1n], ['b', 1n], ['k', 1000n], ['kb', 1024n], ['m', 1_000_000n], ['mb', 1024n * 1024n], ['g', 1_000_000_000n], ['gb', 1024n * 1024n * 1024n],
]);

/** memtoull; null where it sets *err. */
export function memtoull(text: string): bigint | null {
  const match = /^(\d*)(.*)$/s.exec(text)!;
  const multiplier = UNIT.get(match[2]!.toLowerCase());
  if (multiplier === undefined || match[1]!.length >= 128) return null;
  let value = match[1] === '' ? 0n : BigInt(match[1]!);
  if (value > ULLONG_MAX) value = ULLONG_MAX;
  return BigInt.asUintN(64, value * multiplier);
}

/** string2ll: the strict decimal form Redis uses for integers. */
export function string2ll(text: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(text)) return null;
  const value = BigInt(text);
  return value >= -LLONG_MAX - 1n && value <= LLONG_MAX ? value : null;
}

/**
 * strtoll(text, &end, 10) where end must reach the text's end (leading
 * whitespace and a sign allowed), saturated at the int64 limits; "" is 0
 * (nothing read, end at the end).
 */
export function strtoll(text: string): bigint | null {
  if (text === '') return 0n;
  const match = /^[\t\n\v\f\r ]*([+-]?\d+)$/.exec(text);
  if (!match) return null;
  const value = BigInt(match[1]!);
  return value > LLONG_MAX ? LLONG_MAX : value < -LLONG_MAX - 1n ? -LLONG_MAX - 1n : value;
}

function strtollOctal(text: string): bigint | null {
  const match = /^\s*([+-]?)([0-7]*)$/.exec(text);
  if (!match) return null;
  // No digits: strtoll leaves end at the text's start, so only "" itself reaches its end (" " does not).
  if (match[2] === '') return text === '' ? 0n : null;
  const value = BigInt(`0o${match[2]}`) * (match[1] === '-' ? -1n : 1n);
  return value >= -LLONG_MAX - 1n && value <= LLONG_MAX ? value : null;
}

/** The long long config.c parses from a value, or its error text. */
export function parseNumeric(shape: NumericShape, raw: string): { value: bigint } | { error: string } {
  if (shape.memory) {
    const value = memtoull(cString(raw));
    if (value !== null) return checkBounds(shape, BigInt.asIntN(64, value));
  }
  if (shape.percent && raw.length > 1 && raw.endsWith('%')) {
    const value = string2ll(raw.slice(0, -1));
    if (value !== null && value >= 0n) return checkBounds(shape, -value);
  }
  if (shape.octal) {
    const value = strtollOctal(cString(raw));
    if (value !== null) return checkBounds(shape, value);
  }
  if (!shape.memory && !shape.percent && !shape.octal) {
    const value = string2ll(raw);
    if (value !== null) return checkBounds(shape, value);
  }
  if (shape.memory && shape.percent) return { error: 'argument must be a memory or percent value' };
  if (shape.memory) return { error: 'argument must be a memory value' };
  if (shape.octal) return { error: "argument couldn't be parsed as an octal number" };
  return { error: "argument couldn't be parsed into an integer" };
}

function checkBounds(shape: NumericShape, value: bigint): { value: bigint } | { error: string } {
  if (shape.unsigned) {
    const unsigned = BigInt.asUintN(64, value);
    if (unsigned > shape.max || unsigned < shape.min) {
      const radix = shape.octal ? 8 : 10;
      return { error: `argument must be between ${shape.min.toString(radix)} and ${shape.max.toString(radix)} inclusive` };
    }
    return { value: unsigned };
  }
  if (shape.percent && value < 0n) {
    if (value < shape.min) return { error: `percentage argument must be less or equal to ${-shape.min}` };
  } else if (value > shape.max || value < shape.min) {
    return { error: `argument must be between ${shape.min} and ${shape.max} inclusive` };
  }
  return { value };
}

/** numericConfigGet: memory values print unsigned, octal ones in octal, percentages as "<n>%". */
export function formatNumeric(shape: NumericShape, value: bigint): string {
  if (shape.percent && value < 0n) return `${-value}%`;
  if (shape.memory) return BigInt.asUintN(64, value).toString();
  if (shape.octal) return value.toString(8);
  return value.toString();
}

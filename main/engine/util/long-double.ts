/**
 * INCRBYFLOAT / HINCRBYFLOAT arithmetic exactly as Redis 7.0 does it on
 * x86-64 Linux: in the x87 80-bit "long double" (64-bit significand, 15-bit
 * exponent), emulated with BigInt.
 *
 * Redis's steps (t_string.c incrbyfloatCommand, t_hash.c hincrbyfloatCommand,
 * util.c string2ld / ld2string):
 *
 *   1. strtold() both operands. string2ld refuses texts of 5120 bytes or more
 *      (MAX_LONG_DOUBLE_CHARS), leading space, trailing bytes, NaN, overflow
 *      and nonzero underflow to zero; "inf"/"infinity" are accepted.
 *   2. value += incr in long double, rounded to nearest, ties to even.
 *   3. NaN or +-inf result: "ERR increment would produce NaN or Infinity".
 *   4. ld2string(LD_STR_HUMAN): printf("%.17Lf") -- the exact binary value
 *      rounded to 17 fractional digits (glibc rounds ties to even) -- then
 *      trailing zeros and a trailing '.' are removed, and "-0" becomes "0".
 *
 * Doing this in doubles gives other digits: SET x 10.50, INCRBYFLOAT x 0.1
 * is "10.6" in Redis and would be "10.59999999999999964" via a double.
 *
 * Exports: the building blocks (parseLongDouble, addLongDoubles,
 * formatLongDoubleHuman), and addLongDouble(current, increment), which runs
 * INCRBYFLOAT's checks in INCRBYFLOAT's order. HINCRBYFLOAT checks in another
 * order with other messages ("value is NaN or Infinity" for an infinite
 * increment, "hash value is not a float" for the field), so it should use the
 * building blocks:
 *
 *   const incr = parseLongDouble(argv[3]);          // null -> "ERR value is not a valid float"
 *   if (incr.kind !== 'finite') -> "ERR value is NaN or Infinity"
 *   const current = field === undefined ? LONG_DOUBLE_ZERO : parseLongDouble(field);
 *                                                   // null -> "ERR hash value is not a float"
 *   const sum = addLongDoubles(current, incr);      // kind !== 'finite' -> INCREMENT_NAN_OR_INFINITY
 *   const text = formatLongDoubleHuman(sum);
 */
import { roundScaled, X87_EXTENDED, parseFloatText, type BinaryFloat } from './binary-float';

export type LongDouble = BinaryFloat;

/** MAX_LONG_DOUBLE_CHARS (util.h): string2ld refuses texts this long or longer. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

export const LONG_DOUBLE_ZERO: LongDouble = { kind: 'finite', negative: false, mantissa: 0n, exponent: X87_EXTENDED.minExponent };

export const NOT_A_VALID_FLOAT = 'ERR value is not a valid float';
export const INCREMENT_NAN_OR_INFINITY = 'ERR increment would produce NaN or Infinity';

/** string2ld: the long double value of text, or null where Redis says "not a valid float". */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length >= MAX_LONG_DOUBLE_CHARS) return null;
  return parseFloatText(text, X87_EXTENDED);
}

/** a + b in long double (IEEE semantics: inf - inf is NaN, exact zero sums are +0). */
export function addLongDoubles(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'infinite' && b.kind === 'infinite') return a.negative === b.negative ? a : { kind: 'nan' };
  if (a.kind === 'infinite') return a;
  if (b.kind === 'infinite') return b;
  if (a.mantissa === 0n && b.mantissa === 0n) return { kind: 'finite', negative: a.negative && b.negative, mantissa: 0n, exponent: X87_EXTENDED.minExponent };
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  // Align both on the smaller exponent: the sum is then an exact integer times 2^exponent.
  const exponent = Math.min(a.exponent, b.exponent);
  const signedA = (a.negative ? -a.mantissa : a.mantissa) << BigInt(a.exponent - exponent);
  const signedB = (b.negative ? -b.mantissa : b.mantissa) << BigInt(b.exponent - exponent);
  const sum = signedA + signedB;
  if (sum === 0n) return LONG_DOUBLE_ZERO;
  const negative = sum < 0n;
  const rounded = roundScaled(negative ? -sum : sum, exponent, X87_EXTENDED);
  if (rounded === 'overflow') return { kind: 'infinite', negative };
  return { kind: 'finite', negative, mantissa: rounded.mantissa, exponent: rounded.exponent };
}

const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

/**
 * printf("%.17Lf", value): the exact value rounded to 17 fractional digits,
 * ties to even (glibc's rule in the default rounding mode). A negative value
 * keeps its '-' even when it rounds to zero, as printf does.
 */
export function formatFixed17(value: LongDouble): string {
  if (value.kind === 'nan') return value.kind;
  if (value.kind === 'infinite') return value.negative ? '-inf' : 'inf';
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.mantissa << BigInt(value.exponent)) * FRACTION_SCALE;
  } else {
    const shift = BigInt(-value.exponent);
    const exact = value.mantissa * FRACTION_SCALE;
    scaled = exact >> shift;
    const dropped = exact - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (dropped > half || (dropped === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const integerPart = (scaled / FRACTION_SCALE).toString();
  const fraction = (scaled % FRACTION_SCALE).toString().padStart(FRACTION_DIGITS, '0');
  return `${value.negative ? '-' : ''}${integerPart}.${fraction}`;
}

/** ld2string(LD_STR_HUMAN): %.17Lf without trailing zeros or dot; "-0" is "0"; infinities "inf"/"-inf". */
export function formatLongDoubleHuman(value: LongDouble): string {
  if (value.kind === 'infinite') return value.negative ? '-inf' : 'inf';
  let text = formatFixed17(value);
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--; // '0'
  if (text.charCodeAt(end - 1) === 46) end--; // '.'
  text = text.slice(0, end);
  return text === '-0' ? '0' : text;
}

/**
 * INCRBYFLOAT's arithmetic: current + increment, with its errors (full
 * Redis messages) in its order: the current value is checked first, then
 * the increment, then the result.
 */
export function addLongDouble(current: string, increment: string): { value: string } | { error: string } {
  const value = parseLongDouble(current);
  if (value === null) return { error: NOT_A_VALID_FLOAT };
  const incr = parseLongDouble(increment);
  if (incr === null) return { error: NOT_A_VALID_FLOAT };
  const sum = addLongDoubles(value, incr);
  if (sum.kind !== 'finite') return { error: INCREMENT_NAN_OR_INFINITY };
  return { value: formatLongDoubleHuman(sum) };
}

/**
 * Exact text -> binary floating point conversion, the way glibc's strtod and
 * strtold do it, for any binary format (IEEE double, x87 80-bit extended).
 *
 * A finite value is kept as  (-1)^negative * mantissa * 2^exponent  with
 * mantissa < 2^precision and exponent >= minExponent. Normal numbers have
 * mantissa >= 2^(precision-1); subnormals have exponent == minExponent and a
 * smaller mantissa. Rounding is to nearest, ties to even (the default FPU
 * mode Redis runs in), and is computed exactly with BigInt, so the result is
 * the one libc gives bit for bit.
 *
 * The accepted syntax is strtod's in the "C" locale, restricted the way
 * Redis's string2d / string2ld restrict it (util.c):
 *
 *   [+-] digits [. digits] [(e|E) [+-] digits]        decimal ("1", "1.", ".5", "2e-3")
 *   [+-] 0(x|X) hexdigits [. hexdigits] [(p|P) [+-] digits]   hex float ("0x1.8p3")
 *   [+-] inf | infinity          (any case)            infinities
 *
 * and the whole text must be consumed: no leading space, no trailing bytes
 * (an embedded NUL counts as trailing). NaN is refused. A result that
 * overflows to +-HUGE_VAL is refused, and so is a nonzero input that
 * underflows to zero (errno ERANGE with a zero result); subnormal results are
 * accepted, as in Redis.
 */

export interface BinaryFormat {
  /** Significand bits, the leading bit included (53 for double, 64 for x87 extended). */
  readonly precision: number;
  /** Exponent of the least subnormal: the smallest positive value is 2^minExponent. */
  readonly minExponent: number;
  /** Largest exponent of a normalized mantissa: the largest value is (2^precision - 1) * 2^maxExponent. */
  readonly maxExponent: number;
}

export const IEEE_DOUBLE: BinaryFormat = { precision: 53, minExponent: -1074, maxExponent: 971 };
export const X87_EXTENDED: BinaryFormat = { precision: 64, minExponent: -16445, maxExponent: 16320 };

export type BinaryFloat =
  | { readonly kind: 'finite'; readonly negative: boolean; readonly mantissa: bigint; readonly exponent: number }
  | { readonly kind: 'infinite'; readonly negative: boolean }
  | { readonly kind: 'nan' };

/** What rounding an exact value gave: a finite value, or an overflow to infinity. */
export type Rounded = { readonly mantissa: bigint; readonly exponent: number } | 'overflow';

/** Number of significant bits of a non-negative bigint (0 for 0n). */
export function bitLength(value: bigint): number {
  if (value === 0n) return 0;
  const hex = value.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * Rounds the exact positive rational numerator/denominator to the format,
 * to nearest with ties to even. A mantissa of 0n means it underflowed to zero.
 */
export function roundRational(numerator: bigint, denominator: bigint, format: BinaryFormat): Rounded {
  const { precision, minExponent, maxExponent } = format;
  // The quotient lies in [2^(estimate-1), 2^(estimate+1)).
  const estimate = bitLength(numerator) - bitLength(denominator);
  // Divide at an exponent that leaves at least precision + 2 quotient bits:
  // the kept bits, a rounding bit, and one more so the sticky remainder is exact.
  const workExponent = estimate - precision - 3;
  let quotient: bigint;
  let remainder: bigint;
  if (workExponent >= 0) {
    const divisor = denominator << BigInt(workExponent);
    quotient = numerator / divisor;
    remainder = numerator - quotient * divisor;
  } else {
    const dividend = numerator << BigInt(-workExponent);
    quotient = dividend / denominator;
    remainder = dividend - quotient * denominator;
  }
  let exponent = Math.max(workExponent + bitLength(quotient) - precision, minExponent);
  const shift = BigInt(exponent - workExponent); // always >= 2 (see above)
  let mantissa = quotient >> shift;
  const dropped = quotient - (mantissa << shift);
  const half = 1n << (shift - 1n);
  if (dropped > half || (dropped === half && (remainder !== 0n || (mantissa & 1n) === 1n))) {
    mantissa += 1n;
    if (mantissa === 1n << BigInt(precision)) {
      mantissa >>= 1n;
      exponent += 1;
    }
  }
  if (exponent > maxExponent) return 'overflow';
  return { mantissa, exponent };
}

/** Rounds the exact integer value * 2^exponent (value >= 0) to the format. */
export function roundScaled(value: bigint, exponent: number, format: BinaryFormat): Rounded {
  if (exponent >= 0) return roundRational(value << BigInt(exponent), 1n, format);
  return roundRational(value, 1n << BigInt(-exponent), format);
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_TEXT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY_TEXT = /^([+-]?)(?:inf|infinity)$/i;
/** Exponents are clamped to this magnitude while parsing: far beyond any format's range. */
const EXPONENT_CLAMP = 1_000_000_000;

/** Parses a (possibly very long) signed exponent, clamped to +-EXPONENT_CLAMP. */
function clampedExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  let value = 0;
  let start = 0;
  const negative = text.startsWith('-');
  if (negative || text.startsWith('+')) start = 1;
  for (let i = start; i < text.length; i++) {
    value = Math.min(value * 10 + (text.charCodeAt(i) - 48), EXPONENT_CLAMP);
  }
  return negative ? -value : value;
}

/**
 * Parses text with strtod's syntax into the format, returning null wherever
 * Redis's string2d/string2ld would refuse it (see the header): NaN, overflow,
 * nonzero underflow to zero, anything not consumed entirely.
 */
export function parseFloatText(text: string, format: BinaryFormat): BinaryFloat | null {
  if (text.length === 0) return null;
  const decimal = DECIMAL_TEXT.exec(text);
  if (decimal) return parseDecimal(decimal, format);
  const hex = HEX_TEXT.exec(text);
  if (hex) return parseHex(hex, format);
  const infinity = INFINITY_TEXT.exec(text);
  if (infinity) return { kind: 'infinite', negative: infinity[1] === '-' };
  return null;
}

function finite(negative: boolean, rounded: Rounded, inputIsZero: boolean): BinaryFloat | null {
  if (rounded === 'overflow') return null;
  if (rounded.mantissa === 0n && !inputIsZero) return null; // ERANGE underflow to zero
  return { kind: 'finite', negative, mantissa: rounded.mantissa, exponent: rounded.exponent };
}

function parseDecimal(match: RegExpExecArray, format: BinaryFormat): BinaryFloat | null {
  const negative = match[1] === '-';
  const integerDigits = match[2] ?? '';
  const fractionDigits = match[3] ?? '';
  if (integerDigits.length === 0 && fractionDigits.length === 0) return null; // ".", "", "e5"
  const digits = (integerDigits + fractionDigits).replace(/^0+/, '');
  if (digits.length === 0) return { kind: 'finite', negative, mantissa: 0n, exponent: format.minExponent };
  // value = digits * 10^scale, and 10^(digits.length + scale - 1) <= value < 10^(digits.length + scale)
  const scale = clampedExponent(match[4]) - fractionDigits.length;
  const magnitude = digits.length + scale;
  const log10of2 = Math.LOG10E * Math.LN2;
  if (magnitude - 1 > Math.ceil((format.maxExponent + format.precision) * log10of2) + 1) return null; // overflow
  if (magnitude < Math.floor(format.minExponent * log10of2) - 2) return null; // underflow to zero
  const significand = BigInt(digits);
  const rounded = scale >= 0
    ? roundRational(significand * 10n ** BigInt(scale), 1n, format)
    : roundRational(significand, 10n ** BigInt(-scale), format);
  return finite(negative, rounded, false);
}

function parseHex(match: RegExpExecArray, format: BinaryFormat): BinaryFloat | null {
  const negative = match[1] === '-';
  const integerDigits = match[2] ?? '';
  const fractionDigits = match[3] ?? '';
  if (integerDigits.length === 0 && fractionDigits.length === 0) return null; // "0x": strtod stops before the x
  const digits = (integerDigits + fractionDigits).replace(/^0+/, '');
  if (digits.length === 0) return { kind: 'finite', negative, mantissa: 0n, exponent: format.minExponent };
  const significand = BigInt(`0x${digits}`);
  const exponent = clampedExponent(match[4]) - 4 * fractionDigits.length;
  const magnitude = bitLength(significand) + exponent; // value < 2^magnitude
  if (magnitude - 1 > format.maxExponent + format.precision) return null; // overflow
  if (magnitude < format.minExponent - 1) return null; // underflow to zero
  return finite(negative, roundScaled(significand, exponent, format), false);
}

/**
 * Double parsing with Redis's rules: util.c string2d, which object.c
 * getDoubleFromObject (ZADD scores, ZINCRBY, HINCRBYFLOAT's sibling
 * commands, timeouts, ...) uses. It wraps glibc strtod and then refuses:
 *
 *   - an empty text, a leading space, any byte left over (NUL included);
 *   - NaN in any spelling ("nan", "-nan", "nan(123)");
 *   - an overflow to +-HUGE_VAL ("1e309");
 *   - a nonzero value that underflows to zero ("1e-400"). Subnormal results
 *     ("4e-320") are accepted even though strtod sets ERANGE for them.
 *
 * and accepts what strtod accepts: decimal ("1", "-1.5", ".5", "5.", "1e3",
 * "+2E-3"), hex floats ("0x10", "0x1.8p3", "-0X.1P-4"), and infinities
 * ("inf", "+Infinity", "-INF": any case, optional sign).
 *
 * Plain decimals of up to 15-16 digits are computed here, correctly rounded
 * (plainDecimalValue); other decimal texts go through Number(), which is
 * correctly rounded like glibc's strtod once the syntax has been checked
 * here; hex texts are rounded exactly
 * (binary-float.ts), since Number() does not read hex floats.
 */
import { IEEE_DOUBLE, parseFloatText } from './binary-float';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NONZERO_DIGIT_BEFORE_EXPONENT = /^[^eE]*[1-9]/;

/** 10^k for k = 0..22: every one an exact double (5^22 < 2^53), read from its decimal text (correctly rounded, so exact). */
const EXACT_POWERS_OF_TEN: ReadonlyArray<number> = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO_53 = 2 ** 53;

/**
 * The value of `text` when it is [+-]digits[.digits], the form scores and
 * coordinates come in, with all its digits together below 2^53 and at most
 * 22 after the point; NaN for any other text (the general path decides).
 *
 * Clinger's fast path: the digits as an integer and 10^decimals are both
 * exact doubles, so the one division rounds correctly, as glibc's strtod
 * (and Number()) do. The digits accumulate exactly while below 2^53; once
 * a step reaches it the sum stays >= 2^53 (rounding cannot take it back
 * under) and the text goes the general way. One pass over the chars,
 * where the check and Number() were two (Number() is a runtime call that
 * first tries the text as an array index).
 */
function plainDecimalValue(text: string): number {
  const length = text.length;
  let at = 0;
  let c = text.charCodeAt(0);
  const negative = c === 0x2d;
  if (negative || c === 0x2b) at = 1;
  const digitsFrom = at;
  let digits = 0;
  for (; at < length; at++) {
    c = text.charCodeAt(at);
    if (c < 0x30 || c > 0x39) break;
    digits = digits * 10 + (c - 0x30);
  }
  if (at === digitsFrom) return NaN;
  let decimals = 0;
  if (at < length) {
    if (c !== 0x2e) return NaN;
    for (at++; at < length; at++, decimals++) {
      c = text.charCodeAt(at);
      if (c < 0x30 || c > 0x39) return NaN;
      digits = digits * 10 + (c - 0x30);
    }
  }
  if (digits >= TWO_53 || decimals > 22) return NaN;
  const magnitude = decimals === 0 ? digits : digits / EXACT_POWERS_OF_TEN[decimals]!;
  return negative ? -magnitude : magnitude;
}

/**
 * The double value of `text` by Redis's rules, or null where Redis replies
 * "ERR value is not a valid float" (or the command's own message for it).
 * May return -0, +Infinity and -Infinity; never NaN.
 */
export function parseRedisDouble(text: string): number | null {
  const plain = plainDecimalValue(text);
  if (!Number.isNaN(plain)) return plain;
  if (DECIMAL.test(text)) {
    const value = Number(text);
    if (value === Infinity || value === -Infinity) return null; // overflow (ERANGE, HUGE_VAL)
    if (value === 0 && NONZERO_DIGIT_BEFORE_EXPONENT.test(text)) return null; // underflow to zero (ERANGE)
    return value;
  }
  const parsed = parseFloatText(text, IEEE_DOUBLE);
  if (parsed === null || parsed.kind === 'nan') return null;
  if (parsed.kind === 'infinite') return parsed.negative ? -Infinity : Infinity;
  // mantissa < 2^53 and the product is representable: both steps are exact.
  const magnitude = Number(parsed.mantissa) * 2 ** parsed.exponent;
  return parsed.negative ? -magnitude : magnitude;
}

/**
 * printf("%.<digits>f"): toFixed rounds the exact binary value correctly,
 * as glibc does, but breaks an exact tie away from zero where glibc rounds
 * it to even (0.125 -> "0.12"). A value only near a tie is no tie:
 * 180.0000065 is 180.00000650000000394..., "180.000007" in a GEO range error.
 */
export function formatFixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  const magnitude = Math.abs(value);
  const longer = magnitude.toFixed(digits + 1); // correctly rounded: a tie is exactly this text
  if (!longer.endsWith('5') || !equalsDecimal(magnitude, BigInt(longer.replace('.', '')), -(digits + 1))) return text;
  const truncated = longer.slice(0, digits === 0 ? -2 : -1);
  if (Number(truncated.at(-1)) % 2 === 1) return text;
  return `${value < 0 ? '-' : ''}${truncated}`;
}

/** Whether the double `magnitude` is exactly integer × 10^power (compared as integers, both sides scaled). */
export function equalsDecimal(magnitude: number, integer: bigint, power: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, magnitude);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const binaryPower = (biased === 0 ? 1 : biased) - 1075; // magnitude = mantissa × 2^binaryPower
  const tens = power < 0 ? -power : 0;
  const twos = binaryPower < 0 ? -binaryPower : 0;
  const left = integer * 10n ** BigInt(power + tens) * 2n ** BigInt(twos);
  const right = mantissa * 2n ** BigInt(binaryPower + twos) * 10n ** BigInt(tens);
  return left === right;
}

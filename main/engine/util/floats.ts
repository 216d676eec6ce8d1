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
 * Decimal texts go through Number(), which is correctly rounded like glibc's
 * strtod once the syntax has been checked here; hex texts are rounded exactly
 * (binary-float.ts), since Number() does not read hex floats.
 */
import { IEEE_DOUBLE, parseFloatText } from './binary-float';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NONZERO_DIGIT_BEFORE_EXPONENT = /^[^eE]*[1-9]/;

/**
 * Whether `text` is [+-]digits[.digits]: the form scores and coordinates
 * come in, a subset of DECIMAL checked without running the regex (about
 * as long as the Number() after it).
 */
function isPlainDecimal(text: string): boolean {
  const length = text.length;
  let at = 0;
  let c = text.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) at = 1;
  const digitsFrom = at;
  while (at < length && (c = text.charCodeAt(at)) >= 0x30 && c <= 0x39) at++;
  if (at === digitsFrom) return false;
  if (at === length) return true;
  if (c !== 0x2e) return false;
  for (at++; at < length; at++) {
    c = text.charCodeAt(at);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The double value of `text` by Redis's rules, or null where Redis replies
 * "ERR value is not a valid float" (or the command's own message for it).
 * May return -0, +Infinity and -Infinity; never NaN.
 */
export function parseRedisDouble(text: string): number | null {
  if (isPlainDecimal(text) || DECIMAL.test(text)) {
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
 * printf("%.<digits>f"): like toFixed, except that an exact tie rounds to
 * even as glibc does (0.125 -> "0.12"), where toFixed rounds up.
 */
export function formatFixed(value: number, digits: number): string {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && floor % 2 === 0) return (floor / scale).toFixed(digits);
  return value.toFixed(digits);
}

import { equalsDecimal } from '../util/floats';

/**
 * Number formatting exactly as Redis 7.0 prints it.
 *
 * Redis 7.0 replies doubles (ZSCORE, ZINCRBY, WITHSCORES, RESP3 doubles) with
 * printf("%.17g"), so 1.1 prints as "1.1000000000000001". (7.2 switched to the
 * shortest round-trip form; we follow 7.0.) Infinities print as "inf"/"-inf".
 */
export function formatDouble17g(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'nan';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // An integer up to 2^53 has at most 16 digits, all printed as String prints them: the common score, kept fast.
  if (Number.isSafeInteger(value)) return String(value);
  return formatG(value, 17);
}

/** (double)(LLONG_MAX / 2), double2ll's bound: every integral double within it converts exactly. */
const LISTPACK_INTEGER_SCORE_LIMIT = 2 ** 62;

/**
 * A score as a sorted set's listpack holds it (zzlInsertAt): an integral
 * double within +-2^62 (double2ll) as that integer, -0 as 0; anything else
 * as d2string's %.17g. ZSCAN of a listpack set replies these texts, and
 * DUMP/RDB carry them (4611686018427387904 is an integer there, the next
 * double up "4.6116860184273889e+18").
 */
export function listpackScoreText(score: number): string {
  if (Number.isInteger(score) && score >= -LISTPACK_INTEGER_SCORE_LIMIT && score <= LISTPACK_INTEGER_SCORE_LIMIT) {
    return Number.isSafeInteger(score) ? String(score) : BigInt(score).toString();
  }
  return formatDouble17g(score);
}

/**
 * C's %.<precision>g: precision significant digits, trailing zeros removed,
 * exponent form when exp < -4 or exp >= precision, exponent with sign and at
 * least two digits.
 */
export function formatG(value: number, precision: number): string {
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const { digits, exponent } = significantDigits(Math.abs(value), precision);
  if (exponent < -4 || exponent >= precision) {
    const mantissa = stripFraction(`${digits[0]}.${digits.slice(1)}`);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return stripFraction(`${sign}0.${'0'.repeat(-exponent - 1)}${digits}`);
  return stripFraction(`${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`);
}

function stripFraction(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * The first `precision` significant digits of a finite magnitude, rounded as
 * glibc's printf rounds: to nearest on the exact binary value, an exact tie
 * to even. toExponential rounds correctly too but breaks a tie away from
 * zero: 895362981023427.125 (a ZUNION score) is "...427.13" there and
 * "...427.12" in redis-server.
 */
function significantDigits(magnitude: number, precision: number): { digits: string; exponent: number } {
  const rounded = splitExponential(magnitude.toExponential(precision - 1));
  const longer = splitExponential(magnitude.toExponential(precision)); // one digit more, also correctly rounded
  // A tie means the exact value has precision+1 digits, the last a 5: then
  // the longer form is that exact value, and toExponential rounded it up.
  if (longer.digits[precision] !== '5' || !equalsDecimal(magnitude, BigInt(longer.digits), longer.exponent - precision)) return rounded;
  const truncated = longer.digits.slice(0, precision);
  return Number(truncated[precision - 1]) % 2 === 0 ? { digits: truncated, exponent: longer.exponent } : rounded;
}

function splitExponential(text: string): { digits: string; exponent: number } {
  const e = text.indexOf('e');
  return { digits: text.slice(0, e).replace('.', ''), exponent: Number(text.slice(e + 1)) };
}

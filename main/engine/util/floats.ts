/**
 * Double parsing with Redis's rules (object.c getDoubleFromObject, which
 * wraps strtod): no leading whitespace, no trailing bytes, "inf"/"infinity"
 * with an optional sign in any case accepted, NaN refused, overflow to
 * ±HUGE_VAL refused and underflow to zero refused (ERANGE), decimal and hex
 * (0x1.8p3) forms accepted like strtod does.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/** The double value of `text`, or null when Redis would say "value is not a valid float". */
export function parseRedisDouble(text: string): number | null {
  if (text.length === 0) return null;
  const inf = INFINITY.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  let value: number;
  if (DECIMAL.test(text)) {
    value = Number(text);
    if (!Number.isFinite(value)) return null; // overflow (ERANGE, HUGE_VAL)
    if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) return null; // underflow to zero (ERANGE)
    return value;
  }
  const hex = HEX.exec(text);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? '').length > 0)) {
    const mantissa = parseInt((hex[2] ?? '') + (hex[3] ?? ''), 16) || 0;
    const exponent = Number(hex[4] ?? '0') - 4 * (hex[3] ?? '').length;
    value = mantissa * 2 ** exponent;
    if (hex[1] === '-') value = -value;
    if (!Number.isFinite(value)) return null;
    return value;
  }
  return null;
}

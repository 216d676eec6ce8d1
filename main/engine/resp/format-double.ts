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
  return formatG(value, 17);
}

/**
 * C's %.<precision>g: precision significant digits, trailing zeros removed,
 * exponent form when exp < -4 or exp >= precision, exponent with sign and at
 * least two digits.
 */
export function formatG(value: number, precision: number): string {
  const exponential = value.toExponential(precision - 1); // d.ddddde±x
  const eIndex = exponential.indexOf('e');
  const exponent = Number(exponential.slice(eIndex + 1));
  if (exponent < -4 || exponent >= precision) {
    let mantissa = exponential.slice(0, eIndex);
    if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '');
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  let fixed = value.toFixed(Math.max(0, precision - 1 - exponent));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

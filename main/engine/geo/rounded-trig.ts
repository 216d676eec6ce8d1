/**
 * sin, cos and asin rounded correctly (to the double nearest the exact
 * value), for the geo distance formula.
 *
 * Why: redis-server computes distances with glibc's libm, whose sin, cos
 * and asin give the correctly rounded double for all but about 0.1% of
 * arguments, while V8's Math.sin/cos/asin (fdlibm) miss it for 3-6% of
 * them (measured on random geo arguments). One different last bit in any
 * of the four calls of a distance changes a STOREDIST score, which is
 * stored with all 17 digits (and so the DEBUG DIGEST of a replica that
 * recomputes it). Computing each function to ~2^-67 and rounding once gives
 * glibc's double in all but its own ~0.1% of misses.
 *
 * How: double-double arithmetic (a value is hi + lo, |lo| <= ulp(hi)/2),
 * written with module-level result registers (no allocation per call).
 * The argument is reduced by k * pi/2, pi/2 held in three doubles (good
 * for |x| < 2^20; larger arguments, which geo never makes, fall back to
 * Math). On |r| <= pi/4 the Taylor series' first three terms are summed in
 * double-double and the tail (from r^6/7! or r^6/6!, below 2^-14 of the
 * result; truncated past r^24, below 2^-80) in plain doubles. asin is Math.asin refined by Newton steps on
 * sin(y) = s with sin and cos of y in double-double.
 */

/** Result registers of the double-double helpers below. */
let rHi = 0;
let rLo = 0;

const SPLITTER = 134217729; // 2^27 + 1

/** (ah + al) + (bh + bl), normalized into rHi/rLo. */
function addDD(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const v = s - ah;
  const e = (ah - (s - v)) + (bh - v) + al + bl;
  rHi = s + e;
  rLo = e - (rHi - s);
}

/** (ah + al) * (bh + bl) into rHi/rLo (Dekker's exact product of the heads). */
function mulDD(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let t = SPLITTER * ah;
  const aHi = t - (t - ah);
  const aLo = ah - aHi;
  t = SPLITTER * bh;
  const bHi = t - (t - bh);
  const bLo = bh - bHi;
  const e = ((aHi * bHi - p) + aHi * bLo + aLo * bHi) + aLo * bLo + (ah * bl + al * bh);
  rHi = p + e;
  rLo = e - (rHi - p);
}

/** pi/2 as hi + mid + lo. */
const PIO2_HI = 1.5707963267948966;
const PIO2_MID = 6.123233995736766e-17;
const PIO2_LO = -1.4973849048591698e-33;
const TWO_OVER_PI = 0.6366197723675814;
const REDUCTION_LIMIT = 2 ** 20;

/** 1/n! as double-doubles (hi, lo) for n = 0..24. */
const FACT_HI: number[] = [1];
const FACT_LO: number[] = [0];
for (let n = 1; n <= 24; n++) {
  // (hi + lo) / n: q = hi / n, then the remainder of q * n, exactly.
  const hi = FACT_HI[n - 1]!;
  const lo = FACT_LO[n - 1]!;
  const q = hi / n;
  mulDD(q, 0, n, 0);
  const remainder = (hi - rHi - rLo + lo) / n;
  addDD(q, 0, remainder, 0);
  FACT_HI.push(rHi);
  FACT_LO.push(rLo);
}
const c = (n: number): number => FACT_HI[n]!;

/** Reduced argument and quadrant of the last reduce() call. */
let redHi = 0;
let redLo = 0;
let quadrant = 0;

/** x - k*pi/2 in double-double, k = round(x * 2/pi). */
function reduce(x: number): void {
  const k = Math.round(x * TWO_OVER_PI);
  quadrant = ((k % 4) + 4) % 4;
  if (k === 0) {
    redHi = x;
    redLo = 0;
    return;
  }
  // k * PIO2_HI exactly as ph + pl; x - ph is exact (Sterbenz: x within a factor 2 of ph).
  mulDD(k, 0, PIO2_HI, 0);
  const t = x - rHi;
  const pl = rLo;
  mulDD(k, 0, PIO2_MID, 0);
  addDD(t, 0, -rHi, -rLo - pl - k * PIO2_LO);
  redHi = rHi;
  redLo = rLo;
}

/** sin(r), |r| <= pi/4, into rHi/rLo: r * (1 - r^2/3! + r^4/5! - r^2 * tail). */
function sinSeries(hi: number, lo: number): void {
  const r2 = hi * hi;
  const tail = c(7) - r2 * (c(9) - r2 * (c(11) - r2 * (c(13) - r2 * (c(15) - r2 * (c(17) - r2 * (c(19) - r2 * (c(21) - r2 * c(23))))))));
  mulDD(hi, lo, hi, lo);
  const r2Hi = rHi;
  const r2Lo = rLo;
  // s = 1/5! - r^2 * tail
  mulDD(r2Hi, r2Lo, tail, 0);
  addDD(FACT_HI[5]!, FACT_LO[5]!, -rHi, -rLo);
  // s = 1/3! - r^2 * s
  mulDD(r2Hi, r2Lo, rHi, rLo);
  addDD(FACT_HI[3]!, FACT_LO[3]!, -rHi, -rLo);
  // s = 1 - r^2 * s
  mulDD(r2Hi, r2Lo, rHi, rLo);
  addDD(1, 0, -rHi, -rLo);
  mulDD(hi, lo, rHi, rLo);
}

/** cos(r), |r| <= pi/4, into rHi/rLo: 1 - r^2/2! + r^4/4! - r^6 * tail. */
function cosSeries(hi: number, lo: number): void {
  const r2 = hi * hi;
  const tail = c(6) - r2 * (c(8) - r2 * (c(10) - r2 * (c(12) - r2 * (c(14) - r2 * (c(16) - r2 * (c(18) - r2 * (c(20) - r2 * (c(22) - r2 * c(24)))))))));
  mulDD(hi, lo, hi, lo);
  const r2Hi = rHi;
  const r2Lo = rLo;
  mulDD(r2Hi, r2Lo, tail, 0);
  addDD(FACT_HI[4]!, FACT_LO[4]!, -rHi, -rLo);
  mulDD(r2Hi, r2Lo, rHi, rLo);
  addDD(FACT_HI[2]!, FACT_LO[2]!, -rHi, -rLo);
  mulDD(r2Hi, r2Lo, rHi, rLo);
  addDD(1, 0, -rHi, -rLo);
}

/** sin(x) in double-double into rHi/rLo (x already checked against REDUCTION_LIMIT). */
function sinDD(x: number): void {
  reduce(x);
  const q = quadrant;
  if (q === 0 || q === 2) sinSeries(redHi, redLo);
  else cosSeries(redHi, redLo);
  if (q >= 2) {
    rHi = -rHi;
    rLo = -rLo;
  }
}

/** cos(x) in double-double into rHi/rLo. */
function cosDD(x: number): void {
  reduce(x);
  const q = quadrant;
  if (q === 0 || q === 2) cosSeries(redHi, redLo);
  else sinSeries(redHi, redLo);
  if (q === 1 || q === 2) {
    rHi = -rHi;
    rLo = -rLo;
  }
}

export function roundedSin(x: number): number {
  if (x === 0 || !(Math.abs(x) < REDUCTION_LIMIT)) return Math.sin(x); // keeps -0, NaN, huge
  sinDD(x);
  return rHi;
}

export function roundedCos(x: number): number {
  if (!(Math.abs(x) < REDUCTION_LIMIT)) return Math.cos(x);
  cosDD(x);
  return rHi;
}

/**
 * asin(s): Newton on f(y) = sin(y) - s from Math.asin's estimate (within
 * an ulp): y -= (sin y - s) / cos y, with sin(y0 + y1) taken as
 * sin y0 + y1 cos y0. One step leaves an error near (ulp^2 * tan y) / 2;
 * twice from |s| = 0.99 on, where asin is steep.
 */
export function roundedAsin(s: number): number {
  if (!(Math.abs(s) < 1) || s === 0) return Math.asin(s);
  let yHi = Math.asin(s);
  let yLo = 0;
  const steps = Math.abs(s) < 0.99 ? 1 : 2;
  for (let i = 0; i < steps; i++) {
    cosDD(yHi);
    const cosHi = rHi;
    const cosLo = rLo;
    sinDD(yHi);
    // sin(y) - s, with the first-order term of yLo.
    addDD(rHi, rLo, -s, yLo * cosHi);
    const step = (rHi + rLo) / (cosHi + cosLo);
    addDD(yHi, yLo, -step, 0);
    yHi = rHi;
    yLo = rLo;
  }
  return yHi;
}

/**
 * Redis's geohash (geohash.c): a position is a cell of a grid of 2^step x
 * 2^step cells over longitude [-180, 180] and latitude [-85.05112878,
 * 85.05112878] (the Web Mercator limits: Redis cannot index the poles). The
 * sorted-set score of a member is its cell at step 26, the two 26-bit cell
 * indexes interleaved into 52 bits:
 *
 *   bit:   51   50   49   48  ...   1    0
 *         lon  lat  lon  lat  ...  lon  lat     (latitude in the even bits)
 *
 * so a score is an exact integer below 2^53 and nearby cells share their
 * high bits (a range of scores is a square of the map).
 *
 * A cell is kept here as its two indexes (GeoCell), not as interleaved
 * bits: moving to a neighbour is then index +-1 modulo 2^step, which is
 * what geohash.c's bit tricks compute. Interleaving happens only where a
 * score is made or read, in 32-bit halves (no BigInt on the GEOADD path).
 *
 * One edge is kept as Redis has it: a coordinate at the top of its range
 * (longitude 180, latitude 85.05112878) scales to index 2^step, one bit
 * past the cell grid, and Redis stores that bit too (a score up to 2^54).
 */

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

export interface CoordRange {
  readonly min: number;
  readonly max: number;
}

/** The ranges scores are made in (geohashGetCoordRange). */
export const REDIS_LONG_RANGE: CoordRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const REDIS_LAT_RANGE: CoordRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A grid cell at `step` bits per axis: index 0 is the range's minimum. */
export interface GeoCell {
  readonly lat: number;
  readonly lon: number;
  readonly step: number;
}

/** The rectangle a cell covers, in degrees. */
export interface CellArea {
  readonly lonMin: number;
  readonly lonMax: number;
  readonly latMin: number;
  readonly latMax: number;
}

const TWO_32 = 4294967296;
/** 2^step for every step a cell can have: `2 ** step` with a variable step is a call to pow(). */
const POWERS_OF_TWO: ReadonlyArray<number> = Array.from({ length: 33 }, (_, step) => 2 ** step);

/**
 * geohashEncode: the cell holding (lon, lat), or null outside the Redis
 * limits or the given ranges. The offset within the range is scaled to
 * 2^step in doubles and truncated, as the C converts it to uint32.
 */
export function encodeCell(lon: number, lat: number, step: number, lonRange: CoordRange = REDIS_LONG_RANGE, latRange: CoordRange = REDIS_LAT_RANGE): GeoCell | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latRange.min || lat > latRange.max || lon < lonRange.min || lon > lonRange.max) return null;
  const scale = POWERS_OF_TWO[step]!;
  const latOffset = ((lat - latRange.min) / (latRange.max - latRange.min)) * scale;
  const lonOffset = ((lon - lonRange.min) / (lonRange.max - lonRange.min)) * scale;
  return { lat: Math.trunc(latOffset), lon: Math.trunc(lonOffset), step };
}

/** Spreads the low 16 bits of v to the even bits of a 32-bit word. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/** Gathers the even bits of a 32-bit word into 16 bits (the inverse of spread16). */
function squeeze32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** The interleaved bits of a cell as two uint32 halves (latitude even, longitude odd). */
export function interleaveHalves(cell: GeoCell): { hi: number; lo: number } {
  const lo = (spread16(cell.lat) | (spread16(cell.lon) << 1)) >>> 0;
  const hi = (spread16(Math.floor(cell.lat / 65536)) | (spread16(Math.floor(cell.lon / 65536)) << 1)) >>> 0;
  return { hi, lo };
}

/**
 * geohashAlign52Bits as a BigInt: the cell's bits shifted to the top of 52
 * bits. Exact also past 2^53 (the range edge described above).
 */
export function alignedBits(cell: GeoCell): bigint {
  const { hi, lo } = interleaveHalves(cell);
  return ((BigInt(hi) << 32n) | BigInt(lo)) << BigInt(52 - cell.step * 2);
}

/**
 * The score GEOADD gives a step-26 cell: the 52 bits as a double. Redis
 * writes them as a decimal integer and ZADD parses it, i.e. rounds to the
 * nearest double; hi * 2^32 + lo is that same correctly rounded sum.
 */
export function cellScore(cell: GeoCell): number {
  const { hi, lo } = interleaveHalves(cell);
  return hi * TWO_32 + lo;
}

/** The exact decimal text of a step-26 cell's bits (what GEOADD hands to ZADD); `score` is cellScore(cell). */
export function cellScoreText(cell: GeoCell, score: number): string {
  return Number.isSafeInteger(score) ? String(score) : alignedBits(cell).toString();
}

/**
 * (uint64_t)score as x86-64 gcc converts it: truncation for [0, 2^64);
 * a negative value through int64 (two's complement); NaN, infinities and
 * values out of both ranges give cvttsd2si's 0x8000000000000000, or 0 where
 * the unsigned path flips that bit back (>= 2^63: +inf, >= 2^64, NaN).
 */
function scoreToUint64Halves(score: number): { hi: number; lo: number } {
  if (score >= 0 && score < 2 ** 64) {
    const whole = Math.trunc(score);
    const hi = Math.floor(whole / TWO_32);
    return { hi, lo: whole - hi * TWO_32 };
  }
  if (score < 0 && score >= -(2 ** 63)) {
    const bits = BigInt.asUintN(64, BigInt(Math.trunc(score)));
    return { hi: Number(bits >> 32n), lo: Number(bits & 0xffffffffn) };
  }
  if (score < 0 || score === -Infinity) return { hi: 0x80000000, lo: 0 };
  return { hi: 0, lo: 0 };
}

/**
 * decodeGeohash's first half: the step-26 cell of any score, its bits
 * de-interleaved into two 32-bit indexes as geohash.c does (so a score that
 * is no geohash still decodes to some place, clamped later).
 */
export function cellOfScore(score: number): GeoCell {
  const { hi, lo } = scoreToUint64Halves(score);
  const lat = squeeze32(hi) * 65536 + squeeze32(lo);
  const lon = squeeze32(hi >>> 1) * 65536 + squeeze32(lo >>> 1);
  return { lat, lon, step: GEO_STEP_MAX };
}

/**
 * geohashDecode: the rectangle of a cell, computed in Redis's operation
 * order (index / 2^step, times the range's width, plus its minimum) so the
 * doubles are the same. The index + 1 wraps at 2^32 as the C uint32 does.
 */
export function cellArea(cell: GeoCell, lonRange: CoordRange = REDIS_LONG_RANGE, latRange: CoordRange = REDIS_LAT_RANGE): CellArea {
  const scale = POWERS_OF_TWO[cell.step]!;
  const latWidth = latRange.max - latRange.min;
  const lonWidth = lonRange.max - lonRange.min;
  return {
    latMin: latRange.min + (cell.lat / scale) * latWidth,
    latMax: latRange.min + (((cell.lat + 1) >>> 0) / scale) * latWidth,
    lonMin: lonRange.min + (cell.lon / scale) * lonWidth,
    lonMax: lonRange.min + (((cell.lon + 1) >>> 0) / scale) * lonWidth,
  };
}

/** geohashDecodeAreaToLongLat: the centre of an area, clamped to the Redis limits. */
export function areaCentre(area: CellArea): [lon: number, lat: number] {
  const lon = Math.min(GEO_LONG_MAX, Math.max(GEO_LONG_MIN, (area.lonMin + area.lonMax) / 2));
  const lat = Math.min(GEO_LAT_MAX, Math.max(GEO_LAT_MIN, (area.latMin + area.latMax) / 2));
  return [lon, lat];
}

const LAT_WIDTH = GEO_LAT_MAX - GEO_LAT_MIN;
const LONG_WIDTH = GEO_LONG_MAX - GEO_LONG_MIN;
const STEP_MAX_SCALE = 2 ** GEO_STEP_MAX;

/**
 * decodeGeohash: the position a sorted-set score stands for. Never fails
 * (Redis's never does). areaCentre(cellArea(cellOfScore(score))) with the
 * same operations, unrolled: searches decode every candidate.
 */
export function positionOfScore(score: number): [lon: number, lat: number] {
  let lat: number;
  let lon: number;
  if (score >= 0 && score < 2 ** 53) {
    const whole = Math.trunc(score);
    const hi = Math.floor(whole / TWO_32);
    const lo = whole - hi * TWO_32;
    lat = squeeze32(hi) * 65536 + squeeze32(lo);
    lon = squeeze32(hi >>> 1) * 65536 + squeeze32(lo >>> 1);
  } else {
    ({ lat, lon } = cellOfScore(score));
  }
  const latMin = GEO_LAT_MIN + (lat / STEP_MAX_SCALE) * LAT_WIDTH;
  const latMax = GEO_LAT_MIN + (((lat + 1) >>> 0) / STEP_MAX_SCALE) * LAT_WIDTH;
  const lonMin = GEO_LONG_MIN + (lon / STEP_MAX_SCALE) * LONG_WIDTH;
  const lonMax = GEO_LONG_MIN + (((lon + 1) >>> 0) / STEP_MAX_SCALE) * LONG_WIDTH;
  return [
    Math.min(GEO_LONG_MAX, Math.max(GEO_LONG_MIN, (lonMin + lonMax) / 2)),
    Math.min(GEO_LAT_MAX, Math.max(GEO_LAT_MIN, (latMin + latMax) / 2)),
  ];
}

/** The step-26 score of a valid position (GEOADD). */
export function scoreOfPosition(lon: number, lat: number): number | null {
  const cell = encodeCell(lon, lat, GEO_STEP_MAX);
  return cell === null ? null : cellScore(cell);
}

const GEOHASH_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';
const STANDARD_LONG_RANGE: CoordRange = { min: -180, max: 180 };
const STANDARD_LAT_RANGE: CoordRange = { min: -90, max: 90 };

/**
 * GEOHASH's text: the member's position re-encoded over the standard
 * latitude range [-90, 90] (scores use +-85.05), 52 bits as ten base-32
 * characters, then an 11th that is always '0' (Redis has no 55th bit).
 */
export function standardGeohash(score: number): string {
  const [lon, lat] = positionOfScore(score);
  const cell = encodeCell(lon, lat, GEO_STEP_MAX, STANDARD_LONG_RANGE, STANDARD_LAT_RANGE);
  const bits = cell === null ? 0n : alignedBits(cell);
  let text = '';
  for (let i = 0; i < 10; i++) text += GEOHASH_ALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 31n)];
  return `${text}0`;
}

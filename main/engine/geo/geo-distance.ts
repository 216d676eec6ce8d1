/**
 * Distances on Redis's sphere (geohash_helper.c): the haversine great
 * circle distance with Redis's earth radius (the WGS-84 quadratic mean,
 * 6372797.560856 m), and the inside tests of a radius or box search.
 *
 * The operation order follows Redis's so the doubles are the same: degrees
 * become radians by multiplying with pi/180, and when the two longitudes
 * give sin(dlon/2) == 0 only the latitude difference counts. sin, cos and
 * asin are the correctly rounded ones (rounded-trig.ts), as glibc's are
 * but for rare misses, so distances equal redis-server's to the last bit;
 * searches filter with a quicker estimate first (quickDistance).
 */
import { roundedAsin, roundedCos, roundedSin } from './rounded-trig';

export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const DEG_TO_RAD = Math.PI / 180;

export function degToRad(degrees: number): number {
  return degrees * DEG_TO_RAD;
}

export function radToDeg(radians: number): number {
  return radians / DEG_TO_RAD;
}

/** Distance along a meridian between two latitudes. */
export function latitudeDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degToRad(lat2) - degToRad(lat1));
}

interface Trig {
  readonly sin: (x: number) => number;
  readonly cos: (x: number) => number;
  readonly asin: (x: number) => number;
}

const ROUNDED: Trig = { sin: roundedSin, cos: roundedCos, asin: roundedAsin };
const FAST: Trig = { sin: Math.sin, cos: Math.cos, asin: Math.asin };

function haversine(trig: Trig, lon1: number, lat1: number, lon2: number, lat2: number): number {
  const v = trig.sin((degToRad(lon2) - degToRad(lon1)) / 2);
  if (v === 0) return latitudeDistance(lat1, lat2);
  const lat1r = degToRad(lat1);
  const lat2r = degToRad(lat2);
  const u = trig.sin((lat2r - lat1r) / 2);
  const a = u * u + trig.cos(lat1r) * trig.cos(lat2r) * v * v;
  return 2 * EARTH_RADIUS_IN_METERS * trig.asin(Math.sqrt(a));
}

/** geohashGetDistance: meters between two positions (degrees), Redis's double to the last bit. */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversine(ROUNDED, lon1, lat1, lon2, lat2);
}

/**
 * The same distance with V8's own sin/cos/asin: a few ulps off at most,
 * and several times faster. Searches test every candidate with it and
 * settle only the near-boundary ones, and the distances they return,
 * with geoDistance.
 */
export function quickDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversine(FAST, lon1, lat1, lon2, lat2);
}

/**
 * Relative gap within which a quick distance cannot decide a comparison:
 * far above the few-ulp disagreement (and asin's amplification of it,
 * short of antipodes within meters).
 */
const UNDECIDED = 1e-7;

/** distance <= limit, where distance is geoDistance(...points); quick unless too close to tell. */
export function withinDistance(limit: number, lon1: number, lat1: number, lon2: number, lat2: number): number | null {
  const quick = quickDistance(lon1, lat1, lon2, lat2);
  if (Math.abs(quick - limit) > UNDECIDED * Math.max(quick, limit)) return quick <= limit ? quick : null;
  return geoDistance(lon1, lat1, lon2, lat2) <= limit ? quick : null;
}

/**
 * geohashGetDistanceIfInRectangle: is (lon, lat) inside the box of
 * widthM x heightM meters centred on (centreLon, centreLat)? The box's
 * sides are a latitude distance and, at the point's own latitude, a
 * longitude distance. Returns the quick distance to the centre, or null
 * outside.
 */
export function distanceIfInBox(widthM: number, heightM: number, centreLon: number, centreLat: number, lon: number, lat: number): number | null {
  if (latitudeDistance(lat, centreLat) > heightM / 2) return null;
  if (withinDistance(widthM / 2, lon, lat, centreLon, lat) === null) return null;
  return quickDistance(centreLon, centreLat, lon, lat);
}

/**
 * fixedpoint_d2string(d, 4): a distance with exactly four decimals, the
 * scaled value rounded as llrint does (to nearest, ties to even).
 */
export function formatDistance(distance: number): string {
  if (distance === 0) return '0.0000';
  const scaled = roundHalfEven(distance * 10000);
  const negative = scaled < 0;
  const digits = String(Math.abs(scaled)).padStart(5, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

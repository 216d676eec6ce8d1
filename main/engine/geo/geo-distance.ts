/**
 * Distances on Redis's sphere (geohash_helper.c): the haversine great
 * circle distance with Redis's earth radius (the WGS-84 quadratic mean,
 * 6372797.560856 m), and the inside tests of a radius or box search.
 *
 * The operation order follows Redis's so the doubles are the same: degrees
 * become radians by multiplying with pi/180, and when the two longitudes
 * give sin(dlon/2) == 0 only the latitude difference counts. sin, cos and
 * asin are the correctly rounded ones (rounded-trig.ts), as glibc's are
 * but for rare misses, so distances equal redis-server's to the last bit.
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

/** geohashGetDistance: meters between two positions (degrees). */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const v = roundedSin((degToRad(lon2) - degToRad(lon1)) / 2);
  if (v === 0) return latitudeDistance(lat1, lat2);
  const lat1r = degToRad(lat1);
  const lat2r = degToRad(lat2);
  const u = roundedSin((lat2r - lat1r) / 2);
  const a = u * u + roundedCos(lat1r) * roundedCos(lat2r) * v * v;
  return 2 * EARTH_RADIUS_IN_METERS * roundedAsin(Math.sqrt(a));
}

/**
 * geohashGetDistanceIfInRectangle: is (lon, lat) inside the box of
 * widthM x heightM meters centred on (centreLon, centreLat)? The box's
 * sides are a latitude distance and, at the point's own latitude, a
 * longitude distance. Returns the distance to the centre, or null outside.
 */
export function distanceIfInBox(widthM: number, heightM: number, centreLon: number, centreLat: number, lon: number, lat: number): number | null {
  if (latitudeDistance(lat, centreLat) > heightM / 2) return null;
  if (geoDistance(lon, lat, centreLon, lat) > widthM / 2) return null;
  return geoDistance(centreLon, centreLat, lon, lat);
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

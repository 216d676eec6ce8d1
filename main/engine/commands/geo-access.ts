/**
 * What the geo commands share (geo.c's helpers): parsing a position, a unit,
 * a radius or a box with Redis's own error texts, reading a member's
 * position from its score, and the reply shapes of distances (four
 * decimals) and coordinates (addReplyHumanLongDouble: the exact value to 17
 * decimals, trailing zeros dropped; a RESP3 double of those digits).
 */
import { defineCommand, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, doubleWithText, error, type ErrorReply, type Reply } from '../resp/reply';
import { formatFixed, parseRedisDouble } from '../util/floats';
import { formatLongDoubleHuman } from '../util/long-double';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, positionOfScore } from '../geo/geohash';
import { ZSetValue } from '../keyspace/values';
import type { ZsetCommandOptions } from './zsets-access';

export type Position = [lon: number, lat: number];

const UNSUPPORTED_UNIT = error('ERR unsupported unit provided. please use M, KM, FT, MI');
export const MEMBER_NOT_DECODABLE = error('ERR could not decode requested zset member');

/** printf("%f"): six decimals (formatFixed), whole digits of any size, inf. */
function formatPrintfF(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Math.abs(value) >= 1e21) return `${BigInt(value).toString()}.000000`;
  return formatFixed(value, 6);
}

/**
 * extractLongLatOrReply: longitude then latitude as doubles ("value is not
 * a valid float"), then the range check, whose error prints both with %f.
 */
export function parsePosition(lonText: string, latText: string): Position | ErrorReply {
  const lon = parseRedisDouble(lonText);
  if (lon === null) return errors.NOT_FLOAT;
  const lat = parseRedisDouble(latText);
  if (lat === null) return errors.NOT_FLOAT;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    return error(`ERR invalid longitude,latitude pair ${formatPrintfF(lon)},${formatPrintfF(lat)}`);
  }
  return [lon, lat];
}

/** extractUnitOrReply: meters per unit (m, km, ft, mi; any case). */
export function parseUnit(text: string): number | ErrorReply {
  switch (cString(text).toLowerCase()) {
    case 'm': return 1;
    case 'km': return 1000;
    case 'ft': return 0.3048;
    case 'mi': return 1609.34;
    default: return UNSUPPORTED_UNIT;
  }
}

/** extractDistanceOrReply: `<radius> <unit>`. */
export function parseRadius(radiusText: string, unitText: string): { radius: number; toMeters: number } | ErrorReply {
  const radius = parseRedisDouble(radiusText);
  if (radius === null) return error('ERR need numeric radius');
  if (radius < 0) return error('ERR radius cannot be negative');
  const toMeters = parseUnit(unitText);
  return typeof toMeters === 'number' ? { radius, toMeters } : toMeters;
}

/** extractBoxOrReply: `<width> <height> <unit>`. */
export function parseBox(widthText: string, heightText: string, unitText: string): { width: number; height: number; toMeters: number } | ErrorReply {
  const width = parseRedisDouble(widthText);
  if (width === null) return error('ERR need numeric width');
  const height = parseRedisDouble(heightText);
  if (height === null) return error('ERR need numeric height');
  if (height < 0 || width < 0) return error('ERR height or width cannot be negative');
  const toMeters = parseUnit(unitText);
  return typeof toMeters === 'number' ? { width, height, toMeters } : toMeters;
}

/** The sorted set at `key` for a read, undefined when missing, WRONGTYPE otherwise. */
export function geoZsetFor(ctx: CommandContext, key: string): ZSetValue | undefined | ErrorReply {
  const value = ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof ZSetValue ? value : errors.WRONGTYPE;
}

/** longLatFromMember: the position of a member, or null when it is not in the set. */
export function memberPosition(zset: ZSetValue, member: string): Position | null {
  const score = zset.score(member);
  return score === undefined ? null : positionOfScore(score);
}

const FLOAT_VIEW = new DataView(new ArrayBuffer(8));

/** The human long-double text of a double (ld2string LD_STR_HUMAN of the value widened exactly). */
export function humanDoubleText(value: number): string {
  FLOAT_VIEW.setFloat64(0, value);
  const high = FLOAT_VIEW.getUint32(0);
  const low = FLOAT_VIEW.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  // Coordinates are finite; a subnormal has no hidden bit and the least exponent.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return formatLongDoubleHuman({ kind: 'finite', negative, mantissa, exponent });
}

/** A coordinate as addReplyHumanLongDouble sends it. */
export function coordinateReply(value: number): Reply {
  return doubleWithText(value, humanDoubleText(value));
}

export function positionReply(position: Position): Reply {
  return array([coordinateReply(position[0]), coordinateReply(position[1])]);
}

/** A geo command (a sorted-set command's options): @geo, @read or @write from its flags, always @slow. */
export function defineGeoCommand(options: ZsetCommandOptions) {
  return defineCommand({
    name: options.name, arity: options.arity, flags: options.flags,
    acl: ['geo'],
    keys: options.keys === undefined ? [1, 1, 1] : options.keys,
    doc: { summary: options.summary, since: options.since, group: 'geo' },
    handler: options.handler,
  });
}

/**
 * The geo searches (geo.c georadiusGeneric): GEORADIUS GEORADIUS_RO
 * GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO GEOSEARCH GEOSEARCHSTORE.
 *
 * Order of checks is Redis's, since it decides which error a bad call gets:
 * the source key's type; the centre and radius of the GEORADIUS forms; then
 * the options left to right (a FROMMEMBER not in the set fails there, a
 * missing source key does not); then STORE with WITH*, FROM*, BY*, ANY
 * without COUNT; then a missing source (0 or an empty array, a STORE
 * destination deleted). COUNT without ANY sorts ascending by default.
 *
 * The matches are collected cell by cell (../geo/search-area.ts), each cell
 * one score range of the set in set order, and sorted by distance when
 * asked: stably when all are returned (glibc's qsort is a merge sort), by
 * Redis's partial quicksort when COUNT cuts (equidistant members then come
 * out in its order). The sort compares V8-trig distances (a few ulps off:
 * only near-ties that are not exact ties could order differently); the
 * inside test and the distances replied or stored are Redis's exact ones.
 * COUNT ANY stops reading as soon as it has COUNT matches.
 *
 * STORE/STOREDIST and GEOSEARCHSTORE write a sorted set of the matches
 * (scores, or distances in the unit asked), notify "georadiusstore" /
 * "geosearchstore", and are propagated verbatim.
 */
import * as errors from '../resp/errors';
import { array, bulk, EMPTY_ARRAY, error, integer, type ErrorReply, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import type { ZSetValue } from '../keyspace/values';
import { positionOfScore } from '../geo/geohash';
import { formatDistance, geoDistance } from '../geo/geo-distance';
import { partialQuicksort } from '../geo/partial-quicksort';
import { cellScoreRange, distanceIfWithin, searchCells, type GeoShape } from '../geo/search-area';
import type { CommandContext } from './command-context';
import { buildZset, isZset, storeZset, type ZEntry } from './zsets-access';
import { defineGeoCommand, geoZsetFor, MEMBER_NOT_DECODABLE, memberPosition, parseBox, parsePosition, parseRadius, positionReply, type Position } from './geo-access';
import { cString } from './define';

type Variant = 'radius' | 'radius_ro' | 'bymember' | 'bymember_ro' | 'search' | 'searchstore';

interface Match {
  readonly member: string;
  readonly score: number;
  readonly position: Position;
  /** Meters until the reply or store converts it to the unit asked. */
  distance: number;
}

interface SearchRequest {
  centre: Position | null;
  area: { kind: 'radius'; radius: number } | { kind: 'box'; width: number; height: number } | null;
  toMeters: number;
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  sort: 'none' | 'asc' | 'desc';
  any: boolean;
  count: number;
  storeKey: string | null;
  storeDist: boolean;
}

/**
 * Parses the options from `first` on (georadiusGeneric's loop). Returns
 * an error reply at the first bad one. FROMMEMBER on a missing source is
 * accepted here; the missing source is answered after the checks.
 */
function parseOptions(ctx: CommandContext, variant: Variant, first: number, zset: ZSetValue | undefined, request: SearchRequest): ErrorReply | null {
  const isSearch = variant === 'search' || variant === 'searchstore';
  const canStore = variant === 'radius' || variant === 'bymember';
  let fromMember = false;
  let fromLonLat = false;
  for (let i = first; i < ctx.argc; i++) {
    const option = cString(ctx.arg(i)).toLowerCase();
    const left = ctx.argc - i - 1;
    if (option === 'withdist') request.withDist = true;
    else if (option === 'withhash') request.withHash = true;
    else if (option === 'withcoord') request.withCoord = true;
    else if (option === 'any') request.any = true;
    else if (option === 'asc') request.sort = 'asc';
    else if (option === 'desc') request.sort = 'desc';
    else if (option === 'count' && left >= 1) {
      const count = parseInt64(ctx.arg(++i));
      if (count === null) return errors.NOT_INTEGER;
      if (count <= 0) return error('ERR COUNT must be > 0');
      request.count = Number(count);
    } else if ((option === 'store' || option === 'storedist') && left >= 1 && canStore) {
      request.storeKey = ctx.arg(++i);
      request.storeDist = option === 'storedist';
    } else if (option === 'storedist' && variant === 'searchstore') {
      request.storeDist = true;
    } else if (option === 'frommember' && left >= 1 && isSearch && !fromLonLat) {
      const member = ctx.arg(++i);
      fromMember = true;
      if (zset === undefined) continue;
      const position = memberPosition(zset, member);
      if (position === null) return MEMBER_NOT_DECODABLE;
      request.centre = position;
    } else if (option === 'fromlonlat' && left >= 2 && isSearch && !fromMember) {
      const position = parsePosition(ctx.arg(i + 1), ctx.arg(i + 2));
      if (!Array.isArray(position)) return position;
      request.centre = position;
      fromLonLat = true;
      i += 2;
    } else if (option === 'byradius' && left >= 2 && isSearch && request.area?.kind !== 'box') {
      const radius = parseRadius(ctx.arg(i + 1), ctx.arg(i + 2));
      if ('kind' in radius) return radius;
      request.area = { kind: 'radius', radius: radius.radius };
      request.toMeters = radius.toMeters;
      i += 2;
    } else if (option === 'bybox' && left >= 3 && isSearch && request.area?.kind !== 'radius') {
      const box = parseBox(ctx.arg(i + 1), ctx.arg(i + 2), ctx.arg(i + 3));
      if ('kind' in box) return box;
      request.area = { kind: 'box', width: box.width, height: box.height };
      request.toMeters = box.toMeters;
      i += 3;
    } else {
      return errors.SYNTAX;
    }
  }
  if (request.storeKey !== null && (request.withDist || request.withHash || request.withCoord)) {
    return error(`ERR ${variant === 'searchstore' ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (isSearch && !fromMember && !fromLonLat) return error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${ctx.arg(0)}`);
  if (isSearch && request.area === null) return error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${ctx.arg(0)}`);
  if (request.any && request.count === 0) return error('ERR the ANY argument requires COUNT argument');
  return null;
}

/** The shape searched; the request passed parseOptions and has a source set, so centre and area are set. */
function shapeOf(request: SearchRequest): GeoShape {
  const [lon, lat] = request.centre ?? [0, 0];
  const area = request.area ?? { kind: 'radius', radius: 0 };
  return area.kind === 'radius'
    ? { kind: 'radius', lon, lat, radius: area.radius, toMeters: request.toMeters }
    : { kind: 'box', lon, lat, width: area.width, height: area.height, toMeters: request.toMeters };
}

/** membersOfAllNeighbors: the matches, cell by cell, stopping at `limit` (0: none). */
function collectMatches(zset: ZSetValue, shape: GeoShape, limit: number): Match[] {
  const matches: Match[] = [];
  let last: { lat: number; lon: number; step: number } | null = null;
  for (const cell of searchCells(shape)) {
    if (cell === null) continue;
    // Huge radii make neighbours wrap onto each other: read a cell once in a row.
    if (last !== null && last.lat === cell.lat && last.lon === cell.lon && last.step === cell.step) continue;
    if (limit > 0 && matches.length >= limit) break;
    const { min, max } = cellScoreRange(cell);
    // geoGetPointsInRange: min <= score < max, in set order.
    for (let node = zset.firstInScoreRange(min, false); node !== null && node.score < max; node = node.next) {
      const position = positionOfScore(node.score);
      const distance = distanceIfWithin(shape, position[0], position[1]);
      if (distance !== null) matches.push({ member: node.member, score: node.score, position, distance });
      if (limit > 0 && matches.length >= limit) break;
    }
    last = cell;
  }
  return matches;
}

function matchReply(request: SearchRequest, match: Match): Reply {
  if (!request.withDist && !request.withHash && !request.withCoord) return bulk(match.member);
  const items: Reply[] = [bulk(match.member)];
  if (request.withDist) items.push(bulk(formatDistance(match.distance)));
  // addReplyLongLong of the score: a step-26 geohash is an exact integer.
  if (request.withHash) items.push(integer(Number.isSafeInteger(match.score) ? match.score : BigInt.asIntN(64, BigInt(Math.trunc(match.score)))));
  if (request.withCoord) items.push(positionReply(match.position));
  return array(items);
}

function georadiusGeneric(ctx: CommandContext, variant: Variant): Reply {
  const sourceIndex = variant === 'searchstore' ? 2 : 1;
  const zset = geoZsetFor(ctx, ctx.arg(sourceIndex));
  if (zset !== undefined && !isZset(zset)) return zset;
  const request: SearchRequest = {
    centre: null, area: null, toMeters: 1, withDist: false, withHash: false, withCoord: false,
    sort: 'none', any: false, count: 0, storeKey: variant === 'searchstore' ? ctx.arg(1) : null, storeDist: false,
  };
  let first: number;
  if (variant === 'radius' || variant === 'radius_ro') {
    first = 6;
    const centre = parsePosition(ctx.arg(2), ctx.arg(3));
    if (!Array.isArray(centre)) return centre;
    const radius = parseRadius(ctx.arg(4), ctx.arg(5));
    if ('kind' in radius) return radius;
    Object.assign(request, { centre, area: { kind: 'radius', radius: radius.radius }, toMeters: radius.toMeters });
  } else if (variant === 'bymember' || variant === 'bymember_ro') {
    first = 5;
    if (zset !== undefined) {
      const centre = memberPosition(zset, ctx.arg(2));
      if (centre === null) return MEMBER_NOT_DECODABLE;
      const radius = parseRadius(ctx.arg(3), ctx.arg(4));
      if ('kind' in radius) return radius;
      Object.assign(request, { centre, area: { kind: 'radius', radius: radius.radius }, toMeters: radius.toMeters });
    }
  } else {
    first = sourceIndex + 1;
  }
  const invalid = parseOptions(ctx, variant, first, zset, request);
  if (invalid !== null) return invalid;

  if (zset === undefined) {
    if (request.storeKey === null) return EMPTY_ARRAY;
    return storeZset(ctx, request.storeKey, buildZset(ctx, []), '');
  }
  if (request.count !== 0 && request.sort === 'none' && !request.any) request.sort = 'asc';

  const shape = shapeOf(request);
  const matches = collectMatches(zset, shape, request.any ? request.count : 0);
  if (matches.length === 0 && request.storeKey === null) return EMPTY_ARRAY;
  const returnedCount = request.count === 0 ? matches.length : Math.min(request.count, matches.length);
  if (request.sort !== 'none') {
    const ascending = (a: Match, b: Match): number => (a.distance > b.distance ? 1 : a.distance === b.distance ? 0 : -1);
    const order = request.sort === 'asc' ? ascending : (a: Match, b: Match): number => -ascending(a, b);
    // All of them: glibc's qsort (a merge sort, stable); the first COUNT only: Redis's pqsort.
    if (returnedCount === matches.length) matches.sort(order);
    else partialQuicksort(matches, order, 0, returnedCount - 1);
  }
  const returned = matches.slice(0, returnedCount);
  // The matches carry quick distances (sorting); replies and stores get Redis's exact doubles.
  const exact = request.withDist || request.storeDist;
  for (const match of returned) {
    if (exact) match.distance = geoDistance(shape.lon, shape.lat, match.position[0], match.position[1]);
    match.distance /= shape.toMeters;
  }

  if (request.storeKey === null) return array(returned.map((match) => matchReply(request, match)));
  const entries: ZEntry[] = returned.map((match) => [match.member, request.storeDist ? match.distance : match.score]);
  const reply = storeZset(ctx, request.storeKey, buildZset(ctx, entries), variant === 'searchstore' ? 'geosearchstore' : 'georadiusstore');
  // server.dirty += returned items (storeZset counted one).
  if (entries.length > 1) ctx.addDirty(entries.length - 1);
  return reply;
}

const SEARCH_SUMMARY = 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.';

export const georadius = defineGeoCommand({
  name: 'georadius', arity: -6, flags: ['write', 'denyoom'], since: '3.2.0',
  summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
  handler: (ctx) => georadiusGeneric(ctx, 'radius'),
});

export const georadiusRo = defineGeoCommand({
  name: 'georadius_ro', arity: -6, flags: ['readonly'], since: '3.2.10', summary: 'A read-only variant for GEORADIUS',
  handler: (ctx) => georadiusGeneric(ctx, 'radius_ro'),
});

export const georadiusbymember = defineGeoCommand({
  name: 'georadiusbymember', arity: -5, flags: ['write', 'denyoom'], since: '3.2.0',
  summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member',
  handler: (ctx) => georadiusGeneric(ctx, 'bymember'),
});

export const georadiusbymemberRo = defineGeoCommand({
  name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], since: '3.2.10', summary: 'A read-only variant for GEORADIUSBYMEMBER',
  handler: (ctx) => georadiusGeneric(ctx, 'bymember_ro'),
});

export const geosearch = defineGeoCommand({
  name: 'geosearch', arity: -7, flags: ['readonly'], since: '6.2.0', summary: SEARCH_SUMMARY,
  handler: (ctx) => georadiusGeneric(ctx, 'search'),
});

export const geosearchstore = defineGeoCommand({
  name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], since: '6.2.0', keys: [1, 2, 1],
  summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
  handler: (ctx) => georadiusGeneric(ctx, 'searchstore'),
});

export const GEO_SEARCH_COMMANDS = [georadius, georadiusRo, georadiusbymember, georadiusbymemberRo, geosearch, geosearchstore];

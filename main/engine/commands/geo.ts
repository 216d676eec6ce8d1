/**
 * Geo commands (geo.c) on sorted sets whose scores are 52-bit geohashes
 * (../geo/geohash.ts): GEOADD GEODIST GEOHASH GEOPOS here; the searches
 * (GEORADIUS[_RO], GEORADIUSBYMEMBER[_RO], GEOSEARCH, GEOSEARCHSTORE) in
 * geo-search.ts. GEO_COMMANDS lists them all.
 *
 * GEOADD is ZADD with computed scores, as in Redis (geoaddCommand rewrites
 * its argv and calls zaddCommand): the same notification ("zadd"), and the
 * same propagation: replicas and the AOF receive `ZADD key [options]
 * <score> <member> ...`, never GEOADD.
 */
import * as errors from '../resp/errors';
import { array, bulk, NULL, NULL_ARRAY, type Reply } from '../resp/reply';
import { geoDistance, formatDistance } from '../geo/geo-distance';
import { cellScore, cellScoreText, encodeCell, GEO_STEP_MAX, standardGeohash, type GeoCell } from '../geo/geohash';
import { addScoredMembers } from './zsets-add';
import { isZset } from './zsets-access';
import { defineGeoCommand, geoZsetFor, memberPosition, parsePosition, parseUnit, positionReply } from './geo-access';
import { GEO_SEARCH_COMMANDS } from './geo-search';
import { cString } from './define';

export const geoadd = defineGeoCommand({
  name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set', since: '3.2.0',
  handler: (ctx) => {
    let nx = false;
    let xx = false;
    let ch = false;
    let first = 2;
    for (; first < ctx.argc; first++) {
      const option = cString(ctx.arg(first)).toLowerCase();
      if (option === 'nx') nx = true;
      else if (option === 'xx') xx = true;
      else if (option === 'ch') ch = true;
      else break;
    }
    const triples = ctx.argc - first;
    // No triple at all is ZADD's syntax error, answered the same.
    if (triples % 3 !== 0 || (xx && nx) || triples === 0) return errors.SYNTAX;
    const pairs: Array<[number, string]> = [];
    // The ZADD replicas receive is made only while the stream has a receiver (propagation drops it otherwise).
    const zaddArgv = ctx.node.propagation.collecting ? ['zadd', ...ctx.argv.slice(1, first)] : null;
    for (let i = first; i < ctx.argc; i += 3) {
      const position = parsePosition(ctx.arg(i), ctx.arg(i + 1));
      if (!Array.isArray(position)) return position;
      // A valid position always has a cell.
      const cell: GeoCell = encodeCell(position[0], position[1], GEO_STEP_MAX) ?? { lat: 0, lon: 0, step: GEO_STEP_MAX };
      const score = cellScore(cell);
      pairs.push([score, ctx.arg(i + 2)]);
      zaddArgv?.push(cellScoreText(cell, score), ctx.arg(i + 2));
    }
    const reply = addScoredMembers(ctx, ctx.arg(1), { nx, xx, gt: false, lt: false, ch, incr: false }, pairs);
    if (zaddArgv !== null) ctx.rewriteArgv(zaddArgv);
    return reply;
  },
});

export const geodist = defineGeoCommand({
  name: 'geodist', arity: -4, flags: ['readonly'], summary: 'Returns the distance between two members of a geospatial index', since: '3.2.0',
  handler: (ctx) => {
    let toMeters = 1;
    if (ctx.argc === 5) {
      const unit = parseUnit(ctx.arg(4));
      if (typeof unit !== 'number') return unit;
      toMeters = unit;
    } else if (ctx.argc > 5) {
      return errors.SYNTAX;
    }
    const zset = geoZsetFor(ctx, ctx.arg(1));
    if (zset === undefined) return NULL;
    if (!isZset(zset)) return zset;
    const from = memberPosition(zset, ctx.arg(2));
    const to = memberPosition(zset, ctx.arg(3));
    if (from === null || to === null) return NULL;
    return bulk(formatDistance(geoDistance(from[0], from[1], to[0], to[1]) / toMeters));
  },
});

export const geohash = defineGeoCommand({
  name: 'geohash', arity: -2, flags: ['readonly'], summary: 'Returns members of a geospatial index as standard geohash strings', since: '3.2.0',
  handler: (ctx) => {
    const zset = geoZsetFor(ctx, ctx.arg(1));
    if (zset !== undefined && !isZset(zset)) return zset;
    const items: Reply[] = [];
    for (let i = 2; i < ctx.argc; i++) {
      const score = zset?.score(ctx.arg(i));
      items.push(score === undefined ? NULL : bulk(standardGeohash(score)));
    }
    return array(items);
  },
});

export const geopos = defineGeoCommand({
  name: 'geopos', arity: -2, flags: ['readonly'], summary: 'Returns longitude and latitude of members of a geospatial index', since: '3.2.0',
  handler: (ctx) => {
    const zset = geoZsetFor(ctx, ctx.arg(1));
    if (zset !== undefined && !isZset(zset)) return zset;
    const items: Reply[] = [];
    for (let i = 2; i < ctx.argc; i++) {
      const position = zset === undefined ? null : memberPosition(zset, ctx.arg(i));
      items.push(position === null ? NULL_ARRAY : positionReply(position));
    }
    return array(items);
  },
});

export const GEO_COMMANDS = [geoadd, geodist, geohash, geopos, ...GEO_SEARCH_COMMANDS];

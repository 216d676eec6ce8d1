/**
 * Sorted-set commands (t_zset.c): ZADD (NX XX GT LT CH INCR) ZINCRBY ZREM
 * ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZRANGE (by rank or BYSCORE,
 * REV, LIMIT, WITHSCORES) ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZPOPMIN
 * ZPOPMAX and the blocking BZPOPMIN BZPOPMAX.
 *
 * Scores reply as 7.0 prints them: RESP2 bulk strings in %.17g, RESP3
 * doubles; WITHSCORES pairs are flat in RESP2 and nested in RESP3. A served
 * blocking pop is propagated as ZPOPMIN/ZPOPMAX of its key.
 * Not yet: BYLEX ranges, ZRANGESTORE, ZUNION/ZINTER/ZDIFF(STORE), ZMPOP,
 * ZRANDMEMBER, ZSCAN.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, double, EMPTY_ARRAY, error, integer, NULL, NULL_ARRAY, type Reply } from '../resp/reply';
import { formatDouble17g } from '../resp/format-double';
import { ZSetValue } from '../keyspace/values';
import { parseRedisDouble } from '../util/floats';
import { parseInt64 } from '../util/integers';
import { blockingDeadline } from './lists';

const MIN_MAX_NOT_FLOAT = error('ERR min or max is not a float');
const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');

function zsetFor(ctx: CommandContext, key: string, write: boolean): ZSetValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof ZSetValue ? value : errors.WRONGTYPE;
}

function isZset(value: ZSetValue | undefined | Reply): value is ZSetValue {
  return value instanceof ZSetValue;
}

function scoreReply(ctx: CommandContext, score: number): Reply {
  return ctx.client.protocol === 3 ? double(score) : bulk(formatDouble17g(score));
}

/** Member/score pairs: flat in RESP2, [member, score] arrays in RESP3 (unless `flat`). */
function withScores(ctx: CommandContext, entries: ReadonlyArray<[string, number]>, flat = false): Reply {
  if (ctx.client.protocol === 3 && !flat) return array(entries.map(([member, score]) => array([bulk(member), double(score)])));
  const items: Reply[] = [];
  for (const [member, score] of entries) items.push(bulk(member), scoreReply(ctx, score));
  return array(items);
}

function longArg(text: string): number | null {
  const value = parseInt64(text);
  return value === null ? null : typeof value === 'bigint' ? (value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : value;
}

function afterRemoval(ctx: CommandContext, key: string, zset: ZSetValue): void {
  if (zset.size === 0) ctx.keyspace.deleteKey(ctx.db, key);
  else ctx.keyspace.touchModified(ctx.db, key);
}

const define = (name: string, arity: number, flags: Array<'write' | 'denyoom' | 'readonly' | 'fast' | 'blocking' | 'noscript'>, summary: string, since: string, handler: (ctx: CommandContext) => CommandResult, keys: [number, number, number] = [1, 1, 1]) =>
  defineCommand({
    name, arity, flags, acl: [flags.includes('write') ? 'write' : 'read', 'sortedset', flags.includes('fast') ? 'fast' : 'slow', ...(flags.includes('blocking') ? ['blocking' as const] : [])],
    keys, doc: { summary, since, group: 'sorted-set' }, handler,
  });

interface AddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

function zaddGeneric(ctx: CommandContext, flags: AddFlags, scoreIndex: number): Reply {
  const elements = ctx.argc - scoreIndex;
  if (elements % 2 !== 0 || elements === 0) return errors.SYNTAX;
  if (flags.incr && elements > 2) return error('ERR INCR option supports a single increment-element pair');
  if (flags.nx && flags.xx) return error('ERR XX and NX options at the same time are not compatible');
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) return error('ERR GT, LT, and/or NX options at the same time are not compatible');
  const pairs: Array<[number, string]> = [];
  for (let j = scoreIndex; j < ctx.argc; j += 2) {
    const score = parseRedisDouble(ctx.arg(j));
    if (score === null) return errors.NOT_FLOAT;
    pairs.push([score, ctx.arg(j + 1)]);
  }
  const key = ctx.arg(1);
  let zset = zsetFor(ctx, key, true);
  if (zset !== undefined && !isZset(zset)) return zset;
  if (zset === undefined) {
    if (flags.xx) return flags.incr ? NULL : integer(0);
    zset = new ZSetValue();
    ctx.keyspace.addKey(ctx.db, key, zset);
  }
  const maxEntries = ctx.node.config.int('zset-max-listpack-entries');
  const maxValue = ctx.node.config.int('zset-max-listpack-value');
  let added = 0;
  let updated = 0;
  let incrResult: number | null = null;
  for (const [score, member] of pairs) {
    const current = zset.score(member);
    if (current !== undefined) {
      if (flags.nx) continue;
      let next = score;
      if (flags.incr) {
        next = current + score;
        if (Number.isNaN(next)) {
          if (zset.size === 0) ctx.keyspace.deleteKey(ctx.db, key);
          return error('ERR resulting score is not a number (NaN)');
        }
      }
      if ((flags.gt && next <= current) || (flags.lt && next >= current)) continue;
      incrResult = next;
      if (next !== current) {
        zset.set(member, next);
        updated++;
      }
    } else {
      if (flags.xx) continue;
      zset.set(member, score);
      zset.updateEncoding(maxEntries, maxValue, member);
      incrResult = score;
      added++;
    }
  }
  if (zset.size === 0) ctx.keyspace.deleteKey(ctx.db, key);
  if (added + updated > 0) {
    ctx.keyspace.touchModified(ctx.db, key);
    if (added > 0) ctx.keyspace.signalReady(ctx.db, key);
    ctx.addDirty(added + updated);
  }
  if (flags.incr) return incrResult === null ? NULL : scoreReply(ctx, incrResult);
  return integer(flags.ch ? added + updated : added);
}

export const zadd = define('zadd', -4, ['write', 'denyoom', 'fast'], 'Add one or more members to a sorted set, or update its score if it already exists', '1.2.0', (ctx) => {
  const flags: AddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };
  let index = 2;
  for (; index < ctx.argc; index++) {
    const option = ctx.arg(index).toLowerCase();
    if (option === 'nx') flags.nx = true;
    else if (option === 'xx') flags.xx = true;
    else if (option === 'gt') flags.gt = true;
    else if (option === 'lt') flags.lt = true;
    else if (option === 'ch') flags.ch = true;
    else if (option === 'incr') flags.incr = true;
    else break;
  }
  return zaddGeneric(ctx, flags, index);
});

export const zincrby = define('zincrby', 4, ['write', 'denyoom', 'fast'], 'Increment the score of a member in a sorted set', '1.2.0', (ctx) =>
  zaddGeneric(ctx, { nx: false, xx: false, gt: false, lt: false, ch: false, incr: true }, 2));

export const zrem = define('zrem', -3, ['write', 'fast'], 'Remove one or more members from a sorted set', '1.2.0', (ctx) => {
  const key = ctx.arg(1);
  const zset = zsetFor(ctx, key, true);
  if (zset === undefined) return integer(0);
  if (!isZset(zset)) return zset;
  let removed = 0;
  for (const member of ctx.argv.slice(2)) if (zset.delete(member)) removed++;
  if (removed > 0) {
    afterRemoval(ctx, key, zset);
    ctx.addDirty(removed);
  }
  return integer(removed);
});

export const zcard = define('zcard', 2, ['readonly', 'fast'], 'Get the number of members in a sorted set', '1.2.0', (ctx) => {
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset === undefined) return integer(0);
  return isZset(zset) ? integer(zset.size) : zset;
});

export const zscore = define('zscore', 3, ['readonly', 'fast'], 'Get the score associated with the given member in a sorted set', '1.2.0', (ctx) => {
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset === undefined) return NULL;
  if (!isZset(zset)) return zset;
  const score = zset.score(ctx.arg(2));
  return score === undefined ? NULL : scoreReply(ctx, score);
});

export const zmscore = define('zmscore', -3, ['readonly', 'fast'], 'Get the score associated with the given members in a sorted set', '6.2.0', (ctx) => {
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset !== undefined && !isZset(zset)) return zset;
  return array(ctx.argv.slice(2).map((member) => {
    const score = zset?.score(member);
    return score === undefined ? NULL : scoreReply(ctx, score);
  }));
});

function rankCommand(reverse: boolean) {
  return (ctx: CommandContext): Reply => {
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset === undefined) return NULL;
    if (!isZset(zset)) return zset;
    const rank = zset.rank(ctx.arg(2));
    return rank === undefined ? NULL : integer(reverse ? zset.size - 1 - rank : rank);
  };
}

export const zrank = define('zrank', 3, ['readonly', 'fast'], 'Determine the index of a member in a sorted set', '2.0.0', rankCommand(false));
export const zrevrank = define('zrevrank', 3, ['readonly', 'fast'], 'Determine the index of a member in a sorted set, with scores ordered from high to low', '2.0.0', rankCommand(true));

interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** zslParseRange: "(1.5", "-inf", "+inf", "3". */
function parseBound(text: string): ScoreBound | null {
  const exclusive = text.startsWith('(');
  const value = parseRedisDouble(exclusive ? text.slice(1) : text);
  if (value === null) return null;
  return { value, exclusive };
}

function inRange(score: number, min: ScoreBound, max: ScoreBound): boolean {
  const aboveMin = min.exclusive ? score > min.value : score >= min.value;
  const belowMax = max.exclusive ? score < max.value : score <= max.value;
  return aboveMin && belowMax;
}

export const zcount = define('zcount', 4, ['readonly', 'fast'], 'Count the members in a sorted set with scores within the given values', '2.0.0', (ctx) => {
  const min = parseBound(ctx.arg(2));
  const max = parseBound(ctx.arg(3));
  if (!min || !max) return MIN_MAX_NOT_FLOAT;
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset === undefined) return integer(0);
  if (!isZset(zset)) return zset;
  let count = 0;
  for (const [, score] of zset.entries()) if (inRange(score, min, max)) count++;
  return integer(count);
});

interface RangeRequest {
  readonly byScore: boolean;
  readonly reverse: boolean;
  readonly withScores: boolean;
  readonly limit: { offset: number; count: number } | null;
  readonly start: string;
  readonly stop: string;
}

function rangeGeneric(ctx: CommandContext, request: RangeRequest): Reply {
  const zset = zsetFor(ctx, ctx.arg(1), false);
  let entries: Array<[string, number]> = [];
  if (!request.byScore) {
    let start = longArg(request.start);
    let end = longArg(request.stop);
    if (start === null || end === null) return errors.NOT_INTEGER;
    if (zset !== undefined && !isZset(zset)) return zset;
    if (zset) {
      const length = zset.size;
      if (start < 0) start = length + start;
      if (end < 0) end = length + end;
      if (start < 0) start = 0;
      if (!(start > end || start >= length)) {
        if (end >= length) end = length - 1;
        const all = [...zset.entries()];
        const ordered = request.reverse ? all.reverse() : all;
        entries = ordered.slice(start, end + 1);
      }
    }
  } else {
    // ZRANGE ... BYSCORE REV takes max first, as ZREVRANGEBYSCORE does.
    const min = parseBound(request.reverse ? request.stop : request.start);
    const max = parseBound(request.reverse ? request.start : request.stop);
    if (!min || !max) return MIN_MAX_NOT_FLOAT;
    if (zset !== undefined && !isZset(zset)) return zset;
    if (zset) {
      const matching = [...zset.entries()].filter(([, score]) => inRange(score, min, max));
      if (request.reverse) matching.reverse();
      entries = matching;
      if (request.limit) {
        const { offset, count } = request.limit;
        entries = offset < 0 ? [] : entries.slice(offset, count < 0 ? undefined : offset + count);
      }
    }
  }
  if (request.withScores) return withScores(ctx, entries);
  return entries.length === 0 ? EMPTY_ARRAY : array(entries.map(([member]) => bulk(member)));
}

/** Options after the range arguments (index 4 on). */
function parseRangeOptions(ctx: CommandContext, allowBy: boolean, allowLimit: boolean, allowWithScores = true): { byScore: boolean; byLex: boolean; reverse: boolean; withScores: boolean; limit: { offset: number; count: number } | null } | Reply {
  let byScore = false;
  let byLex = false;
  let reverse = false;
  let withScores = false;
  let limit: { offset: number; count: number } | null = null;
  for (let j = 4; j < ctx.argc; j++) {
    const option = ctx.arg(j);
    const left = ctx.argc - j - 1;
    if (allowWithScores && isOption(option, 'withscores')) withScores = true;
    else if (allowLimit && isOption(option, 'limit') && left >= 2) {
      const offset = longArg(ctx.arg(j + 1));
      const count = longArg(ctx.arg(j + 2));
      if (offset === null || count === null) return errors.NOT_INTEGER;
      limit = { offset, count };
      j += 2;
    } else if (allowBy && isOption(option, 'byscore')) byScore = true;
    else if (allowBy && isOption(option, 'bylex')) byLex = true;
    else if (allowBy && isOption(option, 'rev')) reverse = true;
    else return errors.SYNTAX;
  }
  return { byScore, byLex, reverse, withScores, limit };
}

export const zrange = define('zrange', -4, ['readonly'], 'Return a range of members in a sorted set', '1.2.0', (ctx) => {
  const options = parseRangeOptions(ctx, true, true);
  if ('kind' in options) return options;
  if (options.byLex) return error('ERR BYLEX ranges are not supported by this engine yet');
  if (options.limit && !options.byScore) return error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (options.withScores && options.byLex) return error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  return rangeGeneric(ctx, { byScore: options.byScore, reverse: options.reverse, withScores: options.withScores, limit: options.limit, start: ctx.arg(2), stop: ctx.arg(3) });
});

export const zrevrange = define('zrevrange', -4, ['readonly'], 'Return a range of members in a sorted set, by index, with scores ordered from high to low', '1.2.0', (ctx) => {
  const options = parseRangeOptions(ctx, false, false);
  if ('kind' in options) return options;
  return rangeGeneric(ctx, { byScore: false, reverse: true, withScores: options.withScores, limit: null, start: ctx.arg(2), stop: ctx.arg(3) });
});

function byScoreCommand(reverse: boolean) {
  return (ctx: CommandContext): Reply => {
    const options = parseRangeOptions(ctx, false, true);
    if ('kind' in options) return options;
    return rangeGeneric(ctx, { byScore: true, reverse, withScores: options.withScores, limit: options.limit, start: ctx.arg(2), stop: ctx.arg(3) });
  };
}

export const zrangebyscore = define('zrangebyscore', -4, ['readonly'], 'Return a range of members in a sorted set, by score', '1.0.5', byScoreCommand(false));
export const zrevrangebyscore = define('zrevrangebyscore', -4, ['readonly'], 'Return a range of members in a sorted set, by score, with scores ordered from high to low', '2.2.0', byScoreCommand(true));

function popEntries(zset: ZSetValue, count: number, max: boolean): Array<[string, number]> {
  const popped: Array<[string, number]> = [];
  while (popped.length < count && zset.size > 0) {
    const node = max ? zset.last() : zset.first();
    if (!node) break;
    popped.push([node.member, node.score]);
    zset.delete(node.member);
  }
  return popped;
}

function popCommand(max: boolean) {
  return (ctx: CommandContext): Reply => {
    if (ctx.argc > 3) return errors.SYNTAX;
    let count = 1;
    const hasCount = ctx.argc === 3;
    if (hasCount) {
      const parsed = longArg(ctx.arg(2));
      if (parsed === null || parsed < 0) return MUST_BE_POSITIVE;
      count = parsed;
    }
    const key = ctx.arg(1);
    const zset = zsetFor(ctx, key, true);
    if (zset === undefined) return EMPTY_ARRAY;
    if (!isZset(zset)) return zset;
    if (count === 0) return EMPTY_ARRAY;
    const popped = popEntries(zset, count, max);
    afterRemoval(ctx, key, zset);
    ctx.addDirty(popped.length);
    return withScores(ctx, popped, !hasCount);
  };
}

export const zpopmin = define('zpopmin', -2, ['write', 'fast'], 'Remove and return members with the lowest scores in a sorted set', '5.0.0', popCommand(false));
export const zpopmax = define('zpopmax', -2, ['write', 'fast'], 'Remove and return members with the highest scores in a sorted set', '5.0.0', popCommand(true));

function blockingPop(max: boolean) {
  return (ctx: CommandContext): CommandResult => {
    const deadline = blockingDeadline(ctx, ctx.arg(ctx.argc - 1));
    if (typeof deadline !== 'number') return deadline;
    const keys = ctx.argv.slice(1, -1);
    const tryServe = (serving: CommandContext): Reply | null => {
      for (const key of keys) {
        const zset = zsetFor(serving, key, true);
        if (zset === undefined) continue;
        if (!isZset(zset)) return zset;
        const [[member, score]] = popEntries(zset, 1, max) as [[string, number]];
        afterRemoval(serving, key, zset);
        serving.addDirty();
        serving.rewriteArgv([max ? 'ZPOPMAX' : 'ZPOPMIN', key]);
        return array([bulk(key), bulk(member), scoreReply(serving, score)]);
      }
      return null;
    };
    const now = tryServe(ctx);
    if (now !== null) return now;
    const request: BlockRequest = { kind: 'block', keys, deadline, retry: tryServe, onTimeout: () => NULL_ARRAY, wakeOn: 'keys' };
    return request;
  };
}

export const bzpopmin = define('bzpopmin', -3, ['write', 'noscript', 'blocking', 'fast'], 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', '5.0.0', blockingPop(false), [1, -2, 1]);
export const bzpopmax = define('bzpopmax', -3, ['write', 'noscript', 'blocking', 'fast'], 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', '5.0.0', blockingPop(true), [1, -2, 1]);

export const ZSET_COMMANDS = [zadd, zincrby, zrem, zcard, zscore, zmscore, zrank, zrevrank, zcount, zrange, zrevrange, zrangebyscore, zrevrangebyscore, zpopmin, zpopmax, bzpopmin, bzpopmax];

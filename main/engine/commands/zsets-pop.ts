/**
 * Pops (t_zset.c genericZpopCommand, blockingGenericZpopCommand,
 * zmpopGenericCommand): ZPOPMIN ZPOPMAX ZMPOP and the blocking BZPOPMIN
 * BZPOPMAX BZMPOP.
 *
 * Reply shapes follow 7.0: ZPOPMIN/MAX flat member, score pairs (nested
 * [member, score] arrays in RESP3 when COUNT is given); BZPOPMIN/MAX a flat
 * [key, member, score]; ZMPOP/BZMPOP [key, [[member, score], ...]] in both
 * protocols, nil when nothing could be popped. Blocked clients time out
 * with a null array.
 *
 * Replication: ZPOPMIN/MAX are deterministic and go verbatim; the others go
 * as what they did: BZPOPMIN key.. -> ZPOPMIN key;  ZMPOP/BZMPOP ... COUNT n
 * -> ZPOPMIN key <popped count> (also when a blocked client is served later).
 */
import * as errors from '../resp/errors';
import { array, bulk, EMPTY_ARRAY, error, NULL_ARRAY, type Reply } from '../resp/reply';
import type { ZSetValue } from '../keyspace/values';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import { blockingDeadline } from './lists';
import { longArg } from './sets-access';
import { afterRemoval, defineZsetCommand, isZset, pairsReply, scoreReply, zsetFor, type ZEntry } from './zsets-access';
import { cString } from './define';

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');
const NUMKEYS_POSITIVE = error('ERR numkeys should be greater than 0');
const COUNT_POSITIVE = error('ERR count should be greater than 0');

type Shape = 'pairs' | 'nested-pairs' | 'key-flat' | 'key-nested';

function popEntries(zset: ZSetValue, count: number, max: boolean): ZEntry[] {
  const popped: ZEntry[] = [];
  for (let i = 0; i < count; i++) {
    const node = max ? zset.last() : zset.first();
    if (!node) break;
    popped.push([node.member, node.score]);
    zset.delete(node.member);
  }
  return popped;
}

function shapeReply(ctx: CommandContext, shape: Shape, key: string, popped: ReadonlyArray<ZEntry>): Reply {
  switch (shape) {
    case 'pairs': return pairsReply(ctx, popped, true);
    case 'nested-pairs': return pairsReply(ctx, popped);
    case 'key-flat': return array([bulk(key), ...popped.flatMap(([member, score]) => [bulk(member), scoreReply(ctx, score)])]);
    case 'key-nested': return array([bulk(key), array(popped.map(([member, score]) => array([bulk(member), scoreReply(ctx, score)])))]);
  }
}

interface PopResult {
  readonly key: string;
  readonly popped: ZEntry[];
}

/**
 * Pops up to `count` from the first non-empty key; null when every key is
 * missing; WRONGTYPE stops at the first bad key, unless `skipWrongType`
 * (serving a blocked client: a key that became another type does not serve
 * it, and it keeps waiting, as in handleClientsBlockedOnKeys).
 */
function popFirst(ctx: CommandContext, keys: ReadonlyArray<string>, count: number, max: boolean, skipWrongType = false): PopResult | null | Reply {
  for (const key of keys) {
    const zset = zsetFor(ctx, key, true);
    if (zset === undefined) continue;
    if (!isZset(zset)) {
      if (skipWrongType) continue;
      return zset;
    }
    if (count === 0) return { key, popped: [] };
    const popped = popEntries(zset, count, max);
    afterRemoval(ctx, key, zset, max ? 'zpopmax' : 'zpopmin');
    ctx.addDirty(popped.length);
    return { key, popped };
  }
  return null;
}

function isPopResult(value: PopResult | null | Reply): value is PopResult {
  return value !== null && 'popped' in value;
}

function zpopCommand(max: boolean) {
  return (ctx: CommandContext): Reply => {
    if (ctx.argc > 3) return errors.SYNTAX;
    let count = 1;
    const hasCount = ctx.argc === 3;
    if (hasCount) {
      const parsed = longArg(ctx.arg(2));
      if (parsed === null || parsed < 0) return MUST_BE_POSITIVE;
      count = parsed;
    }
    const result = popFirst(ctx, [ctx.arg(1)], count, max);
    if (result === null) return EMPTY_ARRAY;
    if (!isPopResult(result)) return result;
    if (result.popped.length === 0) return EMPTY_ARRAY;
    return shapeReply(ctx, hasCount && ctx.client.protocol === 3 ? 'nested-pairs' : 'pairs', result.key, result.popped);
  };
}

export const zpopmin = defineZsetCommand({
  name: 'zpopmin', arity: -2, flags: ['write', 'fast'], summary: 'Remove and return members with the lowest scores in a sorted set', since: '5.0.0',
  handler: zpopCommand(false),
});

export const zpopmax = defineZsetCommand({
  name: 'zpopmax', arity: -2, flags: ['write', 'fast'], summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0',
  handler: zpopCommand(true),
});

/** ZMPOP/BZMPOP arguments after numkeys: the keys, MIN|MAX, [COUNT n]. */
function parseMpop(ctx: CommandContext, numkeysIndex: number): { keys: string[]; max: boolean; count: number } | Reply {
  const numkeys = longArg(ctx.arg(numkeysIndex));
  if (numkeys === null || numkeys < 1) return NUMKEYS_POSITIVE;
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= ctx.argc) return errors.SYNTAX;
  const where = cString(ctx.arg(whereIndex)).toLowerCase();
  if (where !== 'min' && where !== 'max') return errors.SYNTAX;
  let count = -1;
  for (let j = whereIndex + 1; j < ctx.argc; j++) {
    if (count === -1 && cString(ctx.arg(j)).toLowerCase() === 'count' && j + 1 < ctx.argc) {
      const parsed = longArg(ctx.arg(++j));
      if (parsed === null || parsed < 1) return COUNT_POSITIVE;
      count = parsed;
    } else {
      return errors.SYNTAX;
    }
  }
  return { keys: ctx.argv.slice(numkeysIndex + 1, whereIndex), max: where === 'max', count: count === -1 ? 1 : count };
}

/** Rewrites the propagated command to the pop it performed. */
function propagateAsPop(ctx: CommandContext, result: PopResult, max: boolean, withCount: boolean): void {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  ctx.rewriteArgv(withCount ? [name, result.key, String(result.popped.length)] : [name, result.key]);
}

export const zmpop = defineZsetCommand({
  name: 'zmpop', arity: -4, flags: ['write'], summary: 'Remove and return members with scores in a sorted set', since: '7.0.0',
  keys: null,
  handler: (ctx) => {
    const args = parseMpop(ctx, 1);
    if ('kind' in args) return args;
    const result = popFirst(ctx, args.keys, args.count, args.max);
    if (result === null) return NULL_ARRAY;
    if (!isPopResult(result)) return result;
    propagateAsPop(ctx, result, args.max, true);
    return shapeReply(ctx, 'key-nested', result.key, result.popped);
  },
});

/** Serve now or block; the retry serves a client when one of its keys gets elements. */
function blockingPop(ctx: CommandContext, keys: ReadonlyArray<string>, deadline: number, max: boolean, count: number | null): CommandResult {
  const tryServe = (serving: CommandContext, retry: boolean, readyKey: string | null): Reply | null => {
    const result = popFirst(serving, readyKey === null ? keys : [readyKey], count ?? 1, max, retry);
    if (result === null) return null;
    if (!isPopResult(result)) return result;
    propagateAsPop(serving, result, max, count !== null);
    return shapeReply(serving, count === null ? 'key-flat' : 'key-nested', result.key, result.popped);
  };
  const now = tryServe(ctx, false, null);
  if (now !== null) return now;
  const request: BlockRequest = {
    kind: 'block', keys, deadline, onTimeout: () => NULL_ARRAY, wakeOn: 'keys', keyType: 'zset',
    retry: (serving, readyKey) => tryServe(serving, true, readyKey),
  };
  return request;
}

function bzpopCommand(max: boolean) {
  return (ctx: CommandContext): CommandResult => {
    const deadline = blockingDeadline(ctx, ctx.arg(ctx.argc - 1));
    if (typeof deadline !== 'number') return deadline;
    return blockingPop(ctx, ctx.argv.slice(1, -1), deadline, max, null);
  };
}

export const bzpopmin = defineZsetCommand({
  name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', since: '5.0.0', keys: [1, -2, 1],
  handler: bzpopCommand(false),
});

export const bzpopmax = defineZsetCommand({
  name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', since: '5.0.0', keys: [1, -2, 1],
  handler: bzpopCommand(true),
});

export const bzmpop = defineZsetCommand({
  name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], summary: 'Remove and return members with scores in a sorted set or block until one is available', since: '7.0.0',
  keys: null,
  handler: (ctx) => {
    // numkeys, MIN|MAX and COUNT are checked before the timeout (zmpopGenericCommand).
    const args = parseMpop(ctx, 2);
    if ('kind' in args) return args;
    const deadline = blockingDeadline(ctx, ctx.arg(1));
    if (typeof deadline !== 'number') return deadline;
    return blockingPop(ctx, args.keys, deadline, args.max, args.count);
  },
});

export const ZSET_POP_COMMANDS = [zpopmin, zpopmax, zmpop, bzpopmin, bzpopmax, bzmpop];

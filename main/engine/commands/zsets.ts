/**
 * Sorted-set commands (t_zset.c), the member lookups: ZREM ZCARD ZSCORE
 * ZMSCORE ZRANK ZREVRANK. The rest, by concept: zsets-add.ts (ZADD,
 * ZINCRBY), zsets-range.ts (every range, count and range removal),
 * zsets-pop.ts (pops, blocking included), zsets-algebra.ts (union,
 * intersection, difference), zsets-random.ts (ZRANDMEMBER), zsets-scan.ts
 * (ZSCAN). ZSET_COMMANDS lists them all. Sorted-set orders are exact
 * (score, then member bytewise), as in Redis.
 */
import { array, integer, NULL, type Reply } from '../resp/reply';
import type { CommandContext } from './command-context';
import { afterRemoval, defineZsetCommand, isZset, scoreReply, zsetFor } from './zsets-access';
import { ZSET_ADD_COMMANDS } from './zsets-add';
import { ZSET_ALGEBRA_COMMANDS } from './zsets-algebra';
import { ZSET_POP_COMMANDS } from './zsets-pop';
import { zrandmember } from './zsets-random';
import { ZSET_RANGE_COMMANDS } from './zsets-range';
import { zscan } from './zsets-scan';

export const zrem = defineZsetCommand({
  name: 'zrem', arity: -3, flags: ['write', 'fast'], summary: 'Remove one or more members from a sorted set', since: '1.2.0',
  handler: (ctx) => {
    const key = ctx.arg(1);
    const zset = zsetFor(ctx, key, true);
    if (zset === undefined) return integer(0);
    if (!isZset(zset)) return zset;
    let removed = 0;
    for (let i = 2; i < ctx.argc && zset.size > 0; i++) if (zset.delete(ctx.arg(i))) removed++;
    if (removed > 0) {
      afterRemoval(ctx, key, zset, 'zrem');
      ctx.addDirty(removed);
    }
    return integer(removed);
  },
});

export const zcard = defineZsetCommand({
  name: 'zcard', arity: 2, flags: ['readonly', 'fast'], summary: 'Get the number of members in a sorted set', since: '1.2.0',
  handler: (ctx) => {
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset === undefined) return integer(0);
    return isZset(zset) ? integer(zset.size) : zset;
  },
});

export const zscore = defineZsetCommand({
  name: 'zscore', arity: 3, flags: ['readonly', 'fast'], summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0',
  handler: (ctx) => {
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset === undefined) return NULL;
    if (!isZset(zset)) return zset;
    const score = zset.score(ctx.arg(2));
    return score === undefined ? NULL : scoreReply(ctx, score);
  },
});

export const zmscore = defineZsetCommand({
  name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0',
  handler: (ctx) => {
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset !== undefined && !isZset(zset)) return zset;
    return array(ctx.argv.slice(2).map((member) => {
      const score = zset?.score(member);
      return score === undefined ? NULL : scoreReply(ctx, score);
    }));
  },
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

export const zrank = defineZsetCommand({
  name: 'zrank', arity: 3, flags: ['readonly', 'fast'], summary: 'Determine the index of a member in a sorted set', since: '2.0.0',
  handler: rankCommand(false),
});

export const zrevrank = defineZsetCommand({
  name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', since: '2.0.0',
  handler: rankCommand(true),
});

export const ZSET_COMMANDS = [
  ...ZSET_ADD_COMMANDS, zrem, zcard, zscore, zmscore, zrank, zrevrank,
  ...ZSET_RANGE_COMMANDS, ...ZSET_POP_COMMANDS, ...ZSET_ALGEBRA_COMMANDS, zrandmember, zscan,
];

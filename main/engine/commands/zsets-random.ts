/**
 * ZRANDMEMBER key [count [WITHSCORES]] (t_zset.c zrandmemberCommand).
 * Read-only and never propagated. A negative count picks -count members
 * with repetition; a positive one distinct members (the whole set when the
 * count reaches its size, highest rank first as Redis walks it). Pairs are flat in RESP2 and nested in RESP3.
 */
import * as errors from '../resp/errors';
import { array, bulk, EMPTY_ARRAY, error, NULL, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import { defineZsetCommand, entriesReply, isZset, zsetFor, type ZEntry } from './zsets-access';
import { cString } from './define';

const LONG_RANGE = error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
const OUT_OF_RANGE = error('ERR value is out of range');
const HALF_LONG = 2n ** 62n;

function shuffledPrefix(entries: ZEntry[], count: number): ZEntry[] {
  const take = Math.min(count, entries.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(Math.random() * (entries.length - i));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return entries.slice(0, take);
}

export const zrandmember = defineZsetCommand({
  name: 'zrandmember', arity: -2, flags: ['readonly'], summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0',
  handler: (ctx): Reply => {
    if (ctx.argc === 2) {
      const zset = zsetFor(ctx, ctx.arg(1), false);
      if (zset === undefined) return NULL;
      if (!isZset(zset)) return zset;
      const node = zset.nodeAtRank(Math.floor(Math.random() * zset.size));
      return bulk(node!.member);
    }
    const parsed = parseInt64(ctx.arg(2));
    if (parsed === null) return errors.NOT_INTEGER;
    if (parsed === -(2n ** 63n)) return LONG_RANGE;
    if (ctx.argc > 4 || (ctx.argc === 4 && cString(ctx.arg(3)).toLowerCase() !== 'withscores')) return errors.SYNTAX;
    const withScores = ctx.argc === 4;
    const big = BigInt(parsed);
    if (withScores && (big < -HALF_LONG || big >= HALF_LONG)) return OUT_OF_RANGE;
    const count = typeof parsed === 'bigint' ? (parsed > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : parsed;
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset === undefined) return EMPTY_ARRAY;
    if (!isZset(zset)) return zset;
    if (count === 0) return EMPTY_ARRAY;
    const all = [...zset.entries()];
    if (count < 0) {
      const picks = Array.from({ length: -count }, () => all[Math.floor(Math.random() * all.length)]!);
      return entriesReply(ctx, picks, withScores);
    }
    // The whole set comes from zuiNext, which walks from the highest rank down.
    const chosen = count >= all.length ? all.reverse() : shuffledPrefix(all, count);
    return withScores ? entriesReply(ctx, chosen, true) : array(chosen.map(([member]) => bulk(member)));
  },
});

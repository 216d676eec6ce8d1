/**
 * ZADD (NX XX GT LT CH INCR) and ZINCRBY (t_zset.c zaddGenericCommand).
 *
 * Order of checks is Redis's: options, then the pairs count (syntax error),
 * then the incompatible-option errors, then every score parsed before the
 * key is touched (so a bad score on a wrong-type key is a float error, and a
 * failed ZADD changes nothing), then the key. INCR replies the new score,
 * or nil when NX/XX/GT/LT made it a no-op. Both are deterministic and
 * propagated verbatim (ZADD INCR and ZINCRBY included).
 */
import * as errors from '../resp/errors';
import { error, integer, NULL, type Reply } from '../resp/reply';
import { ZSetValue } from '../keyspace/values';
import { parseRedisDouble } from '../util/floats';
import type { CommandContext } from './command-context';
import { defineZsetCommand, isZset, scoreReply, storedScore, zsetFor } from './zsets-access';
import { NotifyType } from '../pubsub/keyspace-events';
import { cString } from './define';

export interface AddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

const NAN_RESULT = error('ERR resulting score is not a number (NaN)');
/**
 * ZADD without options, never written: the handler makes its own when an option matches
 * (a literal of the same shape, so the flags' reads stay monomorphic; a frozen object would not be).
 */
const NO_OPTIONS: Readonly<AddFlags> = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };

function noFlags(): AddFlags {
  return { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };
}

function zaddGeneric(ctx: CommandContext, flags: Readonly<AddFlags>, scoreIndex: number): Reply {
  const elements = ctx.argc - scoreIndex;
  if (elements % 2 !== 0 || elements === 0) return errors.SYNTAX;
  if (flags.nx && flags.xx) return error('ERR XX and NX options at the same time are not compatible');
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) return error('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (flags.incr && elements > 2) return error('ERR INCR option supports a single increment-element pair');
  if (elements === 2) {
    // One pair (the usual ZADD): its array made at its size, not grown by a push.
    const score = parseRedisDouble(ctx.arg(scoreIndex));
    if (score === null) return errors.NOT_FLOAT;
    return addScoredMembers(ctx, ctx.arg(1), flags, [[score, ctx.arg(scoreIndex + 1)]]);
  }
  const pairs: Array<[number, string]> = [];
  for (let j = scoreIndex; j < ctx.argc; j += 2) {
    const score = parseRedisDouble(ctx.arg(j));
    if (score === null) return errors.NOT_FLOAT;
    pairs.push([score, ctx.arg(j + 1)]);
  }
  return addScoredMembers(ctx, ctx.arg(1), flags, pairs);
}

/**
 * ZADD's work once its arguments are checked: the key (WRONGTYPE), then
 * each [score, member] pair under the flags. GEOADD ends here too, with the
 * scores it computed (geoaddCommand calls zaddCommand).
 */
export function addScoredMembers(ctx: CommandContext, key: string, flags: Readonly<AddFlags>, pairs: ReadonlyArray<[number, string]>): Reply {
  let zset = zsetFor(ctx, key, true);
  if (zset !== undefined && !isZset(zset)) return zset;
  if (zset === undefined) {
    if (flags.xx) return flags.incr ? NULL : integer(0);
    zset = new ZSetValue();
    ctx.keyspace.addKey(ctx.db, key, zset);
  }
  const maxEntries = ctx.node.hot.zsetMaxListpackEntries;
  const maxValue = ctx.node.hot.zsetMaxListpackValue;
  let added = 0;
  let updated = 0;
  let processed = false;
  let lastScore = 0;
  let failure: Reply | null = null;
  for (const [score, member] of pairs) {
    const current = zset.score(member);
    if (current !== undefined) {
      if (flags.nx) continue;
      const next = flags.incr ? current + score : score;
      if (Number.isNaN(next)) {
        failure = NAN_RESULT;
        break;
      }
      if ((flags.gt && next <= current) || (flags.lt && next >= current)) continue;
      processed = true;
      lastScore = next;
      if (next !== current) {
        zset.changeScore(member, current, storedScore(zset.encoding, next));
        updated++;
      }
    } else {
      if (flags.xx) continue;
      // zsetAdd converts to a skiplist before inserting the element that overflows the listpack.
      const overflows = zset.size + 1 > maxEntries || member.length > maxValue;
      zset.insertNew(member, overflows ? score : storedScore(zset.encoding, score));
      zset.updateEncoding(maxEntries, maxValue, member);
      processed = true;
      lastScore = score;
      added++;
    }
  }
  if (added + updated > 0) {
    ctx.keyspace.touchModified(ctx.db, key);
    ctx.notifyKeyspaceEvent(NotifyType.ZSET, flags.incr ? 'zincr' : 'zadd', key);
    ctx.addDirty(added + updated);
  }
  if (failure) return failure;
  if (flags.incr) return processed ? scoreReply(ctx, lastScore) : NULL;
  return integer(flags.ch ? added + updated : added);
}

export const zadd = defineZsetCommand({
  name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0',
  handler: (ctx) => {
    // The usual ZADD has no option: it runs with the shared all-false set. An object is made
    // only when an option matches, so a 2-letter score ('10', '-1') allocates nothing.
    let options: AddFlags | null = null;
    let index = 2;
    for (; index < ctx.argc; index++) {
      // Every option has 2 or 4 letters: anything else (a score, mostly) ends them without a lowercase copy.
      const text = cString(ctx.arg(index));
      if (text.length !== 2 && text.length !== 4) break;
      const option = text.toLowerCase();
      if (option === 'nx') (options ??= noFlags()).nx = true;
      else if (option === 'xx') (options ??= noFlags()).xx = true;
      else if (option === 'gt') (options ??= noFlags()).gt = true;
      else if (option === 'lt') (options ??= noFlags()).lt = true;
      else if (option === 'ch') (options ??= noFlags()).ch = true;
      else if (option === 'incr') (options ??= noFlags()).incr = true;
      else break;
    }
    return zaddGeneric(ctx, options ?? NO_OPTIONS, index);
  },
});

export const zincrby = defineZsetCommand({
  name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], summary: 'Increment the score of a member in a sorted set', since: '1.2.0',
  handler: (ctx) => zaddGeneric(ctx, { nx: false, xx: false, gt: false, lt: false, ch: false, incr: true }, 2),
});

export const ZSET_ADD_COMMANDS = [zadd, zincrby];

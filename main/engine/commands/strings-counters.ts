/**
 * Counters (t_string.c incrDecrCommand, incrbyfloatCommand): INCR DECR
 * INCRBY DECRBY INCRBYFLOAT. The value must be a canonical int64 text (no
 * spaces, no '+', no leading zeros); the result keeps the key's TTL.
 * INCRBYFLOAT computes in x87 long double exactly as Redis on x86-64 and is
 * propagated as `SET key <result> KEEPTTL` so replicas store the same text.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, error, integer, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import { addLongDouble } from '../util/long-double';
import { NotifyType } from '../pubsub/keyspace-events';
import { ENCODING_EMBSTR, UNSHARED } from '../keyspace/key-entry';
import { HeldBytes } from '../keyspace/held-bytes';
import { HeldInteger } from '../keyspace/held-integer';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** OBJ_SHARED_INTEGERS: a result below it (and not negative) is never updated in place by Redis. */
const SHARED_INTEGERS = 10000;

/**
 * incrDecrCommand updates the robj in place only when its refcount is 1 and
 * the result is outside 0..9999; otherwise it stores a new object, which
 * createStringObjectFromLongLongForValue makes a shared integer unless the
 * policy in force turns sharing off (maxmemory with an LRU/LFU policy). So
 * a result in 0..9999 takes the policy of this INCR, not of the key's
 * creation (OBJECT REFCOUNT, keys-object.ts): the UNSHARED bit is set anew.
 * Outside that range the bit is not seen (such a value is never shared)
 * until a later result comes back into it, which sets it again here.
 */
function shareAsPolicySays(ctx: CommandContext, key: string): void {
  const meta = ctx.db.dict.metaOf(key);
  if (meta === undefined) return;
  const unshared = ctx.keyspace.access.sharedIntegersOff ? UNSHARED : 0;
  if ((meta & UNSHARED) !== unshared) ctx.db.dict.setMeta(key, (meta & ~UNSHARED) | unshared);
}

/**
 * The counter itself. A result within 2^53 (nearly every counter) is added
 * as a double, which is exact there, and kept as a HeldInteger (Redis's
 * int encoding, held-integer.ts): the next INCR of the key adds to it in
 * place, with no parse, no new string and no new value in the slot (as
 * incrDecrCommand writes into the robj it found). Anything larger is added
 * as a bigint, so int64 overflow is detected exactly, and stored as text.
 */
function incrDecr(ctx: CommandContext, increment: number | bigint): Reply {
  const key = ctx.arg(1);
  const current = ctx.keyspace.lookupWrite(ctx.db, key, ctx, true);
  let value: number | bigint | null;
  if (current instanceof HeldInteger) {
    if (typeof increment === 'number') {
      const sum = current.value + increment;
      if (Number.isSafeInteger(sum)) {
        // Redis makes a new object when an argv still holds this one (refcount above 1): one reference again.
        ctx.keyspace.argvHeld?.forget(ctx.db.id, key);
        current.value = sum;
        if (sum >= 0 && sum < SHARED_INTEGERS) shareAsPolicySays(ctx, key);
        ctx.keyspace.touchModified(ctx.db, key);
        ctx.notifyKeyspaceEvent(NotifyType.STRING, 'incrby', key);
        ctx.addDirty();
        return integer(sum);
      }
    }
    value = current.value;
  } else if (current === undefined) {
    value = 0;
  } else if (typeof current === 'string') {
    value = parseInt64(current);
  } else if (current instanceof HeldBytes) {
    value = null; // a dense HLL held as bytes (held-bytes.ts): its text starts "HYLL"
  } else {
    return errors.WRONGTYPE;
  }
  if (value === null) return errors.NOT_INTEGER;
  if (typeof value === 'number' && typeof increment === 'number') {
    const sum = value + increment;
    if (Number.isSafeInteger(sum)) {
      ctx.keyspace.setKey(ctx.db, key, new HeldInteger(sum), true);
      ctx.notifyKeyspaceEvent(NotifyType.STRING, 'incrby', key);
      ctx.addDirty();
      return integer(sum);
    }
  }
  const result = BigInt(value) + BigInt(increment);
  if (result < INT64_MIN || result > INT64_MAX) return errors.OVERFLOW;
  ctx.keyspace.setKey(ctx.db, key, result.toString(), true);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'incrby', key);
  ctx.addDirty();
  return integer(result >= -9007199254740991n && result <= 9007199254740991n ? Number(result) : result);
}

function incrementArg(ctx: CommandContext, negate: boolean): number | bigint | Reply {
  const value = parseInt64(ctx.arg(2));
  if (value === null) return errors.NOT_INTEGER;
  // DECRBY LLONG_MIN cannot be negated (Redis 7.0 checks this explicitly).
  if (negate && value === INT64_MIN) return error('ERR decrement would overflow');
  return negate ? -value : value;
}

const counter = (name: string, arity: number, summary: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({ name, arity, flags: ['write', 'denyoom', 'fast'], acl: ['write', 'string', 'fast'], keys: [1, 1, 1], doc: { summary, since, group: 'string' }, handler });

export const incr = counter('incr', 2, 'Increment the integer value of a key by one', '1.0.0', (ctx) => incrDecr(ctx, 1));
export const decr = counter('decr', 2, 'Decrement the integer value of a key by one', '1.0.0', (ctx) => incrDecr(ctx, -1));
export const incrby = counter('incrby', 3, 'Increment the integer value of a key by the given amount', '1.0.0', (ctx) => {
  const increment = incrementArg(ctx, false);
  return typeof increment === 'object' ? increment : incrDecr(ctx, increment);
});
export const decrby = counter('decrby', 3, 'Decrement the integer value of a key by the given number', '1.0.0', (ctx) => {
  const increment = incrementArg(ctx, true);
  return typeof increment === 'object' ? increment : incrDecr(ctx, increment);
});

export const incrbyfloat = counter('incrbyfloat', 3, 'Increment the float value of a key by the given amount', '2.6.0', (ctx) => {
  const key = ctx.arg(1);
  const current = ctx.write(key);
  if (current !== undefined && typeof current !== 'string') return errors.WRONGTYPE;
  const result = addLongDouble(current ?? '0', ctx.arg(2));
  if ('error' in result) return error(result.error);
  // createStringObjectFromLongDouble: an embstr (or raw past 44 bytes) even when it reads as an integer.
  ctx.keyspace.setKey(ctx.db, key, result.value, true, ENCODING_EMBSTR);
  // The new object is also the rewritten argv's (rewriteClientCommandArgument): EXEC's queue and the propagation queue hold it.
  ctx.storedFromArgv(key);
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'incrbyfloat', key);
  ctx.addDirty();
  ctx.rewriteArgv(['SET', key, result.value, 'KEEPTTL']);
  return bulk(result.value);
});

export const COUNTER_COMMANDS = [incr, decr, incrby, decrby, incrbyfloat];

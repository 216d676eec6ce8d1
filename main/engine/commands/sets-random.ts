/**
 * Random set commands (t_set.c): SPOP and SRANDMEMBER.
 *
 * Replication: a random pick must reach replicas as its effect, exactly as
 * 7.0 sends it: SPOP key  -> SREM key <member>;  SPOP key count taking the
 * whole set -> DEL key;  SPOP key count taking part of it -> one
 * SREM key <member> per popped member (alsoPropagate, so several of them go
 * out wrapped in MULTI/EXEC), the SPOP itself not propagated.
 * SRANDMEMBER is read-only and never propagated.
 */
import * as errors from '../resp/errors';
import { bulk, bulkArray, EMPTY_ARRAY, error, NULL, type Reply } from '../resp/reply';
import type { SetValue } from '../keyspace/values';
import { parseInt64 } from '../util/integers';
import { buildSet, defineSetCommand, isSet, removeMembers, setFor, setMembersReply } from './sets-access';
import { NotifyType } from '../pubsub/keyspace-events';

/** spopWithCountCommand: rebuild the set when fewer than count/5 members stay. */
const SPOP_MOVE_STRATEGY_MUL = 5;

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');
const LONG_RANGE = error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');

/** `count` distinct members picked uniformly (partial Fisher-Yates). */
function distinctRandomMembers(target: SetValue, count: number): string[] {
  const all = [...target.items];
  const take = Math.min(count, all.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(Math.random() * (all.length - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, take);
}

export const spop = defineSetCommand({
  name: 'spop', arity: -2, flags: ['write', 'fast'], summary: 'Remove and return one or multiple random members from a set', since: '1.0.0',
  handler: (ctx): Reply => {
    if (ctx.argc > 3) return errors.SYNTAX;
    const key = ctx.arg(1);
    if (ctx.argc === 2) {
      const target = setFor(ctx, key, true);
      if (target === undefined) return NULL;
      if (!isSet(target)) return target;
      const [member] = distinctRandomMembers(target, 1) as [string];
      removeMembers(ctx, key, target, [member], 'spop');
      ctx.rewriteArgv(['SREM', key, member]);
      return bulk(member);
    }
    const parsed = parseInt64(ctx.arg(2));
    if (parsed === null || parsed < 0) return MUST_BE_POSITIVE;
    const count = typeof parsed === 'bigint' ? Number.MAX_SAFE_INTEGER : parsed;
    const target = setFor(ctx, key, true);
    if (target === undefined) return setMembersReply(ctx, []);
    if (!isSet(target)) return target;
    if (count === 0) return setMembersReply(ctx, []);
    if (count >= target.size) {
      const all = target.members();
      removeMembers(ctx, key, target, all, 'spop');
      ctx.rewriteArgv(['DEL', key]);
      return setMembersReply(ctx, all);
    }
    let popped = distinctRandomMembers(target, count);
    const remaining = target.size - count;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      removeMembers(ctx, key, target, popped, 'spop');
    } else {
      // Redis's "case 3": the members that stay are moved into a new set
      // (re-encoded: a hashtable of integers becomes an intset again) and
      // the popped ones reply in the old set's order.
      const taken = new Set(popped);
      popped = target.members().filter((member) => taken.has(member));
      const kept = buildSet(ctx, target.members().filter((member) => !taken.has(member)));
      ctx.keyspace.setKey(ctx.db, key, kept, true);
      ctx.notifyKeyspaceEvent(NotifyType.SET, 'spop', key);
      ctx.addDirty(count);
    }
    for (const member of popped) ctx.alsoPropagate(['SREM', key, member]);
    ctx.preventPropagation();
    return setMembersReply(ctx, popped);
  },
});

export const srandmember = defineSetCommand({
  name: 'srandmember', arity: -2, flags: ['readonly'], summary: 'Get one or multiple random members from a set', since: '1.0.0',
  handler: (ctx): Reply => {
    if (ctx.argc > 3) return errors.SYNTAX;
    if (ctx.argc === 2) {
      const target = setFor(ctx, ctx.arg(1), false);
      if (target === undefined) return NULL;
      if (!isSet(target)) return target;
      return bulk(distinctRandomMembers(target, 1)[0]!);
    }
    const parsed = parseInt64(ctx.arg(2));
    if (parsed === null) return errors.NOT_INTEGER;
    if (parsed === -(2n ** 63n)) return LONG_RANGE;
    const count = typeof parsed === 'bigint' ? (parsed > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : parsed;
    const target = setFor(ctx, ctx.arg(1), false);
    if (target === undefined) return EMPTY_ARRAY;
    if (!isSet(target)) return target;
    if (count === 0) return EMPTY_ARRAY;
    if (count < 0) {
      // Negative: -count picks with repetition, in random order.
      const all = [...target.items];
      return bulkArray(Array.from({ length: -count }, () => all[Math.floor(Math.random() * all.length)]!));
    }
    if (count >= target.size) return bulkArray(target.members());
    return bulkArray(distinctRandomMembers(target, count));
  },
});

export const SET_RANDOM_COMMANDS = [spop, srandmember];

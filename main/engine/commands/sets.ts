/**
 * Set commands (t_set.c), membership part: SADD SREM SMEMBERS SISMEMBER
 * SMISMEMBER SCARD SMOVE. Random picks are in sets-random.ts, algebra in
 * sets-algebra.ts, SSCAN in sets-scan.ts; SET_COMMANDS lists them all.
 *
 * Reply order: intset-encoded sets reply in ascending numeric order as Redis
 * does; hashtable sets in insertion order (Redis's is hash order, which no
 * client may rely on). An emptied set is deleted. SMOVE is deterministic and
 * propagated verbatim.
 */
import * as errors from '../resp/errors';
import { array, integer, type Reply } from '../resp/reply';
import { SetValue } from '../keyspace/values';
import { defineSetCommand, isSet, removeMembers, setFor } from './sets-access';
import { SET_ALGEBRA_COMMANDS, sinterReply } from './sets-algebra';
import { SET_RANDOM_COMMANDS } from './sets-random';
import { sscan } from './sets-scan';
import { NotifyType } from '../pubsub/keyspace-events';

export const sadd = defineSetCommand({
  name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], summary: 'Add one or more members to a set', since: '1.0.0',
  handler: (ctx) => {
    const key = ctx.arg(1);
    let target = setFor(ctx, key, true);
    if (target !== undefined && !isSet(target)) return target;
    if (target === undefined) {
      target = new SetValue();
      ctx.keyspace.addKey(ctx.db, key, target);
    }
    const limit = ctx.node.hot.setMaxIntsetEntries;
    let added = 0;
    for (let i = 2; i < ctx.argc; i++) if (target.add(ctx.arg(i), limit)) added++;
    if (added > 0) {
      ctx.keyspace.touchModified(ctx.db, key);
      ctx.notifyKeyspaceEvent(NotifyType.SET, 'sadd', key);
      ctx.addDirty(added);
    }
    return integer(added);
  },
});

export const srem = defineSetCommand({
  name: 'srem', arity: -3, flags: ['write', 'fast'], summary: 'Remove one or more members from a set', since: '1.0.0',
  handler: (ctx) => {
    const target = setFor(ctx, ctx.arg(1), true);
    if (target === undefined) return integer(0);
    if (!isSet(target)) return target;
    return integer(removeMembers(ctx, ctx.arg(1), target, ctx.argv.slice(2)));
  },
});

/** In 7.0 SMEMBERS is SINTER of one key (sinterCommand). */
export const smembers = defineSetCommand({
  name: 'smembers', arity: 2, flags: ['readonly'], summary: 'Get all the members in a set', since: '1.0.0',
  handler: (ctx) => sinterReply(ctx, [ctx.arg(1)]),
});

export const sismember = defineSetCommand({
  name: 'sismember', arity: 3, flags: ['readonly', 'fast'], summary: 'Determine if a given value is a member of a set', since: '1.0.0',
  handler: (ctx) => {
    const target = setFor(ctx, ctx.arg(1), false);
    if (target === undefined) return integer(0);
    return isSet(target) ? integer(target.has(ctx.arg(2)) ? 1 : 0) : target;
  },
});

export const smismember = defineSetCommand({
  name: 'smismember', arity: -3, flags: ['readonly', 'fast'], summary: 'Returns the membership associated with the given elements for a set', since: '6.2.0',
  handler: (ctx) => {
    const target = setFor(ctx, ctx.arg(1), false);
    if (target !== undefined && !isSet(target)) return target;
    return array(ctx.argv.slice(2).map((member) => integer(target?.has(member) ? 1 : 0)));
  },
});

export const scard = defineSetCommand({
  name: 'scard', arity: 2, flags: ['readonly', 'fast'], summary: 'Get the number of members in a set', since: '1.0.0',
  handler: (ctx) => {
    const target = setFor(ctx, ctx.arg(1), false);
    if (target === undefined) return integer(0);
    return isSet(target) ? integer(target.size) : target;
  },
});

export const smove = defineSetCommand({
  name: 'smove', arity: 4, flags: ['write', 'fast'], summary: 'Move a member from one set to another', since: '1.0.0', keys: [1, 2, 1],
  handler: (ctx): Reply => {
    const [source, destination, member] = [ctx.arg(1), ctx.arg(2), ctx.arg(3)];
    const from = setFor(ctx, source, true);
    const to = setFor(ctx, destination, true);
    // A missing source answers 0 before any type check (smoveCommand).
    if (from === undefined) return integer(0);
    if (!isSet(from)) return from;
    if (to !== undefined && !isSet(to)) return errors.WRONGTYPE;
    if (source === destination) return integer(from.has(member) ? 1 : 0);
    if (!from.has(member)) return integer(0);
    removeMembers(ctx, source, from, [member]);
    let target = to;
    if (target === undefined) {
      target = new SetValue();
      ctx.keyspace.addKey(ctx.db, destination, target);
    }
    if (target.add(member, ctx.node.hot.setMaxIntsetEntries)) {
      ctx.keyspace.touchModified(ctx.db, destination);
      ctx.notifyKeyspaceEvent(NotifyType.SET, 'sadd', destination);
      ctx.addDirty();
    }
    return integer(1);
  },
});

export const SET_COMMANDS = [sadd, srem, smembers, sismember, smismember, scard, smove, ...SET_RANDOM_COMMANDS, ...SET_ALGEBRA_COMMANDS, sscan];

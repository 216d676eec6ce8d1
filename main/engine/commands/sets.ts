/**
 * Set commands (t_set.c): SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
 * SRANDMEMBER SMOVE SINTER SUNION SDIFF SINTERCARD.
 *
 * Intset-encoded sets reply in numeric order as Redis does; hashtable sets
 * reply in insertion order (Redis's is hash order: clients must not rely on
 * either). SPOP is random, so it is propagated as the SREM of what it
 * popped (or DEL when it emptied the set), so replicas remove the same
 * members. An emptied set is deleted.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, bulkArray, EMPTY_ARRAY, error, integer, NULL, set as setReply, type Reply } from '../resp/reply';
import { SetValue } from '../keyspace/values';
import { parseInt64 } from '../util/integers';

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');

function setFor(ctx: CommandContext, key: string, write: boolean): SetValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof SetValue ? value : errors.WRONGTYPE;
}

function isSet(value: SetValue | undefined | Reply): value is SetValue {
  return value instanceof SetValue;
}

/** RESP3 replies set types (~) for member lists; RESP2 plain arrays. */
function members(ctx: CommandContext, values: ReadonlyArray<string>): Reply {
  return ctx.client.protocol === 3 ? setReply(values.map((value) => bulk(value))) : bulkArray(values);
}

const define = (name: string, arity: number, write: boolean, fast: boolean, summary: string, since: string, handler: (ctx: CommandContext) => Reply, keys: [number, number, number] = [1, 1, 1]) =>
  defineCommand({
    name, arity, flags: write ? ['write', ...(name === 'sadd' || name === 'smove' ? ['denyoom' as const] : []), ...(fast ? ['fast' as const] : [])] : ['readonly', ...(fast ? ['fast' as const] : [])],
    acl: [write ? 'write' : 'read', 'set', fast ? 'fast' : 'slow'], keys, doc: { summary, since, group: 'set' }, handler,
  });

export const sadd = define('sadd', -3, true, true, 'Add one or more members to a set', '1.0.0', (ctx) => {
  const key = ctx.arg(1);
  let target = setFor(ctx, key, true);
  if (target !== undefined && !isSet(target)) return target;
  if (target === undefined) {
    target = new SetValue();
    ctx.keyspace.addKey(ctx.db, key, target);
  }
  const limit = ctx.node.config.int('set-max-intset-entries');
  let added = 0;
  for (const member of ctx.argv.slice(2)) if (target.add(member, limit)) added++;
  if (added > 0) {
    ctx.keyspace.touchModified(ctx.db, key);
    ctx.addDirty(added);
  }
  return integer(added);
});

function removeMembers(ctx: CommandContext, key: string, target: SetValue, removedMembers: ReadonlyArray<string>): number {
  let removed = 0;
  for (const member of removedMembers) if (target.delete(member)) removed++;
  if (removed > 0) {
    if (target.size === 0) ctx.keyspace.deleteKey(ctx.db, key);
    else ctx.keyspace.touchModified(ctx.db, key);
    ctx.addDirty(removed);
  }
  return removed;
}

export const srem = define('srem', -3, true, true, 'Remove one or more members from a set', '1.0.0', (ctx) => {
  const target = setFor(ctx, ctx.arg(1), true);
  if (target === undefined) return integer(0);
  if (!isSet(target)) return target;
  return integer(removeMembers(ctx, ctx.arg(1), target, ctx.argv.slice(2)));
});

export const smembers = define('smembers', 2, false, false, 'Get all the members in a set', '1.0.0', (ctx) => {
  const target = setFor(ctx, ctx.arg(1), false);
  if (target === undefined) return members(ctx, []);
  return isSet(target) ? members(ctx, target.members()) : target;
});

export const sismember = define('sismember', 3, false, true, 'Determine if a given value is a member of a set', '1.0.0', (ctx) => {
  const target = setFor(ctx, ctx.arg(1), false);
  if (target === undefined) return integer(0);
  return isSet(target) ? integer(target.has(ctx.arg(2)) ? 1 : 0) : target;
});

export const smismember = define('smismember', -3, false, true, 'Returns the membership associated with the given elements for a set', '6.2.0', (ctx) => {
  const target = setFor(ctx, ctx.arg(1), false);
  if (target !== undefined && !isSet(target)) return target;
  return { kind: 'array', items: ctx.argv.slice(2).map((member) => integer(target?.has(member) ? 1 : 0)) };
});

export const scard = define('scard', 2, false, true, 'Get the number of members in a set', '1.0.0', (ctx) => {
  const target = setFor(ctx, ctx.arg(1), false);
  if (target === undefined) return integer(0);
  return isSet(target) ? integer(target.size) : target;
});

function randomMembers(target: SetValue, count: number): string[] {
  const all = [...target.items];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

export const spop = define('spop', -2, true, true, 'Remove and return one or multiple random members from a set', '1.0.0', (ctx) => {
  if (ctx.argc > 3) return errors.SYNTAX;
  const key = ctx.arg(1);
  let count: number | null = null;
  if (ctx.argc === 3) {
    const parsed = parseInt64(ctx.arg(2));
    if (parsed === null) return MUST_BE_POSITIVE;
    if (typeof parsed === 'bigint' ? parsed < 0n : parsed < 0) return MUST_BE_POSITIVE;
    count = typeof parsed === 'bigint' ? Number.MAX_SAFE_INTEGER : parsed;
  }
  const target = setFor(ctx, key, true);
  if (target === undefined) return count === null ? NULL : members(ctx, []);
  if (!isSet(target)) return target;
  if (count === 0) return members(ctx, []);
  const popped = randomMembers(target, count ?? 1);
  const wholeSet = popped.length === target.size;
  removeMembers(ctx, key, target, popped);
  // Random: replicas get the deterministic effect.
  ctx.rewriteArgv(wholeSet && count !== null ? [ctx.node.config.bool('lazyfree-lazy-server-del') ? 'UNLINK' : 'DEL', key] : ['SREM', key, ...popped]);
  return count === null ? bulk(popped[0]!) : members(ctx, popped);
});

export const srandmember = define('srandmember', -2, false, false, 'Get one or multiple random members from a set', '1.0.0', (ctx) => {
  if (ctx.argc > 3) return errors.SYNTAX;
  let count: number | null = null;
  if (ctx.argc === 3) {
    const parsed = parseInt64(ctx.arg(2));
    if (parsed === null || typeof parsed === 'bigint') return errors.NOT_INTEGER;
    count = parsed;
  }
  const target = setFor(ctx, ctx.arg(1), false);
  if (target === undefined) return count === null ? NULL : EMPTY_ARRAY;
  if (!isSet(target)) return target;
  if (count === null) return bulk(randomMembers(target, 1)[0]!);
  if (count >= 0) return bulkArray(randomMembers(target, count));
  const all = [...target.items];
  return bulkArray(Array.from({ length: -count }, () => all[Math.floor(Math.random() * all.length)]!));
});

export const smove = define('smove', 4, true, true, 'Move a member from one set to another', '1.0.0', (ctx) => {
  const [source, destination, member] = [ctx.arg(1), ctx.arg(2), ctx.arg(3)];
  const from = setFor(ctx, source, true);
  const to = setFor(ctx, destination, true);
  if (from === undefined) return to !== undefined && !isSet(to) ? to : integer(0);
  if (!isSet(from)) return from;
  if (to !== undefined && !isSet(to)) return to;
  if (source === destination) return integer(from.has(member) ? 1 : 0);
  if (!from.has(member)) return integer(0);
  removeMembers(ctx, source, from, [member]);
  let target = to;
  if (target === undefined) {
    target = new SetValue();
    ctx.keyspace.addKey(ctx.db, destination, target);
  }
  target.add(member, ctx.node.config.int('set-max-intset-entries'));
  ctx.keyspace.touchModified(ctx.db, destination);
  return integer(1);
}, [1, 2, 1]);

function algebra(ctx: CommandContext, keys: ReadonlyArray<string>, op: 'inter' | 'union' | 'diff'): string[] | Reply {
  const sets: Array<SetValue | undefined> = [];
  for (const key of keys) {
    const value = setFor(ctx, key, false);
    if (value !== undefined && !isSet(value)) return value;
    sets.push(value);
  }
  if (op === 'inter') {
    if (sets.some((value) => value === undefined)) return [];
    const [first, ...rest] = sets as SetValue[];
    return first!.members().filter((member) => rest.every((other) => other.has(member)));
  }
  if (op === 'union') {
    const out = new Set<string>();
    for (const value of sets) if (value) for (const member of value.members()) out.add(member);
    return [...out];
  }
  const [first, ...rest] = sets;
  if (!first) return [];
  return first.members().filter((member) => !rest.some((other) => other?.has(member)));
}

const algebraCommand = (name: string, op: 'inter' | 'union' | 'diff', since: string) =>
  define(name, -2, false, false, `${op === 'inter' ? 'Intersect' : op === 'union' ? 'Add' : 'Subtract'} multiple sets`, since, (ctx) => {
    const result = algebra(ctx, ctx.argv.slice(1), op);
    return Array.isArray(result) ? members(ctx, result) : result;
  }, [1, -1, 1]);

export const sinter = algebraCommand('sinter', 'inter', '1.0.0');
export const sunion = algebraCommand('sunion', 'union', '1.0.0');
export const sdiff = algebraCommand('sdiff', 'diff', '1.0.0');

export const sintercard = defineCommand({
  name: 'sintercard', arity: -3, flags: ['readonly'], acl: ['read', 'set', 'slow'], keys: null,
  doc: { summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0', group: 'set' },
  handler: (ctx) => {
    const numkeys = parseInt64(ctx.arg(1));
    if (numkeys === null || typeof numkeys === 'bigint' || numkeys <= 0) return error('ERR numkeys should be greater than 0');
    if (numkeys > ctx.argc - 2) return error("ERR Number of keys can't be greater than number of args");
    let limit = 0;
    for (let j = 2 + numkeys; j < ctx.argc; j++) {
      if (ctx.arg(j).toLowerCase() === 'limit' && j + 1 < ctx.argc) {
        const parsed = parseInt64(ctx.arg(++j));
        if (parsed === null || typeof parsed === 'bigint' || parsed < 0) return error("ERR LIMIT can't be negative");
        limit = parsed;
      } else {
        return errors.SYNTAX;
      }
    }
    const result = algebra(ctx, ctx.argv.slice(2, 2 + numkeys), 'inter');
    if (!Array.isArray(result)) return result;
    return integer(limit > 0 ? Math.min(limit, result.length) : result.length);
  },
});

export const SET_COMMANDS = [sadd, srem, smembers, sismember, smismember, scard, spop, srandmember, smove, sinter, sunion, sdiff, sintercard];

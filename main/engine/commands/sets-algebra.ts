/**
 * Set algebra (t_set.c sinterGenericCommand, sunionDiffGenericCommand):
 * SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE.
 *
 * Every input key is type-checked before anything is computed (a missing
 * key is an empty set, a wrong type anywhere is WRONGTYPE). Results are
 * built as Redis builds them (intset first, promoted as they grow), so a
 * result of integers replies in numeric order like Redis; *STORE replaces
 * the destination and deletes it for an empty result. Stores are
 * deterministic and propagated verbatim.
 */
import * as errors from '../resp/errors';
import { error, integer, type Reply } from '../resp/reply';
import type { SetValue } from '../keyspace/values';
import type { CommandContext } from './command-context';
import { buildSet, defineSetCommand, isSet, longArg, setFor, setMembersReply, storeSet } from './sets-access';
import { cString } from './define';

/** The sets at `keys` (undefined for missing ones), or WRONGTYPE. */
function loadSets(ctx: CommandContext, keys: ReadonlyArray<string>): Array<SetValue | undefined> | Reply {
  const sets: Array<SetValue | undefined> = [];
  for (const key of keys) {
    const value = setFor(ctx, key, false);
    if (value !== undefined && !isSet(value)) return value;
    sets.push(value);
  }
  return sets;
}

/** Intersection, iterating the smallest set as Redis does; stops at `limit` (0 = none). */
function intersect(sets: ReadonlyArray<SetValue>, limit = 0): string[] {
  const ordered = [...sets].sort((a, b) => a.size - b.size);
  const [smallest, ...rest] = ordered;
  const out: string[] = [];
  for (const member of smallest!.members()) {
    if (rest.every((other) => other.has(member))) {
      out.push(member);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

function union(sets: ReadonlyArray<SetValue | undefined>): string[] {
  const out = new Set<string>();
  for (const value of sets) if (value) for (const member of value.members()) out.add(member);
  return [...out];
}

/**
 * SDIFF's result set, built as sunionDiffGenericCommand builds it. Redis
 * picks the cheaper of two algorithms: 1 adds each member of the first set
 * that no other set has; 2 adds every member of the first set, then removes
 * the other sets' members. Under 2 the result keeps what the removed members
 * did to it: a hashtable once the first set passed set-max-intset-entries or
 * held a non-integer, an intset as wide as its widest member.
 */
function differenceSet(ctx: CommandContext, sets: ReadonlyArray<SetValue | undefined>): SetValue {
  const [first, ...rest] = sets;
  // A missing first key, or the same key again on the right (sameset), is an empty result.
  if (!first || rest.includes(first)) return buildSet(ctx, []);
  let algoOneWork = 0;
  let algoTwoWork = 0;
  for (const value of sets) {
    if (!value) continue;
    algoOneWork += first.size;
    algoTwoWork += value.size;
  }
  if (Math.floor(algoOneWork / 2) <= algoTwoWork) {
    return buildSet(ctx, first.members().filter((member) => !rest.some((other) => other?.has(member))));
  }
  const result = buildSet(ctx, first.members());
  for (const other of rest) if (other) for (const member of other.items) result.delete(member);
  return result;
}

/** SINTER (and SMEMBERS): a RESP3 set, empty when any key is missing. */
export function sinterReply(ctx: CommandContext, keys: ReadonlyArray<string>): Reply {
  const sets = loadSets(ctx, keys);
  if (!Array.isArray(sets)) return sets;
  if (sets.some((value) => value === undefined)) return setMembersReply(ctx, []);
  return setMembersReply(ctx, intersect(sets as SetValue[]));
}

export const sinter = defineSetCommand({
  name: 'sinter', arity: -2, flags: ['readonly'], summary: 'Intersect multiple sets', since: '1.0.0', keys: [1, -1, 1],
  handler: (ctx) => sinterReply(ctx, ctx.argv.slice(1)),
});

export const sinterstore = defineSetCommand({
  name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], summary: 'Intersect multiple sets and store the resulting set in a key', since: '1.0.0', keys: [1, -1, 1],
  handler: (ctx) => {
    const sets = loadSets(ctx, ctx.argv.slice(2));
    if (!Array.isArray(sets)) return sets;
    const members = sets.some((value) => value === undefined) ? [] : intersect(sets as SetValue[]);
    return storeSet(ctx, ctx.arg(1), buildSet(ctx, members), 'sinterstore');
  },
});

export const sintercard = defineSetCommand({
  name: 'sintercard', arity: -3, flags: ['readonly'], summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0',
  keys: null,
  handler: (ctx) => {
    const numkeys = longArg(ctx.arg(1));
    if (numkeys === null) return error('ERR numkeys should be greater than 0');
    if (numkeys < 1) return error('ERR numkeys should be greater than 0');
    if (numkeys > ctx.argc - 2) return error("ERR Number of keys can't be greater than number of args");
    let limit = 0;
    for (let j = 2 + numkeys; j < ctx.argc; j++) {
      if (cString(ctx.arg(j)).toLowerCase() === 'limit' && j + 1 < ctx.argc) {
        const parsed = longArg(ctx.arg(++j));
        if (parsed === null || parsed < 0) return error("ERR LIMIT can't be negative");
        limit = parsed;
      } else {
        return errors.SYNTAX;
      }
    }
    const sets = loadSets(ctx, ctx.argv.slice(2, 2 + numkeys));
    if (!Array.isArray(sets)) return sets;
    if (sets.some((value) => value === undefined)) return integer(0);
    return integer(intersect(sets as SetValue[], limit).length);
  },
});

function unionDiff(name: 'sunion' | 'sdiff', store: boolean, summary: string) {
  return defineSetCommand({
    name: store ? `${name}store` : name, arity: store ? -3 : -2, flags: store ? ['write', 'denyoom'] : ['readonly'], summary, since: '1.0.0', keys: [1, -1, 1],
    handler: (ctx) => {
      const sets = loadSets(ctx, ctx.argv.slice(store ? 2 : 1));
      if (!Array.isArray(sets)) return sets;
      const result = name === 'sunion' ? buildSet(ctx, union(sets)) : differenceSet(ctx, sets);
      return store ? storeSet(ctx, ctx.arg(1), result, `${name}store`) : setMembersReply(ctx, result.members());
    },
  });
}

export const sunion = unionDiff('sunion', false, 'Add multiple sets');
export const sunionstore = unionDiff('sunion', true, 'Add multiple sets and store the resulting set in a key');
export const sdiff = unionDiff('sdiff', false, 'Subtract multiple sets');
export const sdiffstore = unionDiff('sdiff', true, 'Subtract multiple sets and store the resulting set in a key');

export const SET_ALGEBRA_COMMANDS = [sinter, sinterstore, sintercard, sunion, sunionstore, sdiff, sdiffstore];

/**
 * Sorted-set algebra (t_zset.c zunionInterDiffGenericCommand): ZUNION ZINTER
 * ZDIFF, their *STORE forms, and ZINTERCARD.
 *
 * Inputs may be sorted sets or plain sets (every member scoring 1). Each
 * input score is multiplied by its WEIGHT (a NaN product, inf * 0, counts
 * as 0); AGGREGATE SUM (a NaN sum, inf + -inf, counts as 0), MIN or MAX
 * combines them. Union and intersection visit the inputs from the smallest
 * to the largest, as Redis does, so sums add in Redis's order. Results are
 * ordered by (score, member); WITHSCORES pairs are flat in RESP2 and nested
 * in RESP3. *STORE replaces the destination (deleted for an empty result),
 * deterministic, propagated verbatim.
 */
import * as errors from '../resp/errors';
import { error, integer, type Reply } from '../resp/reply';
import { SetValue, ZSetValue } from '../keyspace/values';
import { compareEntries } from '../keyspace/values/zset-order';
import { parseRedisDouble } from '../util/floats';
import type { CommandContext } from './command-context';
import { isOption, cString } from './define';
import { longArg } from './sets-access';
import { buildZset, defineZsetCommand, entriesReply, storeZset, type ZEntry } from './zsets-access';

type Operation = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  readonly value: ZSetValue | SetValue | undefined;
  weight: number;
}

const WEIGHT_NOT_FLOAT = error('ERR weight value is not a float');

function sizeOf(source: Source): number {
  return source.value?.size ?? 0;
}

function* entriesOf(source: Source): Iterable<ZEntry> {
  const value = source.value;
  if (value instanceof ZSetValue) yield* value.entries();
  else if (value instanceof SetValue) for (const member of value.members()) yield [member, 1];
}

function scoreIn(source: Source, member: string): number | undefined {
  const value = source.value;
  if (value instanceof ZSetValue) return value.score(member);
  if (value instanceof SetValue) return value.has(member) ? 1 : undefined;
  return undefined;
}

function weighted(score: number, weight: number): number {
  const product = score * weight;
  return Number.isNaN(product) ? 0 : product;
}

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'min') return value < target ? value : target;
  if (how === 'max') return value > target ? value : target;
  const sum = target + value;
  return Number.isNaN(sum) ? 0 : sum;
}

interface Parsed {
  readonly sources: Source[];
  readonly aggregate: Aggregate;
  readonly withScores: boolean;
  readonly limit: number;
}

/** numkeys, the keys (type-checked), then WEIGHTS/AGGREGATE/WITHSCORES/LIMIT as the command allows. */
function parse(ctx: CommandContext, numkeysIndex: number, op: Operation, store: boolean, cardinalityOnly: boolean): Parsed | Reply {
  const setnum = longArg(ctx.arg(numkeysIndex));
  if (setnum === null) return errors.NOT_INTEGER;
  if (setnum < 1) return error(`ERR at least 1 input key is needed for '${ctx.command.fullName}' command`);
  if (setnum > ctx.argc - (numkeysIndex + 1)) return errors.SYNTAX;
  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const value = ctx.read(ctx.arg(j));
    if (value !== undefined && !(value instanceof ZSetValue) && !(value instanceof SetValue)) return errors.WRONGTYPE;
    sources.push({ value, weight: 1 });
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < ctx.argc) {
    const remaining = ctx.argc - j;
    const option = ctx.arg(j);
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && isOption(option, 'weights')) {
      j++;
      for (const source of sources) {
        const weight = parseRedisDouble(ctx.arg(j++));
        if (weight === null) return WEIGHT_NOT_FLOAT;
        source.weight = weight;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && isOption(option, 'aggregate')) {
      const name = cString(ctx.arg(j + 1)).toLowerCase();
      if (name !== 'sum' && name !== 'min' && name !== 'max') return errors.SYNTAX;
      how = name;
      j += 2;
    } else if (!store && !cardinalityOnly && isOption(option, 'withscores')) {
      withScores = true;
      j++;
    } else if (cardinalityOnly && remaining >= 2 && isOption(option, 'limit')) {
      const parsed = longArg(ctx.arg(j + 1));
      if (parsed === null || parsed < 0) return error("ERR LIMIT can't be negative");
      limit = parsed;
      j += 2;
    } else {
      return errors.SYNTAX;
    }
  }
  return { sources, aggregate: how, withScores, limit };
}

function compute(parsed: Parsed, op: Operation): ZEntry[] {
  const { sources } = parsed;
  const result = new Map<string, number>();
  if (op === 'diff') {
    const [first, ...rest] = sources;
    for (const [member, score] of entriesOf(first!)) {
      if (!rest.some((other) => other.value === first!.value || scoreIn(other, member) !== undefined)) result.set(member, score);
    }
  } else {
    // Array.prototype.sort is stable, like the merge sort behind glibc's qsort.
    const ordered = [...sources].sort((a, b) => sizeOf(a) - sizeOf(b));
    if (op === 'inter') {
      const [smallest, ...rest] = ordered;
      if (sizeOf(smallest!) > 0) {
        for (const [member, base] of entriesOf(smallest!)) {
          let score = weighted(base, smallest!.weight);
          let everywhere = true;
          for (const other of rest) {
            const found = scoreIn(other, member);
            if (found === undefined) {
              everywhere = false;
              break;
            }
            score = aggregate(score, found * other.weight, parsed.aggregate);
          }
          if (everywhere) {
            result.set(member, score);
            if (parsed.limit > 0 && result.size >= parsed.limit) break;
          }
        }
      }
    } else {
      for (const source of ordered) {
        for (const [member, base] of entriesOf(source)) {
          const score = weighted(base, source.weight);
          const current = result.get(member);
          result.set(member, current === undefined ? score : aggregate(current, score, parsed.aggregate));
        }
      }
    }
  }
  return [...result];
}

function algebraCommand(op: Operation, store: boolean, cardinalityOnly = false) {
  const numkeysIndex = store ? 2 : 1;
  return (ctx: CommandContext): Reply => {
    const parsed = parse(ctx, numkeysIndex, op, store, cardinalityOnly);
    if ('kind' in parsed) return parsed;
    const entries = compute(parsed, op);
    if (cardinalityOnly) return integer(entries.length);
    if (store) return storeZset(ctx, ctx.arg(1), buildZset(ctx, entries), `z${op}store`);
    // ZUNION/ZINTER/ZDIFF reply from the skiplist t_zset.c builds, never
    // converted to a listpack: the computed doubles as they are (a -0 stays
    // "-0", which a listpack would store as the integer 0).
    entries.sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
    return entriesReply(ctx, entries, parsed.withScores);
  };
}

export const zunion = defineZsetCommand({
  name: 'zunion', arity: -3, flags: ['readonly'], summary: 'Add multiple sorted sets', since: '6.2.0', keys: null,
  handler: algebraCommand('union', false),
});
export const zinter = defineZsetCommand({
  name: 'zinter', arity: -3, flags: ['readonly'], summary: 'Intersect multiple sorted sets', since: '6.2.0', keys: null,
  handler: algebraCommand('inter', false),
});
export const zdiff = defineZsetCommand({
  name: 'zdiff', arity: -3, flags: ['readonly'], summary: 'Subtract multiple sorted sets', since: '6.2.0', keys: null,
  handler: algebraCommand('diff', false),
});
export const zunionstore = defineZsetCommand({
  name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0', keys: [1, 1, 1],
  handler: algebraCommand('union', true),
});
export const zinterstore = defineZsetCommand({
  name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0', keys: [1, 1, 1],
  handler: algebraCommand('inter', true),
});
export const zdiffstore = defineZsetCommand({
  name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0', keys: [1, 1, 1],
  handler: algebraCommand('diff', true),
});
export const zintercard = defineZsetCommand({
  name: 'zintercard', arity: -3, flags: ['readonly'], summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0', keys: null,
  handler: algebraCommand('inter', false, true),
});

export const ZSET_ALGEBRA_COMMANDS = [zunion, zinter, zdiff, zunionstore, zinterstore, zdiffstore, zintercard];

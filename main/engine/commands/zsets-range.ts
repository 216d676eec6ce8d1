/**
 * Ranges of a sorted set (t_zset.c zrangeGenericCommand and friends): one
 * range spec, parsed once, serves ZRANGE (rank, BYSCORE, BYLEX, REV, LIMIT,
 * WITHSCORES), ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX, ZREVRANGEBYLEX, and the walks behind ZCOUNT, ZLEXCOUNT and
 * ZREMRANGEBYRANK/SCORE/LEX.
 *
 * Parsing order is Redis's, so the same bad input gets the same error:
 * options first (syntax error for anything a command does not take; LIMIT
 * needs two more arguments, each an integer), then the LIMIT/WITHSCORES
 * conflicts, then the range itself (reversed commands take max before min
 * for score and lex ranges), then the key. LIMIT: a negative offset yields
 * nothing, a negative count means no limit.
 */
import * as errors from '../resp/errors';
import { EMPTY_ARRAY, error, integer, type Reply } from '../resp/reply';
import type { ZSetNode, ZSetValue } from '../keyspace/values/zset-value';
import type { CommandContext } from './command-context';
import { isOption } from './define';
import {
  lexGteMin, lexLteMax, lexRangeIsEmpty, longArg, parseLexBound, parseScoreBound, scoreGteMin, scoreLteMax, scoreRangeIsEmpty,
  type LexRange, type ScoreRange,
} from './zsets-args';
import { afterRemoval, buildZsetAsAdded, defineZsetCommand, entriesReply, isZset, storeZset, zsetFor, type ZEntry } from './zsets-access';

const MIN_MAX_NOT_FLOAT = error('ERR min or max is not a float');
const LEX_NOT_VALID = error('ERR min or max not valid string range item');

export type RangeSpec =
  | { readonly by: 'rank'; readonly start: number; readonly end: number; readonly reverse: boolean; readonly withScores: boolean }
  | { readonly by: 'score'; readonly range: ScoreRange; readonly reverse: boolean; readonly withScores: boolean; readonly offset: number; readonly count: number }
  | { readonly by: 'lex'; readonly range: LexRange; readonly reverse: boolean; readonly withScores: boolean; readonly offset: number; readonly count: number };

export function parseScoreRange(minText: string, maxText: string): ScoreRange | null {
  const min = parseScoreBound(minText);
  const max = parseScoreBound(maxText);
  return min && max ? { min, max } : null;
}

export function parseLexRange(minText: string, maxText: string): LexRange | null {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  return min && max ? { min, max } : null;
}

/**
 * Parses `<src> <min> <max> [options]` starting at argv[keyIndex]. `by` and
 * `direction` 'auto' let BYSCORE/BYLEX/REV choose (ZRANGE, ZRANGESTORE);
 * fixed values refuse them (the older commands). `store` refuses WITHSCORES.
 */
export function parseRangeSpec(ctx: CommandContext, keyIndex: number, store: boolean, by: 'auto' | 'rank' | 'score' | 'lex', direction: 'auto' | 'forward' | 'reverse'): RangeSpec | Reply {
  let withScores = false;
  let offset = 0;
  let count = -1;
  let limitGiven = false;
  for (let j = keyIndex + 3; j < ctx.argc; j++) {
    const option = ctx.arg(j);
    const left = ctx.argc - j - 1;
    if (!store && isOption(option, 'withscores')) withScores = true;
    else if (isOption(option, 'limit') && left >= 2) {
      const parsedOffset = longArg(ctx.arg(j + 1));
      const parsedCount = parsedOffset === null ? null : longArg(ctx.arg(j + 2));
      if (parsedOffset === null || parsedCount === null) return errors.NOT_INTEGER;
      offset = parsedOffset;
      count = parsedCount;
      limitGiven = parsedCount !== -1;
      j += 2;
    } else if (direction === 'auto' && isOption(option, 'rev')) direction = 'reverse';
    else if (by === 'auto' && isOption(option, 'bylex')) by = 'lex';
    else if (by === 'auto' && isOption(option, 'byscore')) by = 'score';
    else return errors.SYNTAX;
  }
  const reverse = direction === 'reverse';
  if (by === 'auto') by = 'rank';
  // Redis tests opt_limit != -1: "LIMIT 0 -1" passes with a rank range.
  if (limitGiven && by === 'rank') return error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withScores && by === 'lex') return error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  let minText = ctx.arg(keyIndex + 1);
  let maxText = ctx.arg(keyIndex + 2);
  if (reverse && by !== 'rank') [minText, maxText] = [maxText, minText];
  if (by === 'rank') {
    const start = longArg(minText);
    const end = start === null ? null : longArg(maxText);
    if (start === null || end === null) return errors.NOT_INTEGER;
    return { by, start, end, reverse, withScores };
  }
  if (by === 'score') {
    const range = parseScoreRange(minText, maxText);
    if (!range) return MIN_MAX_NOT_FLOAT;
    return { by, range, reverse, withScores, offset, count };
  }
  const range = parseLexRange(minText, maxText);
  if (!range) return LEX_NOT_VALID;
  return { by, range, reverse, withScores, offset, count };
}

/** Sanitized ascending rank window [start, end], or null when empty (as Redis sanitizes indexes). */
function rankWindow(length: number, start: number, end: number): [number, number] | null {
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return null;
  return [start, Math.min(end, length - 1)];
}

function firstInScore(zset: ZSetValue, range: ScoreRange): ZSetNode | null {
  if (scoreRangeIsEmpty(range)) return null;
  const node = zset.firstInScoreRange(range.min.value, range.min.exclusive);
  return node && scoreLteMax(node.score, range) ? node : null;
}

function lastInScore(zset: ZSetValue, range: ScoreRange): ZSetNode | null {
  if (scoreRangeIsEmpty(range)) return null;
  const node = zset.lastInScoreRange(range.max.value, range.max.exclusive);
  return node && scoreGteMin(node.score, range) ? node : null;
}

function firstInLex(zset: ZSetValue, range: LexRange): ZSetNode | null {
  if (lexRangeIsEmpty(range)) return null;
  const min = range.min;
  const node = min.kind === 'min' ? zset.first() : min.kind === 'max' ? null : zset.firstInLexRange(min.value, min.exclusive);
  return node && lexLteMax(node.member, range) ? node : null;
}

function lastInLex(zset: ZSetValue, range: LexRange): ZSetNode | null {
  if (lexRangeIsEmpty(range)) return null;
  const max = range.max;
  const node = max.kind === 'max' ? zset.last() : max.kind === 'min' ? null : zset.lastInLexRange(max.value, max.exclusive);
  return node && lexGteMin(node.member, range) ? node : null;
}

const next = (node: ZSetNode): ZSetNode | null => node.next;
const previous = (node: ZSetNode): ZSetNode | null => node.backward;

/** The entries a spec selects, in reply order. */
export function collectRange(zset: ZSetValue, spec: RangeSpec): ZEntry[] {
  const out: ZEntry[] = [];
  if (spec.by === 'rank') {
    const window = rankWindow(zset.size, spec.start, spec.end);
    if (!window) return out;
    return zset.rangeByRank(window[0], window[1], spec.reverse);
  }
  if (spec.by === 'score' && spec.offset > 0 && spec.offset >= zset.size) return out;
  let node: ZSetNode | null;
  let inRange: (node: ZSetNode) => boolean;
  if (spec.by === 'score') {
    const range = spec.range;
    node = spec.reverse ? lastInScore(zset, range) : firstInScore(zset, range);
    inRange = spec.reverse ? (n) => scoreGteMin(n.score, range) : (n) => scoreLteMax(n.score, range);
  } else {
    const range = spec.range;
    node = spec.reverse ? lastInLex(zset, range) : firstInLex(zset, range);
    inRange = spec.reverse ? (n) => lexGteMin(n.member, range) : (n) => lexLteMax(n.member, range);
  }
  const step = spec.reverse ? previous : next;
  // A negative offset walks off the end (Redis's `while (ln && offset--)`).
  if (spec.offset < 0) return out;
  for (let skip = spec.offset; node && skip > 0; skip--) node = step(node);
  for (let left = spec.count; node && left !== 0; left--) {
    if (!inRange(node)) break;
    out.push([node.member, node.score]);
    node = step(node);
  }
  return out;
}

function rangeCommand(ctx: CommandContext, by: 'auto' | 'rank' | 'score' | 'lex', direction: 'auto' | 'forward' | 'reverse'): Reply {
  const spec = parseRangeSpec(ctx, 1, false, by, direction);
  if ('kind' in spec) return spec;
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset === undefined) return EMPTY_ARRAY;
  if (!isZset(zset)) return zset;
  return entriesReply(ctx, collectRange(zset, spec), spec.withScores);
}

export const zrange = defineZsetCommand({
  name: 'zrange', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set', since: '1.2.0',
  handler: (ctx) => rangeCommand(ctx, 'auto', 'auto'),
});

export const zrangestore = defineZsetCommand({
  name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], summary: 'Store a range of members from sorted set into another key', since: '6.2.0', keys: [1, 2, 1],
  handler: (ctx) => {
    const spec = parseRangeSpec(ctx, 2, true, 'auto', 'auto');
    if ('kind' in spec) return spec;
    const zset = zsetFor(ctx, ctx.arg(2), false);
    if (zset !== undefined && !isZset(zset)) return zset;
    return storeZset(ctx, ctx.arg(1), buildZsetAsAdded(ctx, zset ? collectRange(zset, spec) : [], spec.by === 'rank'), 'zrangestore');
  },
});

export const zrevrange = defineZsetCommand({
  name: 'zrevrange', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', since: '1.2.0',
  handler: (ctx) => rangeCommand(ctx, 'rank', 'reverse'),
});

export const zrangebyscore = defineZsetCommand({
  name: 'zrangebyscore', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set, by score', since: '1.0.5',
  handler: (ctx) => rangeCommand(ctx, 'score', 'forward'),
});

export const zrevrangebyscore = defineZsetCommand({
  name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', since: '2.2.0',
  handler: (ctx) => rangeCommand(ctx, 'score', 'reverse'),
});

export const zrangebylex = defineZsetCommand({
  name: 'zrangebylex', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9',
  handler: (ctx) => rangeCommand(ctx, 'lex', 'forward'),
});

export const zrevrangebylex = defineZsetCommand({
  name: 'zrevrangebylex', arity: -4, flags: ['readonly'], summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', since: '2.8.9',
  handler: (ctx) => rangeCommand(ctx, 'lex', 'reverse'),
});

/** Members in a score or lex range in O(log n), from the ranks of its first and last nodes (as zcountCommand does). */
export function countInRange(zset: ZSetValue, spec: RangeSpec): number {
  if (spec.by === 'rank') return collectRange(zset, spec).length;
  const first = spec.by === 'score' ? firstInScore(zset, spec.range) : firstInLex(zset, spec.range);
  const last = spec.by === 'score' ? lastInScore(zset, spec.range) : lastInLex(zset, spec.range);
  if (!first || !last) return 0;
  return zset.rank(last.member)! - zset.rank(first.member)! + 1;
}

function countCommand(ctx: CommandContext, spec: RangeSpec | null, invalid: Reply): Reply {
  if (!spec) return invalid;
  const zset = zsetFor(ctx, ctx.arg(1), false);
  if (zset === undefined) return integer(0);
  if (!isZset(zset)) return zset;
  return integer(countInRange(zset, spec));
}

const unlimited = { reverse: false, withScores: false, offset: 0, count: -1 } as const;

export const zcount = defineZsetCommand({
  name: 'zcount', arity: 4, flags: ['readonly', 'fast'], summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0',
  handler: (ctx) => {
    const range = parseScoreRange(ctx.arg(2), ctx.arg(3));
    return countCommand(ctx, range && { by: 'score', range, ...unlimited }, MIN_MAX_NOT_FLOAT);
  },
});

export const zlexcount = defineZsetCommand({
  name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9',
  handler: (ctx) => {
    const range = parseLexRange(ctx.arg(2), ctx.arg(3));
    return countCommand(ctx, range && { by: 'lex', range, ...unlimited }, LEX_NOT_VALID);
  },
});

function removeRange(ctx: CommandContext, spec: RangeSpec | Reply): Reply {
  if ('kind' in spec) return spec;
  const key = ctx.arg(1);
  const zset = zsetFor(ctx, key, true);
  if (zset === undefined) return integer(0);
  if (!isZset(zset)) return zset;
  const doomed = collectRange(zset, spec);
  for (const [member] of doomed) zset.delete(member);
  if (doomed.length > 0) {
    afterRemoval(ctx, key, zset, `zremrangeby${spec.by}`);
    ctx.addDirty(doomed.length);
  }
  return integer(doomed.length);
}

export const zremrangebyrank = defineZsetCommand({
  name: 'zremrangebyrank', arity: 4, flags: ['write'], summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0',
  handler: (ctx) => {
    const start = longArg(ctx.arg(2));
    const end = start === null ? null : longArg(ctx.arg(3));
    return removeRange(ctx, start === null || end === null ? errors.NOT_INTEGER : { by: 'rank', start, end, reverse: false, withScores: false });
  },
});

export const zremrangebyscore = defineZsetCommand({
  name: 'zremrangebyscore', arity: 4, flags: ['write'], summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0',
  handler: (ctx) => {
    const range = parseScoreRange(ctx.arg(2), ctx.arg(3));
    return removeRange(ctx, range ? { by: 'score', range, ...unlimited } : MIN_MAX_NOT_FLOAT);
  },
});

export const zremrangebylex = defineZsetCommand({
  name: 'zremrangebylex', arity: 4, flags: ['write'], summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9',
  handler: (ctx) => {
    const range = parseLexRange(ctx.arg(2), ctx.arg(3));
    return removeRange(ctx, range ? { by: 'lex', range, ...unlimited } : LEX_NOT_VALID);
  },
});

export const ZSET_RANGE_COMMANDS = [zrange, zrangestore, zrevrange, zrangebyscore, zrevrangebyscore, zrangebylex, zrevrangebylex, zcount, zlexcount, zremrangebyrank, zremrangebyscore, zremrangebylex];

/**
 * The rest of the list family (t_list.c): LPOS, LMPOP, the blocking
 * BRPOPLPUSH, BLMOVE and BLMPOP.
 *
 * Propagation as 7.0: a served BLMOVE / BRPOPLPUSH goes to replicas as
 * LMOVE / RPOPLPUSH, and LMPOP / BLMPOP as `LPOP|RPOP key <count popped>`,
 * so replicas never block and pop exactly what the master popped.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, NULL, NULL_ARRAY, type Reply } from '../resp/reply';
import { ListValue } from '../keyspace/values';
import { parseInt64 } from '../util/integers';
import { afterRemoval, blockingDeadline, lmove, popEvent, rpoplpush } from './lists';
import { NotifyType } from '../pubsub/keyspace-events';

type End = 'left' | 'right';

function longArg(text: string): number | null {
  const value = parseInt64(text);
  return value === null ? null : typeof value === 'bigint' ? (value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : value;
}

function listFor(ctx: CommandContext, key: string, write: boolean): ListValue | undefined | Reply {
  const value = write ? ctx.write(key) : ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof ListValue ? value : errors.WRONGTYPE;
}

const define = (name: string, arity: number, flags: Array<'write' | 'readonly' | 'denyoom' | 'blocking' | 'noscript'>, summary: string, since: string, handler: (ctx: CommandContext) => CommandResult, keys: [number, number, number] | null = [1, 1, 1]) =>
  defineCommand({
    name, arity, flags, acl: [flags.includes('write') ? 'write' : 'read', 'list', 'slow', ...(flags.includes('blocking') ? ['blocking' as const] : [])],
    keys, doc: { summary, since, group: 'list' }, handler,
  });

const LLONG_MIN = -9223372036854775808n;

export const lpos = define('lpos', -3, ['readonly'], 'Return the index of matching elements on a list', '6.0.6', (ctx) => {
  let rank = 1;
  let count: number | null = null;
  let maxlen = 0;
  // RANK -9223372036854775808: 7.0 negates it (rank = -rank), which leaves
  // it negative, so every match counts, from the tail, and COUNT never ends
  // the walk (its matches-rank+1 wraps). 7.2 refuses the value instead.
  let wrappedRank = false;
  for (let j = 3; j < ctx.argc; j++) {
    const option = ctx.arg(j);
    const hasNext = j + 1 < ctx.argc;
    if (isOption(option, 'rank') && hasNext) {
      const value = parseInt64(ctx.arg(++j));
      if (value === null) return errors.NOT_INTEGER;
      if (value === 0) return error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
      wrappedRank = value === LLONG_MIN;
      // Past 2^53 a rank skips more matches than any list holds.
      rank = wrappedRank ? -1 : typeof value === 'bigint' ? (value > 0n ? Infinity : -Infinity) : value;
    } else if (isOption(option, 'count') && hasNext) {
      const value = longArg(ctx.arg(++j));
      if (value === null || value < 0) return error("ERR COUNT can't be negative");
      count = value;
    } else if (isOption(option, 'maxlen') && hasNext) {
      const value = longArg(ctx.arg(++j));
      if (value === null || value < 0) return error("ERR MAXLEN can't be negative");
      maxlen = value;
    } else {
      return errors.SYNTAX;
    }
  }
  const list = listFor(ctx, ctx.arg(1), false);
  if (list === undefined) return count === null ? NULL : array([]);
  if (!(list instanceof ListValue)) return list;
  const element = ctx.arg(2);
  const length = list.length;
  const found: number[] = [];
  let skip = Math.abs(rank) - 1;
  const wanted = count === null ? 1 : count === 0 || wrappedRank ? Infinity : count;
  for (let step = 0; step < length && (maxlen === 0 || step < maxlen) && found.length < wanted; step++) {
    const index = rank > 0 ? step : length - 1 - step;
    if (list.at(index) !== element) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    found.push(index);
  }
  if (count === null) return found.length > 0 ? integer(found[0]!) : NULL;
  return array(found.map((index) => integer(index)));
});

function parseEnd(text: string): End | null {
  return isOption(text, 'left') ? 'left' : isOption(text, 'right') ? 'right' : null;
}

/** BRPOPLPUSH / BLMOVE: blocks on the source; when served, runs (and propagates as) the non-blocking command. */
function blockingMove(nonBlocking: (ctx: CommandContext) => CommandResult, rewrite: (ctx: CommandContext, servedLater: boolean) => string[], timeoutIndex: number, validate: (ctx: CommandContext) => Reply | null) {
  return (ctx: CommandContext): CommandResult => {
    const invalid = validate(ctx);
    if (invalid) return invalid;
    const deadline = blockingDeadline(ctx, ctx.arg(timeoutIndex));
    if (typeof deadline !== 'number') return deadline;
    const tryServe = (serving: CommandContext, servedLater: boolean): Reply | null => {
      const source = listFor(serving, serving.arg(1), true);
      if (source === undefined) return null;
      const reply = nonBlocking(serving) as Reply;
      if (reply.kind !== 'error') serving.rewriteArgv(rewrite(serving, servedLater));
      return reply;
    };
    const served = tryServe(ctx, false);
    if (served !== null) return served;
    // A timed-out BRPOPLPUSH/BLMOVE replies a null array (*-1), like BLPOP; one
    // that may not block (in MULTI or a script) a null bulk ($-1), as blmoveGenericCommand does.
    const request: BlockRequest = { kind: 'block', keys: [ctx.arg(1)], deadline, retry: (serving) => tryServe(serving, true), onTimeout: () => NULL_ARRAY, onDenied: () => NULL, wakeOn: 'keys', keyType: 'list' };
    return request;
  };
}

export const brpoplpush = define('brpoplpush', 4, ['write', 'denyoom', 'noscript', 'blocking'], 'Pop an element from a list, push it to another list and return it; or block until one is available', '2.2.0',
  blockingMove((ctx) => rpoplpush.handler!(ctx), (ctx) => ['RPOPLPUSH', ctx.arg(1), ctx.arg(2)], 3, () => null), [1, 2, 1]);

export const blmove = define('blmove', 6, ['write', 'denyoom', 'noscript', 'blocking'], 'Pop an element from a list, push it to another list and return it; or block until one is available', '6.2.0',
  // Served at once: the client's own LEFT/RIGHT words; served later: Redis writes its shared lowercase ones.
  blockingMove((ctx) => lmove.handler!(ctx), (ctx, later) => ['LMOVE', ctx.arg(1), ctx.arg(2), later ? ctx.arg(3).toLowerCase() : ctx.arg(3), later ? ctx.arg(4).toLowerCase() : ctx.arg(4)], 5, (ctx) => (parseEnd(ctx.arg(3)) && parseEnd(ctx.arg(4)) ? null : errors.SYNTAX)), [1, 2, 1]);

/** LMPOP / BLMPOP arguments from `from` (the numkeys position). */
function parseMpop(ctx: CommandContext, from: number): { keys: string[]; end: End; count: number } | Reply {
  const numkeys = longArg(ctx.arg(from));
  if (numkeys === null || numkeys <= 0) return error('ERR numkeys should be greater than 0');
  // The LEFT|RIGHT argument must exist after the keys (lmpopGenericCommand's where_idx check).
  if (from + numkeys + 1 >= ctx.argc) return errors.SYNTAX;
  const keys = ctx.argv.slice(from + 1, from + 1 + numkeys);
  const end = parseEnd(ctx.arg(from + 1 + numkeys));
  if (end === null) return errors.SYNTAX;
  let count = 1;
  let countSeen = false;
  for (let j = from + 2 + numkeys; j < ctx.argc; j++) {
    if (isOption(ctx.arg(j), 'count') && j + 1 < ctx.argc && !countSeen) {
      const value = longArg(ctx.arg(++j));
      if (value === null || value <= 0) return error('ERR count should be greater than 0');
      count = value;
      countSeen = true;
    } else {
      return errors.SYNTAX;
    }
  }
  return { keys, end, count };
}

function mpopServe(ctx: CommandContext, keys: ReadonlyArray<string>, end: End, count: number): Reply | null {
  for (const key of keys) {
    const list = listFor(ctx, key, true);
    if (list === undefined) continue;
    if (!(list instanceof ListValue)) return list;
    const popped: string[] = [];
    while (popped.length < count && list.length > 0) popped.push((end === 'left' ? list.popHead() : list.popTail())!);
    ctx.notifyKeyspaceEvent(NotifyType.LIST, popEvent(end), key);
    afterRemoval(ctx, key, list, true);
    ctx.addDirty(popped.length);
    ctx.rewriteArgv([end === 'left' ? 'LPOP' : 'RPOP', key, String(popped.length)]);
    return array([bulk(key), bulkArray(popped)]);
  }
  return null;
}

export const lmpop = define('lmpop', -4, ['write'], 'Pop elements from a list', '7.0.0', (ctx) => {
  const parsed = parseMpop(ctx, 1);
  if ('kind' in parsed) return parsed;
  return mpopServe(ctx, parsed.keys, parsed.end, parsed.count) ?? NULL_ARRAY;
}, null);

export const blmpop = define('blmpop', -5, ['write', 'blocking'], 'Pop elements from a list, or block until one is available', '7.0.0', (ctx) => {
  const deadline = blockingDeadline(ctx, ctx.arg(1));
  if (typeof deadline !== 'number') return deadline;
  const parsed = parseMpop(ctx, 2);
  if ('kind' in parsed) return parsed;
  const served = mpopServe(ctx, parsed.keys, parsed.end, parsed.count);
  if (served !== null) return served;
  const request: BlockRequest = {
    kind: 'block', keys: parsed.keys, deadline, onTimeout: () => NULL_ARRAY, wakeOn: 'keys', keyType: 'list',
    retry: (serving, readyKey) => mpopServe(serving, readyKey === null ? parsed.keys : [readyKey], parsed.end, parsed.count),
  };
  return request;
}, null);

export const MORE_LIST_COMMANDS = [lpos, brpoplpush, blmove, lmpop, blmpop];

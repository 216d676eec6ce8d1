/**
 * List commands (t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP (count) LLEN
 * LRANGE LINDEX LSET LTRIM LREM LINSERT RPOPLPUSH LMOVE, and the blocking
 * BLPOP BRPOP.
 *
 * An emptied list is deleted. A push signals the key as ready, so clients
 * blocked on it are served, oldest first, after the pushing command. A
 * blocking pop that is served (at once or later) is propagated as LPOP/RPOP
 * of its key, as 7.0 does, so replicas never block.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { bulk, bulkArray, EMPTY_ARRAY, error, integer, NULL, NULL_ARRAY, OK, type Reply } from '../resp/reply';
import { ListValue } from '../keyspace/values';
import { QuicklistNodes } from '../memory/quicklist-layout';
import { parseInt64 } from '../util/integers';
import { parseLongDouble } from '../util/long-double';
import { NotifyType } from '../pubsub/keyspace-events';

const MUST_BE_POSITIVE = error('ERR value is out of range, must be positive');

type End = 'left' | 'right';

function longArg(text: string): number | null {
  const value = parseInt64(text);
  return value === null ? null : typeof value === 'bigint' ? (value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : value;
}

/** The list at key for a write: the list, undefined when missing, or WRONGTYPE. */
function listForWrite(ctx: CommandContext, key: string): ListValue | undefined | Reply {
  const value = ctx.write(key);
  if (value === undefined) return undefined;
  return value instanceof ListValue ? value : errors.WRONGTYPE;
}

function listForRead(ctx: CommandContext, key: string): ListValue | undefined | Reply {
  const value = ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof ListValue ? value : errors.WRONGTYPE;
}

function isList(value: ListValue | undefined | Reply): value is ListValue {
  return value instanceof ListValue;
}

/**
 * After elements left a list: delete it when empty (with its "del" event),
 * else mark it modified. The caller has already notified its own event
 * ("lpop", "ltrim", ...), which Redis sends before the "del". A blocked
 * BLPOP/BRPOP/BLMOVE/BRPOPLPUSH client served a pop signals nothing (no
 * WATCH touch, no tracking invalidation): serveClientsBlockedOnListKey
 * leaves that to the push that made the key ready. A served BLMPOP does
 * signal (`signal` true), as redis-server 7.0 does.
 */
export function afterRemoval(ctx: CommandContext, key: string, list: ListValue, signal = !ctx.servingBlocked): void {
  if (list.length === 0) {
    if (signal) ctx.keyspace.deleteKey(ctx.db, key);
    else ctx.keyspace.deleteKeyUnsignalled(ctx.db, key);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
  } else if (signal) {
    ctx.keyspace.touchModified(ctx.db, key);
  }
}

/** The event of a pop from this end. */
export function popEvent(end: End): string {
  return end === 'left' ? 'lpop' : 'rpop';
}

/** Pushes elements[from..] (a command's argv from its first element: no copy of it per push). */
function push(ctx: CommandContext, key: string, list: ListValue | undefined, elements: ReadonlyArray<string>, from: number, end: End): number {
  let target = list;
  if (!target) {
    target = new ListValue();
    // quicklistSetOptions: the list keeps the fill and compress depth in force now.
    target.quicklist = QuicklistNodes.forConfig(ctx.node.config.int('list-max-listpack-size'), ctx.node.config.int('list-compress-depth'), ctx.node.debug.quicklistPackedThreshold);
    ctx.keyspace.addKey(ctx.db, key, target);
  } else {
    ctx.keyspace.signalReady(ctx.db, key);
  }
  // signalModifiedKey for a new list too: its WATCHers must see the push.
  ctx.keyspace.touchModified(ctx.db, key);
  for (let i = from; i < elements.length; i++) {
    if (end === 'left') target.pushHead(elements[i]!);
    else target.pushTail(elements[i]!);
  }
  ctx.notifyKeyspaceEvent(NotifyType.LIST, end === 'left' ? 'lpush' : 'rpush', key);
  return target.length;
}

function pushCommand(end: End, onlyIfExists: boolean) {
  return (ctx: CommandContext): Reply => {
    const key = ctx.arg(1);
    const list = listForWrite(ctx, key);
    if (list !== undefined && !isList(list)) return list;
    if (onlyIfExists && list === undefined) return integer(0);
    const length = push(ctx, key, list, ctx.argv, 2, end);
    ctx.addDirty(ctx.argc - 2);
    return integer(length);
  };
}

function pop(list: ListValue, end: End): string {
  return (end === 'left' ? list.popHead() : list.popTail())!;
}

function popCommand(end: End) {
  return (ctx: CommandContext): Reply => {
    if (ctx.argc > 3) return errors.wrongArity(end === 'left' ? 'lpop' : 'rpop');
    let count: number | null = null;
    if (ctx.argc === 3) {
      // getPositiveLongFromObjectOrReply: one message for "not a number" and "negative".
      count = longArg(ctx.arg(2));
      if (count === null || count < 0) return MUST_BE_POSITIVE;
    }
    const key = ctx.arg(1);
    const list = listForWrite(ctx, key);
    if (list === undefined) return count === null ? NULL : NULL_ARRAY;
    if (!isList(list)) return list;
    if (count === 0) return EMPTY_ARRAY;
    if (count === null) {
      const value = pop(list, end);
      ctx.notifyKeyspaceEvent(NotifyType.LIST, popEvent(end), key);
      afterRemoval(ctx, key, list);
      ctx.addDirty();
      return bulk(value);
    }
    const popped: string[] = [];
    while (popped.length < count && list.length > 0) popped.push(pop(list, end));
    ctx.notifyKeyspaceEvent(NotifyType.LIST, popEvent(end), key);
    afterRemoval(ctx, key, list);
    ctx.addDirty(popped.length);
    return bulkArray(popped);
  };
}

const define = (name: string, arity: number, flags: Array<'write' | 'denyoom' | 'readonly' | 'fast' | 'blocking' | 'noscript'>, summary: string, since: string, handler: (ctx: CommandContext) => CommandResult, keys: [number, number, number] = [1, 1, 1]) =>
  defineCommand({
    name, arity, flags, acl: [flags.includes('write') ? 'write' : 'read', 'list', flags.includes('fast') ? 'fast' : 'slow', ...(flags.includes('blocking') ? ['blocking' as const] : [])],
    keys, doc: { summary, since, group: 'list' }, handler,
  });

export const lpush = define('lpush', -3, ['write', 'denyoom', 'fast'], 'Prepend one or multiple elements to a list', '1.0.0', pushCommand('left', false));
export const rpush = define('rpush', -3, ['write', 'denyoom', 'fast'], 'Append one or multiple elements to a list', '1.0.0', pushCommand('right', false));
export const lpushx = define('lpushx', -3, ['write', 'denyoom', 'fast'], 'Prepend an element to a list, only if the list exists', '2.2.0', pushCommand('left', true));
export const rpushx = define('rpushx', -3, ['write', 'denyoom', 'fast'], 'Append an element to a list, only if the list exists', '2.2.0', pushCommand('right', true));
export const lpop = define('lpop', -2, ['write', 'fast'], 'Remove and get the first elements in a list', '1.0.0', popCommand('left'));
export const rpop = define('rpop', -2, ['write', 'fast'], 'Remove and get the last elements in a list', '1.0.0', popCommand('right'));

export const llen = define('llen', 2, ['readonly', 'fast'], 'Get the length of a list', '1.0.0', (ctx) => {
  const list = listForRead(ctx, ctx.arg(1));
  if (list === undefined) return integer(0);
  return isList(list) ? integer(list.length) : list;
});

export const lrange = define('lrange', 4, ['readonly'], 'Get a range of elements from a list', '1.0.0', (ctx) => {
  let start = longArg(ctx.arg(2));
  let end = longArg(ctx.arg(3));
  if (start === null || end === null) return errors.NOT_INTEGER;
  const list = listForRead(ctx, ctx.arg(1));
  if (list === undefined) return EMPTY_ARRAY;
  if (!isList(list)) return list;
  const length = list.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return EMPTY_ARRAY;
  if (end >= length) end = length - 1;
  return bulkArray(list.range(start, end));
});

// LINDEX and LSET look the key up (missing, WRONGTYPE) before they parse
// the index, as t_list.c does: LSET missing 'x' is "no such key".
export const lindex = define('lindex', 3, ['readonly'], 'Get an element from a list by its index', '1.0.0', (ctx) => {
  const list = listForRead(ctx, ctx.arg(1));
  if (list === undefined) return NULL;
  if (!isList(list)) return list;
  const index = longArg(ctx.arg(2));
  if (index === null) return errors.NOT_INTEGER;
  const position = index < 0 ? list.length + index : index;
  return position >= 0 && position < list.length ? bulk(list.at(position)) : NULL;
});

export const lset = define('lset', 4, ['write', 'denyoom'], 'Set the value of an element in a list by its index', '1.0.0', (ctx) => {
  const key = ctx.arg(1);
  const list = listForWrite(ctx, key);
  if (list === undefined) return errors.NO_SUCH_KEY;
  if (!isList(list)) return list;
  const index = longArg(ctx.arg(2));
  if (index === null) return errors.NOT_INTEGER;
  const position = index < 0 ? list.length + index : index;
  if (position < 0 || position >= list.length) return errors.OUT_OF_RANGE;
  list.set(position, ctx.arg(3));
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.LIST, 'lset', key);
  ctx.addDirty();
  return OK;
});

export const ltrim = define('ltrim', 4, ['write'], 'Trim a list to the specified range', '1.0.0', (ctx) => {
  let start = longArg(ctx.arg(2));
  let end = longArg(ctx.arg(3));
  if (start === null || end === null) return errors.NOT_INTEGER;
  const key = ctx.arg(1);
  const list = listForWrite(ctx, key);
  if (list === undefined) return OK;
  if (!isList(list)) return list;
  const length = list.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  let keep: string[];
  let first = length;
  if (start > end || start >= length) keep = [];
  else {
    first = start;
    keep = list.range(start, Math.min(end, length - 1));
  }
  if (keep.length !== length) {
    // quicklistDelRange at both ends.
    const removed: number[] = [];
    for (let i = 0; i < length; i++) if (i < first || i >= first + keep.length) removed.push(i);
    list.replaceAll(keep, removed);
  }
  // "ltrim" even when nothing was trimmed, as Redis does.
  ctx.notifyKeyspaceEvent(NotifyType.LIST, 'ltrim', key);
  afterRemoval(ctx, key, list);
  ctx.addDirty(length - keep.length);
  return OK;
});

export const lrem = define('lrem', 4, ['write'], 'Remove elements from a list', '1.0.0', (ctx) => {
  const count = longArg(ctx.arg(2));
  if (count === null) return errors.NOT_INTEGER;
  const key = ctx.arg(1);
  const list = listForWrite(ctx, key);
  if (list === undefined) return integer(0);
  if (!isList(list)) return list;
  const element = ctx.arg(3);
  const items = list.toArray();
  let removed = 0;
  const limit = count === 0 ? Infinity : Math.abs(count);
  const kept: string[] = [];
  const positions: number[] = [];
  if (count >= 0) {
    for (let i = 0; i < items.length; i++) {
      if (items[i] === element && removed < limit) {
        removed++;
        positions.push(i);
      } else kept.push(items[i]!);
    }
  } else {
    for (let i = items.length - 1; i >= 0; i--) {
      if (items[i] === element && removed < limit) {
        removed++;
        positions.push(i);
      } else kept.push(items[i]!);
    }
    kept.reverse();
    positions.reverse();
  }
  if (removed === 0) return integer(0);
  list.replaceAll(kept, positions);
  ctx.notifyKeyspaceEvent(NotifyType.LIST, 'lrem', key);
  afterRemoval(ctx, key, list);
  ctx.addDirty(removed);
  return integer(removed);
});

export const linsert = define('linsert', 5, ['write', 'denyoom'], 'Insert an element before or after another element in a list', '2.2.0', (ctx) => {
  const where = isOption(ctx.arg(2), 'before') ? 'before' : isOption(ctx.arg(2), 'after') ? 'after' : null;
  if (where === null) return errors.SYNTAX;
  const key = ctx.arg(1);
  const list = listForWrite(ctx, key);
  if (list === undefined) return integer(0);
  if (!isList(list)) return list;
  const items = list.toArray();
  const index = items.indexOf(ctx.arg(3));
  if (index < 0) return integer(-1);
  items.splice(where === 'before' ? index : index + 1, 0, ctx.arg(4));
  list.replaceAll(items);
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.LIST, 'linsert', key);
  ctx.addDirty();
  return integer(list.length);
});

function parseEnd(text: string): End | null {
  return isOption(text, 'left') ? 'left' : isOption(text, 'right') ? 'right' : null;
}

/**
 * lmoveGenericCommand: pops from source, pushes to destination (which may be
 * the same key). Events as Redis: the push on the destination first, then
 * the pop on the source, then the source's "del" if it was emptied.
 */
function move(ctx: CommandContext, from: End, to: End): Reply {
  const source = ctx.arg(1);
  const destination = ctx.arg(2);
  const list = listForWrite(ctx, source);
  if (list === undefined) return NULL;
  if (!isList(list)) return list;
  const target = listForWrite(ctx, destination);
  if (target !== undefined && !isList(target)) return target;
  const value = pop(list, from);
  if (source === destination) {
    if (to === 'left') list.pushHead(value);
    else list.pushTail(value);
    ctx.keyspace.touchModified(ctx.db, source);
    ctx.keyspace.signalReady(ctx.db, source);
    ctx.notifyKeyspaceEvent(NotifyType.LIST, to === 'left' ? 'lpush' : 'rpush', destination);
    ctx.notifyKeyspaceEvent(NotifyType.LIST, popEvent(from), source);
  } else {
    push(ctx, destination, target, [value], 0, to);
    ctx.notifyKeyspaceEvent(NotifyType.LIST, popEvent(from), source);
    afterRemoval(ctx, source, list);
  }
  ctx.addDirty();
  return bulk(value);
}

export const rpoplpush = define('rpoplpush', 3, ['write', 'denyoom'], 'Remove the last element in a list, prepend it to another list and return it', '1.2.0', (ctx) => move(ctx, 'right', 'left'), [1, 2, 1]);

export const lmove = define('lmove', 5, ['write', 'denyoom'], 'Pop an element from a list, push it to another list and return it', '6.2.0', (ctx) => {
  const from = parseEnd(ctx.arg(3));
  const to = parseEnd(ctx.arg(4));
  if (from === null || to === null) return errors.SYNTAX;
  return move(ctx, from, to);
}, [1, 2, 1]);

/**
 * getTimeoutFromObjectOrReply(UNIT_SECONDS): absolute ms deadline, 0 = forever.
 * Redis computes (long long) ceill(seconds * 1000) and then refuses a
 * negative result: ceil takes -0.0001 to 0 (block forever, no error), and a
 * value past int64 (inf, 1e400, 9.3e15 seconds) converts to LLONG_MIN on
 * x86-64, so it is "timeout is negative", not "not a float".
 */
export function blockingDeadline(ctx: CommandContext, text: string): number | Reply {
  const parsed = parseLongDouble(text);
  if (parsed === null || parsed.kind === 'nan') return errors.TIMEOUT_NOT_FLOAT;
  const seconds = parsed.kind === 'finite' ? Number(text) : -Infinity;
  if (Number.isNaN(seconds)) return errors.TIMEOUT_NOT_FLOAT;
  const ms = Math.ceil(seconds * 1000);
  if (ms < 0 || !(ms < 2 ** 63)) return errors.TIMEOUT_NEGATIVE;
  return ms > 0 ? ctx.now + ms : 0;
}

function blockingPop(end: End) {
  return (ctx: CommandContext): CommandResult => {
    const deadline = blockingDeadline(ctx, ctx.arg(ctx.argc - 1));
    if (typeof deadline !== 'number') return deadline;
    const keys = ctx.argv.slice(1, -1);
    const tryServe = (serving: CommandContext, readyKey: string | null): Reply | null => {
      for (const key of readyKey === null ? keys : [readyKey]) {
        const list = listForWrite(serving, key);
        if (list === undefined) continue;
        if (!isList(list)) return list;
        const value = pop(list, end);
        serving.notifyKeyspaceEvent(NotifyType.LIST, popEvent(end), key);
        afterRemoval(serving, key, list);
        serving.addDirty();
        serving.rewriteArgv([end === 'left' ? 'LPOP' : 'RPOP', key]);
        return bulkArray([key, value]);
      }
      return null;
    };
    const now = tryServe(ctx, null);
    if (now !== null) return now;
    const request: BlockRequest = { kind: 'block', keys, deadline, retry: tryServe, onTimeout: () => NULL_ARRAY, wakeOn: 'keys', keyType: 'list' };
    return request;
  };
}

export const blpop = define('blpop', -3, ['write', 'noscript', 'blocking'], 'Remove and get the first element in a list, or block until one is available', '2.0.0', blockingPop('left'), [1, -2, 1]);
export const brpop = define('brpop', -3, ['write', 'noscript', 'blocking'], 'Remove and get the last element in a list, or block until one is available', '2.0.0', blockingPop('right'), [1, -2, 1]);

export const LIST_COMMANDS = [lpush, rpush, lpushx, rpushx, lpop, rpop, llen, lrange, lindex, lset, ltrim, lrem, linsert, rpoplpush, lmove, blpop, brpop];


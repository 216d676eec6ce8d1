/**
 * XREAD and XREADGROUP (t_stream.c xreadCommand, blocked.c
 * serveClientsBlockedOnStreamKey / unblockDeletedStreamReadgroupClients).
 *
 *   XREAD [COUNT n] [BLOCK ms] STREAMS key.. id..         ids: an ID or "$"
 *   XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key.. id..
 *                                                         ids: ">" or an ID (history)
 *
 * Served now when some stream has something: entries above the ID, or for
 * ">" entries above the group's last-delivered ID; a history read always.
 * The reply holds one [key, entries] per served stream (a map in RESP3).
 * Otherwise, with BLOCK, the client waits (0: forever) on all its keys;
 * without, or where blocking is impossible (MULTI), a null array.
 *
 * A waiting client is served from the key that became ready, at most COUNT
 * entries (1000 when no COUNT was given): XREAD once the stream's last ID
 * passes the one it waits for ("$" was resolved when it blocked), XREADGROUP
 * once it passes the group's last-delivered ID (read again at every try:
 * other consumers move it). XREADGROUP fails instead when its group was
 * destroyed (-NOGROUP) or its key deleted or no longer a stream
 * (-UNBLOCKED); XREAD keeps waiting in both cases.
 */
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import { isOption, cString } from './define';
import * as errors from '../resp/errors';
import { array, bulk, error, map, NULL_ARRAY, type Reply } from '../resp/reply';
import { StreamValue } from '../keyspace/values';
import { compareIds, isMaxId, MAX_ID, MIN_ID, nextId, type StreamId } from '../keyspace/values/stream-id';
import { parseStreamId } from '../keyspace/values/stream-id-parse';
import { parseInt64 } from '../util/integers';
import { rangeEntries } from './streams-range';
import { consumerFor, deliverHistory, deliverNew, type GroupTarget } from './streams-deliver';
import { defineStreamCommand, forChange, INVALID_ID } from './streams-access';

/** XREAD_BLOCKED_DEFAULT_COUNT */
const BLOCKED_DEFAULT_COUNT = 1000;
const UNBALANCED = error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
const GROUP_ONLY = error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
const NOACK_ONLY = error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
const MISSING_GROUP = error('ERR Missing GROUP option for XREADGROUP');
const DOLLAR_IN_GROUP = error('ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
const GT_WITHOUT_GROUP = error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
const TIMEOUT_NOT_INTEGER = error('ERR timeout is not an integer or out of range');
const GROUP_GONE = error('NOGROUP the consumer group this client was blocked on no longer exists');
const KEY_GONE = error('UNBLOCKED the stream key no longer exists');

interface ReadArgs {
  readonly keys: string[];
  /** Per key: entries must be above this (MAX_ID stands for ">"). */
  readonly ids: StreamId[];
  readonly count: number;
  /** Absolute deadline (0: forever), or null without BLOCK. */
  readonly deadline: number | null;
  readonly group: { readonly name: string; readonly consumer: string; readonly noack: boolean } | null;
}

/** xreadGetKeys: the keys after the STREAMS option (half of what follows it). */
export function streamsKeys(argv: ReadonlyArray<string>): number[] {
  let streamsAt = -1;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (isOption(arg, 'block') || isOption(arg, 'count')) i++;
    else if (isOption(arg, 'group')) i += 2;
    else if (isOption(arg, 'noack')) continue;
    else {
      if (isOption(arg, 'streams')) streamsAt = i;
      break;
    }
  }
  const rest = argv.length - streamsAt - 1;
  if (streamsAt < 0 || rest === 0 || rest % 2 !== 0) return [];
  return Array.from({ length: rest / 2 }, (_, j) => streamsAt + 1 + j);
}

function parseReadArgs(ctx: CommandContext, readGroup: boolean): Omit<ReadArgs, 'ids'> & { readonly idArgs: string[] } | Reply {
  let deadline: number | null = null;
  let count = 0;
  let streamsFrom = 0;
  let group: ReadArgs['group'] = null;
  let noack = false;
  for (let i = 1; i < ctx.argc; i++) {
    const moreArgs = ctx.argc - i - 1;
    const option = ctx.arg(i);
    if (isOption(option, 'block') && moreArgs > 0) {
      // Scripts cannot block; Redis refuses BLOCK there outright (not as a timeout).
      if (ctx.client === ctx.node.scripting.scriptClient) return error(`ERR ${ctx.arg(0)} command is not allowed with BLOCK option from scripts`);
      const timeout = parseInt64(ctx.arg(++i));
      if (timeout === null) return TIMEOUT_NOT_INTEGER;
      if (timeout < 0) return errors.TIMEOUT_NEGATIVE;
      deadline = timeout > 0 ? ctx.now + Number(timeout) : 0;
    } else if (isOption(option, 'count') && moreArgs > 0) {
      const parsed = parseInt64(ctx.arg(++i));
      if (parsed === null) return errors.NOT_INTEGER;
      count = parsed < 0 ? 0 : Number(parsed);
    } else if (isOption(option, 'streams') && moreArgs > 0) {
      streamsFrom = i + 1;
      if ((ctx.argc - streamsFrom) % 2 !== 0) return UNBALANCED;
      break;
    } else if (isOption(option, 'group') && moreArgs >= 2) {
      if (!readGroup) return GROUP_ONLY;
      group = { name: ctx.arg(i + 1), consumer: ctx.arg(i + 2), noack: false };
      i += 2;
    } else if (isOption(option, 'noack')) {
      if (!readGroup) return NOACK_ONLY;
      noack = true;
    } else {
      return errors.SYNTAX;
    }
  }
  if (streamsFrom === 0) return errors.SYNTAX;
  if (readGroup && group === null) return MISSING_GROUP;
  const half = (ctx.argc - streamsFrom) / 2;
  return {
    keys: ctx.argv.slice(streamsFrom, streamsFrom + half),
    idArgs: ctx.argv.slice(streamsFrom + half),
    count,
    deadline,
    group: group && { ...group, noack },
  };
}

/** A stream key's value for XREAD: the stream, undefined, or WRONGTYPE. */
function lookupStream(ctx: CommandContext, key: string): StreamValue | undefined | Reply {
  const value = ctx.read(key);
  if (value === undefined || value instanceof StreamValue) return value;
  return errors.WRONGTYPE;
}

/** Resolves each ID argument ("$", ">", IDs) and checks each key and group. */
function resolveIds(ctx: CommandContext, args: Omit<ReadArgs, 'ids'> & { readonly idArgs: string[] }): StreamId[] | Reply {
  const ids: StreamId[] = [];
  for (let i = 0; i < args.keys.length; i++) {
    const key = args.keys[i]!;
    const stream = lookupStream(ctx, key);
    if (stream !== undefined && !(stream instanceof StreamValue)) return stream;
    if (args.group && (stream === undefined || !stream.groups?.has(args.group.name))) {
      return error(`NOGROUP No such key '${cString(key)}' or consumer group '${cString(args.group.name)}' in XREADGROUP with GROUP option`);
    }
    const text = args.idArgs[i]!;
    // strcmp with "$" and ">": C strings ("$\0x" is "$").
    const word = cString(text);
    if (word === '$') {
      if (args.group) return DOLLAR_IN_GROUP;
      ids.push(stream ? stream.lastId : MIN_ID);
    } else if (word === '>') {
      if (!args.group) return GT_WITHOUT_GROUP;
      ids.push(MAX_ID);
    } else {
      const parsed = parseStreamId(text, { missingSeq: 0, strict: true });
      if (parsed === null) return INVALID_ID;
      ids.push(parsed.id);
    }
  }
  return ids;
}

/**
 * The entries of one stream after `after` (at most `count`, 0: all): for a
 * group, as delivered to its consumer (history: from its own PEL).
 * `blocked`: serving a client that waited (no dirty of its own, as Redis).
 */
function deliver(ctx: CommandContext, args: ReadArgs, key: string, stream: StreamValue, after: StreamId, count: number, history: boolean, blocked: boolean): Reply[] {
  const start = nextId(after).id;
  if (!args.group) return rangeEntries(stream, start, null, count, false);
  const group = stream.groups!.get(args.group.name)!;
  forChange(ctx, key);
  const target: GroupTarget = { key, groupName: args.group.name, group };
  const consumer = consumerFor(ctx, target, args.group.consumer, args.group.noack);
  if (!blocked) ctx.addDirty();
  return history ? deliverHistory(ctx, stream, consumer, start, count) : deliverNew(ctx, stream, target, consumer, start, count, args.group.noack);
}

/** What one stream of the command serves right away, or null when it has nothing yet. */
function serveNow(ctx: CommandContext, args: ReadArgs, index: number): Reply[] | null {
  const key = args.keys[index]!;
  const stream = ctx.read(key);
  if (!(stream instanceof StreamValue)) return null;
  const requested = args.ids[index]!;
  if (args.group) {
    // An ID other than ">" reads the consumer's history, always at once.
    if (!isMaxId(requested)) return deliver(ctx, args, key, stream, requested, args.count, true, false);
    const group = stream.groups?.get(args.group.name);
    if (!group || stream.length === 0 || compareIds(stream.lastValidId(), group.lastId) <= 0) return null;
    return deliver(ctx, args, key, stream, group.lastId, args.count, false, false);
  }
  if (stream.length === 0 || compareIds(stream.lastValidId(), requested) <= 0) return null;
  return deliver(ctx, args, key, stream, requested, args.count, false, false);
}

function keyedReply(ctx: CommandContext, served: Array<[string, Reply[]]>): Reply {
  if (ctx.client.protocol === 3) return map(served.flatMap(([key, entries]) => [bulk(key), array(entries)]));
  return array(served.map(([key, entries]) => array([bulk(key), array(entries)])));
}

/**
 * Serves a blocked client from the key that became ready (all its keys in
 * order when no key is given): the reply, or null to keep waiting.
 */
function serveBlocked(ctx: CommandContext, args: ReadArgs, readyKey: string | null): Reply | null {
  ctx.preventPropagation();
  const count = args.count > 0 ? args.count : BLOCKED_DEFAULT_COUNT;
  for (let i = 0; i < args.keys.length; i++) {
    const key = args.keys[i]!;
    if (readyKey !== null && key !== readyKey) continue;
    // handleClientsBlockedOnKeys looks the key up with LOOKUP_NONOTIFY | LOOKUP_NOSTATS: a stream deleted
    // under a blocked XREADGROUP (DEL, FLUSHALL) raises no "keymiss".
    const value = ctx.keyspace.lookupReadNoStats(ctx.db, key, ctx.access, false);
    if (!(value instanceof StreamValue)) {
      if (args.group && readyKey !== null) return KEY_GONE;
      continue;
    }
    let after = args.ids[i]!;
    if (args.group) {
      const group = value.groups?.get(args.group.name);
      if (!group) return GROUP_GONE;
      after = group.lastId;
    }
    // The stream's last ID, not its last live entry: what was added may already be trimmed away.
    if (compareIds(value.lastId, after) <= 0) continue;
    return keyedReply(ctx, [[key, deliver(ctx, args, key, value, after, count, false, true)]]);
  }
  return null;
}

function readCommand(readGroup: boolean) {
  return (ctx: CommandContext): CommandResult => {
    ctx.preventPropagation();
    const parsed = parseReadArgs(ctx, readGroup);
    if ('kind' in parsed) return parsed;
    const ids = resolveIds(ctx, parsed);
    if (!Array.isArray(ids)) return ids;
    const args: ReadArgs = { ...parsed, ids };
    const served: Array<[string, Reply[]]> = [];
    for (let i = 0; i < args.keys.length; i++) {
      const entries = serveNow(ctx, args, i);
      if (entries !== null) served.push([args.keys[i]!, entries]);
    }
    if (served.length > 0) return keyedReply(ctx, served);
    if (args.deadline === null) return NULL_ARRAY;
    // XREAD waits for streams only; XREADGROUP is also answered when its key goes (-UNBLOCKED).
    const request: BlockRequest = {
      kind: 'block', keys: args.keys, deadline: args.deadline, wakeOn: 'keys',
      retry: (serving, readyKey) => serveBlocked(serving, args, readyKey),
      onTimeout: () => NULL_ARRAY,
      ...(args.group ? { alsoWhenGone: true } : { keyType: 'stream' as const }),
    };
    return request;
  };
}

export const xread = defineStreamCommand({
  name: 'xread', arity: -4, flags: ['readonly', 'blocking', 'movablekeys'],
  summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.', since: '5.0.0',
  keys: null, getKeys: streamsKeys,
  handler: readCommand(false),
});

export const xreadgroup = defineStreamCommand({
  name: 'xreadgroup', arity: -7, flags: ['write', 'blocking', 'movablekeys'],
  summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.', since: '5.0.0',
  keys: null, getKeys: streamsKeys,
  handler: readCommand(true),
});

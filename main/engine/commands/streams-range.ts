/**
 * XRANGE, XREVRANGE, XLEN, XDEL (t_stream.c xrangeGenericCommand,
 * xlenCommand, xdelCommand).
 *
 * Range bounds: "-" and "+" are the minimum and maximum IDs; an ID given
 * as just "<ms>" means <ms>-0 as a start and <ms>-18446744073709551615 as
 * an end; "(" makes a bound exclusive (strict parsing after it: "(-" is
 * invalid), refused when it cannot move (start after the maximum, end
 * before 0-0). COUNT 0 (or negative) answers a null array, as Redis does.
 */
import type { CommandContext } from './command-context';
import { isOption } from './define';
import * as errors from '../resp/errors';
import { array, EMPTY_ARRAY, integer, NULL_ARRAY, type Reply } from '../resp/reply';
import type { StreamValue } from '../keyspace/values';
import { nextId, previousId, U64_MAX, type StreamId, type U64 } from '../keyspace/values/stream-id';
import { parseStreamId } from '../keyspace/values/stream-id-parse';
import { parseInt64 } from '../util/integers';
import { defineStreamCommand, entryReply, INVALID_END, INVALID_ID, INVALID_START, isStream, notifyStream, streamFor } from './streams-access';

/**
 * streamParseIntervalIDOrReply + the exclusive-bound step: an inclusive
 * bound, or the error to reply.
 */
export function intervalBound(text: string, missingSeq: U64, isStart: boolean): StreamId | Reply {
  const exclusive = text.length > 1 && text.startsWith('(');
  const parsed = parseStreamId(exclusive ? text.slice(1) : text, { missingSeq, strict: exclusive });
  if (parsed === null) return INVALID_ID;
  if (!exclusive) return parsed.id;
  const moved = isStart ? nextId(parsed.id) : previousId(parsed.id);
  if (moved.overflow) return isStart ? INVALID_START : INVALID_END;
  return moved.id;
}

export function isBound(value: StreamId | Reply): value is StreamId {
  return !('kind' in value);
}

/** The entries of [start, end] as replies, at most `count` (0: all). */
export function rangeEntries(stream: StreamValue, start: StreamId | null, end: StreamId | null, count: number, reverse: boolean): Reply[] {
  const out: Reply[] = [];
  const iterator = stream.iterate(start, end, reverse);
  while (iterator.next()) {
    out.push(entryReply(iterator.entry.id, iterator.fields()));
    if (count > 0 && out.length === count) break;
  }
  return out;
}

function rangeCommand(reverse: boolean) {
  return (ctx: CommandContext): Reply => {
    const start = intervalBound(ctx.arg(reverse ? 3 : 2), 0, true);
    if (!isBound(start)) return start;
    const end = intervalBound(ctx.arg(reverse ? 2 : 3), U64_MAX, false);
    if (!isBound(end)) return end;
    let count = -1;
    for (let j = 4; j < ctx.argc; j++) {
      if (isOption(ctx.arg(j), 'count') && j + 1 < ctx.argc) {
        const parsed = parseInt64(ctx.arg(++j));
        if (parsed === null) return errors.NOT_INTEGER;
        count = parsed < 0 ? 0 : Number(parsed);
      } else {
        return errors.SYNTAX;
      }
    }
    const stream = streamFor(ctx, ctx.arg(1), false);
    if (stream === undefined) return EMPTY_ARRAY;
    if (!isStream(stream)) return stream;
    if (count === 0) return NULL_ARRAY;
    return array(rangeEntries(stream, start, end, count === -1 ? 0 : count, reverse));
  };
}

export const xrange = defineStreamCommand({
  name: 'xrange', arity: -4, flags: ['readonly'], summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', since: '5.0.0',
  handler: rangeCommand(false),
});

export const xrevrange = defineStreamCommand({
  name: 'xrevrange', arity: -4, flags: ['readonly'],
  summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE', since: '5.0.0',
  handler: rangeCommand(true),
});

export const xlen = defineStreamCommand({
  name: 'xlen', arity: 2, flags: ['readonly', 'fast'], summary: 'Return the number of entries in a stream', since: '5.0.0',
  handler: (ctx) => {
    const stream = streamFor(ctx, ctx.arg(1), false);
    if (stream === undefined) return integer(0);
    return isStream(stream) ? integer(stream.length) : stream;
  },
});

export const xdel = defineStreamCommand({
  name: 'xdel', arity: -3, flags: ['write', 'fast'],
  summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.', since: '5.0.0',
  handler: (ctx) => {
    const key = ctx.arg(1);
    const stream = streamFor(ctx, key, true);
    if (stream === undefined) return integer(0);
    if (!isStream(stream)) return stream;
    // Every ID is checked before anything is deleted.
    const ids: StreamId[] = [];
    for (let j = 2; j < ctx.argc; j++) {
      const parsed = parseStreamId(ctx.arg(j), { missingSeq: 0, strict: true });
      if (parsed === null) return INVALID_ID;
      ids.push(parsed.id);
    }
    const deleted = stream.deleteEntries(ids);
    if (deleted > 0) {
      ctx.keyspace.touchModified(ctx.db, key);
      notifyStream(ctx, 'xdel', key);
      ctx.addDirty(deleted);
    }
    return integer(deleted);
  },
});

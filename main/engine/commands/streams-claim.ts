/**
 * XCLAIM and XAUTOCLAIM (t_stream.c xclaimCommand, xautoclaimCommand).
 *
 *   XCLAIM key group consumer min-idle id.. [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
 *   XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID]
 *
 * A pending entry idle at least min-idle passes to the consumer (created
 * if needed), its delivery time set (now, or IDLE/TIME clamped to [0, now])
 * and its delivery count incremented (or set by RETRYCOUNT; JUSTID leaves
 * it). FORCE makes a NACK for an entry that exists but was not pending.
 * A pending entry whose message is gone from the stream is dropped from
 * the PEL. LASTID moves the group's last-delivered ID forward.
 * XAUTOCLAIM scans the group PEL from `start`, up to COUNT claims with at
 * most 10 x COUNT entries looked at, and returns the next ID to scan from
 * (0-0 when done), the claimed entries, and the IDs it dropped.
 *
 * Replication: neither is propagated as written. Each claimed or dropped
 * entry goes out as the idempotent XCLAIM of streams-deliver.ts (which a
 * replica also applies to drop a NACK whose message is gone); a LASTID
 * that moved the group without any such XCLAIM goes out as XGROUP SETID.
 */
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, error, type Reply } from '../resp/reply';
import type { StreamValue } from '../keyspace/values';
import { compareIds, formatId, increment, MIN_ID, type Counter, type StreamId } from '../keyspace/values/stream-id';
import { StreamNack, type StreamConsumer } from '../keyspace/values/stream-group';
import { parseStreamId } from '../keyspace/values/stream-id-parse';
import { parseInt64 } from '../util/integers';
import { isOption } from './define';
import { defineStreamCommand, entryReply, forChange, idReply, INVALID_ID, isStream, streamFor } from './streams-access';
import { consumerFor, propagateClaim, propagateGroupId, type GroupTarget } from './streams-deliver';
import { noKeyOrGroup } from './streams-pending';
import { intervalBound, isBound } from './streams-range';

/** Where XCLAIM and XAUTOCLAIM start: the stream and group, or the error. */
function claimTarget(ctx: CommandContext, looked: ReturnType<typeof streamFor>): { stream: StreamValue; target: GroupTarget } | Reply {
  const key = ctx.arg(1);
  const stream = looked;
  if (stream !== undefined && !isStream(stream)) return stream;
  const group = stream?.groups?.get(ctx.arg(2));
  if (!stream || !group) return noKeyOrGroup(key, ctx.arg(2));
  return { stream, target: { key, groupName: ctx.arg(2), group } };
}

/** A min-idle-time style argument: an int64 (as a number) or the command's own error. */
function timeArg(text: string, message: string): number | Reply {
  const value = parseInt64(text);
  return value === null ? error(`ERR ${message}`) : Number(value);
}

/** The claimed entry's reply: its ID (JUSTID) or the entry. */
function claimedReply(stream: StreamValue, id: StreamId, justId: boolean): Reply {
  return justId ? idReply(id) : entryReply(id, stream.entry(id));
}

/** Drops a pending entry whose message is gone, propagated as the XCLAIM replicas apply the same way. */
function dropGone(ctx: CommandContext, target: GroupTarget, id: StreamId, idText: string, nack: StreamNack): void {
  propagateClaim(ctx, target, idText, nack);
  ctx.addDirty();
  target.group.acknowledge(id);
}

export const xclaim = defineStreamCommand({
  name: 'xclaim', arity: -6, flags: ['write', 'fast'],
  summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.', since: '5.0.0',
  tips: ['nondeterministic_output'],
  handler: (ctx) => {
    const found = claimTarget(ctx, streamFor(ctx, ctx.arg(1), false));
    if ('kind' in found) return found;
    const { stream, target } = found;
    const { group } = target;
    const minIdleArg = timeArg(ctx.arg(4), 'Invalid min-idle-time argument for XCLAIM');
    if (typeof minIdleArg !== 'number') return minIdleArg;
    const minIdle = Math.max(0, minIdleArg);
    // The IDs run until the first argument that is not one: the options follow.
    const ids: StreamId[] = [];
    let j = 5;
    for (; j < ctx.argc; j++) {
      const parsed = parseStreamId(ctx.arg(j), { missingSeq: 0, strict: true });
      if (parsed === null) break;
      ids.push(parsed.id);
    }
    const now = ctx.mstime();
    let deliveryTime = -1;
    let retryCount: Counter = -1;
    let force = false;
    let justId = false;
    let lastId: StreamId = MIN_ID;
    for (; j < ctx.argc; j++) {
      const moreArgs = ctx.argc - 1 - j;
      const option = ctx.arg(j);
      if (isOption(option, 'force')) force = true;
      else if (isOption(option, 'justid')) justId = true;
      else if (isOption(option, 'idle') && moreArgs > 0) {
        const idle = parseInt64(ctx.arg(++j));
        if (idle === null) return error('ERR Invalid IDLE option argument for XCLAIM');
        deliveryTime = now - Number(idle);
      } else if (isOption(option, 'time') && moreArgs > 0) {
        const time = timeArg(ctx.arg(++j), 'Invalid TIME option argument for XCLAIM');
        if (typeof time !== 'number') return time;
        deliveryTime = time;
      } else if (isOption(option, 'retrycount') && moreArgs > 0) {
        const count = parseInt64(ctx.arg(++j));
        if (count === null) return error('ERR Invalid RETRYCOUNT option argument for XCLAIM');
        retryCount = count;
      } else if (isOption(option, 'lastid') && moreArgs > 0) {
        const parsed = parseStreamId(ctx.arg(++j), { missingSeq: 0, strict: true });
        if (parsed === null) return INVALID_ID;
        lastId = parsed.id;
      } else {
        return error(`ERR Unrecognized XCLAIM option '${errors.cStringArg(option)}'`);
      }
    }
    ctx.preventPropagation();
    forChange(ctx, target.key);
    let propagateLastId = false;
    if (compareIds(lastId, group.lastId) > 0) {
      group.lastId = lastId;
      propagateLastId = true;
    }
    // A bogus delivery time (IDLE or TIME) becomes now rather than an error.
    if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

    let consumer: StreamConsumer | null = null;
    const claimed: Reply[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const idText = ctx.arg(5 + i);
      let nack = group.pel.get(id);
      if (!stream.hasEntry(id)) {
        if (nack) {
          dropGone(ctx, target, id, idText, nack);
          propagateLastId = false;
        }
        continue;
      }
      if (force && !nack) {
        nack = new StreamNack(now, 1, null);
        group.pel.set(id, nack);
      }
      if (!nack) continue;
      if (nack.consumer && minIdle > 0 && now - nack.deliveryTime < minIdle) continue;
      consumer ??= consumerFor(ctx, target, ctx.arg(3), false);
      group.assign(id, nack, consumer);
      nack.deliveryTime = deliveryTime;
      if (retryCount >= 0) nack.deliveryCount = retryCount;
      else if (!justId) nack.deliveryCount = increment(nack.deliveryCount);
      claimed.push(claimedReply(stream, id, justId));
      propagateClaim(ctx, target, idText, nack);
      propagateLastId = false;
      ctx.addDirty();
    }
    if (propagateLastId) {
      propagateGroupId(ctx, target);
      ctx.addDirty();
    }
    return array(claimed);
  },
});

/** 10 claims' worth of PEL entries looked at per COUNT (attempts_factor). */
const ATTEMPTS_FACTOR = 10;
/** LONG_MAX / max(sizeof(streamID), attempts_factor): the largest COUNT. */
const MAX_AUTOCLAIM_COUNT = Number((2n ** 63n - 1n) / 16n);
const COUNT_POSITIVE = error('ERR COUNT must be > 0');
/**
 * Redis allocates COUNT stream IDs (16 bytes each) up front and fails
 * when the allocator refuses; on a 64-bit Linux host that happens for
 * requests beyond about 2^44 bytes (COUNT 1e11 passes, 1e13 does not).
 */
const MAX_TRANSIENT_BYTES = 2 ** 44;
const COUNT_TOO_HIGH = error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');

export const xautoclaim = defineStreamCommand({
  name: 'xautoclaim', arity: -6, flags: ['write', 'fast'],
  summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.', since: '6.2.0',
  tips: ['nondeterministic_output'],
  handler: (ctx) => {
    // xautoclaimCommand looks the key up (a "keymiss" event) before parsing its arguments; WRONGTYPE and NOGROUP come after them.
    const looked = streamFor(ctx, ctx.arg(1), false);
    const minIdleArg = timeArg(ctx.arg(4), 'Invalid min-idle-time argument for XAUTOCLAIM');
    if (typeof minIdleArg !== 'number') return minIdleArg;
    const minIdle = Math.max(0, minIdleArg);
    const start = intervalBound(ctx.arg(5), 0, true);
    if (!isBound(start)) return start;
    let count = 100;
    let justId = false;
    for (let j = 6; j < ctx.argc; j++) {
      const moreArgs = ctx.argc - 1 - j;
      if (isOption(ctx.arg(j), 'count') && moreArgs > 0) {
        const parsed = parseInt64(ctx.arg(++j));
        if (parsed === null || parsed < 1 || parsed > MAX_AUTOCLAIM_COUNT) return COUNT_POSITIVE;
        count = Number(parsed);
      } else if (isOption(ctx.arg(j), 'justid')) {
        justId = true;
      } else {
        return errors.SYNTAX;
      }
    }
    const found = claimTarget(ctx, looked);
    if ('kind' in found) return found;
    const { stream, target } = found;
    const { group } = target;
    if (count * 16 > MAX_TRANSIENT_BYTES) return COUNT_TOO_HIGH;
    ctx.preventPropagation();
    forChange(ctx, target.key);

    let consumer: StreamConsumer | null = null;
    let attempts = count * ATTEMPTS_FACTOR;
    // One reading for every entry's idle test and new delivery time, as xautoclaimCommand takes
    // (inside EXEC or a script each mstime() is a fresh reading: claimed entries got different times).
    const now = ctx.mstime();
    const claimed: Reply[] = [];
    const deleted: Reply[] = [];
    let cursor = group.pel.ceiling(start);
    while (attempts-- > 0 && count > 0 && cursor) {
      const { key: id, value: nack } = cursor;
      if (!stream.hasEntry(id)) {
        dropGone(ctx, target, id, formatId(id), nack);
        deleted.push(idReply(id));
        count--;
        cursor = group.pel.ceiling(id);
        continue;
      }
      if (minIdle > 0 && now - nack.deliveryTime < minIdle) {
        cursor = group.pel.higher(id);
        continue;
      }
      consumer ??= consumerFor(ctx, target, ctx.arg(3), false);
      group.assign(id, nack, consumer);
      nack.deliveryTime = now;
      if (!justId) nack.deliveryCount = increment(nack.deliveryCount);
      claimed.push(claimedReply(stream, id, justId));
      count--;
      propagateClaim(ctx, target, formatId(id), nack);
      ctx.addDirty();
      cursor = group.pel.higher(id);
    }
    // The scan's next position: where the next call should start.
    return array([idReply(cursor ? cursor.key : MIN_ID), array(claimed), array(deleted)]);
  },
});

/**
 * Delivering entries to a consumer group (t_stream.c streamReplyWithRange
 * with a group, streamReplyWithRangeFromConsumerPEL, and the propagation
 * helpers streamPropagateXCLAIM / streamPropagateGroupID /
 * streamPropagateConsumerCreation).
 *
 * New entries (XREADGROUP ">"): each one above the group's last-delivered
 * ID advances it (and the read counter, stream-lag.ts); unless NOACK, each
 * gets a NACK owned by the consumer (an existing NACK, possible after
 * XGROUP SETID moved the group back, changes owner and restarts: count 1).
 *
 * Replication: XREADGROUP itself is never propagated. Each NACK it makes
 * goes out as
 *   XCLAIM <key> <group> <consumer> 0 <id> TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <group-last-id>
 * which replays idempotently on a replica; with NOACK the group's new
 * position goes out once as XGROUP SETID <key> <group> <id> ENTRIESREAD <n>.
 * History reads (an ID other than ">") only bump delivery counts and times
 * on the master, and are not propagated, exactly as Redis.
 */
import type { CommandContext } from './command-context';
import type { Reply } from '../resp/reply';
import type { StreamValue } from '../keyspace/values';
import { compareIds, formatId, increment, type StreamId } from '../keyspace/values/stream-id';
import { StreamNack, type StreamConsumer, type StreamGroup } from '../keyspace/values/stream-group';
import { advanceGroup } from '../keyspace/values/stream-lag';
import { entryReply, notifyStream } from './streams-access';

export interface GroupTarget {
  readonly key: string;
  readonly groupName: string;
  readonly group: StreamGroup;
}

/** streamPropagateXCLAIM. `idText` is how the ID is written (XCLAIM forwards its own argument). */
export function propagateClaim(ctx: CommandContext, target: GroupTarget, idText: string, nack: StreamNack): void {
  ctx.alsoPropagate([
    'XCLAIM', target.key, target.groupName, nack.consumer!.name, '0', idText,
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(target.group.lastId),
  ]);
}

/** streamPropagateGroupID. */
export function propagateGroupId(ctx: CommandContext, target: GroupTarget): void {
  ctx.alsoPropagate(['XGROUP', 'SETID', target.key, target.groupName, formatId(target.group.lastId), 'ENTRIESREAD', String(target.group.entriesRead)]);
}

/**
 * The consumer a read or claim acts for: looked up (its seen-time
 * refreshed) or created (dirty, notified; with NOACK also propagated as
 * XGROUP CREATECONSUMER, since no XCLAIM will create it on replicas).
 */
export function consumerFor(ctx: CommandContext, target: GroupTarget, name: string, propagateCreation: boolean): StreamConsumer {
  const existing = target.group.lookupConsumer(name, ctx.mstime());
  if (existing) return existing;
  const consumer = target.group.createConsumer(name, ctx.mstime())!;
  ctx.addDirty();
  notifyStream(ctx, 'xgroup-createconsumer', target.key);
  if (propagateCreation) ctx.alsoPropagate(['XGROUP', 'CREATECONSUMER', target.key, target.groupName, name]);
  return consumer;
}

/** New entries from `start` on (at most `count`, 0: no limit) for the consumer. */
export function deliverNew(ctx: CommandContext, stream: StreamValue, target: GroupTarget, consumer: StreamConsumer, start: StreamId, count: number, noack: boolean): Reply[] {
  const { group } = target;
  const out: Reply[] = [];
  let propagateLastId = false;
  const iterator = stream.iterate(start, null);
  while (iterator.next()) {
    const id = iterator.entry.id;
    if (compareIds(id, group.lastId) > 0) {
      advanceGroup(stream, group, id);
      if (noack) propagateLastId = true;
    }
    out.push(entryReply(id, iterator.fields()));
    if (!noack) {
      let nack = group.pel.get(id);
      if (!nack) {
        nack = new StreamNack(ctx.mstime(), 1, consumer);
        group.pel.set(id, nack);
        consumer.pel.set(id, nack);
      } else {
        group.assign(id, nack, consumer);
        nack.deliveryTime = ctx.mstime();
        nack.deliveryCount = 1;
      }
      propagateClaim(ctx, target, formatId(id), nack);
    }
    if (count > 0 && out.length === count) break;
  }
  if (propagateLastId) propagateGroupId(ctx, target);
  return out;
}

/**
 * The consumer's own pending entries from `start` on: each is the entry,
 * or [id, nil] when the message is gone from the stream; a delivered one
 * counts as delivered again (now, count + 1).
 */
export function deliverHistory(ctx: CommandContext, stream: StreamValue, consumer: StreamConsumer, start: StreamId, count: number): Reply[] {
  const out: Reply[] = [];
  for (const { key, value } of consumer.pel.entriesFrom(start)) {
    if (count > 0 && out.length >= count) break;
    const fields = stream.entry(key);
    out.push(entryReply(key, fields));
    if (fields !== null) {
      value.deliveryTime = ctx.mstime();
      value.deliveryCount = increment(value.deliveryCount);
    }
  }
  return out;
}

/**
 * XPENDING (t_stream.c xpendingCommand):
 *
 *   XPENDING key group                                   summary
 *   XPENDING key group [IDLE ms] start end count [consumer]   extended
 *
 * The summary is [count, first ID, last ID, [[consumer, count]..]] (nils
 * and a null array when nothing is pending; consumers with nothing
 * pending are left out, the others in name order). The extended form
 * lists [id, consumer, idle ms, deliveries] in ID order, at most `count`,
 * those idle at least IDLE ms; an unknown consumer gives an empty array.
 * Arguments are checked (count, then start, end) before the key.
 */
import * as errors from '../resp/errors';
import { array, bulk, EMPTY_ARRAY, error, integer, NULL, NULL_ARRAY, type Reply } from '../resp/reply';
import { compareIds, U64_MAX } from '../keyspace/values/stream-id';
import { parseInt64 } from '../util/integers';
import { isOption, cString } from './define';
import { compareNames } from '../keyspace/values/stream-group';
import { counterReply, defineStreamCommand, idReply, isStream, streamFor } from './streams-access';
import { intervalBound, isBound } from './streams-range';

export function noKeyOrGroup(key: string, group: string): Reply {
  return error(`NOGROUP No such key '${cString(key)}' or consumer group '${cString(group)}'`);
}

export const xpending = defineStreamCommand({
  name: 'xpending', arity: -3, flags: ['readonly'],
  summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.', since: '5.0.0',
  tips: ['nondeterministic_output'],
  handler: (ctx) => {
    const argc = ctx.argc;
    if (argc !== 3 && (argc < 6 || argc > 9)) return errors.SYNTAX;
    let minIdle = 0;
    let count = 0;
    let start = null;
    let end = null;
    let consumerName: string | null = null;
    if (argc >= 6) {
      let from = 3;
      if (isOption(ctx.arg(3), 'idle')) {
        const idle = parseInt64(ctx.arg(4));
        if (idle === null) return errors.NOT_INTEGER;
        minIdle = Number(idle);
        if (argc < 8) return errors.SYNTAX;
        from += 2;
      }
      const parsedCount = parseInt64(ctx.arg(from + 2));
      if (parsedCount === null) return errors.NOT_INTEGER;
      count = parsedCount < 0 ? 0 : Number(parsedCount);
      const first = intervalBound(ctx.arg(from), 0, true);
      if (!isBound(first)) return first;
      const last = intervalBound(ctx.arg(from + 1), U64_MAX, false);
      if (!isBound(last)) return last;
      start = first;
      end = last;
      if (from + 3 < argc) consumerName = ctx.arg(from + 3);
    }
    const key = ctx.arg(1);
    const stream = streamFor(ctx, key, false);
    if (stream !== undefined && !isStream(stream)) return stream;
    const group = stream?.groups?.get(ctx.arg(2));
    if (!group) return noKeyOrGroup(key, ctx.arg(2));

    if (start === null || end === null) {
      const first = group.pel.first();
      if (!first) return array([integer(0), NULL, NULL, NULL_ARRAY]);
      const owners: Reply[] = [];
      for (const consumer of [...group.consumers.values()].sort((a, b) => compareNames(a.name, b.name))) {
        if (consumer.pel.size > 0) owners.push(array([bulk(consumer.name), bulk(String(consumer.pel.size))]));
      }
      return array([integer(group.pel.size), idReply(first.key), idReply(group.pel.last()!.key), array(owners)]);
    }
    let pel = group.pel;
    if (consumerName !== null) {
      const consumer = group.lookupConsumer(consumerName, ctx.mstime(), false);
      if (!consumer) return EMPTY_ARRAY;
      pel = consumer.pel;
    }
    const rows: Reply[] = [];
    // One reading for every row's idle test and idle time, as xpendingCommand takes.
    const now = ctx.mstime();
    if (count > 0) {
      for (const { key: id, value: nack } of pel.entriesFrom(start)) {
        if (compareIds(id, end) > 0) break;
        if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
        rows.push(array([idReply(id), bulk(nack.consumer!.name), integer(Math.max(0, now - nack.deliveryTime)), counterReply(nack.deliveryCount)]));
        if (rows.length === count) break;
      }
    }
    return array(rows);
  },
});

/**
 * XINFO STREAM [FULL [COUNT n]] | GROUPS | CONSUMERS | HELP (t_stream.c
 * xinfoCommand, xinfoReplyWithStreamInfo), field for field as Redis 7.0:
 *
 *   STREAM       length, radix-tree-keys, radix-tree-nodes, last-generated-id,
 *                max-deleted-entry-id, entries-added, recorded-first-entry-id,
 *                groups, first-entry, last-entry
 *   STREAM FULL  the same up to recorded-first-entry-id, then entries (COUNT,
 *                default 10, 0 all) and every group with its PEL and consumers
 *   GROUPS       name, consumers, pending, last-delivered-id, entries-read, lag
 *   CONSUMERS    name, pending, idle
 *
 * Maps in RESP3, flat arrays in RESP2; lag and entries-read are null when
 * unknown (stream-lag.ts). radix-tree-nodes is what Redis's rax would count
 * for the same node keys (stream-rax-size.ts).
 */
import type { CommandContext } from './command-context';
import type { CommandSpec } from './command-spec';
import { defineCommand } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { array, bulk, error, integer, NULL, type Reply } from '../resp/reply';
import type { StreamValue } from '../keyspace/values';
import { sortedGroups, INVALID_ENTRIES_READ, type StreamGroup } from '../keyspace/values/stream-group';
import { groupLag } from '../keyspace/values/stream-lag';
import { raxNodeCount } from '../keyspace/values/stream-rax-size';
import { parseInt64 } from '../util/integers';
import { isOption } from './define';
import { counterReply, defineStreamCommand, entryReply, idReply, isStream, streamFor } from './streams-access';
import { rangeEntries } from './streams-range';

/** A map reply (RESP3 map, RESP2 flat array) from field/value pairs. */
function fields(pairs: ReadonlyArray<readonly [string, Reply]>): Reply {
  return { kind: 'map', items: pairs.flatMap(([name, value]) => [bulk(name), value]) };
}

function entriesReadReply(group: StreamGroup): Reply {
  return group.entriesRead === INVALID_ENTRIES_READ ? NULL : counterReply(group.entriesRead);
}

function lagReply(stream: StreamValue, group: StreamGroup): Reply {
  const lag = groupLag(stream, group);
  return lag === null ? NULL : counterReply(lag);
}

/** The stream for XINFO: missing -> "no such key", another type -> WRONGTYPE. */
function infoStream(ctx: CommandContext): StreamValue | Reply {
  const stream = streamFor(ctx, ctx.arg(2), false);
  if (stream === undefined) return errors.NO_SUCH_KEY;
  return stream;
}

function streamHeader(stream: StreamValue): Array<readonly [string, Reply]> {
  return [
    ['length', integer(stream.length)],
    ['radix-tree-keys', integer(stream.nodes.size)],
    ['radix-tree-nodes', integer(raxNodeCount(stream.nodes.keys()))],
    ['last-generated-id', idReply(stream.lastId)],
    ['max-deleted-entry-id', idReply(stream.maxDeletedId)],
    ['entries-added', counterReply(stream.entriesAdded)],
    ['recorded-first-entry-id', idReply(stream.firstId)],
  ];
}

function fullGroups(stream: StreamValue, count: number): Reply {
  const limit = (size: number): number => (count === 0 ? size : Math.min(size, count));
  return array(sortedGroups(stream.groups).map(([name, group]) => {
    const pending: Reply[] = [];
    for (const { key, value } of group.pel.entries()) {
      if (pending.length >= limit(group.pel.size)) break;
      pending.push(array([idReply(key), bulk(value.consumer!.name), integer(value.deliveryTime), counterReply(value.deliveryCount)]));
    }
    const consumers = group.sortedConsumers().map((consumer) => {
      const owned: Reply[] = [];
      for (const { key, value } of consumer.pel.entries()) {
        if (owned.length >= limit(consumer.pel.size)) break;
        owned.push(array([idReply(key), integer(value.deliveryTime), counterReply(value.deliveryCount)]));
      }
      return fields([['name', bulk(consumer.name)], ['seen-time', integer(consumer.seenTime)], ['pel-count', integer(consumer.pel.size)], ['pending', array(owned)]]);
    });
    return fields([
      ['name', bulk(name)],
      ['last-delivered-id', idReply(group.lastId)],
      ['entries-read', entriesReadReply(group)],
      ['lag', lagReply(stream, group)],
      ['pel-count', integer(group.pel.size)],
      ['pending', array(pending)],
      ['consumers', array(consumers)],
    ]);
  }));
}

function xinfoStream(ctx: CommandContext): Reply {
  // The key is looked up before the options are read, as Redis does.
  const stream = infoStream(ctx);
  if (!isStream(stream)) return stream;
  const options = ctx.argc - 3;
  let full = false;
  let count = 10;
  if (options > 0) {
    const syntax = errors.subcommandSyntax(ctx.arg(1), ctx.arg(0));
    if ((options !== 1 && options !== 3) || !isOption(ctx.arg(3), 'full')) return syntax;
    full = true;
    if (options === 3) {
      if (!isOption(ctx.arg(4), 'count')) return syntax;
      const parsed = parseInt64(ctx.arg(5));
      if (parsed === null) return errors.NOT_INTEGER;
      count = parsed < 0 ? 10 : Number(parsed);
    }
  }
  const header = streamHeader(stream);
  if (full) {
    return fields([...header, ['entries', array(rangeEntries(stream, null, null, count, false))], ['groups', fullGroups(stream, count)]]);
  }
  const first = stream.iterate(null, null, false);
  const last = stream.iterate(null, null, true);
  return fields([
    ...header,
    ['groups', integer(stream.groups?.size ?? 0)],
    ['first-entry', first.next() ? entryReply(first.entry.id, first.fields()) : NULL],
    ['last-entry', last.next() ? entryReply(last.entry.id, last.fields()) : NULL],
  ]);
}

function xinfoGroups(ctx: CommandContext): Reply {
  const stream = infoStream(ctx);
  if (!isStream(stream)) return stream;
  return array(sortedGroups(stream.groups).map(([name, group]) => fields([
    ['name', bulk(name)],
    ['consumers', integer(group.consumers.size)],
    ['pending', integer(group.pel.size)],
    ['last-delivered-id', idReply(group.lastId)],
    ['entries-read', entriesReadReply(group)],
    ['lag', lagReply(stream, group)],
  ])));
}

function xinfoConsumers(ctx: CommandContext): Reply {
  const stream = infoStream(ctx);
  if (!isStream(stream)) return stream;
  const group = stream.groups?.get(ctx.arg(3));
  if (!group) return error(`NOGROUP No such consumer group '${errors.cStringArg(ctx.arg(3))}' for key name '${errors.cStringArg(ctx.arg(2))}'`);
  // One reading for every consumer's idle time, as XINFO CONSUMERS takes in xinfoCommand.
  const now = ctx.mstime();
  return array(group.sortedConsumers().map((consumer) => fields([
    ['name', bulk(consumer.name)],
    ['pending', integer(consumer.pel.size)],
    ['idle', integer(Math.max(0, now - consumer.seenTime))],
  ])));
}

const sub = (name: string, arity: number, summary: string, handler: (ctx: CommandContext) => Reply, tips?: string[]): CommandSpec =>
  defineStreamCommand({ name, arity, flags: ['readonly'], summary, since: '5.0.0', keys: [2, 2, 1], handler, ...(tips ? { tips } : {}) });

const xinfoHelp = defineStreamCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Show helpful text about the different subcommands', since: '5.0.0', keys: null,
  handler: () => helpReply('xinfo', [
    'CONSUMERS <key> <groupname>',
    '    Show consumers of <groupname>.',
    'GROUPS <key>',
    '    Show the stream consumer groups.',
    'STREAM <key> [FULL [COUNT <count>]',
    '    Show information about the stream.',
  ]),
});

export const xinfo = defineCommand({
  name: 'xinfo', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for stream introspection commands', since: '5.0.0', group: 'stream' },
  subcommands: [
    sub('consumers', 4, 'List the consumers in a consumer group', xinfoConsumers, ['nondeterministic_output']),
    sub('groups', 3, 'List the consumer groups of a stream', xinfoGroups),
    xinfoHelp,
    sub('stream', -3, 'Get information about a stream', xinfoStream),
  ],
});

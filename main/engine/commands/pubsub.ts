/**
 * Pub/Sub commands (pubsub.c): SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE
 * PUNSUBSCRIBE PUBLISH PUBSUB (CHANNELS NUMSUB NUMPAT SHARDCHANNELS
 * SHARDNUMSUB HELP), and the sharded SSUBSCRIBE SUNSUBSCRIBE SPUBLISH (no
 * cluster here: shard channels behave as their own namespace).
 *
 * (Un)subscription confirmations are one reply per channel, pushes in RESP3
 * and 3-element arrays in RESP2. PUBLISH is propagated to replicas (7.0
 * forces it), so clients subscribed on a replica see the message too.
 */
import { defineCommand } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import type { CommandContext } from './command-context';
import { bulk, bulkArray, integer, NO_REPLY, NULL, push, type Reply } from '../resp/reply';
import { stringMatch } from '../util/glob';
import type { Client } from '../server/client';

function confirm(client: Client, kind: string, name: string | null, count: number): void {
  client.reply(push([bulk(kind), name === null ? NULL : bulk(name), integer(count)]), true);
}

/** clientSubscriptionsCount: what the SUBSCRIBE family reports (shard channels excluded). */
function channelsAndPatterns(client: Client): number {
  return client.channels.size + client.patterns.size;
}

const common = { flags: ['pubsub', 'noscript', 'loading', 'stale'] as const, acl: ['pubsub'] as const, keys: null };

export const subscribeCommand = defineCommand({
  name: 'subscribe', arity: -2, ...common,
  doc: { summary: 'Listen for messages published to the given channels', since: '2.0.0', group: 'pubsub' },
  handler: (ctx) => {
    for (const channel of ctx.argv.slice(1)) {
      ctx.node.pubsub.subscribe(ctx.client, channel);
      confirm(ctx.client, 'subscribe', channel, channelsAndPatterns(ctx.client));
    }
    return NO_REPLY;
  },
});

export const unsubscribeCommand = defineCommand({
  name: 'unsubscribe', arity: -1, ...common,
  doc: { summary: 'Stop listening for messages posted to the given channels', since: '2.0.0', group: 'pubsub' },
  handler: (ctx) => {
    const channels = ctx.argc > 1 ? ctx.argv.slice(1) : [...ctx.client.channels];
    if (channels.length === 0) confirm(ctx.client, 'unsubscribe', null, channelsAndPatterns(ctx.client));
    for (const channel of channels) {
      ctx.node.pubsub.unsubscribe(ctx.client, channel);
      confirm(ctx.client, 'unsubscribe', channel, channelsAndPatterns(ctx.client));
    }
    return NO_REPLY;
  },
});

export const psubscribeCommand = defineCommand({
  name: 'psubscribe', arity: -2, ...common,
  doc: { summary: 'Listen for messages published to channels matching the given patterns', since: '2.0.0', group: 'pubsub' },
  handler: (ctx) => {
    for (const pattern of ctx.argv.slice(1)) {
      ctx.node.pubsub.psubscribe(ctx.client, pattern);
      confirm(ctx.client, 'psubscribe', pattern, channelsAndPatterns(ctx.client));
    }
    return NO_REPLY;
  },
});

export const punsubscribeCommand = defineCommand({
  name: 'punsubscribe', arity: -1, ...common,
  doc: { summary: 'Stop listening for messages posted to channels matching the given patterns', since: '2.0.0', group: 'pubsub' },
  handler: (ctx) => {
    const patterns = ctx.argc > 1 ? ctx.argv.slice(1) : [...ctx.client.patterns];
    if (patterns.length === 0) confirm(ctx.client, 'punsubscribe', null, channelsAndPatterns(ctx.client));
    for (const pattern of patterns) {
      ctx.node.pubsub.punsubscribe(ctx.client, pattern);
      confirm(ctx.client, 'punsubscribe', pattern, channelsAndPatterns(ctx.client));
    }
    return NO_REPLY;
  },
});

export const publishCommand = defineCommand({
  name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], acl: ['pubsub'], keys: null,
  doc: { summary: 'Post a message to a channel', since: '2.0.0', group: 'pubsub' },
  handler: (ctx) => {
    const receivers = ctx.node.pubsub.publish(ctx.arg(1), ctx.arg(2));
    ctx.forcePropagation();
    return integer(receivers);
  },
});

// Shard channels: their own namespace (PubSub.shardChannels), no cluster routing.
export const ssubscribeCommand = defineCommand({
  name: 'ssubscribe', arity: -2, ...common,
  doc: { summary: 'Listen for messages published to the given shard channels', since: '7.0.0', group: 'pubsub' },
  handler: (ctx) => {
    for (const channel of ctx.argv.slice(1)) {
      ctx.node.pubsub.subscribe(ctx.client, channel, 'shard');
      confirm(ctx.client, 'ssubscribe', channel, ctx.client.shardChannels.size);
    }
    return NO_REPLY;
  },
});

export const sunsubscribeCommand = defineCommand({
  name: 'sunsubscribe', arity: -1, ...common,
  doc: { summary: 'Stop listening for messages posted to the given shard channels', since: '7.0.0', group: 'pubsub' },
  handler: (ctx) => {
    const channels = ctx.argc > 1 ? ctx.argv.slice(1) : [...ctx.client.shardChannels];
    if (channels.length === 0) confirm(ctx.client, 'sunsubscribe', null, ctx.client.shardChannels.size);
    for (const channel of channels) {
      ctx.node.pubsub.unsubscribe(ctx.client, channel, 'shard');
      confirm(ctx.client, 'sunsubscribe', channel, ctx.client.shardChannels.size);
    }
    return NO_REPLY;
  },
});

export const spublishCommand = defineCommand({
  name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], acl: ['pubsub'], keys: [1, 1, 1],
  doc: { summary: 'Post a message to a shard channel', since: '7.0.0', group: 'pubsub' },
  handler: (ctx) => {
    const receivers = ctx.node.pubsub.publishShard(ctx.arg(1), ctx.arg(2));
    ctx.forcePropagation();
    return integer(receivers);
  },
});

function channelNames(ctx: CommandContext, shard: boolean): string[] {
  return [...(shard ? ctx.node.pubsub.shardChannels : ctx.node.pubsub.channels).keys()];
}

/** The version each subcommand came in (COMMAND DOCS since), as Redis 7.0.15 lists it. */
const SINCE: Readonly<Record<string, string>> = { shardchannels: '7.0.0', shardnumsub: '7.0.0', help: '6.2.0' };

const pubsubSub = (name: string, arity: number, summary: string, handler: (ctx: CommandContext) => Reply) =>
  // PUBSUB HELP is not itself a pub/sub command.
  defineCommand({ name, arity, flags: name === 'help' ? ['loading', 'stale'] : ['pubsub', 'loading', 'stale'], acl: [], keys: null, doc: { summary, since: SINCE[name] ?? '2.8.0', group: 'pubsub' }, handler });

export const pubsubCommand = defineCommand({
  name: 'pubsub', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for Pub/Sub commands', since: '2.8.0', group: 'pubsub' },
  subcommands: [
    pubsubSub('channels', -2, 'List active channels', (ctx) => {
      // pubsubCommand takes CHANNELS and SHARDCHANNELS with at most one pattern; more is a subcommand syntax error.
      if (ctx.argc > 3) return errors.subcommandSyntax(ctx.arg(1), 'pubsub');
      const pattern = ctx.argc > 2 ? ctx.arg(2) : null;
      return bulkArray(channelNames(ctx, false).filter((name) => pattern === null || stringMatch(pattern, name, false)));
    }),
    pubsubSub('numsub', -2, 'Get the count of subscribers for channels', (ctx) =>
      pairs(ctx.argv.slice(2).map((name) => [name, ctx.node.pubsub.channels.get(name)?.size ?? 0]))),
    pubsubSub('numpat', 2, 'Get the count of unique patterns pattern subscriptions', (ctx) => integer(ctx.node.pubsub.patterns.size)),
    pubsubSub('shardchannels', -2, 'List active shard channels', (ctx) => {
      if (ctx.argc > 3) return errors.subcommandSyntax(ctx.arg(1), 'pubsub');
      const pattern = ctx.argc > 2 ? ctx.arg(2) : null;
      return bulkArray(channelNames(ctx, true).filter((name) => pattern === null || stringMatch(pattern, name, false)));
    }),
    pubsubSub('shardnumsub', -2, 'Get the count of subscribers for shard channels', (ctx) =>
      pairs(ctx.argv.slice(2).map((name) => [name, ctx.node.pubsub.shardChannels.get(name)?.size ?? 0]))),
    pubsubSub('help', 2, 'Show helpful text about the different subcommands', () => helpReply('pubsub', [
      'CHANNELS [<pattern>]',
      "    Return the currently active channels matching a <pattern> (default: '*').",
      'NUMPAT',
      '    Return number of subscriptions to patterns.',
      'NUMSUB [<channel> ...]',
      '    Return the number of subscribers for the specified channels, excluding',
      '    pattern subscriptions(default: no channels).',
      'SHARDCHANNELS [<pattern>]',
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      'SHARDNUMSUB [<shardchannel> ...]',
      '    Return the number of subscribers for the specified shard level channel(s)',
    ])),
  ],
});

function pairs(entries: Array<[string, number]>): Reply {
  const items: Reply[] = [];
  for (const [name, count] of entries) items.push(bulk(name), integer(count));
  return { kind: 'array', items };
}

export const PUBSUB_COMMANDS = [subscribeCommand, unsubscribeCommand, psubscribeCommand, punsubscribeCommand, publishCommand, ssubscribeCommand, sunsubscribeCommand, spublishCommand, pubsubCommand];

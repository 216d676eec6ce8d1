/**
 * Pub/Sub channels, patterns and shard channels (pubsub.c). Messages are
 * push replies in RESP3 and plain arrays in RESP2, and reach subscribers
 * even under CLIENT REPLY OFF (Client.pushMessage).
 *
 * Shard channels (SSUBSCRIBE, SPUBLISH) are a namespace of their own, as in
 * Redis: a shard channel and a plain channel of the same name are
 * different, patterns never match shard channels, and a client's shard
 * subscriptions are counted apart from its channels and patterns.
 */
import { bulk, push, type Reply } from '../resp/reply';
import type { Client } from '../server/client';
import { stringMatch } from '../util/glob';

export type ChannelKind = 'channel' | 'shard';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  private tableOf(kind: ChannelKind): Map<string, Set<Client>> {
    return kind === 'shard' ? this.shardChannels : this.channels;
  }

  /** SUBSCRIBE / SSUBSCRIBE one channel; false when the client already was subscribed. */
  subscribe(client: Client, channel: string, kind: ChannelKind = 'channel'): boolean {
    const own = kind === 'shard' ? client.shardChannels : client.channels;
    if (own.has(channel)) return false;
    own.add(channel);
    client.subscriptionCount++;
    addMember(this.tableOf(kind), channel, client);
    return true;
  }

  /** UNSUBSCRIBE / SUNSUBSCRIBE one channel; false when the client was not subscribed. */
  unsubscribe(client: Client, channel: string, kind: ChannelKind = 'channel'): boolean {
    const own = kind === 'shard' ? client.shardChannels : client.channels;
    if (!own.delete(channel)) return false;
    client.subscriptionCount--;
    removeMember(this.tableOf(kind), channel, client);
    return true;
  }

  psubscribe(client: Client, pattern: string): boolean {
    if (client.patterns.has(pattern)) return false;
    client.patterns.add(pattern);
    client.subscriptionCount++;
    addMember(this.patterns, pattern, client);
    return true;
  }

  punsubscribe(client: Client, pattern: string): boolean {
    if (!client.patterns.delete(pattern)) return false;
    client.subscriptionCount--;
    removeMember(this.patterns, pattern, client);
    return true;
  }

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  /** Some client listens to a channel or a pattern (shard channels apart). Emptied entries are removed, so this is exact. */
  get hasListeners(): boolean {
    return this.channels.size > 0 || this.patterns.size > 0;
  }

  publish(channel: string, message: string): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      const reply: Reply = push([bulk('message'), bulk(channel), bulk(message)]);
      for (const client of subscribers) {
        client.pushMessage(reply);
        receivers++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!stringMatch(pattern, channel, false)) continue;
      const reply: Reply = push([bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]);
      for (const client of clients) {
        client.pushMessage(reply);
        receivers++;
      }
    }
    return receivers;
  }

  /** SPUBLISH: shard channel subscribers only, as `smessage`. */
  publishShard(channel: string, message: string): number {
    const subscribers = this.shardChannels.get(channel);
    if (!subscribers) return 0;
    const reply: Reply = push([bulk('smessage'), bulk(channel), bulk(message)]);
    for (const client of subscribers) client.pushMessage(reply);
    return subscribers.size;
  }

  /** Drops every subscription of a client (disconnect, RESET). */
  removeClient(client: Client): void {
    for (const channel of [...client.channels]) this.unsubscribe(client, channel);
    for (const pattern of [...client.patterns]) this.punsubscribe(client, pattern);
    for (const channel of [...client.shardChannels]) this.unsubscribe(client, channel, 'shard');
  }
}

function addMember(table: Map<string, Set<Client>>, name: string, client: Client): void {
  let members = table.get(name);
  if (!members) {
    members = new Set();
    table.set(name, members);
  }
  members.add(client);
}

function removeMember(table: Map<string, Set<Client>>, name: string, client: Client): void {
  const members = table.get(name);
  if (!members) return;
  members.delete(client);
  if (members.size === 0) table.delete(name);
}

/**
 * Pub/Sub channels and patterns (pubsub.c). Messages are push replies in
 * RESP3 and plain arrays in RESP2.
 */
import { bulk, push, type Reply } from '../resp/reply';
import type { Client } from '../server/client';
import { stringMatch } from '../util/glob';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();

  subscribe(client: Client, channel: string): boolean {
    if (client.channels.has(channel)) return false;
    client.channels.add(channel);
    const set = this.channels.get(channel) ?? new Set<Client>();
    this.channels.set(channel, set);
    set.add(client);
    return true;
  }

  unsubscribe(client: Client, channel: string): boolean {
    if (!client.channels.delete(channel)) return false;
    const set = this.channels.get(channel);
    set?.delete(client);
    if (set && set.size === 0) this.channels.delete(channel);
    return true;
  }

  psubscribe(client: Client, pattern: string): boolean {
    if (client.patterns.has(pattern)) return false;
    client.patterns.add(pattern);
    const set = this.patterns.get(pattern) ?? new Set<Client>();
    this.patterns.set(pattern, set);
    set.add(client);
    return true;
  }

  punsubscribe(client: Client, pattern: string): boolean {
    if (!client.patterns.delete(pattern)) return false;
    const set = this.patterns.get(pattern);
    set?.delete(client);
    if (set && set.size === 0) this.patterns.delete(pattern);
    return true;
  }

  /**
   * Delivers a message; returns the number of receivers (PUBLISH's reply).
   * `shownName`/`kind` serve shard channels, stored under an internal name.
   */
  publish(channel: string, message: string, shownName: string = channel, kind = 'message'): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers) {
      const reply: Reply = push([bulk(kind), bulk(shownName), bulk(message)]);
      for (const client of subscribers) {
        client.pushMessage(reply);
        receivers++;
      }
    }
    if (kind !== 'message') return receivers;
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

  /** Drops every subscription of a client (disconnect, RESET). */
  removeClient(client: Client): void {
    for (const channel of [...client.channels]) this.unsubscribe(client, channel);
    for (const pattern of [...client.patterns]) this.punsubscribe(client, pattern);
  }
}

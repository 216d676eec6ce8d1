/**
 * Client eviction, `maxmemory-clients` (networking.c evictClients,
 * getClientEvictionLimit; server.c clientEvictionAllowed).
 *
 * The limit is maxmemory-clients in bytes, or a percentage of maxmemory
 * (stored negative; no limit while maxmemory is 0), never below 128 KB so
 * a bad setting cannot cut every client off. While the memory of all normal
 * and pub/sub clients together (tot-mem, client-memory.ts; MONITOR clients
 * count as normal, as in Redis) is at or above the limit, the client using
 * the most is closed, logged "Evicting client: <CLIENT LIST line>" and
 * counted in INFO evicted_clients. Replicas, our master and clients that
 * said CLIENT NO-EVICT on are never evicted, though their memory counts.
 *
 * Redis keeps clients in power-of-two memory buckets and evicts from the
 * largest bucket; this sorts by memory, which picks the same clients up to
 * the order inside a bucket. It runs after each read (the client that just
 * grew may be the one to go) and from the cron, only while a limit is set:
 * the sum is a walk over the clients.
 */
import type { EngineConfig } from '../config/engine-config';
import type { Client } from './client';
import { clientMemoryUsage } from './client-memory';

/** The smallest limit honoured (1024*128 in getClientEvictionLimit). */
const MIN_LIMIT = 128 * 1024;

export interface ClientEvictionHost {
  readonly config: EngineConfig;
  /** evictedClients counts the evictions (INFO evicted_clients, zeroed by CONFIG RESETSTAT). */
  readonly stats: { evictedClients: number };
  clients(): Iterable<Client>;
  /** Logs the eviction and closes the client. */
  evict(client: Client): void;
}

export class ClientEviction {
  private limit = 0;

  constructor(private readonly host: ClientEvictionHost) {
    this.refresh();
    host.config.onChange('maxmemory-clients', () => this.refresh());
    host.config.onChange('maxmemory', () => this.refresh());
  }

  /** getClientEvictionLimit: 0 when off. */
  get limitBytes(): number {
    return this.limit;
  }

  /** evictClients: closes the biggest evictable clients until the total is under the limit. */
  evictIfNeeded(): void {
    if (this.limit === 0) return;
    let total = 0;
    const candidates: Array<{ client: Client; bytes: number }> = [];
    for (const client of this.host.clients()) {
      if (!countsAsClientMemory(client)) continue;
      const bytes = clientMemoryUsage(client);
      total += bytes;
      if (!client.noEvict) candidates.push({ client, bytes });
    }
    if (total < this.limit) return;
    candidates.sort((a, b) => b.bytes - a.bytes);
    for (const { client, bytes } of candidates) {
      if (total < this.limit) return;
      this.host.evict(client);
      this.host.stats.evictedClients++;
      total -= bytes;
    }
  }

  private refresh(): void {
    const setting = this.host.config.int('maxmemory-clients');
    const maxmemory = this.host.config.int('maxmemory');
    let limit: number;
    if (setting < 0 && maxmemory > 0) limit = Math.floor((maxmemory * -setting) / 100);
    else if (setting > 0) limit = setting;
    else limit = 0;
    this.limit = limit === 0 ? 0 : Math.max(limit, MIN_LIMIT);
  }
}

/** clientEvictionAllowed: counted, and not CLIENT NO-EVICT on (the clients of the memory buckets, DEBUG CLIENT-EVICTION). */
export function evictionMayClose(client: Client): boolean {
  return countsAsClientMemory(client) && !client.noEvict;
}

/** CLIENT_TYPE_NORMAL or CLIENT_TYPE_PUBSUB, with a connection (getClientType). */
function countsAsClientMemory(client: Client): boolean {
  return client.socket !== null && !client.closed && !client.isReplica && !client.isMaster;
}

/**
 * All connected clients, with ids assigned like Redis (monotonic from 1) and
 * one deferred flush per event-loop turn for replies produced outside a
 * client's own request (pub/sub messages, unblocked clients, MONITOR).
 */
import type { Socket } from 'node:net';
import { Client } from './client';

export class ClientRegistry {
  readonly clients = new Map<number, Client>();
  private nextId = 1;
  /**
   * Clients with replies to write at the end of this turn. A client is
   * added when its own flushScheduled flag turns on, so at most once until
   * it is flushed (a direct flush() in between may add it twice: the second
   * flush finds nothing, or what was queued since). An array, not a Set:
   * this is done once per read of every connection.
   */
  private pendingFlush: Client[] = [];
  private flushScheduled = false;

  /** Called for every write to a client socket (the node's output statistics). */
  onWrite: ((bytes: number) => void) | null = null;
  /** Called after each write to a client (output-buffer limits). */
  afterWrite: ((client: Client) => void) | null = null;

  create(socket: Socket | null, address: string, localAddress: string): Client {
    const client = new Client(this.nextId++, socket, address, localAddress, (c) => this.scheduleFlush(c));
    client.onWrite = this.onWrite;
    client.afterWrite = this.afterWrite;
    this.clients.set(client.id, client);
    return client;
  }

  /** A removed client may still sit in pendingFlush: it is closed, so its flush writes nothing. */
  remove(client: Client): void {
    this.clients.delete(client.id);
  }

  private scheduleFlush(client: Client): void {
    this.pendingFlush.push(client);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushAllNow);
  }

  private readonly flushAllNow = (): void => this.flushAll();

  flushAll(): void {
    this.flushScheduled = false;
    const clients = this.pendingFlush;
    this.pendingFlush = [];
    for (const client of clients) client.flush();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Output bytes queued for replicas and for the other clients (MEMORY STATS clients.slaves / clients.normal). */
  outputBytes(): { replicas: number; normal: number } {
    let replicas = 0;
    let normal = 0;
    for (const client of this.clients.values()) {
      if (client.isReplica) replicas += client.outputBacklogBytes;
      else normal += client.outputBacklogBytes;
    }
    return { replicas, normal };
  }

  /** Connected clients that are not replicas or internal (INFO connected_clients counts these). */
  countNormal(): number {
    let count = 0;
    for (const client of this.clients.values()) if (!client.isReplica && client.socket !== null) count++;
    return count;
  }
}

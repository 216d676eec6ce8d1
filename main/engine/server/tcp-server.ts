/**
 * The TCP accept loop and per-connection read path (networking.c
 * acceptTcpHandler / readQueryFromClient).
 *
 * Each 'data' chunk is decoded in place and every complete request in it is
 * executed; the replies are written once, at the end of the event-loop turn,
 * together with every other client's (Redis writes in beforeSleep too,
 * handleClientsWithPendingWrites). So pipelined requests cost one write per
 * chunk, and a peer holding many connections (redis-benchmark, a pool) is
 * woken once per turn rather than once per connection: on a loaded machine
 * that wake-up cost more than our whole request processing (write() measured
 * ~13 us per call when made right after each chunk).
 *
 * A protocol error replies Redis's error and closes the connection after the
 * reply. A connection whose replies pile up (a slow reader) stops being read
 * until its socket drains, which bounds the memory a client can make us hold.
 */
import net from 'node:net';
import { ProtocolError, RequestDecoder } from '../resp/request-decoder';
import { error } from '../resp/reply';
import type { EngineNode } from '../node';
import type { Client } from './client';

/** Stop reading from a client whose unsent replies exceed this. */
const READ_PAUSE_THRESHOLD = 4 * 1024 * 1024;

export class TcpServer {
  private readonly servers: net.Server[] = [];
  readonly sockets = new Set<net.Socket>();

  constructor(private readonly node: EngineNode) {}

  async listen(port: number, hosts: ReadonlyArray<string>): Promise<number> {
    let boundPort = port;
    for (const host of hosts) {
      const server = net.createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 300_000 }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: boundPort, host, backlog: this.node.config.int('tcp-backlog') }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      if (address && typeof address === 'object') boundPort = address.port;
      server.on('error', (failure) => this.node.log.warning(`Listener error: ${failure.message}`));
      this.servers.push(server);
    }
    return boundPort;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.servers.length = 0;
  }

  private accept(socket: net.Socket): void {
    const node = this.node;
    node.stats.connectionsReceived++;
    const address = formatAddress(socket.remoteAddress, socket.remotePort);
    const localAddress = formatAddress(socket.localAddress, socket.localPort);
    if (node.clients.size >= node.config.int('maxclients')) {
      node.stats.rejectedConnections++;
      // Tracked until closed, so shutting down never waits on a refused connection.
      this.sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.sockets.delete(socket));
      socket.end('-ERR max number of clients reached\r\n', () => socket.destroy());
      return;
    }
    this.sockets.add(socket);
    const client = node.clients.create(socket, address, localAddress);
    client.user = node.acl.defaultUser;
    client.authenticated = node.acl.authenticatedAtConnect();
    const decoder = new RequestDecoder({
      maxBulkLength: node.config.int('proto-max-bulk-len'),
      isAuthenticated: () => client.authenticated || !node.authRequired(),
    });

    // Decoder callback, allocated once per connection. Stops decoding when the
    // client blocks (BLPOP...): Redis reads nothing more from a blocked client,
    // so the rest of its pipeline waits in `pendingInput` until it is served.
    const onRequest = (argv: string[]): boolean => {
      if (client.closed) return false;
      if (argv.length === 0) {
        // An empty request; from a replica, a bare newline is proof of life.
        if (client.isReplica) node.replication.replicaKeepalive(client);
        return true;
      }
      node.dispatcher.processCommand(client, argv);
      return !client.closeAfterReply && !client.closed && client.blocked === null;
    };

    const processInput = (chunk: Buffer): void => {
      client.beginInputBatch();
      node.dispatcher.beginBatch();
      try {
        const rest = decoder.feed(chunk, onRequest);
        if (rest !== null && rest.length > 0 && client.blocked !== null) {
          client.pendingInput = client.pendingInput ? Buffer.concat([client.pendingInput, rest]) : rest;
          socket.pause();
        }
      } catch (failure) {
        if (!(failure instanceof ProtocolError)) {
          client.flush();
          throw failure;
        }
        node.log.verbose(`Protocol error (${failure.message}) from client: id=${client.id} addr=${client.address}`);
        client.reply(error(`ERR ${failure.message}`));
        client.closeAfterReply = true;
      } finally {
        node.dispatcher.endBatch();
      }
      if (client.closeAfterReply) {
        this.closeClient(client);
        return;
      }
      client.endInputBatch();
      if (socket.writableLength > READ_PAUSE_THRESHOLD && !client.isReplica) {
        socket.pause();
        socket.once('drain', () => {
          if (client.blocked === null) socket.resume();
        });
      }
    };

    const onData = (chunk: Buffer): void => {
      node.stats.readsProcessed++;
      client.bytesIn += chunk.length;
      node.stats.netInputBytes += chunk.length;
      if (client.blocked !== null || client.pendingInput !== null) {
        client.pendingInput = client.pendingInput ? Buffer.concat([client.pendingInput, chunk]) : chunk;
        socket.pause();
        return;
      }
      processInput(chunk);
    };

    // Called when a blocked client was served: run what it pipelined meanwhile.
    client.resumeInput = () => {
      // Blocked again before this ran (a postponed command postponed once more):
      // the next unblock resumes it.
      if (client.blocked !== null) return;
      const pending = client.pendingInput;
      client.pendingInput = null;
      if (pending) processInput(pending);
      if (client.blocked === null && client.pendingInput === null && !client.closed) socket.resume();
    };

    socket.on('data', onData);
    socket.on('error', () => {
      // Resets and broken pipes end here; 'close' does the cleanup.
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      node.disconnectClient(client);
    });
  }

  /** Flushes pending replies and closes the connection. */
  closeClient(client: Client): void {
    client.flush();
    const socket = client.socket;
    if (socket && !socket.destroyed) socket.end();
  }
}

export function formatAddress(host: string | undefined, port: number | undefined): string {
  if (!host) return '?:0';
  const clean = host.startsWith('::ffff:') ? host.slice(7) : host;
  return clean.includes(':') ? `[${clean}]:${port ?? 0}` : `${clean}:${port ?? 0}`;
}

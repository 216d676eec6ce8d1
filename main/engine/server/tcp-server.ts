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
import type { BindAddress } from './bind-addresses';
import { SharedReadBuffer } from './shared-read-buffer';
import { listenAddress, ListenFailure } from './listen-address';
import { quoteRepr } from './monitor';
import { clientInfoLine } from '../commands/server-client';
import { protocolErrorLine } from '../resp/protocol-error-log';
import { afterErrorReply } from './error-replies';

export { bindAddresses, type BindAddress } from './bind-addresses';

/** client-query-buffer-limit's smallest accepted value (config/parameters.ts). */
const QUERY_BUFFER_LIMIT_MIN = 1024 * 1024;

/** Startup found nothing to listen on: redis-server logs "Configured to not listen anywhere, exiting." and exits 1. */
export class NotListeningError extends Error {}

export class TcpServer {
  private servers: net.Server[] = [];
  readonly sockets = new Set<net.Socket>();
  /** Every connection's reads land here (shared-read-buffer.ts): input kept past a read is copied. */
  private readonly readBuffer = new SharedReadBuffer();

  constructor(private readonly node: EngineNode) {}

  async listen(port: number, addresses: ReadonlyArray<BindAddress>): Promise<number> {
    const bound = await this.bindAll(port, addresses);
    this.servers = bound.servers;
    return bound.port;
  }

  /** Whether any address is listened on (every `bind` address may have been skipped). */
  get listening(): boolean {
    return this.servers.length > 0;
  }

  /**
   * Listens on every address (port 0: one free port, the same for all), as
   * listenToPort does (listen-address.ts): each address that fails is
   * logged, and either skipped or fails them all: then what was opened is
   * closed and the failure rethrown.
   */
  private async bindAll(port: number, addresses: ReadonlyArray<BindAddress>): Promise<{ servers: net.Server[]; port: number }> {
    let boundPort = port;
    const servers: net.Server[] = [];
    try {
      for (const address of addresses) {
        const server = net.createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 300_000 }, (socket) => this.accept(socket));
        try {
          await listenAddress(server, address, boundPort, this.node.config.int('tcp-backlog'));
        } catch (failure) {
          if (!(failure instanceof ListenFailure)) throw failure;
          this.node.log.warning(`Warning: Could not create server TCP listening socket ${address.written}:${boundPort}: ${failure.reason}`);
          if (failure.skipped) continue;
          throw failure.failure;
        }
        const bound = server.address();
        if (bound && typeof bound === 'object') boundPort = bound.port;
        server.on('error', (failure) => this.node.log.warning(`Listener error: ${failure.message}`));
        servers.push(server);
      }
    } catch (failure) {
      await closeServers(servers);
      throw failure;
    }
    return { servers, port: boundPort };
  }

  /**
   * CONFIG SET port / bind (changeListenPort, changeBindAddr): listens on
   * the new port or addresses; connections already open stay. A new port
   * is bound before the old listeners close, so a failure (port in use)
   * changes nothing; new addresses on the same port need the old
   * listeners closed first, and are restored if the new ones fail. Port 0
   * stops listening on TCP altogether, as in Redis. Resolves with the port
   * now listened on, rejects with the bind failure.
   */
  async rebind(port: number, addresses: ReadonlyArray<BindAddress>, previous: { port: number; addresses: ReadonlyArray<BindAddress> }): Promise<number> {
    const old = this.servers;
    if (port === 0) {
      this.servers = [];
      stopListening(old);
      return 0;
    }
    if (port !== previous.port) {
      const bound = await this.bindAll(port, addresses);
      this.servers = bound.servers;
      stopListening(old);
      return bound.port;
    }
    this.servers = [];
    await stopListening(old);
    try {
      const bound = await this.bindAll(port, addresses);
      this.servers = bound.servers;
      return bound.port;
    } catch (failure) {
      this.servers = (await this.bindAll(previous.port, previous.addresses).catch(() => ({ servers: [] as net.Server[] }))).servers;
      throw failure;
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await closeServers(this.servers);
    this.servers = [];
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
    client.requestProgress = decoder;

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
      client.currentArgv = argv;
      node.dispatcher.processCommand(client, argv);
      // A blocked command keeps its arguments until it is served (argv-mem).
      if (client.blocked !== null) return false;
      client.currentArgv = null;
      return !client.closeAfterReply && !client.closed;
    };

    const processInput = (chunk: Buffer): void => {
      client.beginInputBatch();
      node.dispatcher.beginBatch();
      try {
        const rest = decoder.feed(chunk, onRequest);
        // The socket keeps being read while the client is blocked (see onData).
        if (rest !== null && rest.length > 0 && client.blocked !== null) client.pendingInput.keepCopyOf(rest);
      } catch (failure) {
        if (!(failure instanceof ProtocolError)) {
          client.flush();
          throw failure;
        }
        // addReplyError, then setProtocolError: the error reply is counted (afterErrorReply), and
        // its line is logged at verbose level, with the CLIENT INFO line as it is after the reply.
        const reply = error(`ERR ${failure.message}`);
        client.reply(reply);
        afterErrorReply(node, client, reply.message, { command: '' });
        if (node.log.enabled('verbose')) node.log.verbose(protocolErrorLine(failure, clientInfoLine(client, Date.now())));
        client.closeAfterReply = true;
      } finally {
        node.dispatcher.endBatch();
        client.queryBuffer.consumed(decoder.heldBytes + client.pendingInput.length, decoder.bulkInProgress);
      }
      if (client.closeAfterReply) {
        // A replica's connection that got a reply is dropped as such (Dispatcher.replicaMisbehaved).
        if (client.isReplica && client.replicaGeneratedReply) node.dispatcher.replicaMisbehaved(client);
        else this.closeClient(client);
        return;
      }
      client.endInputBatch();
      // maxmemory-clients: this read may have taken the clients past the limit.
      node.clientEviction.evictIfNeeded();
      // No read pause for replies the client leaves unread: redis-server keeps reading and running its
      // commands (readQueryFromClient never looks at the output side), the replies wait as omem, and only
      // client-output-buffer-limit or maxmemory-clients stop such a client, by closing it.
    };

    const onData = (chunk: Buffer): void => {
      node.stats.readsProcessed++;
      client.bytesIn += chunk.length;
      node.stats.netInputBytes += chunk.length;
      client.queryBuffer.read(chunk.length, decoder.bulkInProgress, decoder.heldBytes);
      if (this.overQueryBufferLimit(client, chunk)) return;
      // A blocked client's input is kept for when it is served, and its socket is still read, as
      // readQueryFromClient reads a blocked client: a paused socket would not see its peer close, and the
      // client would stay blocked, be served a pushed element and run what it had pipelined.
      if (client.blocked !== null || !client.pendingInput.isEmpty) {
        client.pendingInput.keepCopyOf(chunk);
        return;
      }
      processInput(chunk);
    };

    // Called when a blocked client was served: run what it pipelined meanwhile.
    client.resumeInput = () => {
      // Blocked again before this ran (a postponed command postponed once more):
      // the next unblock resumes it.
      if (client.blocked !== null) return;
      client.currentArgv = null;
      const pending = client.pendingInput.take();
      if (pending) processInput(pending);
      if (client.blocked === null && client.pendingInput.isEmpty && !client.closed) socket.resume();
    };

    if (!this.readBuffer.attach(socket, onData)) socket.on('data', onData);
    // The peer's end of stream is one more read in Redis (readQueryFromClient counts every call, the
    // one whose read returns 0 included), unless the server was already closing the client itself.
    socket.on('end', () => {
      if (!client.closed && !client.closeAfterReply) node.stats.readsProcessed++;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Resets and broken pipes end here; 'close' does the cleanup. A read that fails (ECONNRESET: the
      // peer closed with SO_LINGER 0) is a call of readQueryFromClient too, counted before it reads.
      if (error.syscall === 'read' && !client.closed && !client.closeAfterReply) node.stats.readsProcessed++;
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      node.disconnectClient(client);
    });
  }

  /**
   * client-query-buffer-limit (networking.c readQueryFromClient, 7.0): a
   * client other than our master whose query buffer passed the limit after
   * a read is closed, with Redis's log line, before anything of that read
   * runs. Only input that waits can get there: a blocked client's, or a
   * bulk argument still arriving. The log shows the first 64 bytes of what
   * waits (a blocked client's input, else this read's).
   */
  private overQueryBufferLimit(client: Client, chunk: Buffer): boolean {
    const node = this.node;
    // The limit is at least 1mb (its config minimum): a shorter buffer needs no config look-up (every read asks).
    if (client.queryBuffer.length <= QUERY_BUFFER_LIMIT_MIN || client.isMaster || client.queryBuffer.length <= node.config.int('client-query-buffer-limit')) return false;
    const waiting = client.pendingInput.isEmpty ? chunk.subarray(0, 64) : client.pendingInput.head(64);
    node.log.warning(`Closing client that reached max query buffer length: ${clientInfoLine(client, Date.now())} (qbuf initial bytes: ${quoteRepr(waiting.toString('latin1'))})`);
    node.killClient(client);
    return true;
  }

  /** Flushes pending replies and closes the connection. */
  closeClient(client: Client): void {
    client.flush();
    const socket = client.socket;
    if (socket && !socket.destroyed) socket.end();
  }
}

/**
 * Stops accepting on these listeners; the connections they accepted stay
 * open. Resolves once the sockets are unbound (server.close's callback
 * would wait for those connections to end too).
 */
function stopListening(servers: ReadonlyArray<net.Server>): Promise<void> {
  return Promise.all(servers.map((server) => new Promise<void>((resolve) => {
    server.close();
    setImmediate(resolve);
  }))).then(() => undefined);
}

function closeServers(servers: ReadonlyArray<net.Server>): Promise<void> {
  return Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined);
}

export function formatAddress(host: string | undefined, port: number | undefined): string {
  if (!host) return '?:0';
  const clean = host.startsWith('::ffff:') ? host.slice(7) : host;
  return clean.includes(':') ? `[${clean}]:${port ?? 0}` : `${clean}:${port ?? 0}`;
}

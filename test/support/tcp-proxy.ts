/**
 * A plain TCP proxy on a free loopback port in front of a node (as a load
 * balancer, an SSH forward or a NAT would put one): every connection to it
 * is piped to the node, byte for byte both ways.
 *
 * holdFromNode() stops passing what the node sends (a replica behind the
 * proxy stops receiving its master's stream, while its ACKs still reach the
 * master: a lagging replica); releaseFromNode() passes on what was held, in
 * order, and resumes.
 *
 * partition() holds both directions (a network partition that neither end
 * sees closed: the bytes and a close, FIN, wait in the proxy); heal() passes
 * on what was held, both ways, in order, and resumes.
 *
 * delayFromNode(ms) passes on what the node sends `ms` later, in order (a
 * slow path from the node to its clients, as a distant link gives: a
 * Sentinel's notices reach a console behind it that much after it published
 * them); delayFromNode(0) ends it. Not together with holdFromNode/partition.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  holdFromNode(): void;
  releaseFromNode(): void;
  partition(): void;
  heal(): void;
  delayFromNode(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  /** Each connection's socket to the node -> its socket to the client. */
  const fromNode = new Map<net.Socket, net.Socket>();
  /** Each connection's socket to the client -> its socket to the node. */
  const toNode = new Map<net.Socket, net.Socket>();
  let holding = false;
  let partitioned = false;
  let delayMs = 0;
  /** The node's bytes, passed on `delayMs` after they came (timers of one delay fire in the order they were set). */
  const delayed = new Map<net.Socket, (chunk: Buffer) => void>();
  const forwardLater = (upstream: net.Socket, client: net.Socket): void => {
    const forward = (chunk: Buffer): void => {
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
    };
    delayed.set(upstream, forward);
    upstream.on('data', forward);
    upstream.once('end', () => setTimeout(() => client.end(), delayMs));
    // unpipe() left the stream paused: a 'data' listener alone does not restart it.
    upstream.resume();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    fromNode.set(upstream, client);
    upstream.on('close', () => fromNode.delete(upstream));
    toNode.set(client, upstream);
    client.on('close', () => toNode.delete(client));
    if (partitioned) client.pause();
    else client.pipe(upstream);
    // While held, the node's bytes wait in the proxy's socket buffers (the
    // stream is paused) and go on in order at release.
    if (holding) upstream.pause();
    else if (delayMs > 0) forwardLater(upstream, client);
    else upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    port: address.port,
    holdFromNode: () => {
      holding = true;
      for (const [upstream, client] of fromNode) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    releaseFromNode: () => {
      holding = false;
      for (const [upstream, client] of fromNode) upstream.pipe(client);
    },
    partition: () => {
      partitioned = true;
      holding = true;
      for (const [client, upstream] of toNode) {
        client.unpipe(upstream);
        client.pause();
      }
      for (const [upstream, client] of fromNode) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    heal: () => {
      partitioned = false;
      holding = false;
      for (const [client, upstream] of toNode) client.pipe(upstream);
      for (const [upstream, client] of fromNode) upstream.pipe(client);
    },
    delayFromNode: (ms) => {
      delayMs = ms;
      for (const [upstream, client] of fromNode) {
        const forward = delayed.get(upstream);
        if (ms > 0 && forward === undefined) {
          upstream.unpipe(client);
          forwardLater(upstream, client);
        } else if (ms === 0 && forward !== undefined) {
          upstream.off('data', forward);
          delayed.delete(upstream);
          upstream.pipe(client);
        }
      }
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * The ceiling Node itself puts on pipelined throughput: a TCP server that
 * parses nothing and answers `+OK` once per request, with one socket write
 * per read (our engine writes at most that often: once per connection per
 * event-loop turn). Only meaningful for SET (each request of
 * redis-benchmark's SET test starts with the one `*` it contains). Its
 * ratio to redis-server is a reference row, not a target.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

const OK = Buffer.from('+OK\r\n');
const ASTERISK = 0x2a;

export interface BareNodeServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startBareNodeServer(): Promise<BareNodeServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      let requests = 0;
      for (let index = 0; index < chunk.length; index++) if (chunk[index] === ASTERISK) requests++;
      if (requests === 0) return;
      const out = Buffer.allocUnsafe(requests * OK.length);
      for (let index = 0; index < requests; index++) OK.copy(out, index * OK.length);
      socket.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The ceiling Node itself puts on throughput: a TCP server that parses
 * nothing and answers each request of redis-benchmark's SET and GET tests
 * (every request starts with the one `*` it contains) with the reply Redis
 * gives: `+OK`, or for GET the 3-byte bulk redis-benchmark's SET stored
 * (its default -d 3 value, `xxx`). Replies go out either with one socket
 * write per read (`per-read`), or, as our engine writes them, once per
 * connection at the end of the event-loop turn (`per-turn`, one
 * setImmediate for all connections). Its ratio to redis-server is a
 * reference row, not a target.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { bundledScript } from './build-engine';

const OK = Buffer.from('+OK\r\n');
/** redis-benchmark's SET writes `-d 3` bytes of 'x'; GET reads them back. */
const THREE_BYTE_BULK = Buffer.from('$3\r\nxxx\r\n');
const ASTERISK = 0x2a;
/** `*2\r\n$3\r\nGET...`: the first letter of the command name sits at offset 8. */
const COMMAND_NAME_OFFSET = 8;
const LETTER_G = 0x47;

export type BareFlush = 'per-read' | 'per-turn';

export interface BareNodeServer {
  readonly port: number;
  /** The process serving (this one, or the child spawnBareNodeServer started). */
  readonly pid: number;
  close(): Promise<void>;
}

export async function startBareNodeServer(options: { flush?: BareFlush } = {}): Promise<BareNodeServer> {
  const perTurn = options.flush === 'per-turn';
  const sockets = new Set<net.Socket>();
  const pending = new Map<net.Socket, Buffer>();
  let flushScheduled = false;
  const flushAll = (): void => {
    flushScheduled = false;
    for (const [socket, out] of pending) socket.write(out);
    pending.clear();
  };
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      let requests = 0;
      for (let index = 0; index < chunk.length; index++) if (chunk[index] === ASTERISK) requests++;
      if (requests === 0) return;
      const reply = chunk[COMMAND_NAME_OFFSET] === LETTER_G ? THREE_BYTE_BULK : OK;
      const out = Buffer.allocUnsafe(requests * reply.length);
      for (let index = 0; index < requests; index++) reply.copy(out, index * reply.length);
      if (!perTurn) {
        socket.write(out);
        return;
      }
      const earlier = pending.get(socket);
      pending.set(socket, earlier ? Buffer.concat([earlier, out]) : out);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    pid: process.pid,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The same server bundled and run in a plain Node process of its own, as
 * the engine runs in the bench: its CPU is then its own (the bench process
 * also runs the tsx loader and redis-benchmark's pipes).
 */
export async function spawnBareNodeServer(options: { flush?: BareFlush } = {}): Promise<BareNodeServer> {
  const script = await bundledScript('bench/lib/bare-node-server.ts', 'bare-node-server');
  const child = spawn(process.execPath, [script, options.flush ?? 'per-read'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Its first line is its port; a child that dies first rejects instead of leaving the bench waiting.
  const firstOutput = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    child.once('exit', (code, signal) => reject(new Error(`bare Node server exited before listening (code ${code}, signal ${signal})`)));
  });
  const port = Number(firstOutput.trim());
  if (!Number.isInteger(port) || port <= 0) {
    child.kill('SIGKILL');
    throw new Error(`bare Node server did not report its port: ${firstOutput}`);
  }
  return {
    port,
    pid: child.pid ?? 0,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** Run as a script (spawnBareNodeServer): listens, prints its port, serves until killed. */
const invokedPath = process.argv[1];
if (invokedPath !== undefined && invokedPath === fileURLToPath(import.meta.url)) {
  const flush: BareFlush = process.argv[2] === 'per-turn' ? 'per-turn' : 'per-read';
  void startBareNodeServer({ flush }).then((server) => process.stdout.write(`${server.port}\n`));
}

/**
 * The ceiling Node puts on a pipelining server that does I/O the way our
 * engine does: a spawned, bundled Node process (the engine's Node flags)
 * whose connections read into one shared buffer through the socket's
 * onread slots (the engine's SharedReadBuffer), and whose replies go out
 * once per connection at the end of the event-loop turn, written straight
 * to the socket's handle (the engine's DirectSocketWriter, socket.write
 * where that path is closed). It answers `+OK` to every command and has no
 * Redis semantics: no argv strings, no command table, no keyspace.
 *
 * It counts commands, not reads: every complete RESP array (`*<n>` then n
 * `$<len>` bulks) or inline line is one `+OK`, so a -P 16 batch gets 16,
 * and a request split across reads is answered once its last byte arrives
 * (the parse state is kept per connection between reads). The parse is
 * minimal: bulk payloads are skipped by their length, never looked at; a
 * malformed header is not diagnosed (redis-benchmark sends none).
 *
 * The replies are views of one constant buffer of `+OK\r\n`s, so a write
 * that libuv keeps queued needs no copy and nothing is built per reply.
 * Its ratio to redis-server is a reference row, not a target.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../../main/engine/memory/young-generation';
import { DirectSocketWriter, WRITE_UNAVAILABLE } from '../../main/engine/server/direct-socket-write';
import { SharedReadBuffer } from '../../main/engine/server/shared-read-buffer';
import { bundledScript } from './build-engine';
import type { BareNodeServer } from './bare-node-server';

const OK_BYTES = 5;
/** Replies one write can carry from the constant buffer; more are written in several. */
const REPLIES_PER_WRITE = 4096;
const OK_RUN = Buffer.from('+OK\r\n'.repeat(REPLIES_PER_WRITE), 'latin1');

const ASTERISK = 0x2a;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Where a connection's parse stands between bytes (and between reads). */
const AT_REQUEST_START = 0;
const IN_ARRAY_HEADER = 1;
const AT_BULK_HEADER = 2;
const IN_BULK_HEADER = 3;
const IN_BULK_PAYLOAD = 4;
const IN_INLINE = 5;

class Connection {
  state = AT_REQUEST_START;
  /** The number a header line is spelling. */
  number = 0;
  /** The header line being read had a minus sign. */
  negative = false;
  /** Bulks still to come in the current array. */
  bulksLeft = 0;
  /** Payload bytes plus the trailing CRLF still to skip. */
  skip = 0;
  /** Inline line seen a byte other than CR/LF (an empty line is no command). */
  inlineHasBytes = false;
  /** Replies owed, written at the end of the turn. */
  owed = 0;
  readonly writer: DirectSocketWriter | null;

  constructor(readonly socket: net.Socket) {
    this.writer = DirectSocketWriter.available ? new DirectSocketWriter(socket) : null;
  }

  /** Counts the commands `chunk` completes. */
  feed(chunk: Buffer): number {
    let done = 0;
    let state = this.state;
    let number = this.number;
    let index = 0;
    const length = chunk.length;
    while (index < length) {
      switch (state) {
        case AT_REQUEST_START: {
          const byte = chunk[index++]!;
          if (byte === ASTERISK) {
            state = IN_ARRAY_HEADER;
            number = 0;
          } else if (byte !== NEWLINE) {
            state = IN_INLINE;
            this.inlineHasBytes = byte !== CARRIAGE_RETURN;
          }
          break;
        }
        case IN_ARRAY_HEADER:
        case IN_BULK_HEADER: {
          const byte = chunk[index++]!;
          if (byte >= ZERO && byte <= NINE) {
            number = number * 10 + (byte - ZERO);
          } else if (byte === MINUS) {
            // `*-1` (a null array) is no command; negative bulk lengths are not diagnosed.
            this.negative = true;
          } else if (byte === NEWLINE) {
            if (state === IN_BULK_HEADER) {
              this.skip = number + 2;
              state = IN_BULK_PAYLOAD;
            } else if (number === 0 || this.negative) {
              // `*0` and `*-1` run nothing and get no reply, as in Redis.
              state = AT_REQUEST_START;
            } else {
              this.bulksLeft = number;
              state = AT_BULK_HEADER;
            }
            this.negative = false;
          }
          break;
        }
        case AT_BULK_HEADER: {
          // The `$` of the next bulk (another byte is not diagnosed: it is taken for the `$`).
          index++;
          number = 0;
          state = IN_BULK_HEADER;
          break;
        }
        case IN_BULK_PAYLOAD: {
          const take = Math.min(this.skip, length - index);
          index += take;
          this.skip -= take;
          if (this.skip === 0) {
            if (--this.bulksLeft === 0) {
              done++;
              state = AT_REQUEST_START;
            } else {
              state = AT_BULK_HEADER;
            }
          }
          break;
        }
        default: {
          // IN_INLINE: a line up to its LF is one command, unless it holds nothing but CR.
          const newline = chunk.indexOf(NEWLINE, index);
          const end = newline === -1 ? length : newline;
          for (let at = index; at < end; at++) if (chunk[at] !== CARRIAGE_RETURN) this.inlineHasBytes = true;
          index = end;
          if (newline !== -1) {
            index++;
            if (this.inlineHasBytes) done++;
            state = AT_REQUEST_START;
          }
        }
      }
    }
    this.state = state;
    this.number = number;
    return done;
  }

  flush(): void {
    let owed = this.owed;
    this.owed = 0;
    const socket = this.socket;
    while (owed > 0 && !socket.destroyed) {
      const replies = Math.min(owed, REPLIES_PER_WRITE);
      owed -= replies;
      const bytes = OK_RUN.subarray(0, replies * OK_BYTES);
      // The constant buffer is never written to, so a write libuv keeps queued may hold it as is.
      if (this.writer === null || this.writer.write(bytes) === WRITE_UNAVAILABLE) socket.write(bytes);
    }
  }
}

export async function startBarePipelinedServer(): Promise<BareNodeServer> {
  const readBuffer = new SharedReadBuffer();
  const sockets = new Set<net.Socket>();
  let pending: Connection[] = [];
  let flushScheduled = false;
  const flushAll = (): void => {
    flushScheduled = false;
    const connections = pending;
    pending = [];
    for (const connection of connections) connection.flush();
  };
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const connection = new Connection(socket);
    const onChunk = (chunk: Buffer): void => {
      const done = connection.feed(chunk);
      if (done === 0) return;
      if (connection.owed === 0) pending.push(connection);
      connection.owed += done;
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    };
    if (!readBuffer.attach(socket, onChunk)) socket.on('data', onChunk);
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

/** The server above, bundled and run in a Node process of its own with the engine's Node flags. */
export async function spawnBarePipelinedServer(): Promise<BareNodeServer> {
  const script = await bundledScript('bench/lib/bare-pipelined-server.ts', 'bare-pipelined-server');
  const child = spawn(process.execPath, [...ENGINE_NODE_FLAGS, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstOutput = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    child.once('exit', (code, signal) => reject(new Error(`bare pipelined server exited before listening (code ${code}, signal ${signal})`)));
  });
  const port = Number(firstOutput.trim());
  if (!Number.isInteger(port) || port <= 0) {
    child.kill('SIGKILL');
    throw new Error(`bare pipelined server did not report its port: ${firstOutput}`);
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

/** Run as a script (spawnBarePipelinedServer): listens, prints its port, serves until killed. */
const invokedPath = process.argv[1];
if (invokedPath !== undefined && invokedPath === fileURLToPath(import.meta.url)) {
  void startBarePipelinedServer().then((server) => process.stdout.write(`${server.port}\n`));
}

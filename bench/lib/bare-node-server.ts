/**
 * The ceiling Node puts on a server that does I/O the way our engine does,
 * the reference for the throughput section's unpipelined and -P 16 rows: a
 * spawned, bundled Node process (the engine's Node flags) whose
 * connections read into one shared buffer through the socket's onread
 * slots (the engine's SharedReadBuffer), and whose replies go out once per
 * connection at the end of the event-loop turn (one setImmediate for all
 * connections, as the engine's client registry flushes), written straight
 * to the socket's handle (the engine's DirectSocketWriter, socket.write
 * where that path is closed). It has no Redis semantics: no argv strings,
 * no command table, no keyspace.
 *
 * It answers commands, not reads: every complete RESP array (`*<n>` then n
 * `$<len>` bulks) or inline line is one reply, so a -P 16 batch gets 16,
 * and a request split across reads is answered once its last byte arrives
 * (the parse state is kept per connection between reads). The parse is
 * minimal: bulk payloads are skipped by their length, and only the first
 * byte of the command name is looked at: a three-byte name starting with
 * G (redis-benchmark's GET) gets the 3-byte bulk its SET stored (`-d 3`,
 * `xxx`), as from Redis; every other command gets `+OK`. A malformed
 * header is not diagnosed (redis-benchmark sends none).
 *
 * The replies are views of constant buffers of repeated replies, so a
 * write that libuv keeps queued needs no copy and nothing is built per
 * reply. A turn's replies for one connection go out in one write per run of
 * one kind (redis-benchmark's tests send one command each, so one write).
 * Its ratios to redis-server are reference rows, not targets.
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

export interface BareNodeServer {
  readonly port: number;
  /** The process serving (this one, or the child spawnBareNodeServer started). */
  readonly pid: number;
  close(): Promise<void>;
}

/** Replies one write can carry from a constant buffer; more are written in several. */
const REPLIES_PER_WRITE = 4096;
/** The two replies, each repeated REPLIES_PER_WRITE times; indexed by a command's reply kind. */
const REPLY_RUNS = ['+OK\r\n', '$3\r\nxxx\r\n'].map((reply) => ({ bytes: reply.length, run: Buffer.from(reply.repeat(REPLIES_PER_WRITE), 'latin1') }));
const OK_REPLY = 0;
const BULK_REPLY = 1;

const ASTERISK = 0x2a;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** ORed into an ASCII letter, makes it lower case. */
const LOWER_CASE_BIT = 0x20;
const LETTER_G = 0x67;

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
  /** The current array's first bulk (the command name) has not been looked at yet. */
  nameUnread = false;
  /** Length of the command name's bulk. */
  nameLength = 0;
  /** The reply the current command gets. */
  reply = OK_REPLY;
  /** Inline line seen a byte other than CR/LF (an empty line is no command). */
  inlineHasBytes = false;
  /** Replies owed, of kind owedReply, written at the end of the turn after the runs in `earlier`. */
  owed = 0;
  owedReply = OK_REPLY;
  /** Runs of replies of another kind owed before the current run, as [kind, count] pairs (a mixed pipeline). */
  earlier: number[] = [];
  /** In the server's list of connections to flush this turn. */
  pending = false;
  readonly writer: DirectSocketWriter | null;

  constructor(readonly socket: net.Socket) {
    this.writer = DirectSocketWriter.available ? new DirectSocketWriter(socket) : null;
  }

  private owe(reply: number): void {
    if (reply !== this.owedReply) {
      if (this.owed > 0) this.earlier.push(this.owedReply, this.owed);
      this.owed = 0;
      this.owedReply = reply;
    }
    this.owed++;
  }

  /** Parses `chunk`, owing a reply for every command it completes. */
  feed(chunk: Buffer): void {
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
              if (this.nameUnread) this.nameLength = number;
              state = IN_BULK_PAYLOAD;
            } else if (number === 0 || this.negative) {
              // `*0` and `*-1` run nothing and get no reply, as in Redis.
              state = AT_REQUEST_START;
            } else {
              this.bulksLeft = number;
              this.nameUnread = true;
              this.reply = OK_REPLY;
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
          if (this.nameUnread) {
            // The name's first byte (a read may have ended right after its header).
            this.nameUnread = false;
            if (this.nameLength === 3 && (chunk[index]! | LOWER_CASE_BIT) === LETTER_G) this.reply = BULK_REPLY;
          }
          const take = Math.min(this.skip, length - index);
          index += take;
          this.skip -= take;
          if (this.skip === 0) {
            if (--this.bulksLeft === 0) {
              this.owe(this.reply);
              state = AT_REQUEST_START;
            } else {
              state = AT_BULK_HEADER;
            }
          }
          break;
        }
        default: {
          // IN_INLINE: a line up to its LF is one command (answered `+OK`), unless it holds nothing but CR.
          const newline = chunk.indexOf(NEWLINE, index);
          const end = newline === -1 ? length : newline;
          for (let at = index; at < end; at++) if (chunk[at] !== CARRIAGE_RETURN) this.inlineHasBytes = true;
          index = end;
          if (newline !== -1) {
            index++;
            if (this.inlineHasBytes) this.owe(OK_REPLY);
            state = AT_REQUEST_START;
          }
        }
      }
    }
    this.state = state;
    this.number = number;
  }

  flush(): void {
    this.pending = false;
    const earlier = this.earlier;
    for (let at = 0; at < earlier.length; at += 2) this.write(earlier[at]!, earlier[at + 1]!);
    earlier.length = 0;
    const owed = this.owed;
    this.owed = 0;
    this.write(this.owedReply, owed);
  }

  private write(reply: number, count: number): void {
    const { bytes, run } = REPLY_RUNS[reply]!;
    const socket = this.socket;
    while (count > 0 && !socket.destroyed) {
      const replies = Math.min(count, REPLIES_PER_WRITE);
      count -= replies;
      const view = run.subarray(0, replies * bytes);
      // The constant buffer is never written to, so a write libuv keeps queued may hold it as is.
      if (this.writer === null || this.writer.write(view) === WRITE_UNAVAILABLE) socket.write(view);
    }
  }
}

export async function startBareNodeServer(): Promise<BareNodeServer> {
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
      connection.feed(chunk);
      if (connection.pending || (connection.owed === 0 && connection.earlier.length === 0)) return;
      connection.pending = true;
      pending.push(connection);
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
export async function spawnBareNodeServer(): Promise<BareNodeServer> {
  const script = await bundledScript('bench/lib/bare-node-server.ts', 'bare-node-server');
  const child = spawn(process.execPath, [...ENGINE_NODE_FLAGS, script], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  void startBareNodeServer().then((server) => process.stdout.write(`${server.port}\n`));
}

/**
 * A scripted master for replica tests: it answers a replica's handshake
 * (PING, REPLCONF, AUTH, PSYNC) the way redis-server does, sends a full
 * sync of an empty dataset, then lets the test write any command stream —
 * including what a real 7.0 master never sends, such as EVAL (Redis 6 with
 * lua-replicate-commands no, or Redis 4, replicate scripts verbatim). It
 * records the offsets the replica acknowledges and the PSYNCs it sends; a
 * PSYNC for its own replication id is continued (+CONTINUE) from the
 * requested offset, and the test resends what follows it.
 */
import net from 'node:net';
import { Crc64 } from '../../main/engine/rdb/crc64';
import { encodeRequest, parseReply } from './resp-reply-parser';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface FakeMaster {
  readonly port: number;
  /** Bytes of stream sent after the +FULLRESYNC offset (the master's offset). */
  readonly offset: number;
  /** Offsets from the replica's REPLCONF ACKs, in arrival order. */
  readonly acks: number[];
  /** Date.now() at each REPLCONF ACK's arrival, parallel to acks. */
  readonly ackTimes: number[];
  /** Date.now() at each close of a replica's link (a connection that sent PSYNC or SYNC), in order. */
  readonly linkClosedAt: number[];
  /** The [replid, offset] of every PSYNC received. */
  readonly psyncs: Array<[string, number]>;
  /** Closes the replica's connection (a network failure, as seen by the replica). */
  dropReplica(): void;
  /** Resolves once a replica finished the handshake and got the payload. */
  synced(): Promise<void>;
  /** Appends commands to the replication stream. */
  send(...commands: ReadonlyArray<ReadonlyArray<string>>): void;
  /** Appends bytes as they are (an inline line, a keepalive newline); they count in the offset. */
  sendRaw(bytes: string): void;
  /** sendRaw(bytes) in the same turn of the event loop as the next REPLCONF ACK arrives (no polling lag); resolves with acks.length then. */
  sendRawAtNextAck(bytes: string): Promise<number>;
  close(): Promise<void>;
}

const REPLID = 'f'.repeat(40);

/** An RDB of an empty dataset, with a valid checksum. */
function emptyRdb(): Buffer {
  const body = Buffer.from('REDIS0010\xff', 'latin1');
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(new Crc64().update(body).value());
  return Buffer.concat([body, trailer]);
}

/** `rdb`: the full sync's payload instead of an empty dataset (e.g. a crafted file the replica must refuse). */
export async function startFakeMaster(options: { rdb?: Buffer } = {}): Promise<FakeMaster> {
  const port = await freePort();
  const acks: number[] = [];
  const ackTimes: number[] = [];
  const linkClosedAt: number[] = [];
  let atNextAck: (() => void) | null = null;
  const psyncs: Array<[string, number]> = [];
  let replica: net.Socket | null = null;
  let offset = 0;
  let synced = false;
  // Every connection a replica opened: one that dropped its link reconnects, and close() must end
  // each (server.close() waits for them; a replica keeps an idle link until its repl-timeout).
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let isLink = false;
    socket.on('close', () => {
      sockets.delete(socket);
      if (isLink) linkClosedAt.push(Date.now());
    });
    let input = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
      for (;;) {
        // A replica's newline keepalives carry nothing.
        while (input.length > 0 && input[0] === 0x0a) input = input.subarray(1);
        const parsed = parseReply(input);
        if (parsed === null) return;
        input = input.subarray(parsed.end);
        const argv = (parsed.value as unknown[]).map((arg) => String(arg));
        const name = argv[0]?.toLowerCase();
        if (name === 'ping') socket.write('+PONG\r\n');
        else if (name === 'replconf' && argv[1]?.toLowerCase() === 'ack') {
          acks.push(Number(argv[2]));
          ackTimes.push(Date.now());
          const armed = atNextAck;
          atNextAck = null;
          armed?.();
        }
        else if (name === 'replconf' || name === 'auth') socket.write('+OK\r\n');
        else if (name === 'psync' && argv[1] === REPLID && Number(argv[2]) <= offset + 1) {
          psyncs.push([argv[1], Number(argv[2])]);
          offset = Number(argv[2]) - 1;
          socket.write(`+CONTINUE ${REPLID}\r\n`);
          replica = socket;
          isLink = true;
        } else if (name === 'psync' || name === 'sync') {
          if (name === 'psync') psyncs.push([argv[1] ?? '', Number(argv[2])]);
          const rdb = options.rdb ?? emptyRdb();
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
          socket.write(rdb);
          replica = socket;
          isLink = true;
          synced = true;
        } else socket.write(`-ERR fake master does not answer ${name ?? ''}\r\n`);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    get offset() {
      return offset;
    },
    acks,
    ackTimes,
    linkClosedAt,
    psyncs,
    dropReplica: () => {
      replica?.destroy();
      replica = null;
    },
    synced: () => waitFor(() => synced, { what: 'the replica to sync with the fake master' }),
    send: (...commands) => {
      if (replica === null) throw new Error('no replica is attached to the fake master');
      for (const argv of commands) {
        const bytes = encodeRequest(argv);
        offset += bytes.length;
        replica.write(bytes);
      }
    },
    sendRaw: (bytes) => {
      if (replica === null) throw new Error('no replica is attached to the fake master');
      offset += Buffer.byteLength(bytes, 'latin1');
      replica.write(Buffer.from(bytes, 'latin1'));
    },
    sendRawAtNextAck(this: FakeMaster, bytes: string) {
      return new Promise<number>((resolve) => {
        atNextAck = () => {
          this.sendRaw(bytes);
          resolve(acks.length);
        };
      });
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      replica = null;
      return closed;
    },
  };
}

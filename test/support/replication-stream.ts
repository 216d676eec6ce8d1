/**
 * A bare-bones replica that records what a master propagates: it asks for a
 * full sync without the EOF capability (so the payload is length-prefixed),
 * skips the RDB and decodes the command stream that follows. Used to compare
 * what redis-server and our engine put in their replication streams for the
 * same workload, command by command.
 */
import net from 'node:net';
import { encodeRequest, parseReply } from './resp-reply-parser';
import type { Peer } from './replication';
import { waitFor } from './wait';

export interface StreamRecorder {
  /** The commands received after the RDB, PINGs left out. */
  readonly commands: string[][];
  /** Bytes of the stream received after the RDB (the master's offset moves by as many). */
  readonly streamBytes: number;
  close(): void;
}

type Phase = 'replconf' | 'fullresync' | 'payload-header' | 'payload' | 'stream';

export async function recordReplicationStream(master: Peer): Promise<StreamRecorder> {
  const socket = net.createConnection({ host: master.host ?? '127.0.0.1', port: master.port, noDelay: true });
  const commands: string[][] = [];
  let streamBytes = 0;
  let buffer = Buffer.alloc(0);
  let phase: Phase = 'replconf';
  let failure: Error | null = null;
  let payloadLeft = 0;
  const advance = (): void => {
    for (;;) {
      if (phase === 'replconf' || phase === 'fullresync' || phase === 'payload-header') {
        // Newlines are the master's keepalives while it prepares the payload.
        while (buffer.length > 0 && buffer[0] === 0x0a) buffer = buffer.subarray(1);
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.toString('latin1', 0, end);
        buffer = buffer.subarray(end + 2);
        if (phase === 'replconf') {
          if (line !== '+OK') throw new Error(`REPLCONF answered ${line}`);
          phase = 'fullresync';
        } else if (phase === 'fullresync') {
          if (!line.startsWith('+FULLRESYNC')) throw new Error(`expected +FULLRESYNC, got ${line}`);
          phase = 'payload-header';
        } else {
          if (!line.startsWith('$')) throw new Error(`expected a length-prefixed payload, got ${line}`);
          payloadLeft = Number(line.slice(1));
          phase = 'payload';
        }
      } else if (phase === 'payload') {
        const take = Math.min(payloadLeft, buffer.length);
        payloadLeft -= take;
        buffer = buffer.subarray(take);
        if (payloadLeft > 0) return;
        phase = 'stream';
      } else {
        const parsed = parseReply(buffer);
        if (parsed === null) return;
        streamBytes += parsed.end;
        buffer = buffer.subarray(parsed.end);
        const argv = (parsed.value as unknown[]).map((arg) => String(arg));
        if (argv[0]?.toLowerCase() !== 'ping') commands.push(argv);
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    try {
      if (failure === null) advance();
    } catch (error) {
      failure = error as Error;
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // PSYNC only once REPLCONF is answered: redis-server refuses it while a reply is pending.
  socket.write(encodeRequest(['REPLCONF', 'capa', 'psync2']));
  await waitFor(() => {
    if (failure) throw failure;
    return phase !== 'replconf';
  }, { what: 'the REPLCONF reply' });
  socket.write(encodeRequest(['PSYNC', '?', '-1']));
  await waitFor(() => {
    if (failure) throw failure;
    return phase === 'stream';
  }, { timeoutMs: 30_000, what: 'the full sync payload' });
  return {
    commands,
    get streamBytes() {
      return streamBytes;
    },
    close: () => socket.destroy(),
  };
}

/**
 * Worker thread entry: the demo's write-load generator. It paces pipelined
 * writes to the master in 10 ms ticks to hold the requested ops/s, counts
 * replies and errors, and reports every second the achieved rate (replies
 * that are not errors: a load the server refuses writes nothing) and the
 * refused rate (error replies) beside it. Running in
 * its own thread keeps a full-speed load from starving the console.
 */
import net from 'node:net';
import { parentPort } from 'node:worker_threads';
import type { LoadSpec } from '../../../shared/contract/demo';
import { encodeCommand } from '../../engine/resp/reply-encoder';
import { commandsFor, makeValue, pickType, Xorshift } from './load-plan';
import { ReplyCounter } from './reply-counter';
import type { LoadFromWorker, LoadToWorker } from './load-worker-protocol';

const TICK_MS = 10;
/** Never have more than this many replies outstanding (bounds memory when the server is slow). */
const MAX_IN_FLIGHT = 50_000;

const port = parentPort!;
const post = (message: LoadFromWorker): void => port.postMessage(message);
const random = new Xorshift();

let spec: LoadSpec | null = null;
/** The master's port; null while the console holds the writes (no single master). */
let targetPort: number | null = null;
let socket: net.Socket | null = null;
let inFlight = 0;
let repliesThisSecond = 0;
/** Error replies in the current second: the writes the server refused (READONLY, NOREPLICAS, OOM ...). */
let refusedThisSecond = 0;
let errors = 0;
let lastError: string | null = null;
let credit = 0;
let value = '';
const replies = new ReplyCounter();

function connect(): void {
  socket?.destroy();
  socket = null;
  inFlight = 0;
  replies.reset();
  if (targetPort === null) return;
  const next = net.createConnection({ host: '127.0.0.1', port: targetPort, noDelay: true });
  socket = next;
  next.on('data', (chunk: Buffer) => countReplies(chunk));
  next.on('error', (failure) => {
    lastError = failure.message;
  });
  next.on('close', () => {
    if (socket === next) socket = null;
  });
}

/** Counts complete top-level replies (nested ones too: XADD's bulk ID, XREADGROUP's arrays). */
function countReplies(chunk: Buffer): void {
  replies.feed(chunk, (error) => {
    if (error !== null) {
      errors++;
      refusedThisSecond++;
      lastError = error;
    } else {
      repliesThisSecond++;
    }
    inFlight--;
  });
}

function tick(): void {
  if (!spec || !spec.running || targetPort === null) return;
  if (!socket || socket.destroyed) {
    connect();
    return;
  }
  credit += (spec.opsPerSec * TICK_MS) / 1000;
  const parts: Buffer[] = [];
  while (credit >= 1 && inFlight < MAX_IN_FLIGHT) {
    credit -= 1;
    for (const argv of commandsFor(pickType(spec.mix, random), spec.keySpace, value, random)) {
      parts.push(encodeCommand(argv));
      inFlight++;
    }
  }
  if (credit > spec.opsPerSec) credit = 0; // do not build an unbounded backlog of credit while stalled
  if (parts.length > 0) socket.write(Buffer.concat(parts));
}

setInterval(tick, TICK_MS);
setInterval(() => {
  post({ type: 'stats', opsPerSec: repliesThisSecond, refusedPerSec: refusedThisSecond, errors, lastError });
  repliesThisSecond = 0;
  refusedThisSecond = 0;
}, 1000);

port.on('message', (message: LoadToWorker) => {
  if (message.type === 'stop') {
    socket?.destroy();
    process.exit(0);
  }
  const changedTarget = message.port !== targetPort;
  targetPort = message.port;
  spec = message.spec;
  if (value.length !== spec.valueBytes) value = makeValue(spec.valueBytes, random);
  if (changedTarget) connect();
});

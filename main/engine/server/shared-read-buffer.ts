/**
 * Client reads into one buffer shared by every connection of the server,
 * as Redis reads into each client's query buffer, instead of a new Buffer
 * per read.
 *
 * A net.Socket in its ordinary (streams) mode makes, for every read, a
 * malloc'd 64 KB allocation, an ArrayBuffer and a Buffer over it (the
 * backing store registered, then swept by the young-generation GC and
 * freed), and pushes it through the Readable machinery to the 'data'
 * event. Node's `onread` option (documented for client sockets, see
 * socket.connect) reads into a caller's buffer instead and calls back with
 * the byte count: no allocation, no Readable push. net.Server has no such
 * option for the sockets it accepts, so it is switched on for them the way
 * the Socket constructor switches it on: its three option slots (Node's
 * kBuffer, kBufferCb, kBufferGen symbols, found by their description) are
 * set and the handle is told to read into the buffer (useUserBuffer). Where
 * the slots or the handle method are missing (another Node), nothing is
 * changed and the caller reads 'data' events as before.
 *
 * Invariant for the consumer: the bytes handed to `onChunk` are valid only
 * until it returns (the next read of any connection overwrites them). Who
 * keeps input past the call (a partial header line, a blocked client's
 * pipeline) keeps a copy. Reads run one at a time from the event loop, never
 * inside another read's callback, so one buffer serves every connection.
 * pause() and resume() stop and restart the handle's reads in this mode too
 * (net.Socket checks the same slot); end of stream and errors still arrive
 * as 'end', 'error' and 'close'.
 */
import type { Socket } from 'node:net';

/** libuv reads at most this much per call (Node's own per-read allocation is 64 KB too). */
const READ_BUFFER_BYTES = 64 * 1024;

interface UserBufferHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

type ChunkCallback = (chunk: Buffer) => void;

export class SharedReadBuffer {
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /**
   * The last view handed out: pipelining clients send reads of one size
   * again and again (16 requests of redis-benchmark), and a view is only
   * valid during its callback anyway, so one of the same length is handed
   * out again instead of a new Buffer per read.
   */
  private lastView: Buffer = this.buffer.subarray(0, 0);

  private view(bytesRead: number): Buffer {
    const last = this.lastView;
    if (last.length === bytesRead) return last;
    const view = this.buffer.subarray(0, bytesRead);
    this.lastView = view;
    return view;
  }

  /**
   * Makes `socket` read into the shared buffer and hand every read to
   * `onChunk` as a view of it. Returns false (socket unchanged) when this
   * Node does not offer the mode; the caller then listens for 'data'.
   */
  attach(socket: Socket, onChunk: ChunkCallback): boolean {
    const slots = optionSlots(socket);
    const handle = (socket as unknown as { _handle?: Partial<UserBufferHandle> | null })._handle;
    const record = socket as unknown as Record<symbol, unknown>;
    if (slots === null || record[slots.buffer] !== null || !handle || typeof handle.useUserBuffer !== 'function') return false;
    const buffer = this.buffer;
    record[slots.buffer] = buffer;
    record[slots.callback] = (bytesRead: number): void => {
      onChunk(this.view(bytesRead));
    };
    record[slots.generator] = null;
    handle.useUserBuffer(buffer);
    return true;
  }
}

interface OptionSlots {
  readonly buffer: symbol;
  readonly callback: symbol;
  readonly generator: symbol;
}

/** Found once: the same symbols serve every Socket of this process. */
let knownSlots: OptionSlots | null = null;

/** The Socket's onread slots, when every one is present (left null by the Socket constructor). */
function optionSlots(socket: Socket): OptionSlots | null {
  if (knownSlots !== null) return knownSlots;
  const symbols = Object.getOwnPropertySymbols(socket);
  const find = (description: string): symbol | undefined => symbols.find((symbol) => symbol.description === description);
  const buffer = find('kBuffer');
  const callback = find('kBufferCb');
  const generator = find('kBufferGen');
  const record = socket as unknown as Record<symbol, unknown>;
  if (!buffer || !callback || !generator || record[callback] !== null || record[generator] !== null) return null;
  knownSlots = { buffer, callback, generator };
  return knownSlots;
}

/**
 * A client's replies written straight to its socket's handle, as Redis's
 * writeToClient calls write(2), instead of through net.Socket's Writable
 * machinery.
 *
 * socket.write() costs, per call and besides the write(2) itself: the
 * Writable's state bookkeeping, a new native WriteWrap request object, the
 * socket's timer refresh, and a process.nextTick (with its tick object) for
 * the after-write callback. A pipelining client gets one write per read, so
 * that is paid once per 16 requests of redis-benchmark -P 16, and it is the
 * same sum for every command. Here the handle's writeBuffer is called with
 * one request object the process reuses: when the kernel takes every byte
 * within the call (nearly always) the handle never touches the request
 * (StreamBase::Write returns before wrapping it), so it serves the next
 * write as well.
 *
 * Invariants:
 *  - Order: this path is taken only while the Writable holds nothing
 *    (writableLength 0) and no earlier direct write is still queued, so no
 *    byte can overtake another; libuv itself keeps queued writes in order
 *    (a write while its queue is not empty is appended to it).
 *  - Accounting: bytes a direct write left queued in libuv (the kernel's
 *    buffer was full) are counted in `pendingBytes` until the write
 *    completes, and the client's backlog adds them to writableLength, so
 *    output-buffer limits and omem see them. Until then the
 *    client writes through socket.write again.
 *  - A failed write destroys the socket, as the Writable would ('error',
 *    then 'close', whose handler tears the client down).
 * Where the binding is missing (another runtime), `available` is false and
 * the caller keeps socket.write.
 */
import type { Socket } from 'node:net';
import { getSystemErrorName } from 'node:util';

interface WriteRequest {
  oncomplete?: (status: number) => void;
  buffer?: Uint8Array | null;
}

interface StreamWrapBinding {
  readonly WriteWrap: new () => WriteRequest;
  readonly streamBaseState: Int32Array;
  readonly kLastWriteWasAsync: number;
}

interface StreamHandle {
  writeBuffer(request: WriteRequest, data: Uint8Array): number;
}

/** What a direct write did. */
export const WRITE_DONE = 0;
/** Part of the bytes wait in libuv (counted in pendingBytes until written). */
export const WRITE_QUEUED = 1;
/** Not written: use socket.write. */
export const WRITE_UNAVAILABLE = 2;
/** The write failed and the socket was destroyed. */
export const WRITE_FAILED = 3;

function loadBinding(): StreamWrapBinding | null {
  try {
    const binding = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    const { WriteWrap, streamBaseState, kLastWriteWasAsync } = binding;
    if (typeof WriteWrap !== 'function' || !(streamBaseState instanceof Int32Array) || typeof kLastWriteWasAsync !== 'number') return null;
    return { WriteWrap, streamBaseState, kLastWriteWasAsync };
  } catch {
    return null;
  }
}

const binding = loadBinding();

/** The request object synchronous writes share (the handle never keeps it). */
let sharedRequest: WriteRequest | null = binding === null ? null : new binding.WriteWrap();

export class DirectSocketWriter {
  /** Bytes a direct write left queued in libuv, not yet written. */
  pendingBytes = 0;

  static get available(): boolean {
    return binding !== null;
  }

  constructor(private readonly socket: Socket) {}

  /**
   * Writes `bytes` if the direct path may be taken now. WRITE_DONE: the
   * kernel took every byte and nothing keeps `bytes`; WRITE_QUEUED: libuv
   * keeps `bytes` (the caller must not reuse them) until written.
   */
  write(bytes: Uint8Array): number {
    const socket = this.socket;
    const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
    if (binding === null || sharedRequest === null || this.pendingBytes > 0 || !handle || socket.writableLength > 0 || socket.connecting || !socket.writable) {
      return WRITE_UNAVAILABLE;
    }
    const request = sharedRequest;
    const status = handle.writeBuffer(request, bytes);
    const state = binding.streamBaseState;
    if (status !== 0) {
      // A write that failed inside libuv may have wrapped the request before letting it go: not reused.
      sharedRequest = new binding.WriteWrap();
      socket.destroy(Object.assign(new Error(`write ${getSystemErrorName(status)}`), { errno: status, code: getSystemErrorName(status), syscall: 'write' }));
      return WRITE_FAILED;
    }
    if (state[binding.kLastWriteWasAsync] === 0) return WRITE_DONE;
    // libuv now holds `request` and the rest of `bytes`: they stay with it until the write completes.
    sharedRequest = new binding.WriteWrap();
    // streamBaseState[kBytesWritten] is the write's whole size, not what the kernel took: count it all.
    const queued = bytes.length;
    this.pendingBytes += queued;
    request.buffer = bytes;
    request.oncomplete = (completion: number) => {
      request.buffer = null;
      this.pendingBytes -= queued;
      if (completion < 0) {
        if (!socket.destroyed) socket.destroy(Object.assign(new Error(`write ${getSystemErrorName(completion)}`), { errno: completion, code: getSystemErrorName(completion), syscall: 'write' }));
      }
    };
    return WRITE_QUEUED;
  }
}

/**
 * The tap once the master said +CONTINUE: every byte from the socket goes
 * through the decoder; the tap behaves as a replica that applies nothing.
 *
 *  - Offsets: the first byte after +CONTINUE is `startOffset` (the offset
 *    asked for in PSYNC). `offset` is the last byte of the last complete
 *    command, what a replica's reploff would be.
 *  - ACKs: `REPLCONF ACK <offset>` once a second (a master drops a replica
 *    that does not ACK for repl-timeout), and in answer to
 *    `REPLCONF GETACK *` at once, with the offset before the GETACK itself,
 *    as a 7.0 replica answers. Nothing else is ever written.
 *  - Liveness: a master pings its replicas every repl-ping-replica-period
 *    (10 s); no byte for repl-timeout (60 s) ends the tap, as a replica
 *    would call it a timeout.
 *  - The end is reported once: stopped by the console, closed by the master,
 *    timed out, or a byte that is not the replication stream.
 */
import type { DecodedCommand } from './stream-decoder';
import { ReplicationStreamDecoder, StreamProtocolError } from './stream-decoder';
import type { TapLink } from './tap-link';

export const ACK_INTERVAL_MS = 1000;

export type StreamEnd =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'closed'; readonly error: string | null }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'protocol'; readonly message: string };

export interface TapStreamOptions {
  readonly startOffset: number;
  /** The master's repl-timeout (seconds). */
  readonly replTimeoutSeconds: number;
  readonly onCommand: (command: DecodedCommand, now: number) => void;
  readonly onEnd: (end: StreamEnd) => void;
}

export class TapStream {
  private readonly decoder: ReplicationStreamDecoder;
  private readonly timer: NodeJS.Timeout;
  private lastDataAt = Date.now();
  private ended = false;
  private now = Date.now();
  /** Bytes read from the socket (complete commands or not). */
  bytesRead = 0;

  constructor(
    private readonly link: TapLink,
    private readonly options: TapStreamOptions,
  ) {
    this.decoder = new ReplicationStreamDecoder((command) => this.command(command));
    link.socket.on('close', () => this.end({ kind: 'closed', error: null }));
    link.socket.on('error', (error: Error) => this.end({ kind: 'closed', error: error.message }));
    this.timer = setInterval(() => this.tick(), ACK_INTERVAL_MS);
    this.timer.unref?.();
    link.stream((chunk) => this.data(chunk));
  }

  /** The offset of the last byte of the last complete command. */
  get offset(): number {
    return this.options.startOffset - 1 + this.decoder.consumed;
  }

  /** Bytes read past the last complete command (a command still arriving). */
  get partialBytes(): number {
    return this.decoder.pendingBytes;
  }

  /** Closes the connection; the master frees its replica ("Connection with replica ... lost"). */
  stop(): void {
    this.end({ kind: 'stopped' });
  }

  private data(chunk: Buffer): void {
    if (this.ended) return;
    this.now = Date.now();
    this.lastDataAt = this.now;
    this.bytesRead += chunk.length;
    try {
      this.decoder.feed(chunk);
    } catch (failure) {
      if (!(failure instanceof StreamProtocolError)) throw failure;
      this.end({ kind: 'protocol', message: `${failure.message} at offset ${this.offset + 1}` });
    }
  }

  private command(command: DecodedCommand): void {
    const name = command.args[0];
    // REPLCONF GETACK: answered at once with the offset before it (the decoder has counted it already).
    if (name !== undefined && name.length === 8 && name.toString('latin1').toLowerCase() === 'replconf' && command.args[1]?.toString('latin1').toLowerCase() === 'getack') {
      this.link.ack(this.offset - command.bytes);
    }
    this.options.onCommand(command, this.now);
  }

  private tick(): void {
    if (this.ended) return;
    const silentMs = Date.now() - this.lastDataAt;
    if (silentMs > this.options.replTimeoutSeconds * 1000) {
      this.end({ kind: 'timeout', seconds: Math.round(silentMs / 1000) });
      return;
    }
    this.link.ack(this.offset);
  }

  private end(end: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.link.close();
    this.options.onEnd(end);
  }
}

/**
 * What commands may ask of the dispatcher: EXEC runs its queue through it,
 * and a command that blocked a client on an outside event (CONFIG SET port)
 * resumes it. Implemented by server/dispatcher.ts.
 */
import type { ErrorReply, Reply } from '../../resp/reply';
import type { Client } from '../../server/client';
import type { BlockRequest, ResolvedCommand } from '../command-spec';

/** A script past busy-reply-threshold that EXEC's queue parks on, with how long its call took until it parked. */
export interface TransactionPark {
  readonly request: BlockRequest;
  /** µs the call took until the script was suspended. */
  readonly callMicros: number;
  /** performance.now() when it was suspended. */
  readonly parkedAt: number;
}

export interface DispatcherPort {
  /** EXEC is running its queued commands (set by EXEC around the queue). */
  executingTransaction: boolean;
  /**
   * Runs one command for `client` (EXEC's queue: topLevel false); its reply, or null when it blocked.
   * `now`: the command's fixed Unix ms time (EXEC gives its own; default: read now).
   */
  call(client: Client, command: ResolvedCommand, argv: string[], topLevel: boolean, now?: number): Reply | null;
  /** The request path's wall clock: Unix ms now is `clock.wallAt(performance.now())`. */
  readonly clock: { wallAt(performanceNow: number): number };
  resumeBlocked(client: Client, mode: 'retry' | 'timeout', readyKey?: string | null): boolean;
  /** The block request of a script the last queued command left running past busy-reply-threshold (EXEC parks on it), or null. */
  takeTransactionPark(): TransactionPark | null;
  /**
   * EXEC's parked script ended: its usec, latency histogram, slowlog entry
   * and latency event for the whole span since its call, counted once (the
   * queued command's own call() in Redis).
   */
  finishParkedCall(client: Client, command: ResolvedCommand, argv: string[], park: TransactionPark): void;
  /** A command answered `client` an error: its failed_calls and afterErrorReply (EXEC's parked script). */
  countFailure(client: Client, command: ResolvedCommand, reply: ErrorReply): void;
  /** An error reply `message` was sent to `client` outside a command's own reply (EXEC's ACL recheck): afterErrorReply. */
  errorReplied(client: Client, message: string, commandName: string): void;
}

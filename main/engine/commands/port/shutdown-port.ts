/**
 * What SHUTDOWN sees of the shutdown sequence (server/shutdown.ts).
 */
import type { Client } from '../../server/client';

/** SHUTDOWN's options (shutdownCommand's flags). */
export interface ShutdownFlags {
  readonly save: boolean;
  readonly nosave: boolean;
  /** Do not wait for lagging replicas. */
  readonly now: boolean;
  /** Exit even when the final save fails. */
  readonly force: boolean;
}

/**
 * 'stopping': the node is being stopped (nothing is replied);
 * 'waiting': replicas lag, the caller waits (blocked) for the outcome;
 * 'failed': the final save failed, the server keeps running.
 */
export type ShutdownOutcome = 'stopping' | 'waiting' | 'failed';

export interface ShutdownPort {
  /** A shutdown is waiting for replicas (INFO shutdown_in_milliseconds). */
  readonly initiated: boolean;
  /** prepareForShutdown(): starts the sequence; a SHUTDOWN during the wait joins it. */
  prepare(flags: ShutdownFlags): ShutdownOutcome;
  /** SHUTDOWN ABORT: false when no shutdown is in progress. */
  abort(): boolean;
  /** A SHUTDOWN client that waits: it is answered only if the shutdown is cancelled. */
  addWaiter(client: Client): void;
  /** The reply for a waiting client once the shutdown was cancelled, else null. */
  outcomeFor(client: Client): string | null;
}

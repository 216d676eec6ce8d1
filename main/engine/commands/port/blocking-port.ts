/**
 * What commands may do to blocked clients and the keys they wait on
 * (CLIENT UNBLOCK, FLUSHALL/SWAPDB waking stream readers). Blocking a
 * client is not here: a command returns a BlockRequest (command-spec.ts).
 * Implemented by server/blocking.ts.
 */
import type { Database } from '../../keyspace/database';
import type { Client } from '../../server/client';

export interface BlockingPort {
  /** Clients waiting on a key of `db` that has become ready are served. */
  scanForReadyKeys(db: Database): void;
  /** Stream keys of `db` with XREADGROUP waiters that vanish when `db` becomes `replacedWith`. */
  streamKeysGoing(db: Database, replacedWith: Database | null): string[];
  signalKeys(db: Database, keys: ReadonlyArray<string>): void;
  isUnblockable(client: Client): boolean;
  /** CLIENT UNBLOCK … ERROR. */
  unblock(client: Client): void;
  /** CLIENT UNBLOCK [TIMEOUT]: as if its timeout had passed. */
  unblockWithTimeout(client: Client): void;
}

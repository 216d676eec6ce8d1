/**
 * Messages between the console and one embedded engine worker thread. Each
 * worker hosts one engine node and, for a replica, the chaos proxy its
 * replication link goes through (so the link's faults cost that node's
 * thread, not the console's).
 */
import type { EngineEvent } from '../../../shared/contract/engine-events';

export interface EngineWorkerData {
  readonly name: string;
  /** redis.conf-style startup configuration. */
  readonly config: ReadonlyArray<readonly [string, string]>;
  /** Port of the upstream node this replica replicates from, through a proxy in this worker. */
  readonly upstreamPort: number | null;
  /** Reuse this proxy port (a restarted node keeps its address). */
  readonly proxyPort: number;
  /** Start without the replication ids saved in the RDB (restart-master without persisted replid). */
  readonly ignoreRdbReplicationInfo: boolean;
}

export type ChaosAction =
  | { readonly action: 'cut'; readonly seconds: number }
  | { readonly action: 'latency'; readonly ms: number }
  | { readonly action: 'bandwidth'; readonly bytesPerSec: number }
  | { readonly action: 'pause'; readonly seconds: number }
  | { readonly action: 'heal' };

export type ToWorker =
  | { readonly type: 'chaos'; readonly id: number; readonly chaos: ChaosAction }
  | { readonly type: 'faults'; readonly id: number }
  /** The node's role as ROLE names it: ['master'], or ['slave', master host, master port] (the address it was told to follow). */
  | { readonly type: 'role'; readonly id: number }
  /** The address the proxy forwards a replica connection from (what the master sees), given the replica's local address. */
  | { readonly type: 'proxy-upstream-address'; readonly id: number; readonly downstream: string }
  | { readonly type: 'stop'; readonly id: number; readonly save: boolean };

export type FromWorker =
  | { readonly type: 'ready'; readonly port: number; readonly proxyPort: number | null }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'event'; readonly event: EngineEvent }
  /** The node panicked and stopped (its `crashed` event was relayed just before): `message` is its Guru Meditation text. */
  | { readonly type: 'crashed'; readonly message: string }
  | { readonly type: 'log'; readonly line: string }
  /** `values`: the active faults, the one upstream address asked for (empty when unknown), or the role. */
  | { readonly type: 'reply'; readonly id: number; readonly values: string[]; readonly error: string | null };

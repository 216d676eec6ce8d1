/**
 * What commands may see and do of replication (REPLICAOF, REPLCONF, ROLE,
 * WAIT, FAILOVER, CLIENT KILL of a replica, DEBUG CHANGE-REPL-ID, the
 * replica checks of EXPIRE/SET/scripts). Implemented by
 * replication/replication.ts; the types shared with it live here so the
 * port imports nothing that holds the node.
 */
import type { LinkDownReason } from '../../../../shared/contract/engine-events';
import type { ReplicaLink } from '../../replication/replica-link';
import type { ReplicationIds } from '../../replication/replication-ids';
import type { Client } from '../../server/client';

/** Our link to our master, as ROLE reports it (connect → connected). */
export type LinkPhase = 'connect' | 'connecting' | 'handshake' | 'sync' | 'connected';

export interface FailoverRequest {
  readonly targetHost: string | null;
  readonly targetPort: number;
  /** Milliseconds to wait for a replica to catch up; 0 = forever. */
  readonly timeoutMs: number;
  readonly force: boolean;
}

export interface MasterLinkPort {
  readonly phase: LinkPhase;
  /** The client our master's stream arrives on, once the sync is done. */
  readonly masterClient: Client | null;
  /** Offset of the master's stream applied so far. */
  readonly appliedOffset: number;
  /** REPLCONF ACK <offset> to our master now. */
  sendAck(): void;
}

export interface FailoverPort {
  readonly inProgress: boolean;
  findReplica(host: string, port: number): ReplicaLink | undefined;
  begin(request: FailoverRequest, now: number): void;
  abort(reason: string): void;
}

export interface ReplicationPort {
  readonly isReplica: boolean;
  /** A replica whose link to its master is up (replica-serve-stale-data). */
  readonly linkUp: boolean;
  readonly masterHost: string | null;
  readonly masterPort: number;
  readonly link: MasterLinkPort | null;
  readonly replicas: ReadonlySet<ReplicaLink>;
  readonly masterReplOffset: number;
  readonly ids: ReplicationIds;
  readonly failover: FailoverPort;
  /** min-replicas-to-write is met. */
  enoughGoodReplicas(): boolean;
  /** Replicas whose ACK reached `offset` (WAIT). */
  countAcks(offset: number): number;
  acknowledge(link: ReplicaLink, offset: number): void;
  dropReplica(link: ReplicaLink, reason: LinkDownReason, detail: string): void;
  setMaster(host: string, port: number): void;
  unsetMaster(why: string): void;
  /** DEBUG REPLICATE: a command into the stream to our replicas as it is, with no SELECT (masters only). */
  feedWithoutSelect(argv: ReadonlyArray<string>): void;
}

/**
 * Replication state as the rest of the engine sees it. This first version is
 * a master with no replicas: no backlog, offset 0, nothing propagated (a
 * master that never had replicas produces no stream, as in Redis).
 */
import type { EngineNode } from '../node';
import type { Client } from '../server/client';

export class Replication {
  isReplica = false;
  linkUp = false;
  masterReplOffset = 0;

  constructor(private readonly node: EngineNode) {}

  /** min-replicas-to-write gate. */
  enoughGoodReplicas(): boolean {
    const needed = this.node.config.int('min-replicas-to-write');
    const maxLag = this.node.config.int('min-replicas-max-lag');
    if (needed === 0 || maxLag === 0) return true;
    return false;
  }

  /** A command leaves this node for the replication stream. */
  feed(_dbIndex: number, _argv: ReadonlyArray<string>): void {}

  /** WAIT asks replicas for their offsets (REPLCONF GETACK *). */
  requestAcks(): void {}

  /** A bare newline from a replica: it is alive (updates its ACK time). */
  replicaKeepalive(_client: Client): void {}

  /** A replica or master link client disconnected. */
  clientGone(_client: Client): void {}
}

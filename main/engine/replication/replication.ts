/**
 * Replication state as the rest of the engine sees it. This first version is
 * a master with no replicas: no backlog, offset 0, nothing propagated (a
 * master that never had replicas produces no stream, as in Redis).
 */
import { randomBytes } from 'node:crypto';
import type { EngineNode } from '../node';
import type { Client } from '../server/client';

export class Replication {
  isReplica = false;
  linkUp = false;
  masterReplOffset = 0;
  replid = randomBytes(20).toString('hex');

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

  /**
   * What an RDB written now should record for PSYNC2 restarts (aux fields
   * repl-stream-db, repl-id, repl-offset), or null when there is nothing to
   * record. (rdbPopulateSaveInfo.)
   */
  rdbSaveInfo(): { replid: string; offset: number; streamDb: number } | null {
    return null;
  }

  /** Called after a dataset was loaded at startup with the RDB's aux fields (PSYNC2 restart). */
  restoreFromRdb(_aux: ReadonlyMap<string, string>): void {}

  /** INFO replication fields, in Redis's exact order (see reference §5.1). */
  infoFields(): Array<[string, string | number]> {
    return [
      ['role', 'master'],
      ['connected_slaves', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', this.replid],
      ['master_replid2', '0000000000000000000000000000000000000000'],
      ['master_repl_offset', this.masterReplOffset],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', this.node.config.int('repl-backlog-size')],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
    ];
  }
}

/**
 * Master side: the replication state of one replica connection, from SYNC or
 * PSYNC on (the client struct's repl* fields in Redis).
 *
 * States (INFO slaveN state=...):
 *   wait_bgsave  waiting for a snapshot to start (WAIT_BGSAVE_START) or to
 *                finish before its payload can go (WAIT_BGSAVE_END)
 *   send_bulk    the payload is being written
 *   online       receiving the command stream (for a diskless sync, only
 *                after its first REPLCONF ACK: startStreamOnAck)
 *
 * `nextOffset` is the next stream byte to send; the shared replication
 * buffer is pinned from there, so nothing this replica still needs is
 * trimmed. Output-buffer accounting counts those pinned-but-unsent bytes
 * plus what the socket still holds, like Redis counting a replica's
 * references into the shared buffer.
 */
import type { RdbFilter } from './snapshot-port';
import type { Client } from '../server/client';

export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

export class ReplicaLink {
  state: ReplicaState = 'wait_bgsave_start';
  /** REPLCONF listening-port (0 = unknown, INFO then shows the peer port). */
  listeningPort = 0;
  /** REPLCONF ip-address, or null to use the peer address. */
  announcedIp: string | null = null;
  capaEof = false;
  capaPsync2 = false;
  /** Legacy SYNC: no +FULLRESYNC, no ACKs expected, never timed out. */
  preSync = false;
  /** REPLCONF rdb-only 1: wants the RDB only (redis-cli --rdb), dropped after it. */
  rdbOnly = false;
  /** REPLCONF rdb-filter-only: what its RDB holds (a filtered one is always sent EOF-marked, never shared with other filters). */
  rdbFilter: RdbFilter = 'all';
  ackOffset = 0;
  /** A REPLCONF ACK arrived on this connection: ackOffset 0 is then an acknowledged 0, not "none yet". */
  acknowledged = false;
  /** Unix ms of the last REPLCONF ACK or newline from the replica. */
  ackTime = Date.now();
  nextOffset = 0;
  /** Diskless sync done: stream starts at the first ACK (repl_start_cmd_stream_on_ack). */
  startStreamOnAck = false;
  /** When the replica last made progress reading its payload (full sync timeout). */
  lastTransferProgress = Date.now();
  /** Since when the soft output-buffer limit has been exceeded (null: not exceeded). */
  softLimitSince: number | null = null;
  syncStartedAt = 0;
  transferBytes = 0;
  transferTotal: number | null = null;

  constructor(readonly client: Client) {}

  /** ip as INFO shows it: the announced one, else the connection's peer address. */
  get ip(): string {
    if (this.announcedIp) return this.announcedIp;
    const address = this.client.address;
    const colon = address.lastIndexOf(':');
    const host = colon > 0 ? address.slice(0, colon) : address;
    return host.startsWith('[') ? host.slice(1, -1) : host;
  }

  get port(): number {
    if (this.listeningPort > 0) return this.listeningPort;
    const address = this.client.address;
    return Number(address.slice(address.lastIndexOf(':') + 1)) || 0;
  }

  /** "ip:port" as replicationGetSlaveName prints it. */
  get name(): string {
    return `${this.ip}:${this.port}`;
  }

  /** INFO's state word. */
  get infoState(): string {
    switch (this.state) {
      case 'wait_bgsave_start':
      case 'wait_bgsave_end':
        return 'wait_bgsave';
      case 'send_bulk':
        return 'send_bulk';
      case 'online':
        return 'online';
    }
  }
}

/** The replica link of a client that speaks the replication protocol, made on its first REPLCONF or SYNC. */
export function linkOf(client: Client): ReplicaLink {
  if (!client.replicaLink) client.replicaLink = new ReplicaLink(client);
  return client.replicaLink;
}

/**
 * INFO replication, field by field in Redis 7.0's order (reference §5.1),
 * for both roles. Replica-only fields come first on a replica; the master
 * part (connected_slaves, the slaveN lines, ids, offsets, backlog) is common.
 */
import type { Replication } from './replication';

type Fields = Array<[string, string | number]>;

export function replicationInfoFields(repl: Replication): Fields {
  const node = repl.node;
  const now = Date.now();
  const fields: Fields = [['role', repl.isReplica ? 'slave' : 'master']];
  const link = repl.link;
  if (repl.isReplica && link) {
    fields.push(['master_host', repl.masterHost ?? '']);
    fields.push(['master_port', repl.masterPort]);
    fields.push(['master_link_status', link.phase === 'connected' ? 'up' : 'down']);
    const masterClient = link.masterClient;
    fields.push(['master_last_io_seconds_ago', masterClient ? Math.floor((now - masterClient.lastInteraction) / 1000) : -1]);
    fields.push(['master_sync_in_progress', link.phase === 'sync' ? 1 : 0]);
    let applied = 1;
    let read = 1;
    if (masterClient) {
      applied = link.appliedOffset;
      read = link.readOffset;
    } else if (link.cached) {
      applied = link.cached.offset;
      read = link.cached.offset;
    }
    fields.push(['slave_read_repl_offset', read]);
    fields.push(['slave_repl_offset', applied]);
    const transfer = link.transferState;
    if (link.phase === 'sync' && transfer) {
      const total = transfer.form === null ? -1 : transfer.form === 'eof' ? 0 : (transfer.total ?? 0);
      const readBytes = transfer.received;
      fields.push(['master_sync_total_bytes', total]);
      fields.push(['master_sync_read_bytes', readBytes]);
      fields.push(['master_sync_left_bytes', total - readBytes]);
      fields.push(['master_sync_perc', (total > 0 ? (readBytes * 100) / total : 0).toFixed(2)]);
      fields.push(['master_sync_last_io_seconds_ago', Math.floor((now - link.lastIo) / 1000)]);
    }
    if (link.phase !== 'connected') {
      fields.push(['master_link_down_since_seconds', link.downSince ? Math.floor((now - link.downSince) / 1000) : -1]);
    }
    fields.push(['slave_priority', node.config.int('replica-priority')]);
    fields.push(['slave_read_only', node.config.bool('replica-read-only') ? 1 : 0]);
    fields.push(['replica_announced', node.config.bool('replica-announced') ? 1 : 0]);
  }
  fields.push(['connected_slaves', repl.replicas.size]);
  if (node.config.int('min-replicas-to-write') > 0 && node.config.int('min-replicas-max-lag') > 0) {
    fields.push(['min_slaves_good_slaves', repl.goodReplicaCount()]);
  }
  let index = 0;
  for (const replica of repl.replicas) {
    if (replica.rdbOnly && replica.state === 'online') continue;
    const lag = replica.state === 'online' ? Math.floor((now - replica.ackTime) / 1000) : 0;
    fields.push([`slave${index++}`, `ip=${replica.ip},port=${replica.listeningPort},state=${replica.infoState},offset=${replica.ackOffset},lag=${lag}`]);
  }
  const buffer = repl.buffer;
  fields.push(['master_failover_state', repl.failover.state]);
  fields.push(['master_replid', repl.ids.replid]);
  fields.push(['master_replid2', repl.ids.replid2]);
  fields.push(['master_repl_offset', repl.masterReplOffset]);
  fields.push(['second_repl_offset', repl.ids.secondReplOffset]);
  fields.push(['repl_backlog_active', buffer ? 1 : 0]);
  fields.push(['repl_backlog_size', node.config.int('repl-backlog-size')]);
  fields.push(['repl_backlog_first_byte_offset', buffer ? buffer.firstByteOffset : 0]);
  fields.push(['repl_backlog_histlen', buffer ? buffer.histlen : 0]);
  return fields;
}

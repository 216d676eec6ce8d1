/**
 * A lone master's new replication id when it gets its first replica. Redis
 * 7.0's syncCommand creates the backlog when the first replica is added
 * and there is none yet; since there is no past history to keep, it then
 * takes a new replication id and clears ID2 ("Replication backlog created,
 * my new replication IDs are '<new>' and '000…'" in its log). Between two
 * polls the master's INFO shows it: master_replid changed, master_replid2
 * all zeros with second_repl_offset -1, connected_slaves from 0 to at
 * least 1, and sync_full moved (no backlog: the replica's PSYNC could not
 * be continued). The process did not restart (same run_id): that case is
 * master-restarted.
 */
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

/** INFO master_replid2 once clearReplicationId2 ran: forty zeros. */
const CLEARED_REPLID = '0'.repeat(40);

/** The words naming a backlog created from scratch, with the figures read off the master, or null when INFO does not say so. */
export function backlogCreatedReplidChange(before: NodeSnapshot, now: NodeSnapshot): string | null {
  if (before.role !== 'master' || now.role !== 'master') return null;
  if (before.backlog?.active === true) return null;
  if (before.connectedReplicas !== 0 || now.connectedReplicas === null || now.connectedReplicas < 1) return null;
  if (now.replid2 !== CLEARED_REPLID || now.secondReplOffset !== -1) return null;
  const full = before.counters !== null && now.counters !== null ? now.counters.syncFull - before.counters.syncFull : 0;
  if (full < 1) return null;
  return `its first replica connected and it had no backlog, so it created one with a new replication id and cleared replid2`
    + ` (INFO connected_slaves 0 -> ${now.connectedReplicas}, sync_full ${before.counters!.syncFull} -> ${now.counters!.syncFull},`
    + ` master_replid2 000…, second_repl_offset -1, master_repl_offset ${now.masterReplOffset ?? '?'})`;
}

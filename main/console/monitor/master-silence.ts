/**
 * How long a replica has heard nothing from its master, in the replica's own
 * words, while the console cannot poll that master.
 *
 * A hung master (SIGSTOP, DEBUG SLEEP, a long script) or an unreachable one
 * gives the console nothing current: its last INFO holds an offset and an
 * ACK age that stopped moving when it did, so a byte lag computed from them
 * (usually 0) is a figure nobody measured. The replica still answers, and
 * INFO replication says how long ago it last read anything from its master
 * (master_last_io_seconds_ago; the master's PINGs count, every
 * repl-ping-replica-period). That is the truth to show: it grows with the
 * hang, and at repl-timeout the replica drops the link itself.
 *
 * Only while the replica answers this poll and says its link is up: a link
 * it reports down has its own figure (master_link_down_since_seconds), and
 * Redis prints -1 here when there is no link.
 */
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

/** Whether a node's figures are this poll's answer (a loading node answers too). */
function answered(node: NodeSnapshot): boolean {
  return !node.stale && (node.health === 'up' || node.health === 'loading');
}

/** The replica's master_last_io_seconds_ago while its master (null: not polled) did not answer; null otherwise. */
export function masterSilentSeconds(master: NodeSnapshot | null, replica: NodeSnapshot | null): number | null {
  if (master !== null && answered(master)) return null;
  if (replica === null || replica.role !== 'replica' || !answered(replica) || replica.masterLinkStatus !== 'up') return null;
  const seconds = replica.masterLastIoSecondsAgo;
  return seconds !== null && seconds >= 0 ? seconds : null;
}

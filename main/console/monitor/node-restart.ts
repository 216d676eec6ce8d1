/**
 * A node whose process restarted, as the polls see it: INFO run_id is a
 * random id redis-server (and our engine) draws at every start, so a new
 * one is a new process. Between the last answer of the old process and the
 * first of the new one, every replication link of the node ended with the
 * old process: its master lost the replica ("Connection with replica <r>
 * lost."), its replicas lost their master ("Connection with master lost.").
 * Those link-downs are the restart's doing, whichever way the console found
 * them (a poll that saw the link down, or the resync counters of the
 * link's reconnect).
 */
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';

export interface NodeRestart {
  readonly nodeId: string;
  readonly runIdBefore: string;
  readonly runId: string;
  /** When the old process last answered a poll. */
  readonly lastSeenBefore: number;
  /** When the new process first answered one. */
  readonly seenAt: number;
}

/**
 * A link-down is filed after the restart that caused it by up to this much:
 * the replica of a restarted master keeps its link down while the master
 * loads or full-syncs from its own master, and a poll may see it only
 * then. A link-down later than that is some other drop.
 */
export const RESTART_LINK_DOWN_LATE_MS = 10_000;

/** Whether the link-down at `time` falls between the old process's last answer and a little after the new one's first (replication-memory.ts restartHolding also ends it at the link's first online sighting after the restart). */
export function restartHolds(restart: NodeRestart, time: number): boolean {
  return time >= restart.lastSeenBefore && time <= restart.seenAt + RESTART_LINK_DOWN_LATE_MS;
}

/**
 * A link-down with no cause of its own put down to the restart of one of
 * its ends: the master's (`master-restarted`: the replica lost its
 * master's process) or the replica's (`replica-restarted`: its master lost
 * the replica's process). The master's restart is looked at first: a
 * replica whose master restarted reconnects to a new process whatever it
 * did itself. `restartOf` answers for an end's restart holding the time.
 */
export function byRestart(event: ReplicationEvent, restartOf: (nodeId: string, time: number) => NodeRestart | null): ReplicationEvent {
  if (event.kind !== 'link-down' || event.cause !== 'unknown' || event.peerId === null) return event;
  const ends: Array<[string, CauseCode, string]> = [[event.peerId, 'master-restarted', 'its master'], [event.nodeId, 'replica-restarted', 'the replica']];
  for (const [nodeId, cause, who] of ends) {
    const restart = restartOf(nodeId, event.time);
    if (restart === null) continue;
    const evidence = `${who} ${nodeId} restarted: INFO run_id ${restart.runIdBefore.slice(0, 8)} -> ${restart.runId.slice(0, 8)} (new process first seen at ${new Date(restart.seenAt).toISOString()})`;
    return { ...event, cause, message: `${event.message} — ${evidence}`, numbers: { ...event.numbers, evidence } };
  }
  return event;
}

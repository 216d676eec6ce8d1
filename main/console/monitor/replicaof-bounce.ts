/**
 * A replica's link that dropped and came back to the same master between
 * two polls, with REPLICAOF / SLAVEOF counted twice or more on the replica
 * itself (INFO commandstats) since the baseline before the poll preceding
 * the drop, not run by this console and not in Sentinel's SLAVEOF
 * transactions: someone turned it into a master and back. redis-server 7.0
 * (replication.c): REPLICAOF NO ONE closes the link to the master and
 * shifts the replication id (shiftReplicationId: a new replid, the old one
 * kept as replid2); the REPLICAOF <master> that follows reconnects, and the
 * PSYNC carries the new id, which the master never issued: "Partial
 * resynchronization not accepted: Replication ID mismatch", a full resync,
 * after which the replica holds its master's id again. Within one poll
 * interval no poll sees the replica as a master nor its passing id: the
 * master's sync counters (sync_full, sync_partial_err) and the replica's
 * cmdstat_replicaof (+2) are what is left to read.
 *
 * One REPLICAOF cannot do this: naming another master is a re-point
 * (replica-repoints.ts, which comes first), naming the same one again is a
 * no-op ("+OK Already connected to specified master").
 */
import type { Redis } from 'ioredis';
import type { ReplicationEvent } from '../../../shared/contract/events';
import { sentinelSlaveofEvidence, type CommandEvidence } from './command-evidence';

export interface ReplicaofBounce {
  /** "REPLICAOF ×2 ran on <replica> (INFO commandstats), not from this console: ..." */
  readonly evidence: string;
}

/**
 * The role commands counted on `replicaId` since the baseline before
 * `sincePoll`, as evidence of such a bounce; null when fewer than two
 * REPLICAOF/SLAVEOF were counted, the counters cannot be read, this
 * console ran a role action on it (OwnCuts explains that), or the SLAVEOFs
 * were Sentinel's transactions.
 */
export async function replicaofBounce(commands: CommandEvidence, replicaId: string, sincePoll: number, time: number, client: Redis | undefined): Promise<ReplicaofBounce | null> {
  if (commands.intentFor(replicaId, time) !== null) return null;
  const reading = await commands.roleCommandsSince(replicaId, sincePoll, client);
  if (reading === null) return null;
  const ran = reading.commands.filter((command) => /^(REPLICAOF|SLAVEOF) /.test(command));
  const count = ran.reduce((sum, command) => sum + Number(/×(\d+)$/.exec(command)?.[1] ?? 0), 0);
  if (count < 2 || sentinelSlaveofEvidence(reading, ran) !== null) return null;
  return {
    evidence: `${ran.join(', ')} ran on ${replicaId} (INFO commandstats), not from this console: made a master and back between two polls `
      + `(REPLICAOF NO ONE drops the link and gives ${replicaId} a replication id of its own; the REPLICAOF that follows asks its master with that id)`,
  };
}

/**
 * The event with the bounce as its explanation, when nothing else explained
 * it (no attribution yet): a link-down or partial resync takes the cause
 * operator-command; a full resync keeps its protocol cause (replid-mismatch:
 * the id REPLICAOF NO ONE gave it) and says who made it.
 */
export function byBounce(event: ReplicationEvent, bounced: ReplicaofBounce | null): ReplicationEvent {
  if (bounced === null || event.numbers.attribution !== undefined) return event;
  if (event.kind !== 'full-resync' && event.cause !== 'unknown') return event;
  const lead = event.kind === 'partial-resync' ? 'it reconnected after ' : '';
  return { ...event, cause: event.kind === 'full-resync' ? event.cause : 'operator-command', message: `${event.message} — ${lead}${bounced.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: bounced.evidence } };
}

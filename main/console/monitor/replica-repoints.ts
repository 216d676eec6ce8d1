/**
 * A running replica re-pointed from one master to another: REPLICAOF (or
 * SLAVEOF) <new master> run on it. redis-server 7.0 logs it on the replica
 * ("REPLICAOF <host>:<port> enabled (user request from ...)"), its old
 * master drops the link ("Connection with replica <id> lost"), and the new
 * master answers its PSYNC: continued when it has the replica's history
 * (PSYNC2: a sibling replica, a master promoted from that history;
 * "Partial resynchronization request from <replica> accepted",
 * sync_partial_ok +1), else with a full sync ("Partial resynchronization
 * not accepted: Replication ID mismatch", sync_full +1, sync_partial_err +1).
 *
 * The console reads it off the replica's own INFO: master_host:master_port
 * changed between two polls it answered as a replica, with the same run_id
 * (a restarted replica takes its master from its config, no re-point; a
 * master made a replica is a demotion, role-attribution.ts). Who ran it:
 * this console's own Re-point replica (its evidence), else the REPLICAOF /
 * SLAVEOF counted on the replica (INFO commandstats) since the last poll
 * that showed it on the old master. Sentinel's re-pointing is told by its
 * notices (event-detector.ts) and is not one of these, unless the poll saw
 * it before its notice arrived: then the SLAVEOF is known for Sentinel's by
 * the transaction it comes in (command-evidence.ts roleCommandsSince). Not for a Redis
 * Cluster: its replicas follow a new master by the Cluster's own doing.
 *
 * The re-point explains, when nothing before it did (cause still unknown):
 * the link-down with the old master, the link-up with the new one, the
 * replica's first resync from the new master (a full one keeps its protocol
 * cause, which says why the history could not be continued, and gains the
 * words), and its replication id change when it takes the new master's.
 */
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import type { ReplicationMemory } from './replication-memory';

/** Events this long after the poll that saw the re-point are its (a full sync waits for its replica's answer). */
const EXPLAINS_MS = 30_000;
/** A link-down first seen up to this long before the replica's last answer on its old master is not the re-point's. */
const BEFORE_MS = 1_000;

export interface Repoint {
  readonly replicaId: string;
  readonly fromId: string;
  readonly toId: string;
  /** master_host:master_port as the replica gave them, before and after. */
  readonly fromAddress: string;
  readonly toAddress: string;
  /** Both addresses are the same watched node: a REPLICAOF naming its master otherwise. */
  readonly sameNode: boolean;
  /** When the replica last answered following the old master. */
  readonly lastOldAt: number;
  /** The command-evidence number of that poll: commands counted since its baseline ran after it. */
  readonly lastOldPoll: number;
  /**
   * The time of that poll's snapshot: a resync recorded with that time or
   * earlier was counted by a poll that still showed the old master, so it
   * came before the re-point (its time is its poll's, later than the
   * replica's answer in it: lastOldAt will not do). Used only when
   * `sameNode`: otherwise the master that served a resync tells it.
   */
  readonly lastOldPollAt: number;
  /** When the poll that first showed the new master was taken. */
  readonly detectedAt: number;
}

/**
 * Who re-pointed it, as found: this console (its action's evidence), Sentinel
 * (its SLAVEOF transaction counted on the replica, its notice not heard yet:
 * the words), REPLICAOF/SLAVEOF counted (the counts), or not known.
 */
export type RepointRunBy = { readonly by: 'console'; readonly evidence: string } | { readonly by: 'sentinel'; readonly evidence: string } | { readonly by: 'command'; readonly counted: readonly string[] } | { readonly by: 'unknown'; readonly countersRead: boolean };

interface Explained extends Repoint {
  readonly cause: CauseCode;
  readonly evidence: string;
  readonly said: Set<ReplicationEvent['kind']>;
}

/**
 * The replicas this snapshot shows following another master than at their
 * last answer. Call before `memory.observe(current)`. Both masters are named
 * as the monitor watches them (`alias`: a proxy's address is its node's, as
 * the links' master ids are), so the re-point's link events match. A
 * REPLICAOF naming the same master under another address (localhost for
 * 127.0.0.1, a proxy's address) is no re-point to another node, but Redis
 * treats it as one: the replica drops its link and reconnects, and its
 * master accepts its PSYNC again ("Partial resynchronization request from
 * ... accepted", sync_partial_ok +1); it is kept, with `sameNode`, so
 * those events are said for what they are.
 */
export function repointsSeen(current: TopologySnapshot, memory: ReplicationMemory, alias: (address: string) => string = (address) => address): Repoint[] {
  const found: Repoint[] = [];
  for (const node of current.nodes) {
    if (node.health !== 'up' || node.stale || node.role !== 'replica' || node.masterHost === null) continue;
    const last = memory.lastUpState(node.id);
    if (last?.role !== 'replica' || last.masterHost === null || memory.restartedSinceLastSeen(node)) continue;
    const fromAddress = `${last.masterHost}:${last.masterPort}`;
    const toAddress = `${node.masterHost}:${node.masterPort}`;
    if (fromAddress === toAddress) continue;
    const fromId = alias(fromAddress);
    const toId = alias(toAddress);
    found.push({ replicaId: node.id, fromId, toId, fromAddress, toAddress, sameNode: fromId === toId, lastOldAt: last.sampledAt, lastOldPoll: memory.lastUpPollOf(node.id), lastOldPollAt: memory.lastUpPollTimeOf(node.id), detectedAt: current.time });
  }
  return found;
}

/** The words for a re-point and who ran it, and the cause they give. */
export function repointEvidence(repoint: Repoint, runBy: RepointRunBy): { cause: CauseCode; evidence: string } {
  const moved = `its INFO master_host:master_port went from ${repoint.fromAddress} to ${repoint.toAddress} between two polls, its run_id unchanged`;
  const what = repoint.sameNode
    ? `${repoint.replicaId} was re-pointed to its own master ${repoint.toId} under another address (${moved}; Redis drops the link and reconnects all the same)`
    : `${repoint.replicaId} was re-pointed from ${repoint.fromId} to ${repoint.toId} (${moved})`;
  if (runBy.by === 'console') return { cause: 'manual', evidence: `${what}: ${runBy.evidence}` };
  if (runBy.by === 'sentinel') return { cause: 'sentinel-failover', evidence: `${what}: by Sentinel, ${runBy.evidence} (its notice had not reached this console)` };
  if (runBy.by === 'command') return { cause: 'operator-command', evidence: `${what}: ${runBy.counted.join(', ')} ran on ${repoint.replicaId} (INFO commandstats), not from this console and with no Sentinel notice` };
  const why = runBy.countersRead ? 'no REPLICAOF or SLAVEOF in its INFO commandstats since, no Sentinel notice, no action of this console' : 'its command counters could not be compared, no Sentinel notice, no action of this console';
  return { cause: 'unknown', evidence: `${what}; who ran it is not known (${why})` };
}

export class ReplicaRepoints {
  private readonly repoints: Explained[] = [];

  note(repoint: Repoint, runBy: RepointRunBy): void {
    for (let index = this.repoints.length - 1; index >= 0; index -= 1) if (repoint.detectedAt - this.repoints[index]!.detectedAt > EXPLAINS_MS) this.repoints.splice(index, 1);
    this.repoints.push({ ...repoint, ...repointEvidence(repoint, runBy), said: new Set() });
  }

  /**
   * The event with the re-point as its explanation, when it is one of the
   * re-point's and still unexplained (cause unknown; a full resync keeps
   * its cause); else the event as it is. `resyncedSince`: whether a resync
   * of the replica served by a master was recorded at or after a time (only
   * the first resync from the new master after the re-point is its).
   */
  explain(event: ReplicationEvent, resyncedSince: (replicaId: string, masterId: string, time: number) => boolean): ReplicationEvent {
    // Explained already (this console's action, Sentinel, a CLIENT KILL): that evidence stands.
    if ((event.cause !== 'unknown' && event.kind !== 'full-resync') || event.numbers.attribution !== undefined) return event;
    const repoint = this.repoints.findLast((candidate) => candidate.replicaId === event.nodeId && !candidate.said.has(event.kind) && matches(candidate, event, resyncedSince));
    if (repoint === undefined) return event;
    repoint.said.add(event.kind);
    const attribution = repoint.cause === 'manual' || repoint.cause === 'operator-command' ? 'operator' : repoint.cause === 'sentinel-failover' ? 'sentinel' : 'unknown';
    const numbers = { ...event.numbers, attribution, evidence: repoint.evidence, repointedFrom: repoint.fromId, repointedTo: repoint.toId };
    const lead = event.kind === 'partial-resync' ? 'it continued after' : event.kind === 'replid-change' ? `it took ${repoint.toId}'s history after` : event.kind === 'full-resync' ? 'it had to sync in full after' : '';
    const message = `${event.message} — ${lead ? `${lead} ` : ''}${repoint.evidence}`;
    return { ...event, cause: event.kind === 'full-resync' ? event.cause : repoint.cause, message, numbers };
  }
}

function matches(repoint: Explained, event: ReplicationEvent, resyncedSince: (replicaId: string, masterId: string, time: number) => boolean): boolean {
  if (event.time < repoint.lastOldAt - BEFORE_MS || event.time > repoint.detectedAt + EXPLAINS_MS) return false;
  switch (event.kind) {
    case 'link-down':
      return event.peerId === repoint.fromId;
    case 'link-up':
      return event.peerId === repoint.toId;
    case 'partial-resync':
    case 'full-resync':
      if (event.peerId !== repoint.toId) return false;
      // The same master under another address: a resync counted by the last poll that showed the old address
      // (REPLICAOF typed the poll after it) is not the re-point's; the master alone cannot tell them apart.
      if (repoint.sameNode) return !resyncedSince(event.nodeId, repoint.toId, repoint.lastOldPollAt + 1);
      // Told by the master that served it, not by time: nodes answer a poll in any order, so the re-point's own
      // resync can be counted by the poll that still showed the old master (the new master answered after
      // REPLICAOF ran). The first resync from the new master since the replica's last answer on the old one is
      // the re-point's; one from the old master (a Disconnect link before the REPLICAOF) never is.
      return !resyncedSince(event.nodeId, repoint.toId, repoint.lastOldAt);
    case 'replid-change':
      return true;
    default:
      return false;
  }
}

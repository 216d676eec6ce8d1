/**
 * What the timeline has already been told, per replica and per link, that
 * later attributions depend on:
 *
 *  - when each replica's latest resync (full or partial) was recorded: a
 *    role change, a Sentinel's re-pointing or someone's CLIENT KILL drops a
 *    link once, and the resync that follows is its doing; once that resync
 *    is on the timeline, a later drop of the link is not (seen on
 *    redis-server 7.0: a CLIENT KILL TYPE master on the old master 10 s
 *    after Sentinel's +convert-to-slave, after its full resync, was put
 *    down to the +convert-to-slave);
 *  - the same per replica and the master that served the resync: a
 *    re-point's resync is the replica's first from its new master, told by
 *    who served it, not by time (replica-repoints.ts);
 *  - per link (master->replica), the last link-down filed as someone's
 *    CLIENT KILL, for the partial resync after it (the replica reconnected
 *    because its connection was killed, and continued);
 *  - per link, the last link-down filed with a known cause (a timeout, the
 *    network, ...), for the partial resync after it that nothing else explains.
 */
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';

export interface KilledLinkDown {
  readonly time: number;
  readonly evidence: string;
}

export interface CausedLinkDown {
  readonly time: number;
  readonly cause: CauseCode;
  readonly message: string;
}

export class RecordedResyncs {
  private readonly resyncsRecordedAt = new Map<string, number>();
  /** Per replica and the master that served it (`replica<-master`): the latest resync's time. */
  private readonly resyncsFromRecordedAt = new Map<string, number>();
  private readonly killedLinkDowns = new Map<string, KilledLinkDown>();
  private readonly causedLinkDowns = new Map<string, CausedLinkDown>();

  /** Notes an event as it goes to the timeline: a resync, or a link-down put down to someone's CLIENT KILL. */
  note(event: ReplicationEvent): void {
    if (event.kind === 'link-down' && event.cause === 'client-kill' && event.peerId !== null && typeof event.numbers.evidence === 'string') {
      this.killedLinkDowns.set(`${event.peerId}->${event.nodeId}`, { time: event.time, evidence: event.numbers.evidence });
    }
    if (event.kind === 'link-down' && event.peerId !== null) {
      const key = `${event.peerId}->${event.nodeId}`;
      if (event.cause === 'unknown') this.causedLinkDowns.delete(key);
      else this.causedLinkDowns.set(key, { time: event.time, cause: event.cause, message: event.message });
    }
    if (event.kind === 'full-resync' || event.kind === 'partial-resync') {
      this.resyncsRecordedAt.set(event.nodeId, Math.max(event.time, this.resyncsRecordedAt.get(event.nodeId) ?? event.time));
      if (event.peerId !== null) {
        const key = `${event.nodeId}<-${event.peerId}`;
        this.resyncsFromRecordedAt.set(key, Math.max(event.time, this.resyncsFromRecordedAt.get(key) ?? event.time));
      }
    }
  }

  /** Whether a resync of this replica was already recorded at or after `time` (before the one being recorded now). */
  resyncedSince(replicaId: string, time: number): boolean {
    const at = this.resyncsRecordedAt.get(replicaId);
    return at !== undefined && at >= time;
  }

  /** Whether a resync of this replica served by `masterId` was already recorded at or after `time`. */
  resyncedFromSince(replicaId: string, masterId: string, time: number): boolean {
    const at = this.resyncsFromRecordedAt.get(`${replicaId}<-${masterId}`);
    return at !== undefined && at >= time;
  }

  /** The last link-down of `masterId -> replicaId` filed as someone's CLIENT KILL. */
  killedLinkDown(masterId: string, replicaId: string): KilledLinkDown | undefined {
    return this.killedLinkDowns.get(`${masterId}->${replicaId}`);
  }

  /** The last link-down of `masterId -> replicaId`, when it was filed with a known cause (none after one with an unknown cause). */
  causedLinkDown(masterId: string, replicaId: string): CausedLinkDown | undefined {
    return this.causedLinkDowns.get(`${masterId}->${replicaId}`);
  }
}

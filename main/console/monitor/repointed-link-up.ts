/**
 * The link-up of a replica that a Sentinel re-pointed: after a failover
 * Sentinel sends the other replicas SLAVEOF <new master>
 * (+slave-reconf-sent, -inprog, -done), and an old master that comes back
 * SLAVEOF <new master> too (+convert-to-slave); +fix-slave-config puts a
 * replica that follows the wrong master right. The replica then dials its
 * new master and sends PSYNC with the history it had. Its link coming up
 * is Sentinel's doing, and what an operator wants to read next to it is
 * how the PSYNC went: continued (the master's sync_partial_ok moved, its
 * log "Partial resynchronization request from <replica> accepted"), or a
 * full resync (sync_full moved, with sync_partial_err when a PSYNC was
 * refused: "Partial resynchronization not accepted", or "Full resync
 * requested by replica" for PSYNC ? -1).
 *
 * Redis says nothing of the PSYNC on the link itself: the outcome is the
 * resync the serving node's counters revealed for that replica
 * (resync-attribution.ts), which may be settled before the link-up is seen
 * (a full sync takes a while) or after it in the same poll, or a few polls
 * later (a full resync waits for its replica's answer). The link-up is
 * therefore held until that resync is filed, at most HOLD_MS; past that it
 * is filed saying the counters showed nothing for it.
 */
import type { CauseCode, ReplicationEvent } from '../../../shared/contract/events';
import type { SentinelNotice } from './sentinel-notice';
import { CAUSE_LABELS } from '../../../shared/contract/cause-labels';

/** A link-up waits this long for the resync its PSYNC made to be attributed (a full one waits up to 12 s for its replica). */
const HOLD_MS = 15_000;
/** A resync filed this long before the Sentinel notice that re-pointed the replica is not its PSYNC's outcome. */
const NOTICE_SLACK_MS = 1_000;
/** Resyncs are remembered this long, for link-ups seen after them. */
const KEPT_MS = 60_000;

/** A resync filed for a replica, as its serving node's counters showed it. */
export interface FiledResync {
  readonly kind: 'full-resync' | 'partial-resync' | 'partial-resync-refused';
  readonly time: number;
  readonly servingId: string;
  readonly replicaId: string;
  readonly cause: CauseCode;
  /** "sync_partial_ok 0 -> 1" and the like, as read off the serving node's INFO. */
  readonly counterText: string;
}

interface HeldLinkUp {
  readonly event: ReplicationEvent;
  readonly notice: SentinelNotice;
  readonly heldAt: number;
}

export class RepointedLinkUps {
  private readonly held: HeldLinkUp[] = [];
  private readonly resyncs: FiledResync[] = [];

  /** A link-up of a replica `notice` re-pointed: filed now if its PSYNC's outcome is known, else held. */
  add(event: ReplicationEvent, notice: SentinelNotice, now: number): ReplicationEvent | null {
    const outcome = this.outcomeFor(event, notice);
    if (outcome !== null) return explained(event, notice, outcome);
    this.held.push({ event, notice, heldAt: now });
    return null;
  }

  /** A resync filed on the timeline (its replica known). */
  noteResync(resync: FiledResync): void {
    this.resyncs.push(resync);
    while (this.resyncs.length > 0 && resync.time - this.resyncs[0]!.time > KEPT_MS) this.resyncs.shift();
  }

  /** The held link-ups whose outcome is now known, or whose hold ran out, explained. */
  due(now: number): ReplicationEvent[] {
    const ready: ReplicationEvent[] = [];
    for (let index = 0; index < this.held.length; ) {
      const held = this.held[index]!;
      const outcome = this.outcomeFor(held.event, held.notice);
      if (outcome === null && now - held.heldAt <= HOLD_MS) {
        index++;
        continue;
      }
      this.held.splice(index, 1);
      ready.push(explained(held.event, held.notice, outcome));
    }
    return ready;
  }

  /** The latest resync of this replica from the link's master filed since the notice that re-pointed it. */
  private outcomeFor(event: ReplicationEvent, notice: SentinelNotice): FiledResync | null {
    for (let index = this.resyncs.length - 1; index >= 0; index -= 1) {
      const resync = this.resyncs[index]!;
      if (resync.replicaId === event.nodeId && resync.servingId === event.peerId && resync.time >= notice.time - NOTICE_SLACK_MS) return resync;
    }
    return null;
  }
}

/**
 * The link-up with Sentinel as its cause and the PSYNC's outcome.
 * A partial-resync-refused alone (sync_partial_err without sync_full) is a
 * PSYNC the master answered with an error: the link did not continue on it.
 */
function explained(event: ReplicationEvent, notice: SentinelNotice, outcome: FiledResync | null): ReplicationEvent {
  const how = /^\+slave-reconf-/.test(notice.channel) ? `re-pointed ${event.nodeId} to the new master ${event.peerId ?? '?'} after the failover` : `re-pointed ${event.nodeId} to ${event.peerId ?? '?'}`;
  const evidence = `Sentinel ${notice.sentinelId} ${how} (${notice.channel} at ${new Date(notice.time).toISOString()})`;
  const master = event.peerId ?? 'its master';
  const psync = outcome === null ? 'unknown'
    : outcome.kind === 'partial-resync' ? 'partial'
      : outcome.kind === 'full-resync' ? 'full' : 'refused';
  const said = outcome === null ? `no resync counter of ${master} moved for it in ${HOLD_MS / 1000} s, so how its PSYNC went is not known`
    : outcome.kind === 'partial-resync' ? `its PSYNC was accepted: a partial resync, it continued from where it was (${master}'s ${outcome.counterText})`
      : outcome.kind === 'full-resync' ? `its PSYNC could not continue: a full resync (${master}'s ${outcome.counterText}; cause: ${CAUSE_LABELS[outcome.cause]})`
        : `its PSYNC was refused (${master}'s ${outcome.counterText})`;
  return {
    ...event,
    cause: 'sentinel-failover',
    message: `${event.message} — ${evidence}; ${said}`,
    numbers: { ...event.numbers, attribution: 'sentinel', evidence, psync },
  };
}

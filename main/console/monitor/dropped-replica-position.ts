/**
 * Where a replica its master has dropped can be, while it does not answer
 * (SIGSTOP, a hung host): neither its own offset nor an ACK is current, yet
 * whether a reconnect now could continue from the backlog is often certain.
 *
 *  - at least its last polled offset on the master's history: a replica
 *    only moves forward;
 *  - at most the master's master_repl_offset at the first poll that no
 *    longer listed it: a dropped replica is sent nothing more (Redis frees
 *    its output buffer with the client). Woken, it may still apply what its
 *    socket held before it finds the link closed and asks PSYNC for the
 *    byte after (seen on redis-server 7.0: some 277 KB), but never more.
 *
 * When even the upper bound is before the backlog's first byte, no position
 * the replica can be at is inside the window: a reconnect now can only be a
 * full resync, certain before it wakes. So it is when the master's history
 * moved on (a new replid). When the lower bound is inside the window, every
 * position up to the master's is too: a partial resync. Between: not known.
 *
 * "It can only be further on" holds for a process that lives. One whose
 * connection to the console broke, or whose address resets or refuses
 * connections, may be gone (kill -9): a new process at its address asks
 * PSYNC ? -1 (no RDB: a full sync) or from the replid and offset saved in
 * its RDB, which can be anywhere behind its last ACK. Its last ACK then
 * bounds nothing from below, and a partial resync is not known until it
 * answers; the upper bound still holds (an RDB holds no more than the
 * process received), so a full resync stays certain where it was.
 */
import type { NodeSnapshot } from '../../../shared/contract/snapshots';

export class DroppedReplicaPositions {
  /** Per link: the master's offset at the first poll, answered, that no longer listed a replica it had listed. */
  private readonly droppedAt = new Map<string, { offset: number; replid: string | null }>();
  /** Per link: the ACK offset (slaveN offset=) of the master's last answer that listed the replica, and when. */
  private readonly lastListed = new Map<string, { ackOffset: number; replid: string | null; at: number }>();

  /**
   * One link at one poll: whether the master (answering this poll) lists the replica, with the ACK offset
   * it lists, and had listed it before.
   */
  note(linkId: string, master: NodeSnapshot, listed: boolean, listedBefore: boolean, ackOffset: number | null = null): void {
    if (listed) {
      this.droppedAt.delete(linkId);
      if (ackOffset !== null) this.lastListed.set(linkId, { ackOffset, replid: master.replid, at: master.sampledAt });
    } else if (listedBefore && master.masterReplOffset !== null && !this.droppedAt.has(linkId)) this.droppedAt.set(linkId, { offset: master.masterReplOffset, replid: master.replid });
  }

  /** Links no longer in the topology start anew if they come back: all but those `keep` names are forgotten. */
  forgetExcept(keep: ReadonlySet<string> | ((linkId: string) => boolean)): void {
    const kept = typeof keep === 'function' ? keep : (linkId: string): boolean => keep.has(linkId);
    for (const linkId of this.droppedAt.keys()) if (!kept(linkId)) this.droppedAt.delete(linkId);
    for (const linkId of this.lastListed.keys()) if (!kept(linkId)) this.lastListed.delete(linkId);
  }

  /**
   * Where a dropped, silent replica was by its master's word: the last ACK offset listed, as a lower bound,
   * and the master's offset when it dropped it, as the upper. Null unless both are on the master's current
   * history (a restart or a role change since leaves no position to show).
   */
  lastKnown(linkId: string, master: NodeSnapshot): { ackOffset: number; lastListedAt: number; mostOffset: number } | null {
    const dropped = this.droppedAt.get(linkId);
    const listed = this.lastListed.get(linkId);
    if (dropped === undefined || listed === undefined || master.replid === null || dropped.replid !== master.replid || listed.replid !== master.replid) return null;
    return { ackOffset: listed.ackOffset, lastListedAt: listed.at, mostOffset: dropped.offset };
  }

  /**
   * Whether a reconnect of the dropped, silent replica now would be a partial resync, and why: the one
   * answer the link's Info panel and the Backlog tab's row give (null: not known).
   *
   *  - false when its history is gone: the master's replid is neither the one it had when it last listed the
   *    replica (the replica's history) nor its replid2. PSYNC is refused whatever the offset
   *    ("Replication ID mismatch"). On redis-server 7.0 a master that frees its backlog after
   *    repl-backlog-ttl without replicas also changes its replid and clears replid2 (replicationCron).
   *  - false when even the most it can have received is outside the backlog (or there is no backlog);
   *  - true when its last ACK is still inside: it can only be further on, up to the master's offset;
   *    not known when its process may be gone (`processLost`: why, see the header);
   *  - not known between the two.
   */
  verdict(linkId: string, master: NodeSnapshot, processLost: string | null = null): DroppedVerdict {
    const dropped = this.droppedAt.get(linkId);
    const listed = this.lastListed.get(linkId);
    const backlog = master.backlog;
    // The history the replica was on is the master's replid when it last listed it: the first poll that no longer
    // lists it can come after a change (polls stalled across the drop and a backlog freed after repl-backlog-ttl).
    const history = listed?.replid ?? dropped?.replid ?? null;
    if (dropped === undefined || history === null || master.replid === null) return UNKNOWN;
    if (history !== master.replid && history !== master.replid2) {
      const freed = backlog !== null && !backlog.active ? ' (and holds no backlog)' : '';
      return {
        possible: false,
        ackOffset: null,
        why: `its master changed replication ID since it dropped it (${history.slice(0, 8)}… is neither its master_replid ${master.replid.slice(0, 8)}… nor its replid2)${freed}: PSYNC is refused, the next sync is a full resync`,
      };
    }
    if (!backlog) return UNKNOWN;
    // PSYNC asks for offset + 1; the backlog serves from firstByteOffset (nothing at all once freed).
    if (!backlog.active) return { possible: false, ackOffset: null, why: 'its master\'s backlog is not active: the next sync is a full resync' };
    if (dropped.offset + 1 < backlog.firstByteOffset) {
      return { possible: false, ackOffset: null, why: `even the most it can have received (offset ${dropped.offset}) left its master's backlog (first byte ${backlog.firstByteOffset}): the next sync is a full resync` };
    }
    // Claimed only on the master's current history: an ACK of its replid2 is also bounded by second_replid_offset.
    if (listed === undefined || dropped.replid !== master.replid || listed.replid !== master.replid) return UNKNOWN;
    if (processLost !== null) {
      return {
        possible: null,
        ackOffset: null,
        processLost,
        why: `${processLost}: its process may be gone, and a new one resyncs from the offset saved in its RDB, if it saved one, not from its last ACK (offset ${listed.ackOffset}); not known until it answers`,
      };
    }
    if (listed.ackOffset + 1 >= backlog.firstByteOffset && listed.ackOffset <= backlog.masterOffset) {
      return { possible: true, ackOffset: listed.ackOffset, why: `its last ACK (offset ${listed.ackOffset}) is still inside its master's backlog, and it can only be further on` };
    }
    return { possible: null, ackOffset: listed.ackOffset, why: `its last ACK (offset ${listed.ackOffset}) left the backlog, but woken it may have applied up to offset ${dropped.offset}, which is still inside` };
  }
}

export interface DroppedVerdict {
  readonly possible: boolean | null;
  /** The last ACK its master listed, when it is on the master's current history (the countdown's position). */
  readonly ackOffset: number | null;
  readonly why: string | null;
  /** Set when the verdict is not known because the process that ACKed may be gone: why (the header). */
  readonly processLost?: string;
}

const UNKNOWN: DroppedVerdict = { possible: null, ackOffset: null, why: null };

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
 * full resync, certain before it wakes. Anything less is not claimed (a
 * partial resync from a lower bound inside the window would hold too, but
 * the console shows positions it read, and it read none that is current).
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

  /** Links no longer in the topology start anew if they come back. */
  forgetExcept(present: ReadonlySet<string>): void {
    for (const linkId of this.droppedAt.keys()) if (!present.has(linkId)) this.droppedAt.delete(linkId);
    for (const linkId of this.lastListed.keys()) if (!present.has(linkId)) this.lastListed.delete(linkId);
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

  /** Whether no position the dropped, silent replica can be at is inside the master's backlog now. */
  fullResyncCertain(linkId: string, master: NodeSnapshot): boolean {
    const backlog = master.backlog;
    const dropped = this.droppedAt.get(linkId);
    // An offset of another history (the master restarted, or was demoted and promoted since) bounds nothing.
    if (!backlog || dropped === undefined || dropped.replid !== master.replid) return false;
    // PSYNC asks for offset + 1; the backlog serves from firstByteOffset (nothing at all once freed).
    return !backlog.active || dropped.offset + 1 < backlog.firstByteOffset;
  }
}

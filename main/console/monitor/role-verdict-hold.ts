/**
 * Events that wait for the verdict on their node's role change, and the
 * role changes settled lately that explain them: a link-down of a replica
 * whose promotion is being attributed, a partial resync of a node whose
 * demotion is (event-detector.ts afterPoll, byPromotion, byDemotion).
 */
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { AttributedRoleChange, RoleChange } from './role-attribution';

/**
 * A link-down of a replica whose promotion is still being attributed, or a
 * partial resync of a node whose demotion is, is held for the verdict at
 * most this long (Sentinel's notices are waited for 5 s); a settled
 * promotion explains its link-downs with its former master, and a settled
 * demotion the partial resync from its new master, seen this long after it.
 */
export const PROMOTION_HOLD_MS = 15_000;

/** An event waiting for the verdict on its node's role change (PROMOTION_HOLD_MS at most). */
export interface HeldEvent {
  readonly event: ReplicationEvent;
  readonly heldAt: number;
  readonly awaiting: 'promotion' | 'demotion';
  /** The node whose role change it waits for: its own, or its master's (byMasterPromotion). */
  readonly roleOf: string;
}

/**
 * A replica's link-down, partial resync or new replication id is put down to
 * its master's promotion when seen within this long of the poll that found
 * the promotion: the promoted node drops its replicas as it turns master and
 * they reconnect at once, so both show in the same poll or the next.
 */
export const MASTER_PROMOTION_DROP_MS = 5_000;

/** Each node's latest attributed promotion and demotion, kept PROMOTION_HOLD_MS. */
export class SettledRoleChanges {
  private readonly promotions = new Map<string, AttributedRoleChange>();
  private readonly demotions = new Map<string, AttributedRoleChange>();

  note(settled: AttributedRoleChange): void {
    (settled.change.kind === 'promotion' ? this.promotions : this.demotions).set(settled.change.node.id, settled);
  }

  promoted(nodeId: string): boolean {
    return this.promotions.has(nodeId);
  }

  demotion(nodeId: string): AttributedRoleChange | undefined {
    return this.demotions.get(nodeId);
  }

  /** The attributed demotion that made `nodeId` a replica of `masterId`, settled up to PROMOTION_HOLD_MS from `time`. */
  demotionOf(nodeId: string, masterId: string, time: number): AttributedRoleChange | null {
    return settledNear(this.demotions.get(nodeId), (change) => change.node, masterId, time);
  }

  /**
   * The attributed promotion that took this replica away from `masterId`
   * (its master when it was last a replica), settled up to PROMOTION_HOLD_MS
   * before `time`: the link-down is the promotion's doing (CLUSTER FAILOVER,
   * FAILOVER, REPLICAOF NO ONE, a Cluster election), with its cause, as a
   * Sentinel failover's link-downs carry Sentinel's (sentinelMovedAway).
   */
  promotionOf(replicaId: string, masterId: string, time: number): AttributedRoleChange | null {
    return settledNear(this.promotions.get(replicaId), (change) => change.before, masterId, time);
  }

  /**
   * The attributed promotion of `nodeId` whose drop of its replicas can be
   * the event at `time`: after the poll before the one that found it (the
   * node was still a replica then), up to MASTER_PROMOTION_DROP_MS after it
   * was found. An event before that poll is not the promotion's.
   */
  promotionAt(nodeId: string, time: number): AttributedRoleChange | null {
    const settled = this.promotions.get(nodeId);
    return settled !== undefined && withinDrop(settled.change, time) ? settled : null;
  }

  /**
   * The attributed promotion, in the window promotionAt uses, of `masterId`
   * (the replica's link master) that gave it the replication id `replid`.
   */
  promotionWithReplid(replid: string, masterId: string, time: number): AttributedRoleChange | null {
    const settled = this.promotions.get(masterId);
    return settled !== undefined && settled.change.node.replid === replid && withinDrop(settled.change, time) ? settled : null;
  }

  /** Forgets the role changes detected more than PROMOTION_HOLD_MS before `now`. */
  expire(now: number): void {
    for (const settledRoles of [this.promotions, this.demotions]) for (const [id, change] of settledRoles) if (now - change.change.detectedAt > PROMOTION_HOLD_MS) settledRoles.delete(id);
  }
}

/** Events held for their node's role change verdict, in the order held. */
export class HeldEvents {
  private readonly held: HeldEvent[] = [];

  hold(event: ReplicationEvent, heldAt: number, awaiting: HeldEvent['awaiting'], roleOf: string = event.nodeId): void {
    this.held.push({ event, heldAt, awaiting, roleOf });
  }

  /** Takes out the held events that match, in the order they were held. */
  release(match: (held: HeldEvent) => boolean): ReplicationEvent[] {
    const released: ReplicationEvent[] = [];
    for (let index = 0; index < this.held.length; ) {
      const held = this.held[index]!;
      if (!match(held)) {
        index++;
        continue;
      }
      this.held.splice(index, 1);
      released.push(held.event);
    }
    return released;
  }
}

/**
 * A role change settled within PROMOTION_HOLD_MS of `time` whose replica side
 * (`replicaSide`: the node as it is after a demotion, as it was before a
 * promotion) followed `masterId`.
 */
function settledNear(settled: AttributedRoleChange | undefined, replicaSide: (change: AttributedRoleChange['change']) => { readonly masterHost: string | null; readonly masterPort: number | null }, masterId: string, time: number): AttributedRoleChange | null {
  if (settled === undefined) return null;
  const side = replicaSide(settled.change);
  if (`${side.masterHost}:${side.masterPort}` !== masterId) return null;
  return Math.abs(time - settled.change.detectedAt) <= PROMOTION_HOLD_MS ? settled : null;
}

/**
 * `time` lies after the poll before the promotion was found (or, with no
 * such poll, MASTER_PROMOTION_DROP_MS before it was found) and up to
 * MASTER_PROMOTION_DROP_MS after.
 */
function withinDrop(change: RoleChange, time: number): boolean {
  const from = change.previousPollAt !== undefined && change.previousPollAt >= 0 ? change.previousPollAt : change.detectedAt - MASTER_PROMOTION_DROP_MS;
  return time >= from && time <= change.detectedAt + MASTER_PROMOTION_DROP_MS;
}

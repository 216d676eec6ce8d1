/**
 * The replication links this console dropped itself (its actions) or the
 * demo's chaos cut, each kept with the window in which the link-downs, the
 * partial resync that continued the link, a new replication id and a full
 * resync are put down to it (event-detector.ts record).
 */
import type { ReplicationEvent } from '../../../shared/contract/events';

/**
 * A link-down seen from this long before to this long after this console's
 * own Disconnect link started is put down to it. The link drops within
 * milliseconds of CLIENT KILL; polls see it (or the resync counters reveal
 * it) a poll interval or two later.
 */
export const OWN_DISCONNECT_BEFORE_MS = 1_000;
export const OWN_DISCONNECT_AFTER_MS = 30_000;

/**
 * A Re-point replica's old master may report its side of the link's close
 * after the link came back with the new master (each engine runs in a
 * thread of its own); it is still the action's up to this long after the
 * cut's first link-down (the same close, seen from the replica's side), or
 * after the action started when that was not seen.
 */
export const OLD_LINK_CLOSE_LATE_MS = 5_000;

/**
 * A replication link this console dropped itself: the Disconnect link action
 * (cause `manual`), Force full resync and Promote to master (cause `manual`:
 * the links their REPLICAOF / FAILOVER close), or the demo's chaos: "cut link" (cause `chaos`: the link
 * goes down through the chaos proxy, which the engines see as a connection
 * the other end closed, and stays down for the cut's seconds) and "restart
 * the master" (the master's shutdown closes the link).
 */
export interface OwnCut {
  readonly replicaId: string;
  readonly startedAt: number;
  readonly cause: 'manual' | 'chaos';
  /** Link-downs up to this time are the cut's (the replica retries while a chaos cut lasts). */
  readonly linkDownsUntil: number;
  /** The partial resync that continues the link comes before this time. */
  readonly resyncUntil: number;
  /**
   * A chaos that gives the replica's master a new replication id: a restarted
   * master (7.0 keeps its saved id as replid2 and takes a new one), which the
   * replica takes on its +CONTINUE. A cut link keeps its history.
   */
  readonly newHistory?: true;
  /** "this console's Disconnect link (replica side: CLIENT KILL TYPE master on R), run at <ISO> by the ACL user "u"" */
  readonly evidence: string;
  /** The action of this console that made the cut (null: the demo's chaos). */
  readonly action: 'disconnect-link' | 'promote' | 'force-full-resync' | 'repoint' | null;
  /**
   * The master the replica's link comes back up with after the action: its
   * own master (Disconnect link, Force full resync), the new one (Re-point
   * replica; Promote: the promoted node, for the old master it turns into
   * its replica). null when no link comes back (the promoted node) or not known.
   */
  readonly masterId: string | null;
  /**
   * Re-point replica: the master whose link its REPLICAOF closes (the
   * replica's link in the topology when the action was noted); null when
   * the replica had no link then. Other actions do not set it.
   */
  readonly droppedMasterId?: string | null;
  /** A master turned replica by the action (Promote's old master): it had no link to drop, so its link-up follows no link-down. */
  readonly noLinkToDrop?: true;
  /** The partial resync that continued the link afterwards was put down to it (one per cut). */
  resyncExplained: boolean;
  /** When the first link-down put down to this cut happened (its link-up comes after it). */
  linkDownAt: number | null;
  /** The link-up that brought the link back was put down to it (one per cut). */
  linkUpExplained: boolean;
  /** A full resync from the cut's master was put down to it: the sync it asked for has started. */
  fullResyncSeen: boolean;
  /** The sync-finished that ended that full resync was put down to it (one per cut). */
  syncFinishedExplained: boolean;
}

export class OwnCuts {
  private readonly cuts: OwnCut[] = [];

  /** Notes a cut; cuts whose resync window closed before it started are dropped. */
  note(cut: Omit<OwnCut, 'resyncExplained' | 'linkDownAt' | 'linkUpExplained' | 'fullResyncSeen' | 'syncFinishedExplained'>): void {
    for (let index = this.cuts.length - 1; index >= 0; index -= 1) if (cut.startedAt > this.cuts[index]!.resyncUntil) this.cuts.splice(index, 1);
    this.cuts.push({ ...cut, resyncExplained: false, linkDownAt: null, linkUpExplained: false, fullResyncSeen: false, syncFinishedExplained: false });
  }

  /** Withdraws the chaos cut noted at `startedAt` for this replica. */
  forgetChaos(replicaId: string, startedAt: number): void {
    const index = this.cuts.findIndex((cut) => cut.cause === 'chaos' && cut.replicaId === replicaId && cut.startedAt === startedAt);
    if (index >= 0) this.cuts.splice(index, 1);
  }

  /**
   * The latest cut whose window holds this link-down or (`resync`) partial
   * resync of its replica: a link a later action dropped again is that
   * action's. A cut explains one partial resync only, and no link-down once
   * its link is back (its resync or link-up filed): a REPLICAOF someone
   * types after a Disconnect link or a Re-point replica drops the link
   * again, not the action, whichever master it names, and so does the link
   * that came back dropping later. One exception: the old master's side of
   * the close a Re-point replica made (the replica's latest cut, a link-down
   * from the master it re-pointed away from, within OLD_LINK_CLOSE_LATE_MS
   * of the close by the engines' clocks) stays the action's however late
   * it is filed. Each engine runs in its own thread, and the old master may
   * report the close after the new master reported continuing the replica
   * (seen on a loaded machine: the old master's "connection-closed" filed
   * after the partial resync).
   */
  holding(event: ReplicationEvent, resync: boolean): OwnCut | undefined {
    const latest = this.cuts.findLast((entry) => entry.replicaId === event.nodeId);
    return this.cuts.findLast((entry) => entry.replicaId === event.nodeId && holds(entry, event, resync)
      && (resync ? !entry.resyncExplained : claimsLinkDown(entry, event, entry === latest)));
  }

  /**
   * This console's Re-point replica of this replica to `masterId` whose
   * window holds `time`: the re-point seen then is its. Only that action
   * re-points (its REPLICAOF <new master>); a Disconnect link, Force full
   * resync or Promote of the same replica does not explain a REPLICAOF to
   * another master someone typed meanwhile.
   */
  repointHolding(replicaId: string, masterId: string, time: number): OwnCut | undefined {
    return this.cuts.findLast((entry) => entry.action === 'repoint' && entry.masterId === masterId && entry.replicaId === replicaId && time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && time <= entry.linkDownsUntil);
  }

  /**
   * A replica's new replication id while an action of this console holds its
   * link (Force full resync: REPLICAOF NO ONE gives it a new id, then the
   * master's; Promote to master: the replicas that continue from the new
   * master take its id): put down to that action, as the link-down is.
   * So is one while the demo's chaos restarts its master (newHistory), the
   * latest of the two winning: a restart 20 s after a Promote is the
   * restart's. Not a chaos cut: a cut link keeps its history.
   */
  replidChange(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown') return event;
    const own = this.cuts.findLast((entry) => (entry.cause === 'manual' || entry.newHistory === true) && entry.replicaId === event.nodeId && holds(entry, event, false));
    if (own === undefined) return event;
    return { ...event, cause: own.cause, message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence } };
  }

  /**
   * A replica's link coming back up after an action of this console cut it
   * (Force full resync: its REPLICAOF <master> brings the link up after the
   * full sync; Disconnect link: the replica reconnects and continues): the
   * action's, as its link-down and resync are. The latest cut of the replica
   * whose window holds the link-up decides, the demo's chaos included: a
   * chaos cut after an action is the chaos's, and its link-up stays as it
   * was. The cut explains one link-up, after its link-down (a master the
   * action turned replica had none), with the master the action names; a
   * link-up may follow the cut by a whole full sync, so the resync window
   * bounds it.
   */
  linkUp(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown') return event;
    const latest = this.cuts.findLast((entry) => entry.replicaId === event.nodeId && inResyncWindow(entry, event));
    if (latest === undefined || latest.cause !== 'manual' || latest.linkUpExplained || latest.masterId === null || event.peerId !== latest.masterId) return event;
    const after = latest.noLinkToDrop === true ? latest.startedAt - OWN_DISCONNECT_BEFORE_MS : latest.linkDownAt;
    if (after === null || event.time < after) return event;
    latest.linkUpExplained = true;
    return { ...event, cause: 'manual', message: `${event.message} — ${latest.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: latest.evidence } };
  }

  /**
   * A full resync while an action of this console holds the replica's link
   * (Force full resync: its PSYNC carries the id REPLICAOF NO ONE gave it;
   * a Promote or Disconnect link whose replica could not continue): the
   * console's doing. It keeps its protocol cause (the engine's exact reason,
   * or the inferred one: replid-mismatch, out-of-backlog...) and says whose
   * action it was: attribution operator, the action's evidence, and
   * `byThisConsole`, which the alert rules read (an operator's own action is
   * no incident). Only this console's actions: the demo's chaos is meant to
   * show what an incident looks like, and a full resync nobody here asked
   * for keeps alerting.
   */
  fullResync(event: ReplicationEvent): ReplicationEvent {
    const own = this.cuts.findLast((entry) => entry.cause === 'manual' && entry.replicaId === event.nodeId && inResyncWindow(entry, event));
    if (own === undefined) return event;
    if (own.masterId !== null && event.peerId === own.masterId) own.fullResyncSeen = true;
    return { ...event, message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence, byThisConsole: 1 } };
  }

  /**
   * A replica's full sync finishing (the engine's "loaded N bytes") while an
   * action of this console holds its link, in the window fullResync uses:
   * the sync it ends is the one the action asked for (Force full resync's
   * REPLICAOF NO ONE left the replica an id its master never issued, so its
   * PSYNC could only get +FULLRESYNC), so it is the action's as that full
   * resync is. It has no protocol cause of its own: cause `manual`, with
   * the action's evidence. Only this console's actions, not the demo's
   * chaos (as fullResync); a failed sync keeps its own reason. Only the
   * first sync-finished from the action's master after its full resync was
   * seen (fullResync marks the cut), and only while the cut is the
   * replica's latest in the window (a later chaos cut's sync is the
   * chaos's): a second sync within the window, or one from another master,
   * was not the action's.
   */
  syncFinished(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown') return event;
    const own = this.cuts.findLast((entry) => entry.replicaId === event.nodeId && inResyncWindow(entry, event));
    if (own === undefined || own.cause !== 'manual' || !own.fullResyncSeen || own.syncFinishedExplained || event.peerId !== own.masterId) return event;
    own.syncFinishedExplained = true;
    return { ...event, cause: 'manual', message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence, byThisConsole: 1 } };
  }
}

/** The cut's link is back: the partial resync or the link-up that continued it was put down to it. */
function isBack(cut: OwnCut): boolean {
  return cut.resyncExplained || cut.linkUpExplained;
}

/**
 * A cut claims a link-down until its link is back; after that, only the old
 * master's side of the close its re-point made, and only while it is the
 * replica's latest cut (a later action closed whatever link it left).
 */
function claimsLinkDown(cut: OwnCut, linkDown: ReplicationEvent, latest: boolean): boolean {
  return !isBack(cut) || (latest && isOldLinkClose(cut, linkDown));
}

/** The event is in the cut's window: link-downs up to linkDownsUntil, a partial resync up to resyncUntil. */
function holds(cut: OwnCut, event: ReplicationEvent, resync: boolean): boolean {
  return event.time >= cut.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= (resync ? cut.resyncUntil : cut.linkDownsUntil);
}

/** The event is in the cut's resync window (a full sync, its end, the link-up it brings). */
function inResyncWindow(cut: OwnCut, event: ReplicationEvent): boolean {
  return holds(cut, event, true);
}

/**
 * The link-down is the old master's side of the close a Re-point replica
 * made: from the master the replica was re-pointed away from (not the one
 * it was re-pointed to), close to the cut's first link-down.
 */
function isOldLinkClose(cut: OwnCut, linkDown: ReplicationEvent): boolean {
  if (cut.action !== 'repoint' || (cut.droppedMasterId ?? null) === null || cut.droppedMasterId === cut.masterId) return false;
  return linkDown.peerId === cut.droppedMasterId && linkDown.time <= (cut.linkDownAt ?? cut.startedAt) + OLD_LINK_CLOSE_LATE_MS;
}

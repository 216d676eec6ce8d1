/**
 * What the event detector remembers across polls, so an event can be told
 * from what happened before it (Redis says none of this afterwards):
 *
 *  - each node's last state while it answered: a role change is compared
 *    with that, so a poll in which the node did not answer (Sentinel's
 *    SLAVEOF kills every normal client, ours included) hides nothing;
 *  - run ids: a node whose run_id changed restarted;
 *  - links: when each was first seen, last seen online, and last seen not
 *    online, missing, or with an end that did not answer (a frozen node's
 *    links are of unknown state);
 *  - replication positions: per node, the highest offset seen under each
 *    replication id it had (a few ids back), with the role it had then.
 *    After a promotion elsewhere this says how far the old master got on the
 *    old history, and whether a replica had bytes past the promotion point;
 *  - promotions and demotions, with when they happened;
 *  - full syncs started and not yet seen finished, and when each node last
 *    full-synced (a sub-replica of a node that just did starts anew too).
 */
import { restartHolds, type NodeRestart } from './node-restart';
import type { NodeRole, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';

/** A restart or full sync this long before a resync is taken as its cause. */
export const RECENT_MS = 30_000;
/** A demotion this long before a full resync explains it (Sentinel converts after 8 s, a sync may wait for a snapshot). */
export const DEMOTION_WINDOW_MS = 120_000;
const POSITIONS_KEPT = 4;
/** Dataset-change readings kept per history position (one per poll that moved the offset or the counter). */
const READINGS_KEPT = 1000;

/**
 * The node's count of dataset changes (INFO rdb_changes_since_last_save)
 * when its offset on a history was `offset`. Two readings under one
 * lastSaveTime say how many changes the stream bytes between their offsets
 * carried (writes-lost.ts): a save resets the count.
 */
export interface DatasetChangeReading {
  readonly offset: number;
  readonly changes: number;
  readonly lastSaveTime: number;
  readonly role: NodeRole;
}

export interface HistoryPosition {
  readonly replid: string;
  /** The highest master_repl_offset seen on the node under this id. */
  offset: number;
  role: NodeRole;
  /** Whether the node was ever seen as a master under this id. */
  wasMaster: boolean;
  /** Whether the highest offset was seen while the node was a replica (a demoted master stops writing). */
  offsetSeenAsReplica: boolean;
  time: number;
  /** Its dataset-change counter along this history, oldest first (at most READINGS_KEPT). */
  readonly readings: DatasetChangeReading[];
}

export interface Promotion {
  readonly nodeId: string;
  readonly time: number;
  /** The id it took over: its replid2, the old master's replid. */
  readonly history: string;
  /** second_repl_offset: the first byte of that history it cannot serve. */
  readonly secondReplOffset: number;
}

export interface PendingLinkDown {
  readonly linkId: string;
  readonly masterId: string;
  readonly replicaId: string;
  readonly since: number;
  /** When the replica gave the answer that first said the link was down (its sampledAt). */
  readonly reportedAt: number;
}

export class ReplicationMemory {
  private readonly lastUp = new Map<string, NodeSnapshot>();
  private readonly runIds = new Map<string, string>();
  private readonly restartedAt = new Map<string, number>();
  /** Each node's latest restart a poll saw (node-restart.ts). */
  private readonly restarts = new Map<string, NodeRestart>();
  /**
   * For each link and restarted end ("<linkId>|<nodeId>"): when the link was
   * first seen online (both ends answering) after that end's latest restart
   * (`seenAt` names the restart). A link-down after it is not the restart's.
   */
  private readonly linksOnlineAfterRestart = new Map<string, { seenAt: number; at: number }>();
  private readonly linksFirstSeen = new Map<string, number>();
  private readonly linksTroubledAt = new Map<string, number>();
  /** When each link was last seen not online by its state, or missing (not merely with an end that did not answer). */
  private readonly linksDownAt = new Map<string, number>();
  /** When each link's state was first seen online after linksDownAt (its ends answering or not). */
  private readonly linksUpByStateAt = new Map<string, number>();
  /** When this console last cut each link (Disconnect link, Force full resync). */
  private readonly linksCutAt = new Map<string, number>();
  /** When this console last forced a full resync of each link's replica (Force full resync). */
  private readonly linksForcedFullAt = new Map<string, number>();
  /**
   * When each link was first seen online after its last trouble a poll saw
   * (a cut by this console unsettles it): see troubleSettledBefore.
   */
  private readonly linksSettledAt = new Map<string, number>();
  /**
   * For each linksSettledAt entry (`at`): when its master's INFO of that snapshot was taken, if that INFO
   * listed the replica online (null: it did not, or the master did not answer). See restartSettledBefore.
   */
  private readonly linksSettledInfo = new Map<string, { at: number; listedOnlineAt: number | null }>();
  private readonly positions = new Map<string, HistoryPosition[]>();
  private readonly demotedAt = new Map<string, number>();
  private readonly fullSyncedAt = new Map<string, number>();
  private pendingFullSyncs: ReadonlySet<string> = new Set();
  private readonly unfinishedFullSyncs = new Set<string>();
  private readonly lastUpPoll = new Map<string, number>();
  /** The time of the snapshot of that poll (a resync the polls counted then has that time). */
  private readonly lastUpPollAt = new Map<string, number>();
  private readonly linksLastOnline = new Map<string, number>();
  /** The number of the last poll whose answer from each link's master listed its replica (command-evidence.ts numbers them). */
  private readonly linksLastListedPoll = new Map<string, number>();
  private readonly linkDownRecordedAt = new Map<string, number>();
  private readonly resyncAttributedAt = new Map<string, number>();
  /** Link-downs seen while their master's answer was still out, by link id: when first seen, and its ends. */
  private readonly pendingLinkDowns = new Map<string, PendingLinkDown>();
  /** Nodes whose going unreachable is held (since when): their first failure was only a broken socket. */
  private readonly heldUnreachable = new Map<string, number>();
  readonly promotions: Promotion[] = [];
  /** Nodes seen hung since they last answered: a refusal after it means the process that hung is gone. */
  private readonly hungSinceUp = new Set<string>();
  /**
   * Whether each master refused writes under min-replicas-to-write at its
   * last answered poll that read the setting; absent when never read, when
   * min-replicas-to-write is not in force, or the node is no master.
   */
  private readonly refusingWrites = new Map<string, boolean>();

  /** Call after every snapshot has been turned into events; `poll` numbers the polls (command-evidence.ts). */
  observe(snapshot: TopologySnapshot, poll: number): void {
    // Nodes seen with a new run_id at this poll: restarted since they last answered.
    const restartedNow = new Set<string>();
    for (const node of snapshot.nodes) {
      if (node.health === 'hung') this.hungSinceUp.add(node.id);
      // A stale node shows an old answer again: nothing new to remember, and its poll number would lie.
      if (node.health !== 'up' || node.stale) continue;
      this.hungSinceUp.delete(node.id);
      if (node.runId) {
        const known = this.runIds.get(node.id);
        if (known && known !== node.runId) {
          this.restartedAt.set(node.id, snapshot.time);
          this.restarts.set(node.id, { nodeId: node.id, runIdBefore: known, runId: node.runId, lastSeenBefore: this.lastUpPollAt.get(node.id) ?? snapshot.time, seenAt: snapshot.time });
          restartedNow.add(node.id);
        }
        this.runIds.set(node.id, node.runId);
      }
      this.lastUp.set(node.id, node);
      this.lastUpPoll.set(node.id, poll);
      this.lastUpPollAt.set(node.id, snapshot.time);
      if (node.role !== 'master' || node.minReplicas === null) this.refusingWrites.delete(node.id);
      else if (node.minReplicas.required !== null) this.refusingWrites.set(node.id, node.minReplicas.refusesWrites);
      this.notePosition(node, snapshot.time);
    }
    const present = new Set<string>();
    const answering = new Set(snapshot.nodes.filter((node) => node.health === 'up' && !node.stale).map((node) => node.id));
    const watched = new Set(snapshot.nodes.map((node) => node.id));
    // A held node-unreachable waits for a verdict on a node still polled: one that left the topology gets
    // none, and if it came back its next broken socket would be filed at once, stamped with the old failure's time.
    for (const nodeId of [...this.heldUnreachable.keys()]) if (!watched.has(nodeId)) this.heldUnreachable.delete(nodeId);
    for (const link of snapshot.links) {
      present.add(link.id);
      if (!this.linksFirstSeen.has(link.id)) this.linksFirstSeen.set(link.id, snapshot.time);
      // A link whose watched end did not answer is of unknown state: troubled, not online.
      const unanswered = [link.masterId, link.replicaId].some((id) => watched.has(id) && !answering.has(id));
      if (link.state === 'online') {
        if (!this.linksUpByStateAt.has(link.id)) this.linksUpByStateAt.set(link.id, snapshot.time);
      } else {
        this.linksDownAt.set(link.id, snapshot.time);
        this.linksUpByStateAt.delete(link.id);
      }
      if (link.masterSideState !== null && answering.has(link.masterId)) this.linksLastListedPoll.set(link.id, poll);
      // A replica restarted since its last answer dropped its link, whether or not a poll saw it down (one
      // restarted between two polls, from its RDB, is back online by the next): the link settles anew from
      // this poll on. Kept from before the restart, it would make the restart look never settled
      // (restartSettledBefore), and the replica a candidate for every resync count within 30 s of it.
      if (restartedNow.has(link.replicaId)) {
        this.linksSettledAt.delete(link.id);
        this.linksSettledInfo.delete(link.id);
      }
      if (link.state === 'online' && !link.stale && !unanswered) {
        for (const end of [link.masterId, link.replicaId]) {
          const restart = this.restarts.get(end);
          const key = `${link.id}|${end}`;
          if (restart !== undefined && restart.seenAt <= snapshot.time && this.linksOnlineAfterRestart.get(key)?.seenAt !== restart.seenAt) {
            this.linksOnlineAfterRestart.set(key, { seenAt: restart.seenAt, at: snapshot.time });
          }
        }
        this.unfinishedFullSyncs.delete(link.replicaId);
        this.linksLastOnline.set(link.id, snapshot.time);
        if (!this.linksSettledAt.has(link.id)) {
          this.linksSettledAt.set(link.id, snapshot.time);
          const master = snapshot.nodes.find((node) => node.id === link.masterId);
          const listedOnline = master !== undefined && answering.has(master.id) && link.masterSideState === 'online';
          this.linksSettledInfo.set(link.id, { at: snapshot.time, listedOnlineAt: listedOnline ? master.sampledAt : null });
        }
      } else {
        this.linksTroubledAt.set(link.id, snapshot.time);
        this.linksSettledAt.delete(link.id);
      }
    }
    for (const id of this.linksFirstSeen.keys()) {
      if (present.has(id)) continue;
      this.linksTroubledAt.set(id, snapshot.time);
      this.linksDownAt.set(id, snapshot.time);
      this.linksUpByStateAt.delete(id);
      this.linksSettledAt.delete(id);
    }
  }

  private notePosition(node: NodeSnapshot, time: number): void {
    if (!node.replid || node.masterReplOffset === null) return;
    const list = this.positions.get(node.id) ?? [];
    this.positions.set(node.id, list);
    const entry = list.find((candidate) => candidate.replid === node.replid);
    if (!entry) {
      const fresh: HistoryPosition = { replid: node.replid, offset: node.masterReplOffset, role: node.role, wasMaster: node.role === 'master', offsetSeenAsReplica: node.role === 'replica', time, readings: [] };
      noteReading(fresh, node);
      list.push(fresh);
      if (list.length > POSITIONS_KEPT) list.shift();
      return;
    }
    noteReading(entry, node);
    if (node.masterReplOffset > entry.offset) {
      entry.offset = node.masterReplOffset;
      entry.offsetSeenAsReplica = node.role === 'replica';
    } else if (node.masterReplOffset === entry.offset && node.role === 'replica') {
      entry.offsetSeenAsReplica = true;
    }
    entry.role = node.role;
    entry.wasMaster ||= node.role === 'master';
    entry.time = time;
  }

  /** Whether the node was seen hung since it last answered (before the current poll is observed). */
  hungSinceLastUp(nodeId: string): boolean {
    return this.hungSinceUp.has(nodeId);
  }

  /** The node as it was the last time it answered (before the current poll is observed). */
  /** Whether the master refused writes (min-replicas-to-write) when an answered poll last read it; undefined: not known. */
  refusedWritesWhenLastRead(nodeId: string): boolean | undefined {
    return this.refusingWrites.get(nodeId);
  }

  lastUpState(nodeId: string): NodeSnapshot | undefined {
    return this.lastUp.get(nodeId);
  }

  /** The number of the last poll in which the node answered. */
  lastUpPollOf(nodeId: string): number {
    return this.lastUpPoll.get(nodeId) ?? -1;
  }

  /** The time of the snapshot of the last poll in which the node answered (its events carry that time). */
  lastUpPollTimeOf(nodeId: string): number {
    return this.lastUpPollAt.get(nodeId) ?? -1;
  }

  /**
   * The number of the last poll in which the link's master, answering,
   * listed its replica (before the current poll is observed). A replica that
   * stopped answering may still look online from its last answer for a poll
   * or two; its master's list is the current fact (event-inference.ts).
   */
  linkLastListedPoll(linkId: string): number | undefined {
    return this.linksLastListedPoll.get(linkId);
  }

  /** When the link was last seen online (before the current poll is observed). */
  linkLastOnline(linkId: string): number | undefined {
    return this.linksLastOnline.get(linkId);
  }

  noteLinkDown(linkId: string, time: number): void {
    this.linkDownRecordedAt.set(linkId, time);
  }

  /** A link-down held until its master's verdict is in (event-inference.ts); the first time it was seen is kept. */
  deferLinkDown(pending: PendingLinkDown): void {
    if (!this.pendingLinkDowns.has(pending.linkId)) this.pendingLinkDowns.set(pending.linkId, pending);
  }

  /**
   * A node that answered and now fails only with a broken socket (reset,
   * EPIPE, closed): its node-unreachable waits for a verdict (event-inference.ts).
   */
  holdUnreachable(nodeId: string, since: number): void {
    if (!this.heldUnreachable.has(nodeId)) this.heldUnreachable.set(nodeId, since);
  }

  /** When the node's held node-unreachable was first seen; undefined when none is held. */
  unreachableHeldSince(nodeId: string): number | undefined {
    return this.heldUnreachable.get(nodeId);
  }

  releaseUnreachable(nodeId: string): void {
    this.heldUnreachable.delete(nodeId);
  }

  /** The link-downs held, and forgets them (held again by deferLinkDown when still undecided). */
  takePendingLinkDowns(): Map<string, PendingLinkDown> {
    const taken = new Map(this.pendingLinkDowns);
    this.pendingLinkDowns.clear();
    return taken;
  }

  /** Whether a link-down of this link was recorded at or after `since`. */
  linkDownRecordedSince(linkId: string, since: number): boolean {
    const at = this.linkDownRecordedAt.get(linkId);
    return at !== undefined && at >= since;
  }

  /** How far the node got under a replication id, if it was seen with it. */
  positionOn(nodeId: string, replid: string): HistoryPosition | undefined {
    return this.positions.get(nodeId)?.find((entry) => entry.replid === replid);
  }

  /** Every node seen with this replication id, and how far each got. */
  positionsOn(replid: string): Array<{ nodeId: string; position: HistoryPosition }> {
    const found: Array<{ nodeId: string; position: HistoryPosition }> = [];
    for (const [nodeId, list] of this.positions) {
      const position = list.find((entry) => entry.replid === replid);
      if (position) found.push({ nodeId, position });
    }
    return found;
  }

  /** Whether the node restarted (new run_id) within RECENT_MS before `time`, this snapshot included. */
  restartedRecently(node: NodeSnapshot, time: number): boolean {
    const known = this.runIds.get(node.id);
    if (node.runId && known && known !== node.runId) return true;
    const at = this.restartedAt.get(node.id);
    return at !== undefined && time - at <= RECENT_MS;
  }

  /**
   * The node's restart whose window holds `time` (restartHolds): the latest
   * one observed, or one `current` shows that is not observed yet (its new
   * run_id in the snapshot being turned into events). With `linkId`: only
   * up to the link's first online sighting after the restart (a link that
   * came back and then dropped, say at its output-buffer limit after the
   * full sync, dropped for another reason).
   */
  restartHolding(nodeId: string, time: number, current: NodeSnapshot | undefined, linkId?: string): NodeRestart | null {
    const known = this.runIds.get(nodeId);
    const unobserved = current !== undefined && current.health === 'up' && !current.stale && current.runId !== null && known !== undefined && known !== current.runId
      ? { nodeId, runIdBefore: known, runId: current.runId, lastSeenBefore: this.lastUpPollAt.get(nodeId) ?? current.sampledAt, seenAt: current.sampledAt } : null;
    const restart = unobserved ?? this.restarts.get(nodeId) ?? null;
    if (restart === null || !restartHolds(restart, time)) return null;
    const online = linkId === undefined ? undefined : this.linksOnlineAfterRestart.get(`${linkId}|${nodeId}`);
    return online !== undefined && online.seenAt === restart.seenAt && time > online.at ? null : restart;
  }

  /** Whether the node's run_id differs from the one last seen (it restarted since the last poll it answered). */
  restartedSinceLastSeen(node: NodeSnapshot): boolean {
    const known = this.runIds.get(node.id);
    return node.runId !== null && known !== undefined && known !== node.runId;
  }

  /** Whether the link was down, syncing or missing at some poll in [from, to]. */
  linkTroubledBetween(linkId: string, from: number, to: number): boolean {
    const at = this.linksTroubledAt.get(linkId);
    return at !== undefined && at >= from && at <= to;
  }

  /**
   * Whether the link was seen not online by its state (down, syncing) or
   * missing at some poll in [from, to]: trouble a poll saw, not only an
   * end that did not answer (a replica too busy to answer in time, or
   * stopped, whose master still lists it online).
   */
  linkDownBetween(linkId: string, from: number, to: number): boolean {
    const at = this.linksDownAt.get(linkId);
    return at !== undefined && at >= from && at <= to;
  }

  /**
   * Whether the link's state was seen online again, after it was last seen
   * down by its state, in a snapshot taken before `time` (the serving
   * node's INFO a counter move is measured from): as troubleSettledBefore,
   * but an end that merely did not answer since does not unsettle it.
   */
  downSettledBefore(linkId: string, time: number): boolean {
    const at = this.linksUpByStateAt.get(linkId);
    return at !== undefined && at < time;
  }

  /**
   * Whether the replica's last restart (a new run_id) is accounted for by
   * counters read at `time` (the serving node's INFO a counter move is
   * measured from): its link was seen online again, both ends answering, at
   * or after the poll that saw the restart, in a snapshot taken before then,
   * or in the very snapshot whose master INFO that is, if that INFO listed
   * the replica online: the master had taken its PSYNC and counted it (as
   * in troubleSettledBefore). A later move is not for it. Seen on
   * redis-server 7.0: a replica restarted from its RDB continues by PSYNC
   * before the console's next dial reaches it; the poll that first reads it
   * again is often the one the next replica's move is measured from, and it
   * stayed a candidate (trouble in the look-back, restarted lately) for that
   * replica's partial resync.
   */
  restartSettledBefore(linkId: string, replicaId: string, time: number): boolean {
    const restarted = this.restartedAt.get(replicaId);
    const settled = this.linksSettledAt.get(linkId);
    const info = this.linksSettledInfo.get(linkId);
    if (restarted === undefined || settled === undefined || settled < restarted) return false;
    return settled < time || (info?.at === settled && info.listedOnlineAt !== null && info.listedOnlineAt <= time);
  }

  /**
   * Whether the link's last trouble a poll saw is accounted for by counters
   * read at `time` (the serving node's INFO the counter move is measured
   * from): the link was seen online again in a snapshot taken before then.
   * A replica's link is online (master_link_status:up, or the master's
   * slaveN state=online) only once the master has taken its PSYNC, and the
   * master counts sync_full / sync_partial_ok as it takes it: the resync
   * that ended that trouble was counted in that INFO already, and a later
   * move of the counters is not for it (the link must have dropped again
   * since, which only a new connection shows). A cut by this console is
   * never settled this way: a poll may see the link online before the cut
   * lands.
   */
  troubleSettledBefore(linkId: string, time: number): boolean {
    const settled = this.linksSettledAt.get(linkId);
    return settled !== undefined && settled < time;
  }

  /**
   * This console cut the link at `time` (Disconnect link, or the REPLICAOF
   * NO ONE of Force full resync): it was in trouble then, though a poll
   * rarely sees it down (a replica reconnects within milliseconds), so the
   * resync that follows is put down to this link.
   */
  noteLinkCut(linkId: string, time: number): void {
    this.linksTroubledAt.set(linkId, Math.max(time, this.linksTroubledAt.get(linkId) ?? time));
    this.linksCutAt.set(linkId, time);
    this.linksSettledAt.delete(linkId);
  }

  /**
   * This console is about to force a full resync of the link's replica
   * (REPLICAOF NO ONE gives it a new replication id, so its PSYNC cannot be
   * continued): the link is cut, and its resync is a full one.
   */
  noteFullSyncForced(linkId: string, time: number): void {
    this.noteLinkCut(linkId, time);
    this.linksForcedFullAt.set(linkId, time);
  }

  /** Whether this console forced a full resync of the link's replica between `from` and `to`. */
  fullSyncForcedBetween(linkId: string, from: number, to: number): boolean {
    const at = this.linksForcedFullAt.get(linkId);
    return at !== undefined && at >= from && at <= to;
  }

  /** Whether this console cut the link between `from` and `to`. */
  linkCutBetween(linkId: string, from: number, to: number): boolean {
    const at = this.linksCutAt.get(linkId);
    return at !== undefined && at >= from && at <= to;
  }

  /** A resync detected at `time` was put down to this link. */
  noteResyncAttributed(linkId: string, time: number): void {
    this.resyncAttributedAt.set(linkId, time);
  }

  /** Whether a resync was already put down to this link since it was last seen in trouble (its trouble is explained). */
  resyncAttributedSinceTrouble(linkId: string): boolean {
    const attributed = this.resyncAttributedAt.get(linkId);
    const troubled = this.linksTroubledAt.get(linkId);
    return attributed !== undefined && troubled !== undefined && attributed >= troubled;
  }

  /** Whether this link was in a snapshot taken before `time`. */
  seenLinkBefore(linkId: string, time: number): boolean {
    const first = this.linksFirstSeen.get(linkId);
    return first !== undefined && first < time;
  }

  recordPromotion(promotion: Promotion): void {
    this.promotions.push(promotion);
    if (this.promotions.length > 50) this.promotions.shift();
  }

  recordDemotion(nodeId: string, time: number): void {
    this.demotedAt.set(nodeId, time);
  }

  demotedWithin(nodeId: string, time: number, windowMs = DEMOTION_WINDOW_MS): boolean {
    const at = this.demotedAt.get(nodeId);
    return at !== undefined && time - at <= windowMs;
  }

  /**
   * The nodes whose own full sync is counted by their master (sync_full moved, the link troubled) but not
   * attributed yet (resync-attribution.ts waits SETTLE_MS or more before it files it): set after each settle.
   */
  notePendingFullSyncs(nodeIds: Iterable<string>): void {
    this.pendingFullSyncs = new Set(nodeIds);
  }

  /** Whether the node's own full sync is counted but not attributed yet (notePendingFullSyncs). */
  fullSyncPending(nodeId: string): boolean {
    return this.pendingFullSyncs.has(nodeId);
  }

  fullSyncStarted(replicaId: string, time: number): void {
    this.unfinishedFullSyncs.add(replicaId);
    this.fullSyncedAt.set(replicaId, time);
  }

  hasUnfinishedFullSync(replicaId: string): boolean {
    return this.unfinishedFullSyncs.has(replicaId);
  }

  /** Whether the node itself full-synced from its master within RECENT_MS before `time`. */
  fullSyncedRecently(nodeId: string, time: number): boolean {
    const at = this.fullSyncedAt.get(nodeId);
    return at !== undefined && time - at <= RECENT_MS;
  }

  /**
   * Whether `replicaId` full-synced since `servingId` last did: the sync of `servingId` that dropped it is
   * behind it. The same time counts (both resyncs' counters moved in one poll: the replica's came after).
   */
  fullSyncedAfter(replicaId: string, servingId: string): boolean {
    const replica = this.fullSyncedAt.get(replicaId);
    const serving = this.fullSyncedAt.get(servingId);
    return replica !== undefined && serving !== undefined && replica >= serving;
  }
}

/** Keeps the node's dataset-change counter at its offset, when either moved since the last reading. */
function noteReading(position: HistoryPosition, node: NodeSnapshot): void {
  if (node.masterReplOffset === null || node.datasetChangesSinceSave === null || node.lastSaveTime === null) return;
  const last = position.readings[position.readings.length - 1];
  if (last && last.offset === node.masterReplOffset && last.changes === node.datasetChangesSinceSave && last.lastSaveTime === node.lastSaveTime && last.role === node.role) return;
  position.readings.push({ offset: node.masterReplOffset, changes: node.datasetChangesSinceSave, lastSaveTime: node.lastSaveTime, role: node.role });
  if (position.readings.length > READINGS_KEPT) position.readings.shift();
}

/**
 * The timeline of one deployment, from everything the console hears: its
 * polls (event-inference.ts, then attribution of role changes and counter
 * moves as evidence arrives), the Sentinels' notices, the embedded engines'
 * own events, and the actions this console runs. It also keeps the
 * snapshot's split-brain list and reports writes lost in failovers.
 *
 * Order on the timeline: a link-down made from resync evidence is recorded
 * just before the resync it explains; role changes and resyncs carry the
 * time they were first seen, not the time they were attributed.
 */
import type { Redis } from 'ioredis';
import type { ActionRequest } from '../../../shared/contract/actions';
import type { EngineEvent } from '../../../shared/contract/engine-events';
import type { CauseCode, EventKind, ReplicationEvent } from '../../../shared/contract/events';
import type { SplitBrain, TopologySnapshot } from '../../../shared/contract/snapshots';
import { CommandEvidence } from './command-evidence';
import { mapEngineEvent } from './engine-event-mapper';
import { inferEvents, makeEvent, upstreamFullSync } from './event-inference';
import { plannedRestartAt, restartHealthEvent, type ChaosRestartOfNode, type PlannedRestart } from './chaos-restart-health';
import { ReplicaConnectionBaselines } from './replica-connections';
import { RecordedResyncs } from './recorded-resyncs';
import { RepointedLinkUps } from './repointed-link-up';
import { ReplicaRepoints, repointsSeen, type Repoint } from './replica-repoints';
import { ReplicationMemory } from './replication-memory';
import { ResyncAttribution, type SettledResync } from './resync-attribution';
import { RoleAttribution, roleChangeEvent, whoChangedRole, type AttributedRoleChange } from './role-attribution';
import { SentinelDiscoveryDigest, isDiscoveryNotice } from './sentinel-discovery';
import { EpochHold } from './sentinel-epoch-hold';
import { endsFailoverAttempt, explainNotice, isFailoverAttemptNotice, isFailoverStep, isOwnCommandNotice, shownNoticeText, type SentinelNotice } from './sentinel-notice';
import type { SentinelWatcher } from './sentinel-watcher';
import { SplitBrainDetector, splitBrainMessage } from './split-brain';
import { sentinelFailoverWindow } from './split-brain-failover';
import { WritesLostTracker, writesLostMessage } from './writes-lost';

/**
 * The same notice from several Sentinels (each publishes +sdown, +odown,
 * +switch-master, +new-epoch...) is shown once in this window, keyed by the
 * event and the instance it is about (+odown's quorum count differs between
 * Sentinels); the opposite notice (-sdown after +sdown) ends the window. A
 * notice that names no instance (+tilt, +vote-for-leader, -script-error) is its publishing
 * Sentinel's own and is keyed on that Sentinel too; +new-epoch on its epoch.
 * A failover attempt's notices (+try-failover ... -failover-abort-* or
 * +failover-end) are its Sentinel's own, keyed on that Sentinel, and the
 * attempt's end ends their window: its next attempt is shown again.
 */
const NOTICE_DEDUPE_MS = 30_000;

/**
 * A link-down seen from this long before to this long after this console's
 * own Disconnect link started is put down to it. The link drops within
 * milliseconds of CLIENT KILL; polls see it (or the resync counters reveal
 * it) a poll interval or two later.
 */
const OWN_DISCONNECT_BEFORE_MS = 1_000;
const OWN_DISCONNECT_AFTER_MS = 30_000;

/**
 * A link-down of a replica whose promotion is still being attributed, or a
 * partial resync of a node whose demotion is, is held for the verdict at
 * most this long (Sentinel's notices are waited for 5 s); a settled
 * promotion explains its link-downs with its former master, and a settled
 * demotion the partial resync from its new master, seen this long after it.
 */
const PROMOTION_HOLD_MS = 15_000;

/**
 * The poll-inferred events the embedded demo files too. Its engines report
 * their links, resyncs, role and replid changes themselves (exact causes,
 * engine-event-mapper.ts), so those inferred from polls would be filed
 * twice; these they never report (no engine event says a node stopped
 * answering, that a master refuses writes under min-replicas-to-write, or
 * that a replica's replica-read-only changed): polls are their only source,
 * as for redis-server.
 */
const POLL_ONLY_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  'node-unreachable', 'node-reachable', 'writes-refused', 'writes-accepted', 'replica-writable', 'replica-read-only',
]);

/**
 * A replication link this console dropped itself: the Disconnect link action
 * (cause `manual`), Force full resync and Promote to master (cause `manual`:
 * the links their REPLICAOF / FAILOVER close), or the demo's chaos: "cut link" (cause `chaos`: the link
 * goes down through the chaos proxy, which the engines see as a connection
 * the other end closed, and stays down for the cut's seconds) and "restart
 * the master" (the master's shutdown closes the link).
 */
interface OwnCut {
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
  /** The partial resync that continued the link afterwards was put down to it (one per cut). */
  resyncExplained: boolean;
}

/** Someone else's CLIENT KILL on one end of a link that dropped between two polls (killedByClientKill). */
interface ClientKillEvidence {
  readonly evidence: string;
}

/** An event waiting for the verdict on its node's role change (PROMOTION_HOLD_MS at most). */
interface HeldEvent {
  readonly event: ReplicationEvent;
  readonly heldAt: number;
  readonly awaiting: 'promotion' | 'demotion';
}

export interface EventDetectorOptions {
  readonly sessionId: string;
  /** Embedded nodes report their own events: polls then only add what no engine event says (POLL_ONLY_KINDS). */
  readonly embedded: boolean;
  client(nodeId: string): Redis | undefined;
  sentinel(): SentinelWatcher | null;
  /** The deployment is a Redis Cluster (role changes may be its own elections). */
  cluster(): boolean;
  record(event: ReplicationEvent): void;
}

export class EventDetector {
  readonly commands = new CommandEvidence();
  /** The replica connections each node lists before its INFO polls (replica-connections.ts); not for embedded nodes. */
  readonly connections = new ReplicaConnectionBaselines();
  private readonly memory = new ReplicationMemory();
  private readonly roles: RoleAttribution;
  private readonly resyncs: ResyncAttribution;
  private readonly writesLost = new WritesLostTracker();
  private readonly splitBrains = new SplitBrainDetector();
  private readonly noticesShown = new Map<string, number>();
  /** +slave, +sentinel, +sentinel-invalid-addr: gathered into one line per kind and group (sentinel-discovery.ts). */
  private readonly discoveries = new SentinelDiscoveryDigest();
  /** +new-epoch notices waiting for the failover step that explains them (sentinel-epoch-hold.ts). */
  private readonly epochs = new EpochHold<(cause: CauseCode) => void>();
  /** Nodes this console makes masters for an instant (force-full-resync), until when. */
  private readonly transientMasters = new Map<string, number>();
  private readonly ownCuts: OwnCut[] = [];
  /** Nodes the demo's chaos restarts: their hung / refused / answering-again readings are the restart's (chaos-restart-health.ts). */
  private readonly chaosRestarts: ChaosRestartOfNode[] = [];
  /** Link-downs held for the attribution of their replica's promotion (promotionOf), partial resyncs for their node's demotion (demotionOf). */
  private readonly awaitingRole: HeldEvent[] = [];
  /** Each node's latest attributed promotion, kept PROMOTION_HOLD_MS. */
  private readonly promotions = new Map<string, AttributedRoleChange>();
  /** Each node's latest attributed demotion, kept PROMOTION_HOLD_MS. */
  private readonly demotions = new Map<string, AttributedRoleChange>();
  /** Link-ups of replicas a Sentinel re-pointed, held for their PSYNC's outcome (repointed-link-up.ts). */
  private readonly repointedLinkUps = new RepointedLinkUps();
  /** Replicas seen following another master, with who ran the REPLICAOF (replica-repoints.ts). */
  private readonly repoints = new ReplicaRepoints();
  /** The resyncs recorded per replica and the links someone's CLIENT KILL cut (recorded-resyncs.ts). */
  private readonly recorded = new RecordedResyncs();

  constructor(private readonly options: EventDetectorOptions) {
    this.roles = new RoleAttribution({ notices: () => options.sentinel()?.recentNotices() ?? null, commands: this.commands, client: (id) => options.client(id), cluster: () => options.cluster(),
      downAfterMs: (group) => options.sentinel()?.groups().find((entry) => entry.name === group)?.downAfterMs ?? null,
    });
    this.resyncs = new ResyncAttribution({ memory: this.memory, connections: this.connections, client: (id) => options.client(id) });
  }

  /** This console's stream tap is about to PSYNC `servingId` (resync-attribution.ts discounts what it counts there). */
  noteTapPsync(servingId: string): (kind: string) => void {
    return this.resyncs.noteOwnPsync(servingId, Date.now());
  }

  private event(time: number, kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, inferred: boolean, message: string, numbers: ReplicationEvent['numbers'] = {}, killed: ClientKillEvidence | null = null): void {
    if (kind === 'link-down' && peerId) this.memory.noteLinkDown(`${peerId}->${nodeId}`, time);
    this.record(makeEvent(this.options.sessionId, time, kind, nodeId, peerId, cause, inferred, message, numbers), killed);
  }

  /**
   * A partial resync of a link that dropped and came back between two polls
   * (the link-down made from the resync counters), with CLIENT KILL counted
   * on one of its ends (INFO commandstats cmdstat_client|kill, the serving
   * node first, then the replica) since a baseline taken before the poll
   * preceding the drop, less this console's own kills: someone killed the
   * connection (CLIENT KILL TYPE replica or ADDR on the master, TYPE master
   * on the replica). Not when something else explains it: either end
   * restarted or was promoted. This console's own cuts and Sentinel's
   * re-pointing still come first (record).
   */
  private async killedByClientKill(resync: SettledResync, current: TopologySnapshot): Promise<ClientKillEvidence | null> {
    if (resync.kind !== 'partial-resync' || resync.cause !== 'unknown' || resync.replicaId === null || resync.poll === null) return null;
    return this.clientKillOnEnds([resync.servingId, resync.replicaId], resync.poll - 1, current, { answeringOnly: false });
  }

  /**
   * Someone's CLIENT KILL behind a link-down the polls saw (the master no
   * longer lists its replica, or the replica says its link is down), as
   * killedByClientKill finds it behind one the resync counters reveal: CLIENT
   * KILL counted on an end that answered this poll since a baseline taken
   * before the previous poll (or the last poll whose master INFO listed the
   * replica, when earlier), less this console's own. Found with a replica
   * stopped (SIGSTOP) and its connection killed on the master (CLIENT KILL
   * TYPE replica): the stopped replica cannot reconnect, so no resync
   * revealed the kill, and the link-down said "cause unknown". Not for a
   * replica that now follows another master (Sentinel's re-pointing comes
   * with a CLIENT KILL TYPE normal of its own), nor when an end restarted
   * or changed role.
   */
  private async linkDownKilled(event: ReplicationEvent, current: TopologySnapshot, poll: number): Promise<ClientKillEvidence | null> {
    if (event.cause !== 'unknown' || event.peerId === null || this.options.embedded) return null;
    const replica = current.nodes.find((candidate) => candidate.id === event.nodeId);
    if (replica && replica.role === 'replica' && replica.masterHost !== null && `${replica.masterHost}:${replica.masterPort}` !== event.peerId) return null;
    // Kills are counted from the last poll whose master INFO still listed the replica, when that is before
    // the previous poll: a link-down with a stopped replica is filed a poll or two after the master dropped
    // it (the replica is found not answering only then), and a kill counted from the previous poll is missed.
    const listed = this.memory.linkLastListedPoll(`${event.peerId}->${event.nodeId}`);
    const since = Math.min(listed ?? Infinity, poll - 1);
    // A stopped or hung end is not asked: its answer would hold up every poll.
    return this.clientKillOnEnds([event.peerId, event.nodeId], since, current, { answeringOnly: true });
  }

  /**
   * Someone's CLIENT KILL counted on one of a link's two ends since the
   * baseline before `sincePoll`, less this console's own; none when an end
   * restarted or changed role lately (a restart or a failover drops links of
   * its own). `answeringOnly`: ends that did not answer this poll are not asked.
   */
  private async clientKillOnEnds(ends: readonly string[], sincePoll: number, current: TopologySnapshot, { answeringOnly }: { answeringOnly: boolean }): Promise<ClientKillEvidence | null> {
    const nodes = ends.map((id) => current.nodes.find((candidate) => candidate.id === id));
    for (const [index, id] of ends.entries()) {
      const node = nodes[index];
      if (node === undefined || this.memory.restartedRecently(node, current.time)) return null;
      if (this.promotions.has(id) || this.roles.pendingPromotions().includes(id)) return null;
      // A demoted node's first resync after its demotion is the demotion's; once it is recorded, a later drop is not.
      const demotion = this.demotions.get(id);
      if ((demotion !== undefined && !this.recorded.resyncedSince(id, demotion.change.detectedAt)) || this.roles.pendingDemotions().includes(id)) return null;
    }
    for (const [index, id] of ends.entries()) {
      const node = nodes[index]!;
      if (answeringOnly && (node.stale || node.health !== 'up')) continue;
      const kills = await this.commands.clientKillsSince(id, sincePoll, this.options.client(id));
      if (kills === null || kills.count === 0) continue;
      return { evidence: `a client connection killed by CLIENT KILL on ${id} (not by this console): cmdstat_client|kill rose by ${kills.count} in its INFO commandstats since ${new Date(kills.since).toISOString()}` };
    }
    return null;
  }

  /**
   * Records an event; a link-down of a replica this console has just
   * disconnected or cut (inferred from polls, revealed by resync counters,
   * or an engine's own "closed"/"killed") is put down to that action or
   * chaos, with who ran it and when, instead of "cause unknown" or
   * "network". So is the first partial resync of that replica after it: the
   * replica reconnected because the console cut its link, and continued
   * where it was (Redis gives a partial resync no reason; the cut is its
   * cause). A partial resync of a replica a Sentinel just re-pointed is the
   * Sentinel's (sentinelRepoint), and so is its link-up with the new master,
   * held until the resync that says how its PSYNC went is filed
   * (repointed-link-up.ts). A full resync keeps its own cause, which
   * says why the link could not be continued. A link-down of a replica
   * promoted away from that master otherwise (CLUSTER FAILOVER, FAILOVER,
   * REPLICAOF NO ONE run elsewhere, a Cluster election) takes the
   * promotion's cause (byPromotion; afterPoll holds it for the verdict), and
   * a demoted node's partial resync from its new master the demotion's
   * (byDemotion: CLUSTER FAILOVER turns the old master into its replica's
   * replica, which continues from it).
   */
  private record(event: ReplicationEvent, killed: ClientKillEvidence | null = null): void {
    if (event.kind === 'node-unreachable' || event.kind === 'node-reachable') {
      const restart = this.chaosRestarts.findLast((entry) => entry.nodeId === event.nodeId && !entry.answered && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= entry.until);
      if (restart !== undefined) {
        const said = restartHealthEvent(event, restart);
        return said === null ? undefined : this.pass(said);
      }
    }
    if (event.kind === 'replid-change' && event.cause === 'unknown') return this.pass(this.byRepoint(this.replidChangeByOwnAction(this.replidChangeByRepoint(event))));
    if (event.kind === 'full-resync') return this.pass(this.byRepoint(this.fullResyncByOwnAction(event)));
    const resync = event.kind === 'partial-resync' && event.cause === 'unknown';
    if (event.kind === 'link-up' && event.cause === 'unknown' && event.peerId !== null) {
      // Sentinel's SLAVEOF <new master> brought this link up: said so, with how its PSYNC went (held until known).
      const repointedBy = this.sentinelRepoint(event.nodeId, event.time);
      if (repointedBy !== null) {
        const explained = this.repointedLinkUps.add(event, repointedBy, event.time);
        return explained === null ? undefined : this.pass(explained);
      }
    }
    if (event.kind === 'link-up') return this.pass(this.linkUpByOwnAction(this.byRepoint(event)));
    if (event.kind !== 'link-down' && !resync) return this.pass(this.byRepoint(event));
    const moved = event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null ? this.sentinelMovedAway(event.nodeId, event.peerId, event.time) : null;
    if (moved !== null) {
      const how = /^\+slave-reconf-/.test(moved.channel) ? `re-pointed ${event.nodeId} to the new master` : `promoted ${event.nodeId}`;
      const evidence = `Sentinel ${moved.sentinelId} ${how} (${moved.channel} at ${new Date(moved.time).toISOString()})`;
      return this.pass({ ...event, cause: 'sentinel-failover', message: `${event.message} — ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } });
    }
    const repointedBy = resync ? this.sentinelRepoint(event.nodeId, event.time) : null;
    const repointed = repointedBy !== null && !this.recorded.resyncedSince(event.nodeId, repointedBy.time) ? repointedBy : null;
    if (repointed !== null) {
      const evidence = `Sentinel ${repointed.sentinelId} re-pointed ${event.nodeId} (${repointed.channel} at ${new Date(repointed.time).toISOString()})`;
      return this.pass({ ...event, cause: 'sentinel-failover', message: `${event.message} — it continued after ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } });
    }
    // The latest action or chaos whose window holds the event: a link a later action dropped again is that action's.
    const own = this.ownCuts.findLast((entry) => entry.replicaId === event.nodeId && !(resync && entry.resyncExplained) && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS
      && event.time <= (resync ? entry.resyncUntil : entry.linkDownsUntil));
    if (own === undefined && killed !== null) {
      const message = resync ? `${event.message} — it reconnected after ${killed.evidence}` : `${event.message} — ${killed.evidence}`;
      return this.pass({ ...event, cause: 'client-kill', message, numbers: { ...event.numbers, attribution: 'operator', evidence: killed.evidence } });
    }
    if (own === undefined) return this.pass(this.byRepoint(resync ? this.byDemotion(this.byKilledLinkDown(event)) : this.byPromotion(event)));
    if (resync) own.resyncExplained = true;
    const message = resync ? `${event.message} — it reconnected after ${own.evidence}` : `${event.message} — ${own.evidence}`;
    this.pass({ ...event, cause: own.cause, message, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence } });
  }

  /**
   * A partial resync after a link-down the polls saw and put down to someone's CLIENT KILL (linkDownKilled):
   * the replica reconnected because its connection was killed, and continued. Seen on redis-server 7.0: a
   * replica stopped (SIGSTOP), CLIENT KILL TYPE replica on its master, SIGCONT 10 s later; the link-down
   * named the kill, its "Partial resynchronization request ... accepted" came with no cause. Only the first
   * resync of the replica after that link-down.
   */
  private byKilledLinkDown(event: ReplicationEvent): ReplicationEvent {
    if (event.peerId === null) return event;
    const killed = this.recorded.killedLinkDown(event.peerId, event.nodeId);
    if (killed === undefined || killed.time > event.time || this.recorded.resyncedSince(event.nodeId, killed.time)) return event;
    const evidence = `its link-down at ${new Date(killed.time).toISOString()}: ${killed.evidence}`;
    return { ...event, cause: 'client-kill', message: `${event.message} — it reconnected after ${evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence } };
  }

  /**
   * A replica seen following another master (replica-repoints.ts): who ran
   * it, this console's Re-point replica or a REPLICAOF/SLAVEOF counted on
   * it. Not one Sentinel's notices say it re-pointed (its own path).
   */
  private async noteRepoint(repoint: Repoint): Promise<void> {
    if (this.sentinelRepoint(repoint.replicaId, repoint.detectedAt) !== null) return;
    const own = this.ownCuts.findLast((entry) => entry.cause === 'manual' && entry.replicaId === repoint.replicaId && repoint.detectedAt >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && repoint.detectedAt <= entry.linkDownsUntil);
    if (own !== undefined) return this.repoints.note(repoint, { by: 'console', evidence: own.evidence });
    const counted = await this.commands.commandsSince(repoint.replicaId, repoint.lastOldPoll, this.options.client(repoint.replicaId));
    const ran = counted?.filter((command) => /^(REPLICAOF|SLAVEOF) /.test(command)) ?? [];
    this.repoints.note(repoint, ran.length > 0 ? { by: 'command', counted: ran } : { by: 'unknown', countersRead: counted !== null });
  }

  /** An event of a re-pointed replica (its link-down, link-up, first resync, new replid) not explained otherwise. */
  private byRepoint(event: ReplicationEvent): ReplicationEvent {
    return this.repoints.explain(event, (replicaId, time) => this.recorded.resyncedSince(replicaId, time));
  }

  /** Passes an event on to the timeline, noting the resyncs and the links someone's CLIENT KILL cut (RecordedResyncs). */
  private pass(event: ReplicationEvent): void {
    this.recorded.note(event);
    this.options.record(event);
  }

  /** A link-down whose replica's promotion took it from that master, with the promotion's cause (promotionOf). */
  private byPromotion(event: ReplicationEvent): ReplicationEvent {
    const promoted = event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null ? this.promotionOf(event.nodeId, event.peerId, event.time) : null;
    if (promoted === null || promoted.cause === 'unknown') return event;
    const who = whoChangedRole(promoted.attribution);
    const evidence = `${event.nodeId} was promoted ${who}: ${promoted.evidence}`;
    return { ...event, cause: promoted.cause, message: `${event.message} — ${evidence}`, numbers: { ...event.numbers, attribution: promoted.attribution, evidence } };
  }

  /**
   * A partial resync of a node just demoted, from the master it was made a
   * replica of, with the demotion's cause: the node continued from its new
   * master because it was turned into that master's replica (after CLUSTER
   * FAILOVER, "Successful partial resynchronization with master" in its
   * log), as a Sentinel-demoted master's resync is Sentinel's
   * (sentinelRepoint). An unknown demotion explains nothing.
   */
  private byDemotion(event: ReplicationEvent): ReplicationEvent {
    const demotion = event.peerId !== null ? this.demotionOf(event.nodeId, event.peerId, event.time) : null;
    if (demotion === null || demotion.cause === 'unknown' || this.recorded.resyncedSince(event.nodeId, demotion.change.detectedAt)) return event;
    const who = whoChangedRole(demotion.attribution);
    const evidence = `${event.nodeId} was made a replica of ${event.peerId} ${who}: ${demotion.evidence}`;
    return { ...event, cause: demotion.cause, message: `${event.message} — it continued after ${evidence}`, numbers: { ...event.numbers, attribution: demotion.attribution, evidence } };
  }

  /** The attributed demotion that made `nodeId` a replica of `masterId`, settled up to PROMOTION_HOLD_MS from `time`. */
  private demotionOf(nodeId: string, masterId: string, time: number): AttributedRoleChange | null {
    return settledNear(this.demotions.get(nodeId), (change) => change.node, masterId, time);
  }

  /**
   * The attributed promotion that took this replica away from `masterId`
   * (its master when it was last a replica), settled up to PROMOTION_HOLD_MS
   * before `time`: the link-down is the promotion's doing (CLUSTER FAILOVER,
   * FAILOVER, REPLICAOF NO ONE, a Cluster election), with its cause, as a
   * Sentinel failover's link-downs carry Sentinel's (sentinelMovedAway).
   */
  private promotionOf(replicaId: string, masterId: string, time: number): AttributedRoleChange | null {
    return settledNear(this.promotions.get(replicaId), (change) => change.before, masterId, time);
  }

  /**
   * A replica that takes another replication id follows another history:
   * after Sentinel re-pointed it (+slave-reconf-* in a failover,
   * +convert-to-slave, +fix-slave-config) it took the new master's id, with
   * a partial resync (+CONTINUE <new id>) or a full one. Put down to that
   * notice, as its link-down with the old master and its resync are.
   */
  private replidChangeByRepoint(event: ReplicationEvent): ReplicationEvent {
    const repointed = this.sentinelRepoint(event.nodeId, event.time);
    if (repointed === null) return event;
    const how = /^\+slave-reconf-/.test(repointed.channel) ? `re-pointed ${event.nodeId} to the new master` : `re-pointed ${event.nodeId}`;
    const evidence = `Sentinel ${repointed.sentinelId} ${how} (${repointed.channel} at ${new Date(repointed.time).toISOString()})`;
    return { ...event, cause: 'sentinel-failover', message: `${event.message}: it follows its new master's history — ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } };
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
  private replidChangeByOwnAction(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown') return event;
    const own = this.ownCuts.findLast((entry) => (entry.cause === 'manual' || entry.newHistory === true) && entry.replicaId === event.nodeId && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= entry.linkDownsUntil);
    if (own === undefined) return event;
    return { ...event, cause: own.cause, message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence } };
  }

  /**
   * A replica's link coming back up while an action of this console holds it
   * (Force full resync: its REPLICAOF <master> brings the link up after the
   * full sync; Disconnect link: the replica reconnects and continues): the
   * action's, as its link-down and resync are. A link-up may follow the
   * cut by a whole full sync, so the resync window bounds it. Only this
   * console's actions: a chaos cut's link-up stays as it was.
   */
  private linkUpByOwnAction(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown') return event;
    const own = this.ownCuts.findLast((entry) => entry.cause === 'manual' && entry.replicaId === event.nodeId && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= entry.resyncUntil);
    if (own === undefined) return event;
    return { ...event, cause: 'manual', message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence } };
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
  private fullResyncByOwnAction(event: ReplicationEvent): ReplicationEvent {
    const own = this.ownCuts.findLast((entry) => entry.cause === 'manual' && entry.replicaId === event.nodeId && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= entry.resyncUntil);
    if (own === undefined) return event;
    return { ...event, message: `${event.message} — ${own.evidence}`, numbers: { ...event.numbers, attribution: 'operator', evidence: own.evidence, byThisConsole: 1 } };
  }

  /**
   * The Sentinel notice that re-pointed this replica shortly before `time`
   * (+slave-reconf-sent/-inprog/-done in a failover, +convert-to-slave,
   * +fix-slave-config), if any: its partial resync with the new master is
   * the Sentinel's doing (it sent REPLICAOF; the replica continued).
   */
  private sentinelRepoint(replicaId: string, time: number): SentinelNotice | null {
    const notices = this.options.sentinel()?.recentNotices() ?? [];
    const inWindow = (notice: SentinelNotice): boolean => notice.instanceId === replicaId && notice.time <= time + OWN_DISCONNECT_BEFORE_MS && notice.time >= time - OWN_DISCONNECT_AFTER_MS;
    for (let index = notices.length - 1; index >= 0; index -= 1) {
      const notice = notices[index]!;
      if (!inWindow(notice)) continue;
      if (/^\+slave-reconf-/.test(notice.channel)) return firstOfReconfiguration(notices, index, inWindow);
      if (/^\+(convert-to-slave|fix-slave-config)$/.test(notice.channel)) return notice;
    }
    return null;
  }

  /**
   * The Sentinel notice that took this replica away from `masterId` shortly
   * before `time`, if any: a failover's promotion of it (+selected-slave ...
   * +promoted-slave) or its re-pointing to the new master (+slave-reconf-*),
   * published while `masterId` was the group's master. Sentinel's SLAVEOF
   * (NO ONE, or to the new master) ended its link with that master: the
   * link-down is Sentinel's doing. The link to the master it follows now is
   * never matched (the notice names the old master).
   */
  private sentinelMovedAway(replicaId: string, masterId: string, time: number): SentinelNotice | null {
    const notices = this.options.sentinel()?.recentNotices() ?? [];
    for (let index = notices.length - 1; index >= 0; index -= 1) {
      const notice = notices[index]!;
      if (notice.instanceId !== replicaId || notice.masterId !== masterId || notice.time > time + OWN_DISCONNECT_BEFORE_MS || notice.time < time - OWN_DISCONNECT_AFTER_MS) continue;
      if (/^\+(selected-slave|failover-state-send-slaveof-noone|failover-state-wait-promotion|promoted-slave|slave-reconf-sent|slave-reconf-inprog|slave-reconf-done)$/.test(notice.channel)) return notice;
    }
    return null;
  }

  private noteCut(cut: Omit<OwnCut, 'resyncExplained'>): void {
    for (let index = this.ownCuts.length - 1; index >= 0; index -= 1) if (cut.startedAt > this.ownCuts[index]!.resyncUntil) this.ownCuts.splice(index, 1);
    this.ownCuts.push({ ...cut, resyncExplained: false });
  }

  /**
   * The demo's chaos is about to cut a replica's link for `seconds` (noted
   * before it runs: the engines report the link-down as it happens). Its
   * link-downs while the cut lasts, and the partial resync after it, are put
   * down to the chaos.
   */
  noteChaosCut(replicaId: string, seconds: number, description: string, now = Date.now()): void {
    const endsAt = now + seconds * 1000;
    this.noteCut({ replicaId, startedAt: now, cause: 'chaos', linkDownsUntil: endsAt + OWN_DISCONNECT_BEFORE_MS, resyncUntil: endsAt + OWN_DISCONNECT_AFTER_MS, evidence: `the demo's chaos (${description}), asked at ${new Date(now).toISOString()}` });
  }

  /** Withdraws the chaos cut noted at `startedAt` for this replica: it failed, so it cut nothing and explains nothing. */
  forgetChaosCut(replicaId: string, startedAt: number): void {
    const index = this.ownCuts.findIndex((cut) => cut.cause === 'chaos' && cut.replicaId === replicaId && cut.startedAt === startedAt);
    if (index >= 0) this.ownCuts.splice(index, 1);
  }

  /**
   * The demo's chaos is about to restart a master (stop, then start on the
   * same port): the link-downs of this replica of it, on both sides (the
   * master's "shutdown", the replica's closed connection), its partial
   * resync after the restart and the new replication id it takes there are
   * put down to the chaos. A full resync keeps
   * its own cause (the master came back with a new history).
   */
  noteChaosRestart(replicaId: string, description: string, now = Date.now()): void {
    this.noteCut({ replicaId, startedAt: now, cause: 'chaos', newHistory: true, linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence: `the demo's chaos (${description}), asked at ${new Date(now).toISOString()}` });
  }

  /**
   * The demo's chaos is about to restart `nodeId` itself (SHUTDOWN SAVE NOW,
   * then a start on the same port): its going silent, refusing connections
   * and answering again until it answers (at most OWN_DISCONNECT_AFTER_MS)
   * are put down to the restart, not read as a hung or crashed node.
   */
  noteChaosRestartOfNode(nodeId: string, title: string, description: string, now = Date.now()): void {
    for (let index = this.chaosRestarts.length - 1; index >= 0; index -= 1) if (this.chaosRestarts[index]!.until < now) this.chaosRestarts.splice(index, 1);
    this.chaosRestarts.push({ nodeId, startedAt: now, until: now + OWN_DISCONNECT_AFTER_MS, title, evidence: `the demo's chaos (${description}), asked at ${new Date(now).toISOString()}`, answered: false, finishedAt: null, said: new Set() });
  }

  /** The demo's restart of `nodeId` noted at `startedAt` returned at `at`: the node listens again. */
  finishChaosRestartOfNode(nodeId: string, startedAt: number, at: number): void {
    const entry = this.chaosRestarts.find((candidate) => candidate.nodeId === nodeId && candidate.startedAt === startedAt);
    if (entry !== undefined) entry.finishedAt = at;
  }

  /** The demo's restart `nodeId` is in at `now`, for the alerts (chaos-restart-health.ts). */
  plannedRestart(nodeId: string, now: number): PlannedRestart | null {
    return plannedRestartAt(this.chaosRestarts, nodeId, now);
  }

  /** Withdraws the restart of `nodeId` noted at `startedAt`: it did not run, so it explains nothing. */
  forgetChaosRestartOfNode(nodeId: string, startedAt: number): void {
    const index = this.chaosRestarts.findIndex((entry) => entry.nodeId === nodeId && entry.startedAt === startedAt);
    if (index >= 0) this.chaosRestarts.splice(index, 1);
  }

  /** The split-brains of a fresh snapshot (set on it before it is published); records their start and end. */
  splitBrainsOf(snapshot: TopologySnapshot): SplitBrain[] {
    const now = snapshot.time;
    for (const [id, until] of this.transientMasters) if (until < now) this.transientMasters.delete(id);
    const groups = this.options.sentinel()?.members() ?? new Map<string, readonly string[]>();
    const changes = this.splitBrains.update(snapshot, groups, (id) => this.transientMasters.has(id));
    const notices = this.options.sentinel()?.recentNotices() ?? [];
    const withFailover = (split: SplitBrain): SplitBrain => ({ ...split, failover: sentinelFailoverWindow(split, notices, now) });
    for (const started of changes.started.map(withFailover)) {
      this.event(now, 'split-brain', started.masterIds[0]!, started.masterIds[1] ?? null, started.failover ? 'sentinel-failover' : 'unknown', true, splitBrainMessage(started), { masters: started.masterIds.join(','), group: started.group, reason: started.reason });
    }
    for (const ended of changes.ended) {
      this.event(now, 'split-brain-ended', ended.masterIds[0]!, ended.masterIds[1] ?? null, 'unknown', true, `split-brain over: ${ended.masterIds.join(' and ')} are no longer writable masters together (it began ${Math.round((now - ended.since) / 1000)} s earlier)`, { masters: ended.masterIds.join(','), since: ended.since });
    }
    return changes.current.map(withFailover);
  }

  /**
   * After each poll: events read off the change since the previous one, then
   * whatever can be attributed now. `poll` is the number of the poll that
   * took `current` (CommandEvidence.nextPoll): this runs after the poll, in
   * order, and may wait on a node (attribution asks for counters) while
   * later polls run, so the poll running now may be a later one, whose
   * command-counter baselines already count what changed at this one.
   */
  async afterPoll(previous: TopologySnapshot | null, current: TopologySnapshot, poll: number): Promise<void> {
    this.recordDiscoveries(current.time);
    for (const held of this.epochs.expired(current.time)) held.payload('unknown');
    const inference = inferEvents(previous, current, this.memory);
    if (!this.options.embedded && !this.options.cluster()) for (const repoint of repointsSeen(current, this.memory)) await this.noteRepoint(repoint);
    // A replica seen promoted now or being attributed: its link-down waits for the promotion's verdict.
    const promoting = new Set([...inference.roleChanges.filter((change) => change.kind === 'promotion').map((change) => change.node.id), ...this.roles.pendingPromotions()]);
    for (const event of inference.events) {
      if (this.options.embedded && !POLL_ONLY_KINDS.has(event.kind)) continue;
      if (event.kind === 'link-down' && event.peerId) this.memory.noteLinkDown(`${event.peerId}->${event.nodeId}`, event.time);
      if (event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null && promoting.has(event.nodeId) && this.sentinelMovedAway(event.nodeId, event.peerId, event.time) === null) {
        this.awaitingRole.push({ event, heldAt: current.time, awaiting: 'promotion' });
        continue;
      }
      this.record(event, event.kind === 'link-down' ? await this.linkDownKilled(event, current, poll) : null);
    }
    for (const change of inference.roleChanges) {
      const node = change.node;
      if (change.kind === 'promotion' && node.replid2 && node.secondReplOffset !== null && node.secondReplOffset > 0) {
        this.memory.recordPromotion({ nodeId: node.id, time: change.detectedAt, history: node.replid2, secondReplOffset: node.secondReplOffset });
      }
      // A node this console made a master for an instant (Force full resync: REPLICAOF NO ONE, then
      // REPLICAOF; a poll can fall between the two) was no master that took writes: its full resync is the
      // replication id mismatch the master logs, not a demoted master's.
      if (change.kind === 'demotion' && !this.transientMasters.has(node.id)) this.memory.recordDemotion(node.id, change.detectedAt);
      if (!this.options.embedded) this.roles.add(change);
    }
    if (!this.options.embedded) for (const move of inference.counterMoves) this.resyncs.add({ ...move, poll });
    // A restarted node numbers its connections anew: the lists it gave before mean nothing now.
    for (const node of current.nodes) if (node.health === 'up' && this.memory.restartedSinceLastSeen(node)) this.connections.forget(node.id);
    this.memory.observe(current, poll);

    for (const settled of await this.roles.settle(current.time)) {
      const kind = settled.change.kind;
      (kind === 'promotion' ? this.promotions : this.demotions).set(settled.change.node.id, settled);
      this.releaseHeld((held) => held.awaiting === kind && held.event.nodeId === settled.change.node.id);
      this.options.record(roleChangeEvent(settled, (kind, nodeId, peerId, cause, message, numbers) => makeEvent(this.options.sessionId, settled.change.detectedAt, kind, nodeId, peerId, cause, true, message, numbers)));
    }
    this.releaseHeld((held) => current.time - held.heldAt > PROMOTION_HOLD_MS);
    for (const settledRoles of [this.promotions, this.demotions]) for (const [id, change] of settledRoles) if (current.time - change.change.detectedAt > PROMOTION_HOLD_MS) settledRoles.delete(id);
    for (const resync of await this.resyncs.settle(current)) {
      if (resync.replicaId !== null) this.repointedLinkUps.noteResync({ kind: resync.kind, time: resync.time, servingId: resync.servingId, replicaId: resync.replicaId, cause: resync.cause, counterText: resync.counterText });
      const killed = await this.killedByClientKill(resync, current);
      if (resync.linkDown && resync.replicaId) {
        // The link-down before a sub-replica's upstream-resync full resync is its master's own full sync (upstreamFullSync).
        const upstream = resync.kind === 'full-resync' && resync.cause === 'upstream-resync' && killed === null
          ? upstreamFullSync(current.nodes.find((node) => node.id === resync.servingId), this.memory, resync.time, { synced: true }) : null;
        this.event(resync.linkDown.time, 'link-down', resync.replicaId, resync.servingId, upstream?.cause ?? 'unknown', true, `${resync.linkDown.message}${upstream?.why ?? ''}`, {}, killed);
      }
      // A partial resync of a node whose demotion is being attributed waits for the verdict (byDemotion).
      if (resync.kind === 'partial-resync' && resync.cause === 'unknown' && killed === null && resync.replicaId !== null && this.roles.pendingDemotions().includes(resync.replicaId)) {
        const event = makeEvent(this.options.sessionId, resync.time, resync.kind, resync.replicaId, resync.servingId, resync.cause, true, resync.message, resync.numbers);
        this.awaitingRole.push({ event, heldAt: current.time, awaiting: 'demotion' });
        continue;
      }
      this.event(resync.time, resync.kind, resync.replicaId ?? resync.servingId, resync.servingId, resync.cause, true, resync.message, resync.numbers, killed);
    }
    for (const linkUp of this.repointedLinkUps.due(current.time)) this.options.record(linkUp);
    for (const loss of this.writesLost.check(this.memory, current)) {
      this.event(current.time, 'writes-lost', loss.oldMasterId, loss.newMasterId, 'failover', true, writesLostMessage(loss), {
        bytes: loss.bytes, fromOffset: loss.fromOffset, toOffset: loss.toOffset, oldMasterId: loss.oldMasterId, newMasterId: loss.newMasterId, history: loss.history, bound: loss.bound, promotedAt: loss.promotedAt, datasetChanges: loss.datasetChanges,
      });
    }
  }

  /** Records the held events that match, each with its role change's cause when there is one. */
  private releaseHeld(match: (held: HeldEvent) => boolean): void {
    for (let index = 0; index < this.awaitingRole.length; ) {
      const held = this.awaitingRole[index]!;
      if (!match(held)) {
        index++;
        continue;
      }
      this.awaitingRole.splice(index, 1);
      this.record(held.event);
    }
  }

  /** A Sentinel notice: shown on the timeline once (several Sentinels publish the same; a vote once per voter), kept as evidence by the watcher. */
  onSentinelNotice(notice: SentinelNotice): void {
    for (const held of this.epochs.expired(notice.time)) held.payload('unknown');
    // Recorded before the step that explains them, in their place on the timeline.
    for (const held of this.epochs.explainedBy(notice)) held.payload('sentinel-failover');
    if (notice.channel === '+switch-master') this.discoveries.noteSwitch(notice);
    if (isDiscoveryNotice(notice.channel)) {
      this.discoveries.add(notice);
      this.recordDiscoveries(notice.time);
      return;
    }
    const explained = explainNotice(notice);
    if (explained === null) return;
    if (isOwnCommandNotice(notice.channel)) {
      // Published by the one Sentinel the command ran on, once: each is its own line (SENTINEL SET on two Sentinels is two).
      this.event(notice.time, 'sentinel', notice.instanceId ?? notice.sentinelId, notice.sentinelId, 'unknown', false, `Sentinel ${notice.sentinelId}: ${notice.channel} — ${explained}`, {
        channel: notice.channel, sentinel: notice.sentinelId, group: notice.group, text: shownNoticeText(notice),
      });
      return;
    }
    // The instance's type is part of what a notice is about: after a failover the old master's address is, for
    // Sentinel, a replica of the new master, and its +sdown as a replica is news after its +sdown as the master.
    // An address switch names the master; what it is about is the Sentinel that moved (in its detail).
    // A notice that names no instance is its publisher's own: a vote (sentinelVoteLeader, once per epoch, so two
    // voting the same leader in one epoch are two votes), +tilt / -tilt (each Sentinel's own TILT, published with
    // no instance), -script-error (a notification or reconfig script that ended by a signal or a non-zero
    // exit, published with no instance). Several Sentinels publishing it together are several lines, each of its own
    // Sentinel's log. Not +new-epoch: it names the epoch all Sentinels share, shown once per epoch.
    // A failover attempt's notices are its Sentinel's alone (isFailoverAttemptNotice): two Sentinels trying
    // in turn, or one retrying after an abort, are each an attempt of their own, as each Sentinel logs it.
    const attempt = isFailoverAttemptNotice(notice.channel) ? ` in the attempt of ${notice.group ?? '?'} by ${notice.sentinelId}` : null;
    const about = attempt !== null ? `${notice.instanceType ?? ''} ${notice.instanceId ?? ''}${attempt}`
      : notice.channel === '+sentinel-address-switch' ? notice.detail
      : notice.instanceId !== null ? `${notice.instanceType ?? ''} ${notice.instanceId}`
        : notice.channel === '+new-epoch' ? notice.text
          : `by ${notice.sentinelId}: ${notice.text}`;
    const key = `${notice.channel} ${about}`;
    const opposite = `${notice.channel.startsWith('+') ? '-' : '+'}${notice.channel.slice(1)} ${about}`;
    this.noticesShown.delete(opposite);
    const shown = this.noticesShown.get(key);
    if (shown !== undefined && notice.time - shown < NOTICE_DEDUPE_MS) return;
    this.noticesShown.set(key, notice.time);
    for (const [old, at] of this.noticesShown) if (notice.time - at > NOTICE_DEDUPE_MS || (attempt !== null && endsFailoverAttempt(notice.channel) && old.endsWith(attempt))) this.noticesShown.delete(old);
    const record = (cause: CauseCode): void => this.event(notice.time, 'sentinel', notice.instanceId ?? notice.sentinelId, notice.sentinelId, cause, false, `Sentinel ${notice.sentinelId}: ${notice.channel} — ${explained}${this.oldMasterNote(notice)}${cause === 'sentinel-failover' && notice.channel === '+new-epoch' ? ' (the failover\'s epoch: Sentinel raises it only to start a failover)' : ''}`, {
      channel: notice.channel, sentinel: notice.sentinelId, group: notice.group, text: shownNoticeText(notice),
    });
    if (notice.channel !== '+new-epoch') return record(isFailoverStep(notice.channel) ? 'sentinel-failover' : 'unknown');
    if (this.epochs.verdict(notice, this.options.sentinel()?.recentNotices() ?? []) === 'failover') return record('sentinel-failover');
    this.epochs.hold(notice, record);
  }

  /**
   * A replica's +sdown / -sdown whose address is the master a +switch-master
   * of its group moved away from: Sentinel keeps the old master as a replica
   * of the new one (sentinelResetMasterAndChangeAddress), and this is how it
   * sees it. Seen with redis-sentinel 7.0.15 after kill -9 of a master: each
   * Sentinel logged '+sdown slave <old> ... @ mymaster <new>' some 3 s
   * (down-after) after +switch-master.
   */
  private oldMasterNote(notice: SentinelNotice): string {
    if (notice.instanceType !== 'slave' || (notice.channel !== '+sdown' && notice.channel !== '-sdown')) return '';
    const switched = this.options.sentinel()?.recentNotices().findLast((earlier) => earlier.channel === '+switch-master' && earlier.group === notice.group && earlier.switchedFrom === notice.instanceId && earlier.time <= notice.time);
    if (switched === undefined) return '';
    return notice.channel === '+sdown'
      ? `: the old master of ${notice.group ?? '?'}, which Sentinel now lists as a replica of ${switched.switchedTo ?? '?'}; if it comes back, Sentinel turns it into a replica (+convert-to-slave) and writes it takes until then are discarded`
      : `: the old master of ${notice.group ?? '?'} answers again; Sentinel, which lists it as a replica of ${switched.switchedTo ?? '?'}, turns it into one if it reports itself a master (+convert-to-slave)`;
  }

  /** The discovery lines whose gathering window has closed (checked at each notice and each poll). */
  private recordDiscoveries(now: number): void {
    for (const line of this.discoveries.due(now)) {
      const [single] = line.found;
      const nodeId = line.channel === '+slave' && line.found.length === 1 && single !== undefined ? single.instanceId : (line.masterId ?? single?.instanceId ?? line.group);
      this.event(line.time, 'sentinel', nodeId, line.found.length === 1 && single?.reportedBy.length === 1 ? single.reportedBy[0]! : null, 'unknown', false, `Sentinels: ${line.channel} — ${line.message}`, {
        channel: line.channel, group: line.group, sentinels: [...new Set(line.found.flatMap((entry) => entry.reportedBy))].join(' '), instances: line.found.map((entry) => entry.instanceId).join(' '),
      });
    }
  }

  /** An embedded engine's own event; its role changes are put down to this console or to a command run on the node. */
  onEngineEvent(engineEvent: EngineEvent): void {
    const mapped = mapEngineEvent(this.options.sessionId, engineEvent);
    if (!mapped) return;
    if ((mapped.kind === 'promotion' || mapped.kind === 'demotion') && mapped.cause === 'manual') {
      const intent = this.commands.intentFor(mapped.nodeId, mapped.time);
      const evidence = intent ? `this console ran ${intent.description}` : 'REPLICAOF/FAILOVER was run on the node, not from this console (the engine reports the command)';
      this.options.record({ ...mapped, cause: intent ? 'manual' : 'operator-command', message: `${mapped.message} — ${evidence}`, numbers: { ...mapped.numbers, attribution: 'operator', evidence } });
      return;
    }
    this.record(mapped);
  }

  /**
   * This console is about to run an action (recorded before it runs): the
   * role changes and link-downs it causes are put down to it. `by` names who
   * runs it ("the ACL user "ops"").
   */
  noteAction(action: ActionRequest, snapshot: TopologySnapshot, by: string, now = Date.now()): void {
    const node = (id: string) => snapshot.nodes.find((candidate) => candidate.id === id);
    switch (action.kind) {
      case 'disconnect-link': {
        const cut = snapshot.links.find((link) => link.replicaId === action.replicaId);
        const masterId = cut?.masterId ?? 'its master';
        if (cut) this.memory.noteLinkCut(cut.id, now);
        this.commands.noteOwnClientKill(action.side === 'replica' ? action.replicaId : masterId, now);
        const how = action.side === 'replica' ? `replica side: CLIENT KILL TYPE master on ${action.replicaId}` : `master side: CLIENT KILL ADDR … TYPE replica on ${masterId}`;
        this.noteCut({
          replicaId: action.replicaId, startedAt: now, cause: 'manual', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS,
          evidence: `this console's Disconnect link (${how}), run at ${new Date(now).toISOString()} by ${by}`,
        });
        return;
      }
      case 'promote': {
        const target = node(action.nodeId);
        // The node it follows: the link's master (a proxy in between, like the demo's chaos proxy,
        // is mapped back to the node), else the address it reports.
        const masterId = snapshot.links.find((link) => link.replicaId === action.nodeId)?.masterId ?? (target?.masterHost ? `${target.masterHost}:${target.masterPort}` : null);
        const siblings = snapshot.links.filter((link) => link.masterId === masterId).map((link) => link.replicaId);
        const viaSentinel = action.method === 'sentinel-failover' || (action.method === 'auto' && snapshot.kind === 'sentinel');
        const nodeIds = [action.nodeId, ...(masterId ? [masterId] : []), ...(viaSentinel ? siblings : [])];
        this.commands.noteIntent({ nodeIds, description: `promote ${action.nodeId} (${action.method})`, viaSentinel }, now);
        // The target leaves its master; by FAILOVER the old master follows it and, like any node
        // turned replica, drops its own replicas, which reconnect and continue from it. Under
        // Sentinel those are Sentinel's doing (its notices say so).
        if (!viaSentinel) {
          const evidence = `this console's Promote to master of ${action.nodeId} (${action.method}), run at ${new Date(now).toISOString()} by ${by}`;
          for (const replicaId of [action.nodeId, ...(masterId ? [masterId] : []), ...siblings]) {
            this.noteCut({ replicaId, startedAt: now, cause: 'manual', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence });
          }
        }
        return;
      }
      case 'force-full-resync': {
        this.transientMasters.set(action.replicaId, now + 15_000);
        this.commands.noteIntent({ nodeIds: [action.replicaId], description: `force-full-resync of ${action.replicaId} (REPLICAOF NO ONE, then REPLICAOF)`, viaSentinel: false }, now);
        // REPLICAOF NO ONE closes the target's link, and its own replicas' (a node that becomes a
        // master keeps them, but they are dropped when it turns replica again).
        const target = node(action.replicaId);
        const evidence = `this console's Force full resync of ${action.replicaId} (REPLICAOF NO ONE, then REPLICAOF ${target?.masterHost ?? '?'} ${target?.masterPort ?? '?'}), run at ${new Date(now).toISOString()} by ${by}`;
        // The target's link and its replicas' links are cut; the target's resync is a full one.
        const forced = snapshot.links.find((link) => link.replicaId === action.replicaId);
        if (forced) this.memory.noteFullSyncForced(forced.id, now);
        for (const link of snapshot.links) if (link.masterId === action.replicaId) this.memory.noteLinkCut(link.id, now);
        const below = snapshot.links.filter((link) => link.masterId === action.replicaId).map((link) => link.replicaId);
        for (const replicaId of [action.replicaId, ...below]) {
          this.noteCut({ replicaId, startedAt: now, cause: 'manual', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence });
        }
        return;
      }
      case 'repoint': {
        // REPLICAOF <new master> closes the replica's link with its old master (both sides
        // log it) and it resyncs with the new one: both are the action's. Its own replicas keep
        // their links (a replica that changes master keeps its sub-replicas in 7.0).
        const target = node(action.masterId);
        const evidence = `this console's Re-point replica of ${action.replicaId} to ${action.masterId} (REPLICAOF ${target?.host ?? '?'} ${target?.port ?? '?'}), run at ${new Date(now).toISOString()} by ${by}`;
        this.noteCut({ replicaId: action.replicaId, startedAt: now, cause: 'manual', linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence });
        return;
      }
      default:
        return;
    }
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
 * The notice that started a failover's re-pointing of one replica, given the
 * latest of its +slave-reconf-* notices (at `latest`). Sentinel's leader
 * publishes +slave-reconf-sent when it sends SLAVEOF <new master>, then
 * -inprog and -done as the replica's INFO shows it following; once
 * failover-timeout has passed with the replica not yet done (a full sync
 * held by repl-diskless-sync-delay), it sends SLAVEOF once more
 * "best effort" (+slave-reconf-sent-be, sentinelFailoverDetectEnd), which a
 * replica already following that master ignores. Seen on redis-server 7.0:
 * +slave-reconf-sent at 20:04:49.296 (the replica's log: "REPLICAOF ...
 * enabled" at .299, its PSYNC refused there), +slave-reconf-sent-be at
 * 20:04:54.275 just as its full sync ended. Its link-up, replid change and
 * resync all come from the first SLAVEOF: that notice is returned. The
 * notices of one re-pointing name the same old master (masterId) and come
 * from the same Sentinel (other notices of this replica in between, such as
 * another Sentinel's +slave, are passed over); another re-pointing of it
 * (+convert-to-slave, +fix-slave-config, a reconf for another master) ends
 * the walk back.
 */
function firstOfReconfiguration(notices: ReadonlyArray<SentinelNotice>, latest: number, inWindow: (notice: SentinelNotice) => boolean): SentinelNotice {
  const last = notices[latest]!;
  let first = last;
  for (let index = latest - 1; index >= 0; index -= 1) {
    const notice = notices[index]!;
    if (!inWindow(notice)) continue;
    if (/^\+(convert-to-slave|fix-slave-config)$/.test(notice.channel)) break;
    if (!/^\+slave-reconf-/.test(notice.channel)) continue;
    if (notice.masterId !== last.masterId || notice.sentinelId !== last.sentinelId) break;
    first = notice;
  }
  return first;
}

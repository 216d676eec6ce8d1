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
import { CommandEvidence, sentinelSlaveofEvidence } from './command-evidence';
import { mapEngineEvent, withCommandEvidence } from './engine-event-mapper';
import { inferEvents, makeEvent, upstreamFullSync } from './event-inference';
import { plannedRestartAt, restartHealthEvent, type ChaosRestartOfNode, type PlannedRestart } from './chaos-restart-health';
import { noteOwnAction } from './own-action-cuts';
import { byRestart } from './node-restart';
import { OWN_DISCONNECT_AFTER_MS, OWN_DISCONNECT_BEFORE_MS, OwnCuts } from './own-cuts';
import { byBounce, replicaofBounce, type ReplicaofBounce } from './replicaof-bounce';
import { ReplicaConnectionBaselines } from './replica-connections';
import { RecordedResyncs } from './recorded-resyncs';
import { RepointedLinkUps } from './repointed-link-up';
import { ReplicaRepoints, repointsSeen, type Repoint } from './replica-repoints';
import { ReplicationMemory } from './replication-memory';
import { ResyncAttribution, type SettledResync } from './resync-attribution';
import { RoleAttribution, roleChangeEvent, whoChangedRole } from './role-attribution';
import { HeldEvents, PROMOTION_HOLD_MS, SettledRoleChanges } from './role-verdict-hold';
import { SentinelDiscoveryDigest, isDiscoveryNotice } from './sentinel-discovery';
import { EpochHold } from './sentinel-epoch-hold';
import { explainNotice, isFailoverStep, isOwnCommandNotice, shownNoticeText, type SentinelNotice } from './sentinel-notice';
import { SentinelNoticeDedupe } from './sentinel-notice-dedupe';
import { SENTINEL_SLAVEOF_NOTICES, SentinelSlaveofLines } from './sentinel-slaveof-lines';
import { oldMasterNote } from './sentinel-old-master-note';
import { sentinelMovedAway, sentinelRepoint } from './sentinel-repoint';
import type { SentinelWatcher } from './sentinel-watcher';
import { SplitBrainDetector, splitBrainMessage } from './split-brain';
import { sentinelFailoverWindow } from './split-brain-failover';
import { WritesLostTracker, writesLostMessage } from './writes-lost';

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

/** Someone else's CLIENT KILL on one end of a link that dropped between two polls (killedByClientKill). */
interface ClientKillEvidence {
  readonly evidence: string;
}

export interface EventDetectorOptions {
  readonly sessionId: string;
  /** Embedded nodes report their own events: polls then only add what no engine event says (POLL_ONLY_KINDS). */
  readonly embedded: boolean;
  client(nodeId: string): Redis | undefined;
  sentinel(): SentinelWatcher | null;
  /** The deployment is a Redis Cluster (role changes may be its own elections). */
  cluster(): boolean;
  /** The node watched at a host:port a node names (its master_host:master_port): the monitor's aliases (proxies, announced addresses, other addresses of the same node). */
  alias?(address: string): string;
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
  /** Which notices are new lines on the timeline (sentinel-notice-dedupe.ts). */
  private readonly notices = new SentinelNoticeDedupe((address) => this.options.alias?.(address) ?? address);
  /** +convert-to-slave / +fix-slave-config: a line per SLAVEOF that changed something, a repeat count otherwise (sentinel-slaveof-lines.ts). */
  private readonly slaveofLines = new SentinelSlaveofLines((nodeId) => this.commands.failedExecs(nodeId), (address) => this.options.alias?.(address) ?? address);
  /** +slave, +sentinel, +sentinel-invalid-addr: gathered into one line per kind and group (sentinel-discovery.ts). */
  private readonly discoveries = new SentinelDiscoveryDigest();
  /** +new-epoch notices waiting for the failover step that explains them (sentinel-epoch-hold.ts). */
  private readonly epochs = new EpochHold<(cause: CauseCode) => void>();
  /** Nodes this console makes masters for an instant (force-full-resync), until when. */
  private readonly transientMasters = new Map<string, number>();
  /** The links this console's actions and the demo's chaos cut (own-cuts.ts). */
  private readonly ownCuts = new OwnCuts();
  /** Nodes the demo's chaos restarts: their hung / refused / answering-again readings are the restart's (chaos-restart-health.ts). */
  private readonly chaosRestarts: ChaosRestartOfNode[] = [];
  /** Link-downs held for the attribution of their replica's promotion (promotionOf), partial resyncs for their node's demotion (demotionOf). */
  private readonly awaitingRole = new HeldEvents();
  /** Each node's latest attributed promotion and demotion, kept PROMOTION_HOLD_MS (role-verdict-hold.ts). */
  private readonly settledRoles = new SettledRoleChanges();
  /** Link-ups of replicas a Sentinel re-pointed, held for their PSYNC's outcome (repointed-link-up.ts). */
  private readonly repointedLinkUps = new RepointedLinkUps();
  /** Replicas seen following another master, with who ran the REPLICAOF (replica-repoints.ts). */
  private readonly repoints = new ReplicaRepoints();
  /** The resyncs recorded per replica and the links someone's CLIENT KILL cut (recorded-resyncs.ts). */
  private readonly recorded = new RecordedResyncs();
  /** The snapshot the running afterPoll turns into events: an end's new run_id there is a restart not observed yet (byEndRestart). */
  private latest: TopologySnapshot | null = null;

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

  private event(time: number, kind: EventKind, nodeId: string, peerId: string | null, cause: CauseCode, inferred: boolean, message: string, numbers: ReplicationEvent['numbers'] = {}, killed: ClientKillEvidence | null = null, bounced: ReplicaofBounce | null = null): void {
    if (kind === 'link-down' && peerId) this.memory.noteLinkDown(`${peerId}->${nodeId}`, time);
    this.record(makeEvent(this.options.sessionId, time, kind, nodeId, peerId, cause, inferred, message, numbers), killed, bounced);
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
   * A link-down the polls saw (the replica's link syncing again, or gone
   * from its master's list) of a replica that still follows that master,
   * with REPLICAOF NO ONE and back counted on it since the baseline before
   * the previous poll (replicaof-bounce.ts): the poll caught the full sync
   * that follows. A replica now following another master is a re-point
   * (noteRepoint); one a poll saw promoted is held for its promotion's
   * verdict before this.
   */
  private async linkDownBounce(event: ReplicationEvent, current: TopologySnapshot, poll: number): Promise<ReplicaofBounce | null> {
    if (event.kind !== 'link-down' || event.cause !== 'unknown' || event.peerId === null || this.options.embedded) return null;
    const replica = current.nodes.find((candidate) => candidate.id === event.nodeId);
    if (replica === undefined || replica.health !== 'up' || replica.stale || replica.role !== 'replica' || replica.masterHost === null) return null;
    const address = `${replica.masterHost}:${replica.masterPort}`;
    if ((this.options.alias?.(address) ?? address) !== event.peerId) return null;
    return replicaofBounce(this.commands, event.nodeId, poll - 1, event.time, this.options.client(event.nodeId));
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
      if (this.settledRoles.promoted(id) || this.roles.pendingPromotions().includes(id)) return null;
      // A demoted node's first resync after its demotion is the demotion's; once it is recorded, a later drop is not.
      const demotion = this.settledRoles.demotion(id);
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
  private record(event: ReplicationEvent, killed: ClientKillEvidence | null = null, bounced: ReplicaofBounce | null = null): void {
    if (event.kind === 'node-unreachable' || event.kind === 'node-reachable') {
      const restart = this.chaosRestarts.findLast((entry) => entry.nodeId === event.nodeId && !entry.answered && event.time >= entry.startedAt - OWN_DISCONNECT_BEFORE_MS && event.time <= entry.until);
      if (restart !== undefined) {
        const said = restartHealthEvent(event, restart);
        return said === null ? undefined : this.pass(said);
      }
    }
    if (event.kind === 'replid-change' && event.cause === 'unknown') return this.pass(this.byMasterPromotion(this.byRepoint(this.ownCuts.replidChange(this.replidChangeByRepoint(event)))));
    if (event.kind === 'full-resync') return this.pass(byBounce(this.byRepoint(this.ownCuts.fullResync(event)), bounced));
    if (event.kind === 'sync-finished') return this.pass(this.byRepoint(this.ownCuts.syncFinished(event)));
    const resync = event.kind === 'partial-resync' && event.cause === 'unknown';
    if (event.kind === 'link-up' && event.cause === 'unknown' && event.peerId !== null) {
      // Sentinel's SLAVEOF <new master> brought this link up: said so, with how its PSYNC went (held until known).
      const repointedBy = sentinelRepoint(this.recentNotices(), event.nodeId, event.time);
      if (repointedBy !== null) {
        const explained = this.repointedLinkUps.add(event, repointedBy, event.time);
        return explained === null ? undefined : this.pass(explained);
      }
    }
    if (event.kind === 'link-up') return this.pass(this.ownCuts.linkUp(this.byRepoint(event)));
    if (event.kind !== 'link-down' && !resync) return this.pass(this.byRepoint(event));
    const moved = event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null ? sentinelMovedAway(this.recentNotices(), event.nodeId, event.peerId, event.time) : null;
    if (moved !== null) {
      const how = /^\+slave-reconf-/.test(moved.channel) ? `re-pointed ${event.nodeId} to the new master` : `promoted ${event.nodeId}`;
      const evidence = `Sentinel ${moved.sentinelId} ${how} (${moved.channel} at ${new Date(moved.time).toISOString()})`;
      return this.pass({ ...event, cause: 'sentinel-failover', message: `${event.message} — ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } });
    }
    const repointedBy = resync ? sentinelRepoint(this.recentNotices(), event.nodeId, event.time) : null;
    const repointed = repointedBy !== null && !this.recorded.resyncedSince(event.nodeId, repointedBy.time) ? repointedBy : null;
    if (repointed !== null) {
      const evidence = `Sentinel ${repointed.sentinelId} re-pointed ${event.nodeId} (${repointed.channel} at ${new Date(repointed.time).toISOString()})`;
      return this.pass({ ...event, cause: 'sentinel-failover', message: `${event.message} — it continued after ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } });
    }
    // The latest action or chaos whose window holds the event: a link a later action dropped again is that action's.
    const own = this.ownCuts.holding(event, resync);
    if (own === undefined && killed !== null) {
      const message = resync ? `${event.message} — it reconnected after ${killed.evidence}` : `${event.message} — ${killed.evidence}`;
      return this.pass({ ...event, cause: 'client-kill', message, numbers: { ...event.numbers, attribution: 'operator', evidence: killed.evidence } });
    }
    if (own === undefined) {
      const explained = withCommandEvidence(byBounce(this.byMasterPromotion(this.byRepoint(resync ? this.byDemotion(this.byKilledLinkDown(event)) : this.byEndRestart(this.byPromotion(event)))), bounced));
      return this.pass(resync ? this.byCausedLinkDown(explained) : explained);
    }
    if (resync) own.resyncExplained = true;
    else own.linkDownAt = Math.min(own.linkDownAt ?? event.time, event.time);
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
   * A partial resync nothing else explains, after a link-down of the same link filed with a known cause:
   * the replica reconnected because of that drop, and continued. Seen on redis-server 7.0: a chain's middle
   * stopped (SIGSTOP) past repl-timeout, the leaf's link-down "timeout"; after SIGCONT the leaf's "Successful
   * partial resynchronization" from the middle came with no cause. Only the first resync after that link-down.
   */
  private byCausedLinkDown(event: ReplicationEvent): ReplicationEvent {
    if (event.cause !== 'unknown' || event.peerId === null) return event;
    const down = this.recorded.causedLinkDown(event.peerId, event.nodeId);
    if (down === undefined || down.time > event.time || this.recorded.resyncedSince(event.nodeId, down.time)) return event;
    const evidence = `its link-down at ${new Date(down.time).toISOString()} (cause ${down.cause}): ${down.message}`;
    return { ...event, cause: down.cause, message: `${event.message} — it reconnected after ${evidence}`, numbers: { ...event.numbers, evidence } };
  }

  /**
   * A replica seen following another master (replica-repoints.ts): who ran
   * it, this console's Re-point replica, Sentinel (its SLAVEOF transaction
   * counted on the replica) or a REPLICAOF/SLAVEOF counted on it. Not one
   * Sentinel's notices say it re-pointed (its own path). Sentinel publishes
   * the notice as it sends SLAVEOF, but it reaches this console late over a
   * slow path, or never from a Sentinel it is not subscribed to: with its
   * +fix-slave-config 2 s late (redis-sentinel 7.0 behind a delaying proxy),
   * the re-point's link-down and link-up were "SLAVEOF ×1 ran ..., not from
   * this console" and its partial resync put down to the transaction's own
   * CLIENT KILLs (sentinel-late-notice-repoint.test.ts). Only when every
   * SLAVEOF counted was in such a transaction and no REPLICAOF was.
   */
  private async noteRepoint(repoint: Repoint): Promise<void> {
    if (sentinelRepoint(this.recentNotices(), repoint.replicaId, repoint.detectedAt) !== null) return;
    const own = this.ownCuts.repointHolding(repoint.replicaId, repoint.toId, repoint.detectedAt);
    if (own !== undefined) return this.repoints.note(repoint, { by: 'console', evidence: own.evidence });
    const client = this.options.client(repoint.replicaId);
    const reading = await this.commands.roleCommandsSince(repoint.replicaId, repoint.lastOldPoll, client);
    const counted = reading?.commands ?? null;
    const ran = counted?.filter((command) => /^(REPLICAOF|SLAVEOF) /.test(command)) ?? [];
    const bySentinel = reading !== null ? sentinelSlaveofEvidence(reading, ran) : null;
    if (bySentinel !== null) return this.repoints.note(repoint, { by: 'sentinel', evidence: bySentinel });
    this.repoints.note(repoint, ran.length > 0 ? { by: 'command', counted: ran } : { by: 'unknown', countersRead: counted !== null });
  }

  /** An event of a re-pointed replica (its link-down, link-up, first resync, new replid) not explained otherwise. */
  private byRepoint(event: ReplicationEvent): ReplicationEvent {
    return this.repoints.explain(event, (replicaId, masterId, time) => this.recorded.resyncedFromSince(replicaId, masterId, time));
  }

  /** Passes an event on to the timeline, noting the resyncs and the links someone's CLIENT KILL cut (RecordedResyncs). */
  private pass(event: ReplicationEvent): void {
    this.recorded.note(event);
    this.options.record(event);
  }

  /**
   * A link-down nothing else explains, with one of its ends restarted around
   * it (node-restart.ts): the restart's. Found on a chain master -> r1 -> r2
   * with r1 restarted (redis-server 7.0 and our engine): the master's link
   * to r1, revealed by its sync_full, said "dropped and came back between
   * two polls", cause unknown, though r1's new run_id was on the same poll.
   */
  private byEndRestart(event: ReplicationEvent): ReplicationEvent {
    return byRestart(event, (nodeId, time) => this.memory.restartHolding(nodeId, time, this.latest?.nodes.find((node) => node.id === nodeId), `${event.peerId ?? ''}->${event.nodeId}`));
  }

  /** A link-down whose replica's promotion took it from that master, with the promotion's cause (promotionOf). */
  private byPromotion(event: ReplicationEvent): ReplicationEvent {
    const promoted = event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null ? this.settledRoles.promotionOf(event.nodeId, event.peerId, event.time) : null;
    if (promoted === null || promoted.cause === 'unknown') return event;
    const who = whoChangedRole(promoted.attribution);
    const evidence = `${event.nodeId} was promoted ${who}: ${promoted.evidence}`;
    return { ...event, cause: promoted.cause, message: `${event.message} — ${evidence}`, numbers: { ...event.numbers, attribution: promoted.attribution, evidence } };
  }

  /**
   * A replica's link-down with its master, its partial resync from it, or
   * the replication id it took, when that master was just promoted (by
   * Sentinel, an operator, the Cluster): redis-server 7.0 drops its own
   * replicas as it turns master so they learn its new id ("Setting
   * secondary replication ID to ..." then "Connection with replica ...
   * lost." in its log), and they reconnect at once and continue through its
   * replid2 ("Partial resynchronization request ... accepted"). With the
   * promotion's cause. Seen with SENTINEL FAILOVER promoting the middle of a
   * chain: the leaf's link-down said "cause unknown", its partial resync and
   * new replication id no cause at all. An unknown promotion explains
   * nothing, nor does one of a master the replica was re-pointed to.
   */
  private byMasterPromotion(event: ReplicationEvent): ReplicationEvent {
    // A replica re-pointed to the new master (REPLICAOF, Sentinel) has its own explanation, even an unknown one.
    if (event.cause !== 'unknown' || event.numbers['attribution'] !== undefined) return event;
    const replid = event.numbers['replid'];
    // A replid change is its master's promotion only when the promoted node is the node's link master (not a master further up).
    const linkMaster = this.latest?.links.find((link) => link.replicaId === event.nodeId)?.masterId ?? null;
    const promoted = event.kind === 'replid-change' && typeof replid === 'string'
      ? linkMaster !== null && linkMaster !== event.nodeId ? this.settledRoles.promotionWithReplid(replid, linkMaster, event.time) : null
      : (event.kind === 'link-down' || event.kind === 'partial-resync') && event.peerId !== null ? this.settledRoles.promotionAt(event.peerId, event.time) : null;
    if (promoted === null || promoted.cause === 'unknown') return event;
    const masterId = promoted.change.node.id;
    const evidence = `its master ${masterId} was promoted ${whoChangedRole(promoted.attribution)}: ${promoted.evidence}`;
    const why = event.kind === 'link-down'
      ? '; a node turned master drops its replicas so they take its new replication id'
      : event.kind === 'partial-resync' ? `; it reconnected as ${masterId} dropped its replicas and continued through ${masterId}'s replid2` : `; it took ${masterId}'s new replication id`;
    return { ...event, cause: promoted.cause, message: `${event.message} — ${evidence}${why}`, numbers: { ...event.numbers, attribution: promoted.attribution, evidence } };
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
    const demotion = event.peerId !== null ? this.settledRoles.demotionOf(event.nodeId, event.peerId, event.time) : null;
    if (demotion === null || demotion.cause === 'unknown' || this.recorded.resyncedSince(event.nodeId, demotion.change.detectedAt)) return event;
    const who = whoChangedRole(demotion.attribution);
    const evidence = `${event.nodeId} was made a replica of ${event.peerId} ${who}: ${demotion.evidence}`;
    return { ...event, cause: demotion.cause, message: `${event.message} — it continued after ${evidence}`, numbers: { ...event.numbers, attribution: demotion.attribution, evidence } };
  }

  /**
   * A replica that takes another replication id follows another history:
   * after Sentinel re-pointed it (+slave-reconf-* in a failover,
   * +convert-to-slave, +fix-slave-config) it took the new master's id, with
   * a partial resync (+CONTINUE <new id>) or a full one. Put down to that
   * notice, as its link-down with the old master and its resync are.
   */
  private replidChangeByRepoint(event: ReplicationEvent): ReplicationEvent {
    const repointed = sentinelRepoint(this.recentNotices(), event.nodeId, event.time);
    if (repointed === null) return event;
    const how = /^\+slave-reconf-/.test(repointed.channel) ? `re-pointed ${event.nodeId} to the new master` : `re-pointed ${event.nodeId}`;
    const evidence = `Sentinel ${repointed.sentinelId} ${how} (${repointed.channel} at ${new Date(repointed.time).toISOString()})`;
    return { ...event, cause: 'sentinel-failover', message: `${event.message}: it follows its new master's history — ${evidence}`, numbers: { ...event.numbers, attribution: 'sentinel', evidence } };
  }

  /** The Sentinels' notices kept as evidence (sentinel-watcher.ts), latest last. */
  private recentNotices(): ReadonlyArray<SentinelNotice> {
    return this.options.sentinel()?.recentNotices() ?? [];
  }

  /**
   * The demo's chaos is about to cut a replica's link for `seconds` (noted
   * before it runs: the engines report the link-down as it happens). Its
   * link-downs while the cut lasts, and the partial resync after it, are put
   * down to the chaos.
   */
  noteChaosCut(replicaId: string, seconds: number, description: string, now = Date.now()): void {
    const endsAt = now + seconds * 1000;
    this.ownCuts.note({ replicaId, startedAt: now, cause: 'chaos', action: null, masterId: null, linkDownsUntil: endsAt + OWN_DISCONNECT_BEFORE_MS, resyncUntil: endsAt + OWN_DISCONNECT_AFTER_MS, evidence: `the demo's chaos (${description}), asked at ${new Date(now).toISOString()}` });
  }

  /** Withdraws the chaos cut noted at `startedAt` for this replica: it failed, so it cut nothing and explains nothing. */
  forgetChaosCut(replicaId: string, startedAt: number): void {
    this.ownCuts.forgetChaos(replicaId, startedAt);
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
    this.ownCuts.note({ replicaId, startedAt: now, cause: 'chaos', action: null, masterId: null, newHistory: true, linkDownsUntil: now + OWN_DISCONNECT_AFTER_MS, resyncUntil: now + OWN_DISCONNECT_AFTER_MS, evidence: `the demo's chaos (${description}), asked at ${new Date(now).toISOString()}` });
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
    this.latest = current;
    this.slaveofLines.observe(current);
    this.recordDiscoveries(current.time);
    for (const held of this.epochs.expired(current.time)) held.payload('unknown');
    const inference = inferEvents(previous, current, this.memory);
    if (!this.options.embedded && !this.options.cluster()) for (const repoint of repointsSeen(current, this.memory, (address) => this.options.alias?.(address) ?? address)) await this.noteRepoint(repoint);
    // A replica seen promoted now or being attributed: its link-down waits for the promotion's verdict.
    const promoting = new Set([...inference.roleChanges.filter((change) => change.kind === 'promotion').map((change) => change.node.id), ...this.roles.pendingPromotions()]);
    for (const event of inference.events) {
      if (this.options.embedded && !POLL_ONLY_KINDS.has(event.kind)) continue;
      if (event.kind === 'link-down' && event.peerId) this.memory.noteLinkDown(`${event.peerId}->${event.nodeId}`, event.time);
      if (event.kind === 'link-down' && event.cause === 'unknown' && event.peerId !== null && promoting.has(event.nodeId) && sentinelMovedAway(this.recentNotices(), event.nodeId, event.peerId, event.time) === null) {
        this.awaitingRole.hold(event, current.time, 'promotion');
        continue;
      }
      // A replica's link-down with, or new replication id from, a master seen promoted now or being attributed waits for that verdict (byMasterPromotion).
      const masterId = event.kind === 'replid-change' ? (current.links.find((link) => link.replicaId === event.nodeId)?.masterId ?? null) : event.kind === 'link-down' ? event.peerId : null;
      if (event.cause === 'unknown' && masterId !== null && masterId !== event.nodeId && promoting.has(masterId)) {
        this.awaitingRole.hold(event, current.time, 'promotion', masterId);
        continue;
      }
      const killed = event.kind === 'link-down' ? await this.linkDownKilled(event, current, poll) : null;
      this.record(event, killed, killed === null ? await this.linkDownBounce(event, current, poll) : null);
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
      this.settledRoles.note(settled);
      this.releaseHeld((held) => held.awaiting === kind && held.roleOf === settled.change.node.id);
      this.options.record(roleChangeEvent(settled, (kind, nodeId, peerId, cause, message, numbers) => makeEvent(this.options.sessionId, settled.change.detectedAt, kind, nodeId, peerId, cause, true, message, numbers)));
    }
    this.releaseHeld((held) => current.time - held.heldAt > PROMOTION_HOLD_MS);
    this.settledRoles.expire(current.time);
    for (const resync of await this.resyncs.settle(current)) {
      if (resync.replicaId !== null) this.repointedLinkUps.noteResync({ kind: resync.kind, time: resync.time, servingId: resync.servingId, replicaId: resync.replicaId, cause: resync.cause, counterText: resync.counterText });
      const killed = await this.killedByClientKill(resync, current);
      // A partial resync from a master whose promotion is being attributed waits for the verdict, with its link-down (byMasterPromotion).
      if (resync.kind === 'partial-resync' && resync.cause === 'unknown' && killed === null && resync.replicaId !== null && this.roles.pendingPromotions().includes(resync.servingId)) {
        if (resync.linkDown) {
          this.memory.noteLinkDown(`${resync.servingId}->${resync.replicaId}`, resync.linkDown.time);
          this.awaitingRole.hold(makeEvent(this.options.sessionId, resync.linkDown.time, 'link-down', resync.replicaId, resync.servingId, 'unknown', true, resync.linkDown.message, {}), current.time, 'promotion', resync.servingId);
        }
        this.awaitingRole.hold(makeEvent(this.options.sessionId, resync.time, resync.kind, resync.replicaId, resync.servingId, resync.cause, true, resync.message, resync.numbers), current.time, 'promotion', resync.servingId);
        continue;
      }
      // REPLICAOF NO ONE and back counted on the replica: the last explanation of its link-down and resync (byBounce).
      const bounced = killed === null && resync.replicaId !== null && resync.poll !== null && resync.cause !== 'upstream-resync'
        ? await replicaofBounce(this.commands, resync.replicaId, resync.poll - 1, resync.time, this.options.client(resync.replicaId)) : null;
      if (resync.linkDown && resync.replicaId) {
        // The link-down before a sub-replica's upstream-resync full resync is its master's own full sync (upstreamFullSync).
        const upstream = resync.kind === 'full-resync' && resync.cause === 'upstream-resync' && killed === null
          ? upstreamFullSync(current.nodes.find((node) => node.id === resync.servingId), this.memory, resync.time, { synced: true }) : null;
        this.event(resync.linkDown.time, 'link-down', resync.replicaId, resync.servingId, upstream?.cause ?? 'unknown', true, `${resync.linkDown.message}${upstream?.why ?? ''}`, {}, killed, bounced);
      }
      // A partial resync of a node whose demotion is being attributed waits for the verdict (byDemotion).
      if (resync.kind === 'partial-resync' && resync.cause === 'unknown' && killed === null && resync.replicaId !== null && this.roles.pendingDemotions().includes(resync.replicaId)) {
        const event = makeEvent(this.options.sessionId, resync.time, resync.kind, resync.replicaId, resync.servingId, resync.cause, true, resync.message, resync.numbers);
        this.awaitingRole.hold(event, current.time, 'demotion');
        continue;
      }
      this.event(resync.time, resync.kind, resync.replicaId ?? resync.servingId, resync.servingId, resync.cause, true, resync.message, resync.numbers, killed, bounced);
    }
    for (const linkUp of this.repointedLinkUps.due(current.time)) this.options.record(linkUp);
    for (const loss of this.writesLost.check(this.memory, current)) {
      this.event(current.time, 'writes-lost', loss.oldMasterId, loss.newMasterId, 'failover', true, writesLostMessage(loss), {
        bytes: loss.bytes, fromOffset: loss.fromOffset, toOffset: loss.toOffset, oldMasterId: loss.oldMasterId, newMasterId: loss.newMasterId, history: loss.history, bound: loss.bound, promotedAt: loss.promotedAt, datasetChanges: loss.datasetChanges,
      });
    }
  }

  /** Records the held events that match, each with its role change's cause when there is one. */
  private releaseHeld(match: Parameters<HeldEvents['release']>[0]): void {
    for (const event of this.awaitingRole.release(match)) this.record(event);
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
      this.event(notice.time, 'sentinel', this.slaveofLines.nodeIdOf(notice) ?? notice.sentinelId, notice.sentinelId, 'unknown', false, `Sentinel ${notice.sentinelId}: ${notice.channel} — ${explained}`, {
        channel: notice.channel, sentinel: notice.sentinelId, group: notice.group, text: shownNoticeText(notice),
      });
      return;
    }
    if (!this.notices.isNew(notice)) return;
    // Under the node watched at the address the notice names (an announced address, another address of the node).
    const line = (cause: CauseCode): ReplicationEvent => makeEvent(this.options.sessionId, notice.time, 'sentinel', this.slaveofLines.nodeIdOf(notice) ?? notice.sentinelId, notice.sentinelId, cause, false, `Sentinel ${notice.sentinelId}: ${notice.channel} — ${explained}${oldMasterNote(notice, this.recentNotices())}${cause === 'sentinel-failover' && notice.channel === '+new-epoch' ? ' (the failover\'s epoch: Sentinel raises it only to start a failover)' : ''}`, {
      channel: notice.channel, sentinel: notice.sentinelId, group: notice.group, text: shownNoticeText(notice),
    });
    const record = (cause: CauseCode): void => this.record(line(cause));
    if (SENTINEL_SLAVEOF_NOTICES.has(notice.channel)) {
      // A SLAVEOF re-sent while the instance's role and master stay as they were updates its line (sentinel-slaveof-lines.ts).
      const repeated = this.slaveofLines.repeat(notice);
      if (repeated !== null) return this.pass(repeated);
      const first = line(isFailoverStep(notice.channel) ? 'sentinel-failover' : 'unknown');
      this.slaveofLines.shown(notice, first);
      return this.record(first);
    }
    if (notice.channel !== '+new-epoch') return record(isFailoverStep(notice.channel) ? 'sentinel-failover' : 'unknown');
    if (this.epochs.verdict(notice, this.options.sentinel()?.recentNotices() ?? []) === 'failover') return record('sentinel-failover');
    this.epochs.hold(notice, record);
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
    noteOwnAction(action, snapshot, by, now, { memory: this.memory, commands: this.commands, cuts: this.ownCuts, transientMasters: this.transientMasters });
  }
}

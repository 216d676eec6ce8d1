/**
 * Turns one poll of every node (their INFO) into a TopologySnapshot, with
 * the derived figures operators need and Redis does not print:
 *
 *  - write rate = Δ master_repl_offset / Δt on each master, between two
 *    polls of one replication history only: a node that takes another
 *    history (a full sync after a restart or a REPLICAOF) jumps to its
 *    master's offset by everything it loaded, which nobody wrote. A
 *    promotion keeps the offset running (the old id becomes replid2), so
 *    it is still one history; the same holds for the replicas' apply rate,
 *    which also skips a full resync within one history (fullSyncSinceLinkUp);
 *  - per link: the replica's position = its own slave_repl_offset when it
 *    answered this poll and follows the master's history, else the offset
 *    it last ACKed (the master's slaveN line, up to a second old); byte lag
 *    = master_repl_offset - that position, and the ACK lag beside it; ACK
 *    age = the slaveN `lag` field (seconds since the last ACK, not time
 *    behind); apply rate = Δ replica offset / Δt; catch-up = lag / apply rate;
 *  - backlog headroom = repl-backlog-size - byte lag for a replica inside
 *    the window (shared/contract/backlog-window.ts): how many more bytes
 *    the master may write before the replica's position can leave it. While
 *    the replica applies, it leaves after headroom / (write rate - apply
 *    rate) seconds if it falls behind, never while it keeps up (the rule of
 *    catch-up, shared/contract/catch-up.ts); if the link dropped now, the
 *    frozen position lasts headroom / write rate seconds (outage covered);
 *    when the link is down that is the countdown before only a full sync is possible;
 *  - sync progress (phase, %, rate, ETA; sync-progress.ts) from the
 *    replica's master_sync_* and loading_* fields, and its master's
 *    wait_bgsave listing and, saving to disk, current_save_keys_*;
 *  - the recommended repl-backlog-size: peak write rate over the retained
 *    history × the outage set in Settings × the safety factor, as the
 *    Backlog tab computes it (shared/contract/backlog-recommendation.ts);
 *  - staleness (stale-figures.ts): a node that did not answer this poll, and
 *    every replica below it in a chain, is marked stale with the reason.
 *  - while a master does not answer, its replicas' links carry how long each
 *    replica has heard nothing from it, by the replica's own INFO
 *    (master-silence.ts), beside the hung master's last figures.
 */
import { backlogHeadroomBytes } from '../../../shared/contract/backlog-window';
import { catchUp, outageCoveredSeconds, outOfBacklog, type OutOfBacklog } from '../../../shared/contract/catch-up';
import { recommendBacklogBytes } from '../../../shared/contract/backlog-recommendation';
import type { MinReplicasState } from '../../../shared/contract/min-replicas';
import type { BacklogMarker, LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { CounterRates, keyCount } from './counter-rates';
import { type InfoFields, infoNumber, infoString, maxmemoryOf, replicaEntries, streamTapEntryCount } from './info-fields';
import type { NodeSample } from './node-sampler';
import { markStaleFigures } from './stale-figures';
import { masterSilentSeconds } from './master-silence';
import { DroppedReplicaPositions } from './dropped-replica-position';
import { RefusedLogins } from './refused-logins';
import { SyncProgressTracker } from './sync-progress';
import { isDisklessSync } from '../diskless-sync';

interface RateMemory {
  readonly time: number;
  readonly value: number;
  /** For offsets: the master_replid the value was read under. */
  readonly history?: string | null;
}

const PEAK_WINDOW_MS = 60 * 60 * 1000;

/** The failure kinds (connection-failure.ts) of an address whose process may be gone, in words. */
const PROCESS_LOST_PROBLEMS: ReadonlyMap<string, string> = new Map([
  ['refused', 'its address refuses connections (ECONNREFUSED) since its last answer'],
  ['connection-reset', 'its address resets the console\'s connections (ECONNRESET) since its last answer'],
  ['connection-closed', 'its connection to the console is closed and it has not answered since'],
]);

export class SnapshotBuilder {
  private readonly offsets = new Map<string, RateMemory>();
  /** Per apply-rate series: the serving node's run_id and sync_full, and the replica's run_id, when its link was last up. */
  private readonly linkUpStamps = new Map<string, string>();
  /** Links (master->replica ids) whose master, answering, has listed the replica under that id (droppedUnnoticed). */
  private readonly listedByMaster = new Set<string>();
  /** Where a replica its master dropped can be while it does not answer (a full resync certain before it wakes). */
  private readonly droppedReplicas = new DroppedReplicaPositions();
  /**
   * Nodes whose connection broke, or whose address reset or refused connections, since their last answer,
   * with the words for it: the process that answered may be gone (processLost).
   */
  private readonly lostSinceAnswer = new Map<string, string>();
  /**
   * Links remembered while out of the topology only because their replica is silent with its process
   * possibly gone (forgetLinksGone), forgotten when that replica answers again.
   */
  private readonly heldForSilentReplica = new Set<string>();
  /** Refused replica logins counted by each node's INFO errorstats (a link down's reason). */
  private readonly refusedLogins = new RefusedLogins();
  private readonly syncs = new SyncProgressTracker();
  /** The time of the last snapshot built: a node's answer stamped later is news since then. */
  private lastBuiltAt = -Infinity;
  private readonly writeRates = new Map<string, Array<{ time: number; rate: number }>>();
  private readonly counters = new CounterRates();
  /**
   * Each node's POLLED_CONFIG values from its last answer. A stale sample
   * repeats that answer's INFO without its CONFIG (node-sampler.ts); the
   * min-replicas verdict of a stale master is read from the two together,
   * the last known state, not dropped (a master that misses a poll has not
   * stopped refusing writes).
   */
  private readonly lastConfig = new Map<string, ReadonlyMap<string, string>>();
  /** Each node's INFO errorstat_NOREPLICAS count at its last answer, and the rise it showed then. */
  private readonly noReplicasCounts = new Map<string, { runId: string | null; count: number; rise: number | null }>();

  constructor(
    private readonly sessionId: string,
    private readonly kind: TopologySnapshot['kind'],
    /** Maps an address a replica reports for its master (a proxy, a tunnel) to the node id. */
    private readonly alias: (address: string) => string = (address) => address,
  ) {}

  build(samples: ReadonlyArray<NodeSample>, options: { pollIntervalMs: number; outageSeconds: number; time?: number }): TopologySnapshot {
    const time = options.time ?? Date.now();
    for (const sample of samples) this.noteProcessLost(sample);
    for (const id of this.lostSinceAnswer.keys()) if (!samples.some((sample) => sample.id === id)) this.lostSinceAnswer.delete(id);
    this.releaseHeldLinks(samples);
    const nodes = samples.map((sample) => this.nodeSnapshot(sample));
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const node of nodes) this.settleWriteRate(node, byId, options.outageSeconds);
    const sampleById = new Map(samples.map((sample) => [sample.id, sample]));
    const links = this.links(nodes, byId, sampleById, options.pollIntervalMs);
    this.forgetLinksGone(links, samples);
    markStaleFigures(nodes, links);
    for (const node of nodes) {
      if (node.backlog) {
        const markers = links.filter((link) => link.masterId === node.id && link.replicaOffset !== null && link.offsetSource !== null).map((link): BacklogMarker => ({
          replicaId: link.replicaId,
          offset: link.replicaOffset!,
          ackOffset: link.ackOffset,
          offsetSource: link.offsetSource!,
          headroomBytes: link.backlogHeadroomBytes ?? 0,
          insideWindow: link.partialResyncPossible === true,
        }));
        node.backlog.replicas.push(...markers, ...this.droppedMarkers(node, links));
      }
    }
    this.lastBuiltAt = time;
    return { sessionId: this.sessionId, kind: this.kind, time, pollIntervalMs: options.pollIntervalMs, nodes, links, groups: [], outageSeconds: options.outageSeconds, splitBrains: [] };
  }

  /**
   * A marker for each replica the master dropped that does not answer (its link down, no offset of this
   * poll to mark): where its master last listed it (the ACK offset), so the Backlog tab still shows it
   * against the window, marked dropped, with the most it can have received. Found on redis-server 7.0:
   * a SIGSTOPped replica its master dropped after repl-timeout ("Disconnecting timedout replica") had no
   * row in the Backlog tab until it woke, while its master's backlog moved on past it.
   */
  private droppedMarkers(master: NodeSnapshot, links: readonly LinkSnapshot[]): BacklogMarker[] {
    const backlog = master.backlog;
    if (!backlog) return [];
    const markers: BacklogMarker[] = [];
    for (const link of links) {
      if (link.masterId !== master.id || link.state !== 'down' || link.offsetSource !== null) continue;
      const known = this.droppedReplicas.lastKnown(link.id, master);
      if (known === null) continue;
      const inside = backlog.active && known.ackOffset + 1 >= backlog.firstByteOffset && known.ackOffset <= backlog.masterOffset;
      markers.push({
        replicaId: link.replicaId,
        offset: known.ackOffset,
        ackOffset: known.ackOffset,
        offsetSource: 'ack',
        headroomBytes: backlogHeadroomBytes(backlog.sizeBytes, backlog.masterOffset, known.ackOffset, inside),
        insideWindow: link.partialResyncPossible === true,
        dropped: { lastListedAt: known.lastListedAt, mostOffset: known.mostOffset, ...processLostField(this.processLost(link.replicaId)) },
      });
    }
    return markers;
  }

  /**
   * Whether the process a node's last answer came from may be gone, by how
   * the console's own connection to it ended: reset or closed under a
   * request (the sampler asks again on a new connection), or its address
   * resetting or refusing connections since. A kill -9 does exactly that
   * (the kernel closes its sockets), and a process that comes back is a new
   * one: with no RDB it asks for a full sync, with one the replid and offset
   * saved in it, which can be behind the last offset it acknowledged. Held
   * until the node answers again: a timeout (hung) after it says nothing of
   * the process that answered (the connection that timed out is a new one).
   * A timeout alone is no such sign: a stopped or partitioned process holds
   * its sockets, and its place.
   */
  private noteProcessLost(sample: NodeSample): void {
    if (!sample.stale && (sample.health === 'up' || sample.health === 'loading')) {
      this.lostSinceAnswer.delete(sample.id);
    } else if (sample.reconnecting) {
      this.lostSinceAnswer.set(sample.id, 'its connection to the console broke under a request and it has not answered since');
    } else if (sample.health === 'unreachable' && sample.healthProblem !== null && PROCESS_LOST_PROBLEMS.has(sample.healthProblem)) {
      this.lostSinceAnswer.set(sample.id, PROCESS_LOST_PROBLEMS.get(sample.healthProblem)!);
    }
  }

  /** Why the process behind a node's last answer may be gone (noteProcessLost), or null. */
  processLost(nodeId: string): string | null {
    return this.lostSinceAnswer.get(nodeId) ?? null;
  }

  /**
   * What is remembered per link is forgotten when the link leaves the
   * topology (its replica follows another master, or neither end names it):
   * a link that comes back starts anew. listedByMaster must, or a replica
   * that returns announcing another address (replica-announce-port/-ip: its
   * master lists it under that one) would read down by a listing of the old
   * days while it streams. The same for dropped-replica positions and the
   * waits for a snapshot (SyncProgressTracker); the rest are per node or per
   * replica series.
   *
   * Except a link whose replica is silent (no INFO) with its process
   * possibly gone (processLost: its address refuses or resets connections
   * since its last answer): it names no master only because it says
   * nothing, and neither end has named another. Its master's listing and
   * where its master dropped it are held until the replica answers again
   * (releaseHeldLinks): a process that hangs at its address before ever
   * answering brings the link back from the last INFO the console has, and
   * its verdict needs them to say why it is not known (seen: a killed
   * replica, refused, then a new process at its address stopped: "partial
   * resync not known" with no reason). When it answers, they are forgotten
   * as they would have been: the link starts anew.
   */
  private forgetLinksGone(links: readonly LinkSnapshot[], samples: ReadonlyArray<NodeSample>): void {
    const present = new Set(links.map((link) => link.id));
    const silentLost = new Set(samples.filter((sample) => sample.info === null && this.lostSinceAnswer.has(sample.id)).map((sample) => sample.id));
    const kept = (linkId: string): boolean => {
      if (present.has(linkId)) return true;
      if (!silentLost.has(replicaIdOf(linkId))) return false;
      this.heldForSilentReplica.add(linkId);
      return true;
    };
    for (const linkId of this.listedByMaster) if (!kept(linkId)) this.listedByMaster.delete(linkId);
    this.droppedReplicas.forgetExcept(kept);
    this.syncs.forgetWaitsExcept(present);
  }

  /** Links held for a silent replica (forgetLinksGone) are forgotten once it answers again, or leaves the topology. */
  private releaseHeldLinks(samples: ReadonlyArray<NodeSample>): void {
    for (const linkId of this.heldForSilentReplica) {
      const replica = samples.find((sample) => sample.id === replicaIdOf(linkId));
      if (replica !== undefined && this.lostSinceAnswer.has(replica.id)) continue;
      this.heldForSilentReplica.delete(linkId);
      this.listedByMaster.delete(linkId);
      this.droppedReplicas.forgetExcept((other) => other !== linkId);
    }
  }

  /**
   * How fast a replication offset grows, or null when the node changed
   * history since the previous sample (its replid is neither the one read
   * then nor, after a promotion, its replid2): the jump is a full sync.
   */
  private offsetRate(key: string, time: number, offset: number | null, replid: string | null, replid2: string | null): number | null {
    if (offset === null) return null;
    const previous = this.offsets.get(key);
    this.offsets.set(key, { time, value: offset, history: replid });
    if (!previous || time <= previous.time || offset < previous.value) return null;
    const sameHistory = previous.history === replid || (previous.history != null && previous.history === replid2);
    return sameHistory ? ((offset - previous.value) * 1000) / (time - previous.time) : null;
  }

  /**
   * Whether the replica may have full-synced since its link was last seen
   * up: the serving node's sync_full (or either run_id) moved in between.
   * A replica out of its master's backlog, or restarted without a cached
   * master, asks with the master's own replid and loads a snapshot: its
   * offset jumps to the master's under the same replid, which the history
   * check cannot see, and the jump is no apply rate. The link may be down
   * for seconds before the jump (a master's repl-diskless-sync-delay, the
   * transfer), or up at both polls around a quick sync, hence "since last
   * up". sync_full counts every replica of the serving node, and INFO does
   * not say which one it was (resync-attribution.ts works that out later):
   * every replica of that node skips one rate, rather than show a spike.
   */
  private fullSyncSinceLinkUp(key: string, master: NodeSnapshot | null, replica: NodeSnapshot): boolean {
    if (replica.masterLinkStatus !== 'up') return false;
    const stamp = `${master?.runId ?? '?'} sync_full ${master?.counters?.syncFull ?? '?'} replica ${replica.runId ?? '?'}`;
    const previous = this.linkUpStamps.get(key);
    this.linkUpStamps.set(key, stamp);
    return previous !== undefined && previous !== stamp;
  }

  /**
   * A node's write rate, its peak over the retained window and the backlog
   * recommended from it. A replica's master_repl_offset jumps like its
   * slave_repl_offset when it full-syncs within one history: that poll has
   * no rate (fullSyncSinceLinkUp), or the peak, and with it the backlog
   * recommended for its own replicas in a chain, would hold the jump for
   * an hour.
   */
  private settleWriteRate(node: NodeSnapshot, byId: ReadonlyMap<string, NodeSnapshot>, outageSeconds: number): void {
    if (node.role === 'replica' && !node.stale && node.masterHost !== null && node.masterPort !== null) {
      const master = byId.get(this.alias(`${node.masterHost}:${node.masterPort}`)) ?? null;
      if (this.fullSyncSinceLinkUp(`write:${node.id}`, master, node)) node.writeRateBytesPerSec = null;
    }
    const peak = this.peakWriteRate(node.id, node.sampledAt, node.writeRateBytesPerSec);
    node.peakWriteRateBytesPerSec = peak;
    node.recommendedBacklogBytes = peak === null ? null : recommendBacklogBytes(peak, outageSeconds);
  }

  private nodeSnapshot(sample: NodeSample): NodeSnapshot {
    const info = sample.info;
    const config = this.configOf(sample);
    if (info && !sample.stale) this.refusedLogins.noteMaster(sample.id, info, sample.time);
    const get = (name: string): number | null => (info ? infoNumber(info, name) : null);
    const text = (name: string): string | null => (info ? infoString(info, name) : null);
    const roleText = text('role');
    const role = roleText === 'master' ? 'master' : roleText === 'slave' ? 'replica' : 'unknown';
    const masterOffset = get('master_repl_offset');
    // Rates only from this poll's answers: a stale sample repeats an old reading.
    // A replica's rate is checked against its master's counters in build() (settleWriteRate), then its peak is taken.
    const writeRate = this.offsetRate(sample.id, sample.time, sample.stale ? null : masterOffset, text('master_replid'), text('master_replid2'));
    const backlogActive = get('repl_backlog_active') === 1;
    const backlog = info && masterOffset !== null
      ? {
          active: backlogActive,
          sizeBytes: get('repl_backlog_size') ?? 0,
          histlenBytes: get('repl_backlog_histlen') ?? 0,
          firstByteOffset: get('repl_backlog_first_byte_offset') ?? 0,
          masterOffset,
          replicas: [] as BacklogMarker[],
        }
      : null;
    const masterHost = role === 'replica' ? text('master_host') : null;
    const masterPort = role === 'replica' ? get('master_port') : null;
    const linkStatus = text('master_link_status');
    const counters = info && get('sync_full') !== null
      ? { syncFull: get('sync_full') ?? 0, syncPartialOk: get('sync_partial_ok') ?? 0, syncPartialErr: get('sync_partial_err') ?? 0 }
      : null;
    return {
      id: sample.id,
      host: sample.host,
      port: sample.port,
      health: sample.health,
      healthDetail: sample.healthDetail,
      healthProblem: sample.healthProblem,
      // A hung node keeps the role of its last answer (its sample is stale).
      role: sample.info !== null ? role : 'unknown',
      embedded: sample.embedded,
      version: text('redis_version'),
      runId: text('run_id'),
      replid: text('master_replid'),
      replid2: text('master_replid2'),
      masterReplOffset: masterOffset,
      secondReplOffset: get('second_repl_offset'),
      backlog,
      masterHost,
      masterPort,
      masterLinkStatus: linkStatus === 'up' ? 'up' : linkStatus === 'down' ? 'down' : null,
      replicaState: role === 'replica' ? (linkStatus === 'up' ? 'connected' : get('master_sync_in_progress') === 1 ? 'sync' : 'connect') : null,
      masterLastIoSecondsAgo: role === 'replica' ? get('master_last_io_seconds_ago') : null,
      masterLinkDownSinceSeconds: role === 'replica' ? get('master_link_down_since_seconds') : null,
      slaveReplOffset: role === 'replica' ? get('slave_repl_offset') : null,
      slaveReadReplOffset: role === 'replica' ? get('slave_read_repl_offset') : null,
      sync: role === 'replica' ? this.syncs.syncProgress(sample) : null,
      counters,
      connectedReplicas: get('connected_slaves'),
      streamTapReplicas: info ? streamTapEntryCount(info) : null,
      writeRateBytesPerSec: writeRate,
      opsPerSec: this.counterRate(sample, 'total_commands_processed'),
      usedMemoryBytes: get('used_memory'),
      connectedClients: get('connected_clients'),
      keys: info ? keyCount(info) : null,
      datasetChangesSinceSave: get('rdb_changes_since_last_save'),
      lastSaveTime: get('rdb_last_save_time'),
      lastLoadKeysLoaded: get('rdb_last_load_keys_loaded'),
      evictionsPerSec: this.counterRate(sample, 'evicted_keys'),
      maxmemoryBytes: info ? maxmemoryOf(info) : null,
      recommendedBacklogBytes: null,
      peakWriteRateBytesPerSec: null,
      minReplicas: role === 'master' && info ? this.minReplicas(info, config, this.refusedSinceLastPoll(sample, info)) : null,
      replicaReadOnly: role === 'replica' && get('slave_read_only') !== null ? get('slave_read_only') !== 0 : null,
      config: sample.config ? Object.fromEntries(sample.config) : null,
      deniedCommands: sample.deniedCommands,
      deniedReplies: sample.deniedReplies,
      sampledAt: sample.time,
      stale: sample.stale,
      staleReason: sample.staleReason,
    };
  }

  /** The sample's CONFIG values; for a stale sample, those of the answer its INFO comes from (lastConfig). */
  private configOf(sample: NodeSample): ReadonlyMap<string, string> | null {
    if (sample.stale) return this.lastConfig.get(sample.id) ?? null;
    if (sample.config) this.lastConfig.set(sample.id, sample.config);
    else this.lastConfig.delete(sample.id);
    return sample.config;
  }

  /**
   * min-replicas-to-write as the master enforces it (shared/contract/min-replicas.ts).
   * INFO prints min_slaves_good_slaves only while to-write and max-lag are both
   * above 0; its count is the master's own (refreshed once a second), the
   * replicas not good are its slaveN lines not online or with lag above max-lag.
   */
  private minReplicas(info: InfoFields, config: ReadonlyMap<string, string> | null, refused: number | null): MinReplicasState | null {
    const goodReplicas = infoNumber(info, 'min_slaves_good_slaves');
    if (goodReplicas === null) return null;
    const setting = (name: string): number | null => {
      const value = config?.get(name);
      return value === undefined || !/^\d+$/.test(value) ? null : Number(value);
    };
    const required = setting('min-replicas-to-write');
    const maxLagSeconds = setting('min-replicas-max-lag');
    const notGood = replicaEntries(info)
      .filter((entry) => entry.state !== 'online' || (maxLagSeconds !== null && entry.lagSeconds > maxLagSeconds))
      .map((entry) => ({ id: this.alias(`${entry.ip}:${entry.port}`), state: entry.state, lagSeconds: entry.lagSeconds }));
    // Without the setting (CONFIG GET denied), only what INFO proves: no good replica, or NOREPLICAS replies counted since the last poll.
    const refusesWrites = required !== null ? goodReplicas < required : goodReplicas === 0 || (refused ?? 0) > 0;
    return { goodReplicas, required, maxLagSeconds, refusesWrites, refusedSinceLastPoll: refused, notGood };
  }

  /**
   * NOREPLICAS replies counted by INFO errorstats since the node's previous
   * answered poll (errorstat_NOREPLICAS:count=N, absent until the first);
   * null at the first answer and after a restart (a new run_id). A stale
   * sample repeats its last answer, so it keeps the last figure rather than
   * read a rise of 0 from the same text.
   */
  private refusedSinceLastPoll(sample: NodeSample, info: InfoFields): number | null {
    const last = this.noReplicasCounts.get(sample.id);
    if (sample.stale) return last?.rise ?? null;
    const match = /(?:^|,)count=(\d+)/.exec(infoString(info, 'errorstat_NOREPLICAS') ?? '');
    const count = match ? Number(match[1]) : 0;
    const runId = infoString(info, 'run_id');
    const rise = last !== undefined && last.runId === runId && count >= last.count ? count - last.count : null;
    this.noReplicasCounts.set(sample.id, { runId, count, rise });
    return rise;
  }

  /** A `--stat` rate of an INFO counter (counter-rates.ts: resets and restarts give null, not a negative rate). */
  private counterRate(sample: NodeSample, counter: string): number | null {
    const info = sample.info;
    return this.counters.rate(sample.id, counter, {
      time: sample.time,
      value: info ? infoNumber(info, counter) : null,
      epoch: info ? infoString(info, 'run_id') : null,
      stale: sample.stale,
    });
  }

  private peakWriteRate(id: string, time: number, rate: number | null): number | null {
    const history = this.writeRates.get(id) ?? [];
    this.writeRates.set(id, history);
    if (rate !== null) history.push({ time, rate });
    while (history.length > 0 && history[0]!.time < time - PEAK_WINDOW_MS) history.shift();
    if (history.length === 0) return null;
    let peak = 0;
    for (const entry of history) if (entry.rate > peak) peak = entry.rate;
    return peak;
  }

  private links(nodes: ReadonlyArray<NodeSnapshot>, byId: ReadonlyMap<string, NodeSnapshot>, samples: ReadonlyMap<string, NodeSample>, pollIntervalMs: number): LinkSnapshot[] {
    const links = new Map<string, LinkSnapshot>();
    // Replica side first: a reachable replica names its master.
    for (const replica of nodes) {
      if (replica.role !== 'replica' || replica.masterHost === null || replica.masterPort === null) continue;
      const masterId = this.alias(`${replica.masterHost}:${replica.masterPort}`);
      links.set(`${masterId}->${replica.id}`, this.link(byId.get(masterId) ?? null, masterId, replica, replica.id, samples, pollIntervalMs));
    }
    // Master side: replicas the master lists that we could not (or did not) poll.
    for (const master of nodes) {
      const info = samples.get(master.id)?.info;
      if (!info || master.role !== 'master') continue;
      for (const entry of replicaEntries(info)) {
        // Listed under the address it announces (replica-announce-ip/-port): the node watched at its own address.
        const replicaId = this.alias(`${entry.ip}:${entry.port}`);
        const id = `${master.id}->${replicaId}`;
        // A master that did not answer this poll lists the replica from its last answer. A replica that answered
        // has said whom it follows (the loop above): if not this master (Sentinel made it a master, or pointed it
        // elsewhere, while this one hung), it has no link with it, and its figures owe nothing to this one's silence.
        const replica = byId.get(replicaId);
        if (!answeredThisPoll(master) && replica !== undefined && answeredThisPoll(replica)) continue;
        if (!links.has(id)) links.set(id, this.link(master, master.id, byId.get(replicaId) ?? null, replicaId, samples, pollIntervalMs));
      }
    }
    return [...links.values()];
  }

  private link(master: NodeSnapshot | null, masterId: string, replica: NodeSnapshot | null, replicaId: string, samples: ReadonlyMap<string, NodeSample>, pollIntervalMs: number): LinkSnapshot {
    const masterInfo = master ? samples.get(master.id)?.info : undefined;
    const entry = masterInfo ? replicaEntries(masterInfo).find((candidate) => this.alias(`${candidate.ip}:${candidate.port}`) === replicaId) : undefined;
    const replicaUp = replica?.masterLinkStatus === 'up';
    // Whose word the link's state is: the replica's (master_link_status,
    // sync in progress) when it answered this poll; the master's replica
    // list when only the master did. A replica that stopped answering keeps
    // its last INFO (marked stale), whose "up" says nothing about now: its
    // master may have dropped it since (repl-timeout, output-buffer limit,
    // CLIENT KILL), and then no longer lists it.
    // When neither answered this poll (the replica hangs, the master's answer is overdue under load), the
    // later of their last answers is the freshest word: a master whose last answer, given after the
    // replica's, no longer lists it has dropped it (repl-timeout on a SIGSTOPped replica), and the
    // replica's older "up" does not bring the link back (hung-replica-dropped.test.ts, engine master).
    const replicaCurrent = replica !== null && replica.role === 'replica' && answeredThisPoll(replica);
    const masterFresher = master !== null && masterInfo !== undefined && replica !== null && master.sampledAt > replica.sampledAt;
    const replicaSaysState = replica !== null && replica.role === 'replica' && (replicaCurrent || !masterInfo || (!answeredThisPoll(master!) && !masterFresher));
    // A full sync the master has accepted but not started (repl-diskless-sync-delay, or a BGSAVE already
    // running for another purpose): the master lists the replica as state=wait_bgsave and has not answered
    // its PSYNC yet (+FULLRESYNC comes with the snapshot's start), so the replica's INFO still says
    // master_link_status:down, master_sync_in_progress:0 (ROLE: handshake). The master's word is the
    // truth: the sync is pending, waiting for the snapshot, not a link down.
    //
    // A replica saying its link is up while its master, answering this same poll, no longer lists it (and has
    // listed it under this id before) has not yet read its master's close: the master dropped it (repl-timeout,
    // CLIENT KILL, output-buffer limit) and holds no connection for it, so nothing streams. Seen on redis-server
    // 7.0: a replica woken from SIGSTOP answers the INFO queued on its socket (master_link_status:up) before it
    // reads its master socket to EOF, then reconnects and resyncs (hung-replica-dropped.test.ts). The link is
    // down by the master's word; the master's list lets the link up again. A replica listed under the address it announces
    // (replica-announce-ip/-port) is found under this id through `alias` (DeploymentMonitor.announcedAliases); one whose
    // announced address is not known (no CONFIG GET) was never listed under this id, and keeps its own word.
    //
    // Only on a list the master gave since the last snapshot: one from before (its answer of this poll not in
    // yet, not yet marked stale) may predate the drop, and come from a master killed since. Seen in the kill -9
    // of a master just after a full sync (deployment-monitor.test.ts): its last list, state=wait_bgsave while
    // the replica already said "up", made the replica's link-down read as a pending full sync of a dead master.
    const masterListedSince = master !== null && answeredThisPoll(master) && master.sampledAt > this.lastBuiltAt;
    // A replica holding +FULLRESYNC with nothing read yet (master_sync_in_progress:1, master_sync_read_bytes:0)
    // whose master lists it wait_bgsave and is saving (rdb_bgsave_in_progress:1) to disk: the master writes
    // this replica's snapshot. A disk-target master answers +FULLRESYNC only when it starts a BGSAVE for the
    // replica or attaches it to one running for another replica; one that must wait for the next BGSAVE has no
    // answer yet (the awaitingSnapshot case below). A diskless master's child writes to the socket: its
    // snapshot is the transfer, which the replica's read bytes show.
    if (replicaSaysState && masterListedSince && replica.sync?.phase === 'waiting-for-snapshot' && !replica.sync.exact && entry?.state === 'wait_bgsave'
      && masterInfo !== undefined && masterInfo !== null && infoNumber(masterInfo, 'rdb_bgsave_in_progress') === 1 && !isDisklessSync(master?.config?.['repl-diskless-sync'])) {
      replica.sync = this.syncs.snapshotOnDisk(replica.id, replica.sync, masterInfo, master!.sampledAt);
    }
    // A wait the last snapshot already showed goes on while the master's answer of this poll is not in yet
    // (answering, not stale: its list is the previous poll's) and the replica still says down with nothing
    // read: that list still says wait_bgsave, and nothing since says otherwise. Under load a master's answer
    // missed a tick's gathering; the link read "down" for that tick and the console recorded "link ... was
    // down" for a full sync that was only pending (sync-waits-for-snapshot.test.ts, engine). A wait not shown
    // before (the replica had said "up": the kill -9 case above) still needs a list given since.
    // The hold is bounded here, not only by the sampler's staleness rule: the old list is taken only if it is the
    // very answer the wait was last shown on, and only for one snapshot after it (holdsWait).
    const linkId = `${masterId}->${replicaId}`;
    const masterListedBefore = master !== null && answeredThisPoll(master) && !masterListedSince && this.syncs.holdsWait(linkId, master.sampledAt);
    const awaitingSnapshot = replicaSaysState && !replicaUp && replica.sync === null && entry?.state === 'wait_bgsave' && (masterListedSince || masterListedBefore);
    if (awaitingSnapshot) replica.sync = this.syncs.awaitingSnapshot(linkId, replica.id, replica.sampledAt, master!.sampledAt, !masterListedSince);
    else this.syncs.forgetWaiting(linkId);
    if (master !== null && answeredThisPoll(master) && master.sampledAt > this.lastBuiltAt) this.droppedReplicas.note(linkId, master, entry !== undefined, this.listedByMaster.has(linkId), entry?.offset ?? null);
    if (entry !== undefined && master !== null && answeredThisPoll(master)) this.listedByMaster.add(linkId);
    const droppedUnnoticed = replicaCurrent && replicaUp && master !== null && answeredThisPoll(master) && entry === undefined && this.listedByMaster.has(linkId);
    const state: LinkSnapshot['state'] = droppedUnnoticed ? 'down' : replicaSaysState
      ? replicaUp ? 'online' : replica.sync ? 'syncing' : 'down'
      : entry?.state === 'online' ? 'online' : entry ? 'syncing' : 'down';
    // A link down whose master counts refused logins (errorstats) since it was last seen not down (refused-logins.ts).
    const loginRefused = replicaCurrent ? this.refusedLogins.reason(linkId, masterId, state === 'down', replica.sampledAt) : null;
    const position = replicaPosition(master, replica, entry?.offset ?? null);
    const replicaOffset = position.offset;
    const masterOffset = master?.masterReplOffset ?? null;
    const lagOf = (offset: number | null): number | null => (state === 'online' && offset !== null && masterOffset !== null ? Math.max(0, masterOffset - offset) : null);
    const lagBytes = lagOf(replicaOffset);
    const measured = replica && !replica.stale ? this.offsetRate(`apply:${replicaId}`, replica.sampledAt, replica.slaveReplOffset, replica.replid, replica.replid2) : null;
    const applyRate = replica && !replica.stale && this.fullSyncSinceLinkUp(`apply:${replicaId}`, master, replica) ? null : measured;
    const backlog = master?.backlog ?? null;
    const writeRate = master?.writeRateBytesPerSec ?? null;
    // The master's write rate and the replica's apply rate are both Δoffset/Δt since the previous poll: one window.
    const closing = catchUp({ lagBytes, applyRateBytesPerSec: applyRate, writeRateBytesPerSec: writeRate, pollIntervalMs });
    let headroom: number | null = null;
    let outage: number | null = null;
    let leaving: OutOfBacklog = { seconds: null, keepsUp: false };
    let possible: boolean | null = null;
    let why: string | null = null;
    if (backlog && replicaOffset !== null) {
      possible = backlog.active && replicaOffset + 1 >= backlog.firstByteOffset && replicaOffset <= backlog.masterOffset && position.historyKnown !== false;
      headroom = backlogHeadroomBytes(backlog.sizeBytes, backlog.masterOffset, replicaOffset, possible);
      outage = outageCoveredSeconds(headroom, writeRate);
      // Only a streaming link moves the replica forward; a link that is not online leaves it where it is.
      if (state === 'online' && possible) leaving = outOfBacklog(headroom, closing, applyRate, writeRate);
      // A silent replica its master still streams to, whose last ACK has left the backlog: the ACK is no bound
      // on where a reconnect starts. The master goes on writing to its socket, and the replica applies all it
      // received before it finds the link closed and asks PSYNC for the byte after (seen on redis-server 7.0:
      // a SIGSTOPped replica ACKed at 384,106, its master dropped it at 2,045,000 with first byte 981,121, and
      // woken it asked for 2,040,117, accepted). Its position is anywhere from that ACK up to the master's
      // offset, so whether a reconnect is partial is not known. (An ACK inside the window bounds it from below:
      // every position up to the master's offset is inside too.)
      if (state === 'online' && possible === false && position.source === 'ack' && !replicaCurrent && position.historyKnown !== false) possible = null;
    } else if (master !== null && state === 'down' && !replicaCurrent) {
      // Dropped by its master and silent: no offset is current, but its last ACK and the most it can have bound it,
      // as long as the process that ACKed lives.
      const verdict = this.droppedReplicas.verdict(linkId, master, this.processLost(replicaId));
      possible = verdict.possible;
      why = verdict.why;
      if (possible === true && backlog && verdict.ackOffset !== null) outage = outageCoveredSeconds(backlogHeadroomBytes(backlog.sizeBytes, backlog.masterOffset, verdict.ackOffset, true), writeRate);
    }
    const down = state === 'down';
    return {
      id: `${masterId}->${replicaId}`,
      masterId,
      replicaId,
      state,
      masterSideState: entry?.state ?? null,
      replicaOffset,
      replicaOwnOffset: position.own,
      ackOffset: entry?.offset ?? null,
      offsetSource: position.source,
      lagBytes,
      ackLagBytes: entry ? lagOf(entry.offset) : null,
      ackAgeSeconds: entry ? entry.lagSeconds : null,
      applyRateBytesPerSec: applyRate,
      catchUpSeconds: closing.catchUpSeconds,
      fallingBehind: closing.fallingBehind,
      backlogHeadroomBytes: headroom,
      secondsUntilOutOfBacklog: leaving.seconds,
      staysInBacklog: leaving.keepsUp,
      outageCoveredSeconds: down || possible !== true ? null : outage,
      partialResyncCountdownSeconds: down && possible ? outage : down && possible === false ? 0 : null,
      partialResyncPossible: possible,
      ...(why === null ? {} : { partialResyncWhy: why }),
      ...(loginRefused === null ? {} : { loginRefused }),
      downSinceSeconds: down && replicaSaysState ? (replica?.masterLinkDownSinceSeconds ?? null) : null,
      masterSilentSeconds: masterSilentSeconds(master, replica),
      stale: false,
      staleReason: null,
    };
  }
}

/** The replica end of a link id (`<masterId>-><replicaId>`). */
function replicaIdOf(linkId: string): string {
  return linkId.slice(linkId.indexOf('->') + 2);
}

/** The marker's `processLost`, present only when there is a reason. */
function processLostField(processLost: string | null): { processLost?: string } {
  return processLost === null ? {} : { processLost };
}

/** Whether the node's figures are this poll's answer (a loading node answers too). */
function answeredThisPoll(node: NodeSnapshot): boolean {
  return !node.stale && (node.health === 'up' || node.health === 'loading');
}

/**
 * The freshest true position of a replica on its master's stream. Its own
 * offset (slave_repl_offset, falling back to master_repl_offset) when it
 * answered this poll and still follows this master's history (same replid,
 * or the master's replid2); otherwise the offset it last acknowledged, which
 * the master reports and which is up to a second old (replicas ACK once a
 * second). `historyKnown` is false when the replica answered with a history
 * the master does not have: no offset of it can be continued.
 */
function replicaPosition(master: NodeSnapshot | null, replica: NodeSnapshot | null, ackOffset: number | null): { offset: number | null; own: number | null; source: LinkSnapshot['offsetSource']; historyKnown: boolean | null } {
  const readable = replica !== null && replica.role === 'replica' && replica.health === 'up' && !replica.stale;
  const ownOffset = readable ? (replica.slaveReplOffset ?? replica.masterReplOffset) : null;
  let historyKnown: boolean | null = null;
  if (readable && master && replica.replid !== null && master.replid !== null) {
    historyKnown = replica.replid === master.replid || (replica.replid === master.replid2 && ownOffset !== null && master.secondReplOffset !== null && ownOffset + 1 <= master.secondReplOffset);
  }
  // A replica read a few milliseconds after its master can look ahead of it
  // by the writes in between: it is at most where the master is.
  const own = historyKnown === true && ownOffset !== null ? (master?.masterReplOffset !== null && master?.masterReplOffset !== undefined ? Math.min(ownOffset, master.masterReplOffset) : ownOffset) : null;
  if (own !== null) return { offset: own, own, source: 'replica', historyKnown };
  if (ackOffset !== null) return { offset: ackOffset, own: null, source: 'ack', historyKnown };
  return { offset: ownOffset, own: null, source: null, historyKnown };
}

/**
 * Watches one deployment: discovers its replication graph from the seeds,
 * polls every node's INFO at the interval, builds a TopologySnapshot per
 * tick, keeps the history and produces timeline events.
 *
 * Discovery follows the graph both ways on every poll: a replica names its
 * master (master_host/master_port, mapped through `alias` for proxies), a
 * master lists its replicas (slaveN). Nodes seen once stay until they have
 * been unreachable and unreferenced for a minute.
 *
 * Every node is polled on its own (node-sampler.ts): its own connection,
 * its own command timeout, at most one INFO in flight. A tick asks every
 * node at once and builds the snapshot as soon as the requests it started
 * are answered, or after GATHER_SHARE of the interval at most: a hung node
 * (whose request is still out) never holds up the others' figures, it is
 * shown with its last answer marked stale. Ticks never overlap; a version
 * counter drops the result of a tick that finished after a newer one.
 *
 * Sentinel profiles: the seeds are Sentinels; the graph is discovered from
 * the master(s) they report (followed across failovers) and the snapshot
 * carries one group per monitored master (quorum, Sentinels' health).
 *
 * Cluster profiles: the seeds are any cluster nodes; every poll asks one
 * reachable node for the shards (CLUSTER SHARDS, or CLUSTER NODES) and
 * watches every node listed, so the snapshot carries one group per shard.
 *
 * One node, two addresses: a seed may be a proxy (a TCP forward, a load
 * balancer) in front of a node that its replicas know by its own address,
 * and discovery then reaches the node there too. Addresses are not
 * identities; run_id is (a new random id each time a server starts). Two
 * watched addresses answering with the same run_id in one poll are one
 * node: it is shown once, at the address its own INFO agrees with (the
 * port that is its tcp_port; else the address watched first), and the
 * other address becomes an alias of it, no longer polled.
 *
 * SSH: with a tunnel in the profile every connection (data nodes, Sentinels,
 * nodes discovered later) goes through it; node ids stay the addresses the
 * deployment uses.
 */
import type { Redis } from 'ioredis';
import type { ActionRequest } from '../../../shared/contract/actions';
import type { EngineEvent } from '../../../shared/contract/engine-events';
import type { PlannedRestart } from './chaos-restart-health';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { Capabilities } from '../../../shared/contract/sessions';
import type { HistoryBlock, TopologySnapshot } from '../../../shared/contract/snapshots';
import { isStreamTapEntry } from '../../../shared/contract/tap';
import type { ConsoleLogger } from '../service-types';
import { announcedAddress } from './announced-address';
import { probeCapabilities } from './capabilities';
import { configChangeEvents } from './config-changes';
import { EventDetector } from './event-detector';
import { HistoryStore } from './history-store';
import { directDialer, type Endpoint, type NodeDialer } from '../net/node-dialer';
import { SshTunnel } from '../net/ssh-tunnel';
import { readCluster, type ClusterView } from './cluster-topology';
import { classifyConnectionFailure, failureSentence } from './connection-failure';
import { sentinelGivenAsDataNode } from './connection-test';
import { COMMAND_TIMEOUT_MS, createNodeClient, explainFailure, failureContextOf, isRedisReply } from './node-client';
import { parseInfo } from './info-fields';
import { NodeSampler, type NodeSample } from './node-sampler';
import { TlsFileError } from './tls-files';
import { SentinelWatcher } from './sentinel-watcher';
import { SnapshotBuilder } from './snapshot-builder';

export interface DeploymentMonitorOptions {
  readonly sessionId: string;
  readonly profile: ProfileFields;
  readonly secrets: ProfileSecrets;
  readonly pollIntervalMs: number;
  readonly outageSeconds?: number;
  readonly logger: ConsoleLogger;
  /** The embedded demo: exact engine events and address aliases (proxy address -> node address). */
  readonly demo?: {
    addressAliases(): Map<string, string>;
    onEngineEvent(listener: (event: EngineEvent) => void): () => void;
    /** Where the master sees a replica's link (the chaos proxy's address), from the replica's local address of it. */
    upstreamAddressFor(replicaId: string, replicaLocalAddress: string): Promise<string | null>;
    /**
     * Whether a node is one of the demo's engines. Discovery can reach other
     * servers from them (a redis-server made a replica of a demo node, or
     * the master a demo node was pointed at): those are not embedded.
     */
    isEmbedded(nodeId: string): boolean;
  };
}

export interface NodeConnectionTarget {
  readonly address: Endpoint;
  readonly via: Endpoint;
  readonly tls: ProfileFields['tls'];
  readonly username: string | undefined;
  readonly password: string | undefined;
}

interface WatchedNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly client: Redis;
  readonly sampler: NodeSampler;
  lastSeenReferencedAt: number;
}

/** A tick waits at most this share of the poll interval for the nodes it asked. */
const GATHER_SHARE = 0.75;

const FORGET_AFTER_MS = 60_000;
const MAX_NODES = 256;
const MAX_EVENTS = 2000;

/**
 * The session's warning when a Cluster profile's shards cannot be read at
 * connect time: the graph then holds only what replication links reach from
 * the seeds (one shard, no slots), which must not pass for the whole cluster.
 */
function clusterUnreadWarning(failure: string): string {
  const fix = /NOPERM/.test(failure) ? ' Grant the ACL user +cluster|shards (or +cluster|nodes) and +cluster|info.' : '';
  return `The cluster's shards could not be read (${failure}): only the nodes the seeds' replication links reach are shown, without slots.${fix}`;
}

export class DeploymentMonitor {
  private readonly nodes = new Map<string, WatchedNode>();
  /** Addresses that reached a node watched under another id (same run_id): address -> that node's id. */
  private readonly sameNode = new Map<string, string>();
  /** Replicas announcing another address than they are watched at (replica-announce-ip/-port): node id -> that address. */
  private readonly announced = new Map<string, string>();
  private readonly builder: SnapshotBuilder;
  private readonly history: HistoryStore;
  private readonly events: ReplicationEvent[] = [];
  private readonly snapshotListeners = new Set<(snapshot: TopologySnapshot) => void>();
  private readonly eventListeners = new Set<(event: ReplicationEvent) => void>();
  private current: TopologySnapshot;
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private sentinelRefresh: Promise<void> | null = null;
  private version = 0;
  private closed = false;
  private pollIntervalMs: number;
  private outageSeconds: number;
  private unsubscribeEngine: (() => void) | null = null;
  private sentinel: SentinelWatcher | null = null;
  private cluster: ClusterView | null = null;
  private readonly detector: EventDetector;
  /** The detector's work on the snapshots so far (one after the other). */
  private detection: Promise<void> = Promise.resolve();
  private dialer: NodeDialer = directDialer;
  capabilities: Capabilities = { commands: {}, features: [], dryrunAnswers: {}, uncheckedBecause: null };
  readonly warnings: string[] = [];

  private constructor(private readonly options: DeploymentMonitorOptions) {
    this.pollIntervalMs = options.pollIntervalMs;
    this.outageSeconds = options.outageSeconds ?? 60;
    const kind = options.demo ? 'demo' : options.profile.kind;
    this.builder = new SnapshotBuilder(options.sessionId, kind, (address) => this.alias(address));
    this.history = new HistoryStore(options.sessionId);
    this.detector = new EventDetector({
      sessionId: options.sessionId,
      embedded: options.demo !== undefined,
      client: (nodeId) => this.nodes.get(nodeId)?.client,
      sentinel: () => this.sentinel,
      cluster: () => options.profile.kind === 'cluster',
      alias: (address) => this.alias(address),
      record: (event) => this.record(event),
    });
    this.current = { sessionId: options.sessionId, kind, time: Date.now(), pollIntervalMs: this.pollIntervalMs, nodes: [], links: [], groups: [], outageSeconds: this.outageSeconds, splitBrains: [] };
  }

  /** Connects to the seeds, checks what the user may do, and runs a first poll. */
  static async open(options: DeploymentMonitorOptions): Promise<DeploymentMonitor> {
    const monitor = new DeploymentMonitor(options);
    try {
      if (options.profile.ssh?.enabled) monitor.dialer = await SshTunnel.open(options.profile.ssh, options.secrets, options.logger);
      let reached: WatchedNode | null = null;
      let lastError = 'no seed given';
      let dataSeeds: ReadonlyArray<{ host: string; port: number }> = options.profile.seeds;
      if (options.profile.kind === 'sentinel') {
        monitor.sentinel = new SentinelWatcher(options.profile, options.secrets, monitor.dialer);
        monitor.sentinel.onNotice((notice) => monitor.detector.onSentinelNotice(notice));
        await monitor.sentinel.refresh();
        dataSeeds = monitor.sentinel.masters();
      }
      for (const seed of dataSeeds) {
        const node = await monitor.watch(seed.host, seed.port);
        try {
          await node.client.connect();
          await node.client.ping();
          reached = node;
          break;
        } catch (failure) {
          lastError = (await monitor.dialerFailure(node)) ?? failureSentence(await explainFailure(failure, node.client, await monitor.dialer.endpoint(seed.host, seed.port)));
        }
      }
      if (!reached) throw new Error(dataSeeds.length > 1 ? `None of the ${dataSeeds.length} seeds answered. The last: ${lastError}` : lastError);
      if (options.profile.kind !== 'sentinel') {
        const wrongKind = await sentinelGivenAsDataNode(reached.client, reached.id, parseInfo(await reached.client.info('server')).get('redis_mode'));
        if (wrongKind !== null) throw new Error(failureSentence(wrongKind));
      }
      // Every seed is watched, not only the first that answered: seeds may be
      // separate replication groups (or Sentinel masters) that no graph walk joins.
      for (const seed of dataSeeds) await monitor.watch(seed.host, seed.port);
      monitor.capabilities = await probeCapabilities(reached.client, options.profile.username, options.demo !== undefined);
      if (options.profile.kind === 'cluster') {
        const failure = await monitor.refreshCluster([reached]);
        if (failure !== null) monitor.warnings.push(clusterUnreadWarning(failure));
      }
      if (options.profile.tls?.enabled && options.profile.tls.insecureSkipVerify) monitor.warnings.push('TLS certificate verification is OFF for this profile');
      monitor.warnings.push(...monitor.dialer.warnings);
      if (options.demo) monitor.unsubscribeEngine = options.demo.onEngineEvent((event) => monitor.detector.onEngineEvent(event));
      await monitor.poll();
      monitor.schedule();
      return monitor;
    } catch (failure) {
      await monitor.close();
      // An unusable TLS file or a Sentinel's refusal (no such group, not a Sentinel) in words.
      if (failure instanceof TlsFileError || isRedisReply(failure)) {
        const seed = options.profile.seeds[0];
        // The profile's user (its Sentinel user for a Sentinel profile): a NOPERM names the user to grant, not "default".
        const sentinel = options.profile.kind === 'sentinel';
        const username = (sentinel ? options.profile.sentinelUsername : options.profile.username) ?? null;
        const context = { ...failureContextOf(undefined, seed ? `${seed.host}:${seed.port}` : undefined), sentinel, username };
        throw new Error(failureSentence(classifyConnectionFailure(failure, context)));
      }
      throw failure;
    }
  }

  snapshot(): TopologySnapshot {
    return this.current;
  }

  historyBlock(request: { sinceMs?: number; series?: string[] }): HistoryBlock {
    return this.history.block(request);
  }

  recentEvents(): ReplicationEvent[] {
    return [...this.events];
  }

  onSnapshot(listener: (snapshot: TopologySnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  /** Whether the node is one of the embedded demo's engines (false for every node of an attached deployment). */
  isEmbedded(nodeId: string): boolean {
    return this.options.demo?.isEmbedded(nodeId) ?? false;
  }

  onEvent(listener: (event: ReplicationEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  client(nodeId: string): Redis | undefined {
    return this.nodes.get(nodeId)?.client;
  }

  /** How to open another connection to a watched node (the stream tap's): its address, the dialer's endpoint for it, the profile's TLS and credentials. */
  async connectionTarget(nodeId: string): Promise<NodeConnectionTarget | undefined> {
    const node = this.nodes.get(nodeId);
    if (!node) return undefined;
    const address = { host: node.host, port: node.port };
    const { tls, username } = this.options.profile;
    return { address, via: await this.dialer.endpoint(node.host, node.port), tls, username, password: this.options.secrets.password };
  }

  /** A fresh snapshot now (after the tick in progress, if any); hung nodes are not waited for. */
  async pollNow(): Promise<TopologySnapshot> {
    if (this.tick) await this.tick;
    await this.poll();
    return this.current;
  }

  setPollInterval(ms: number): void {
    this.pollIntervalMs = ms;
    this.schedule();
  }

  setOutageSeconds(seconds: number): void {
    this.outageSeconds = seconds;
  }

  /**
   * Adds an event that did not come from polling (an action, chaos). An
   * event with the id of one already recorded is that line updated (a
   * Sentinel SLAVEOF re-sent, sentinel-slaveof-lines.ts): it takes its place.
   */
  record(event: ReplicationEvent): void {
    const index = this.events.findLastIndex((recorded) => recorded.id === event.id);
    if (index >= 0) this.events[index] = event;
    else this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    for (const listener of this.eventListeners) listener(event);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribeEngine?.();
    this.unsubscribeEngine = null;
    await this.detection; // bounded: each evidence request has the command timeout
    await this.sentinel?.close();
    this.sentinel = null;
    const clients = [...this.nodes.values()].map((node) => node.client);
    this.nodes.clear();
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    await this.dialer.close();
    this.snapshotListeners.clear();
    this.eventListeners.clear();
  }

  private alias(address: string): string {
    return this.options.demo?.addressAliases().get(address) ?? this.sameNode.get(address) ?? address;
  }

  /**
   * The address a master sees a replica's link connection at, given the
   * replica's local address of that connection (CLIENT LIST TYPE master on
   * the replica): the same address on a direct link; in the demo, the chaos
   * proxy's. null when the demo's proxy carries no such connection.
   */
  async masterSideAddress(replicaId: string, replicaLocalAddress: string): Promise<string | null> {
    return this.options.demo ? this.options.demo.upstreamAddressFor(replicaId, replicaLocalAddress) : replicaLocalAddress;
  }

  /** An action of this console is about to run: role changes it causes are attributed to it. */
  noteAction(action: ActionRequest, startedAt: number): void {
    this.detector.noteAction(action, this.current, `the ACL user "${this.options.profile.username ?? 'default'}"`, startedAt);
  }

  /** This console's stream tap is about to PSYNC `nodeId`: the counter it moves is the tap's (call the result with the answer's kind). */
  noteTapPsync(nodeId: string): (kind: string) => void {
    return this.detector.noteTapPsync(nodeId);
  }

  /** The demo's chaos is about to cut a replica's link: the link-downs and the partial resync it causes are put down to it. */
  noteChaosCut(replicaId: string, seconds: number, description: string, askedAt: number): void {
    this.detector.noteChaosCut(replicaId, seconds, description, askedAt);
  }

  /** The demo's chaos cut noted at askedAt failed: it is withdrawn, so no link-down is put down to it. */
  forgetChaosCut(replicaId: string, askedAt: number): void {
    this.detector.forgetChaosCut(replicaId, askedAt);
  }

  /**
   * The demo's chaos is about to restart the master `masterId` (the node
   * that answers ROLE as master now): its replicas' link-downs and their
   * partial resyncs after it, and the master's own silence, refusals and
   * answering again, are put down to it (`title`: the control's words). Returns the replicas
   * noted, for forgetChaosRestart if the restart does not happen.
   */
  noteChaosRestart(masterId: string, title: string, description: string, askedAt: number): string[] {
    const replicaIds = this.current.links.filter((link) => link.masterId === masterId).map((link) => link.replicaId);
    for (const replicaId of replicaIds) this.detector.noteChaosRestart(replicaId, description, askedAt);
    this.detector.noteChaosRestartOfNode(masterId, title, description, askedAt);
    return replicaIds;
  }

  /** The restart of `masterId` noted at askedAt returned at `at`: the node listens again. */
  chaosRestartFinished(masterId: string, askedAt: number, at: number): void {
    this.detector.finishChaosRestartOfNode(masterId, askedAt, at);
  }

  /** The demo's restart `nodeId` is in at `now` (its silence is the restart's), or null: for the Node down alert. */
  plannedRestart(nodeId: string, now: number): PlannedRestart | null {
    return this.detector.plannedRestart(nodeId, now);
  }

  /** The restart of `masterId` noted at askedAt failed: withdrawn, so nothing is put down to it. */
  forgetChaosRestart(masterId: string, replicaIds: readonly string[], askedAt: number): void {
    for (const replicaId of replicaIds) this.detector.forgetChaosCut(replicaId, askedAt);
    this.detector.forgetChaosRestartOfNode(masterId, askedAt);
  }

  /** Runs a command on a Sentinel of this deployment (SENTINEL FAILOVER); null when it has none. */
  sentinelCall(...args: string[]): Promise<unknown> | null {
    return this.sentinel ? this.sentinel.call(...args) : null;
  }

  private async watch(host: string, port: number): Promise<WatchedNode> {
    const id = `${host}:${port}`;
    const existing = this.nodes.get(id);
    if (existing) return existing;
    const via = await this.dialer.endpoint(host, port);
    const raced = this.nodes.get(id);
    if (raced) return raced;
    const client = createNodeClient({ host, port }, this.options.profile, this.options.secrets, via);
    const sampler = new NodeSampler(id, host, port, client, this.options.demo?.isEmbedded(id) ?? false, () => this.dialer.failureFor?.(host, port) ?? Promise.resolve(null), () => this.beforeInfo(id, client));
    const node: WatchedNode = { id, host, port, client, sampler, lastSeenReferencedAt: Date.now() };
    this.nodes.set(id, node);
    return node;
  }

  /**
   * Sent on a node's connection just before its INFO: the command-counter
   * baseline when due (command-evidence.ts) and, for external nodes, the
   * replica connections it has (replica-connections.ts).
   */
  private beforeInfo(id: string, client: Redis): Promise<void> | null {
    const lastAnswer = this.nodes.get(id)?.sampler.lastAnswer ?? null;
    const commands = this.detector.commands.sampleBeforePoll(id, client, lastAnswer);
    const youngSeconds = Math.ceil(this.pollIntervalMs / 1000) + 2; // resync-attribution's candidate age, and a poll to spare
    const connections = this.options.demo ? null : this.detector.connections.sampleBeforePoll(id, client, lastAnswer, youngSeconds);
    if (commands === null && connections === null) return null;
    return Promise.all([commands, connections]).then(() => undefined);
  }

  /** A node found by discovery (replica lists, Sentinels, cluster shards): watched while under MAX_NODES. Seeds use watch(). */
  private async watchDiscovered(host: string, port: number): Promise<void> {
    if (this.sameNode.has(`${host}:${port}`)) return;
    if (this.nodes.size < MAX_NODES) await this.watch(host, port);
  }

  /** The tunnel's reason when a node could not be reached through it (the socket only says "closed"). */
  private async dialerFailure(node: WatchedNode): Promise<string | null> {
    return (await this.dialer.failureFor?.(node.host, node.port)) ?? null;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.timer.unref?.();
  }

  private poll(): Promise<void> {
    if (this.tick || this.closed) return this.tick ?? Promise.resolve();
    const tick = this.runTick().finally(() => {
      if (this.tick === tick) this.tick = null;
    });
    this.tick = tick;
    return tick;
  }

  /**
   * One tick: ask every node that has no request out, wait for those
   * answers (at most GATHER_SHARE of the interval), build the snapshot from
   * every node's latest answer, infer events.
   */
  private async runTick(): Promise<void> {
    const version = ++this.version;
    const poll = this.detector.commands.nextPoll();
    try {
      // Every node is asked; the tick waits only for those that answered last time.
      const asked = [...this.nodes.values()].map((node) => {
        const awaited = node.sampler.answering;
        const request = node.sampler.request();
        return awaited ? request : Promise.resolve();
      });
      this.startSentinelRefresh();
      const gatherMs = Math.min(this.pollIntervalMs * GATHER_SHARE, COMMAND_TIMEOUT_MS);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(asked), new Promise<void>((resolve) => (timer = setTimeout(resolve, gatherMs)))]);
      clearTimeout(timer);
      const now = Date.now();
      const samples = this.announcedAliases(this.oneSamplePerNode([...this.nodes.values()].map((node) => node.sampler.sample(now, this.pollIntervalMs))));
      if (this.options.profile.kind === 'cluster') {
        const up = new Set(samples.filter((sample) => sample.health === 'up' && !sample.stale).map((sample) => sample.id));
        await this.refreshCluster([...this.nodes.values()].filter((node) => up.has(node.id)));
      }
      if (this.closed || version !== this.version) return;
      await this.discover(samples);
      const snapshot = this.builder.build(samples, { pollIntervalMs: this.pollIntervalMs, outageSeconds: this.outageSeconds, time: now });
      if (this.sentinel) snapshot.groups = this.sentinel.groups();
      if (this.cluster) snapshot.groups = this.cluster.shards;
      snapshot.splitBrains = this.detector.splitBrainsOf(snapshot);
      const previous = this.current.nodes.length > 0 ? this.current : null;
      this.current = snapshot;
      this.history.record(snapshot);
      for (const listener of this.snapshotListeners) listener(snapshot);
      // External nodes: events are inferred; the demo's come exact from its engines. Attribution may ask
      // nodes for evidence (CLIENT LIST, commandstats): it runs in order, beside the ticks, never delaying them.
      this.detection = this.detection.then(() => this.detector.afterPoll(previous, snapshot, poll)).catch((failure: unknown) => {
        this.options.logger.warn(`events of session ${this.options.sessionId}: ${failure instanceof Error ? failure.message : String(failure)}`);
      });
      // Settings changed by hand, seen in the polled values (the demo's engines report their own).
      if (!this.options.demo) for (const event of configChangeEvents(previous, snapshot)) this.record(event);
    } catch (failure) {
      this.options.logger.warn(`poll of session ${this.options.sessionId} failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /** Sentinels are re-read beside the node polls, never awaited by a tick (a hung Sentinel must not stall the figures). */
  private startSentinelRefresh(): void {
    if (!this.sentinel || this.sentinelRefresh) return;
    this.sentinelRefresh = this.refreshSentinels().finally(() => {
      this.sentinelRefresh = null;
    });
  }

  /** Sentinel deployments: re-read the masters (a failover moves them) and watch the current ones. */
  private async refreshSentinels(): Promise<void> {
    if (!this.sentinel) return;
    try {
      await this.sentinel.refresh();
      for (const address of [...this.sentinel.masters(), ...this.sentinel.replicaAddresses()]) await this.watchDiscovered(address.host, address.port);
    } catch (failure) {
      this.options.logger.warn(`sentinels of session ${this.options.sessionId}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /**
   * Cluster deployments: re-read the shards from the first node that answers and watch every node listed.
   * Returns null, or why no node could tell (the last node's id and its reply).
   */
  private async refreshCluster(candidates: ReadonlyArray<WatchedNode>): Promise<string | null> {
    let lastFailure = 'no reachable node';
    for (const node of candidates) {
      try {
        this.cluster = await readCluster(node.client, this.options.profile.tls?.enabled === true);
        for (const address of this.cluster.nodes) await this.watchDiscovered(address.host, address.port);
        return null;
      } catch (failure) {
        lastFailure = `${node.id} answered: ${failure instanceof Error ? failure.message : String(failure)}`;
      }
    }
    this.options.logger.warn(`cluster shards of session ${this.options.sessionId} could not be read (${lastFailure})`);
    return lastFailure;
  }

  /**
   * Drops the samples of addresses that reached a node already sampled at
   * another address this poll (the same run_id), and stops watching them:
   * their ids become aliases of the node's (see the header).
   */
  private oneSamplePerNode(samples: NodeSample[]): NodeSample[] {
    const byRunId = new Map<string, NodeSample[]>();
    for (const sample of samples) {
      const runId = sample.health === 'up' && !sample.stale ? sample.info?.get('run_id') : undefined;
      if (runId) byRunId.set(runId, [...(byRunId.get(runId) ?? []), sample]);
    }
    const dropped = new Set<string>();
    for (const [runId, same] of byRunId) {
      if (same.length < 2) continue;
      const own = same.find((sample) => String(sample.port) === sample.info?.get('tcp_port')) ?? same[0]!;
      for (const other of same) {
        if (other === own) continue;
        dropped.add(other.id);
        this.sameNode.set(other.id, own.id);
        for (const [address, target] of this.sameNode) if (target === other.id) this.sameNode.set(address, own.id);
        const node = this.nodes.get(other.id);
        this.nodes.delete(other.id);
        node?.client.disconnect();
        this.options.logger.info(`session ${this.options.sessionId}: ${other.id} reaches ${own.id} (same run_id ${runId.slice(0, 8)}, tcp_port ${own.info?.get('tcp_port') ?? '?'}): shown once, as ${own.id}`);
      }
    }
    return dropped.size === 0 ? samples : samples.filter((sample) => !dropped.has(sample.id));
  }

  /**
   * A replica with replica-announce-port (or -ip) set gives its master that
   * address (REPLCONF listening-port / ip-address), and its master lists it
   * there (slaveN:ip=...,port=<announced>), not where it is watched: behind
   * NAT or a container's port mapping nothing of ours may listen at it.
   * Read from the replica's own CONFIG GET, the announced address is an
   * alias of the watched node, so the master's listing names it and
   * discovery watches nothing there; a node already watched there that does
   * not answer (found through the listing before the replica's config was
   * read) is dropped with its sample. One that answers is left alone: the
   * same node (same run_id) is merged by oneSamplePerNode, another node is
   * another node. Without CONFIG GET (an ACL user lacking +config|get) the
   * announced address cannot be told from a node of its own.
   */
  private announcedAliases(samples: NodeSample[]): NodeSample[] {
    const dropped = new Set<string>();
    for (const sample of samples) {
      if (sample.health !== 'up' || sample.stale || sample.config === null || sample.info?.get('role') !== 'slave') continue;
      // With only the port announced, the master lists the ip it sees the link connection come from: read off its listing.
      const masterId = this.alias(`${sample.info.get('master_host') ?? ''}:${sample.info.get('master_port') ?? ''}`);
      const master = samples.find((candidate) => candidate.id === masterId && candidate.health === 'up' && !candidate.stale);
      const takenAddresses = new Set([
        ...samples.filter((other) => other.id !== sample.id && other.health === 'up').map((other) => other.id),
        ...[...this.announced].filter(([id]) => id !== sample.id).map(([, other]) => other),
      ]);
      const address = announcedAddress(sample, { masterInfo: master?.info ?? undefined, takenAddresses });
      const before = this.announced.get(sample.id);
      if (before !== undefined && before !== address && this.sameNode.get(before) === sample.id) this.sameNode.delete(before);
      if (address === null || address === sample.id) {
        this.announced.delete(sample.id);
        continue;
      }
      const there = samples.find((candidate) => candidate.id === address);
      if (there !== undefined && there.health === 'up') continue;
      this.announced.set(sample.id, address);
      if (this.sameNode.get(address) !== sample.id) this.options.logger.info(`session ${this.options.sessionId}: ${sample.id} announces itself as ${address} (replica-announce-ip/-port): its master lists it there; shown once, as ${sample.id}`);
      this.sameNode.set(address, sample.id);
      const phantom = this.nodes.get(address);
      if (phantom !== undefined) {
        this.nodes.delete(address);
        phantom.client.disconnect();
        dropped.add(address);
      }
    }
    return dropped.size === 0 ? samples : samples.filter((sample) => !dropped.has(sample.id));
  }

  /** Adds masters named by replicas and replicas listed by masters; forgets long-gone nodes. */
  private async discover(samples: ReadonlyArray<NodeSample>): Promise<void> {
    const now = Date.now();
    const referenced = new Set<string>();
    for (const sample of samples) {
      const info = sample.info;
      if (!info) continue;
      const masterHost = info.get('master_host');
      const masterPort = Number(info.get('master_port'));
      if (info.get('role') === 'slave' && masterHost && Number.isInteger(masterPort)) {
        const id = this.alias(`${masterHost}:${masterPort}`);
        referenced.add(id);
        const [host, port] = splitId(id);
        await this.watchDiscovered(host, port);
      }
      for (let index = 0; ; index++) {
        const line = info.get(`slave${index}`);
        if (line === undefined) break;
        const ip = /ip=([^,]+)/.exec(line)?.[1];
        const port = Number(/port=(\d+)/.exec(line)?.[1]);
        if (!ip || !Number.isInteger(port) || isStreamTapEntry(ip, port)) continue;
        referenced.add(`${ip}:${port}`);
        await this.watchDiscovered(ip, port);
      }
    }
    const seeds = new Set([...this.options.profile.seeds, ...(this.sentinel?.masters() ?? []), ...(this.sentinel?.replicaAddresses() ?? []), ...(this.cluster?.nodes ?? [])].map((seed) => `${seed.host}:${seed.port}`));
    for (const node of this.nodes.values()) {
      const sample = samples.find((candidate) => candidate.id === node.id);
      if (referenced.has(node.id) || seeds.has(node.id) || sample?.health === 'up') node.lastSeenReferencedAt = now;
      else if (now - node.lastSeenReferencedAt > FORGET_AFTER_MS) {
        this.nodes.delete(node.id);
        node.client.disconnect();
        for (const [address, target] of this.sameNode) if (target === node.id) this.sameNode.delete(address);
        this.announced.delete(node.id);
      }
    }
  }

}

function splitId(id: string): [string, number] {
  const colon = id.lastIndexOf(':');
  return [id.slice(0, colon), Number(id.slice(colon + 1))];
}

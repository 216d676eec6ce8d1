/**
 * The local demo: an embedded replication topology (each engine in its own
 * worker thread, on loopback ports that redis-cli can reach too), a
 * write-load generator, and chaos on the replication links.
 *
 * Replicas replicate through a chaos proxy, so their INFO names the proxy
 * as their master; `addressAliases()` maps each proxy address back to the
 * real upstream node so the console draws the real topology. Engine events
 * are relayed with the same mapping applied.
 *
 * A run (start to stop) keeps the events its engines reported, so whoever
 * subscribes after the nodes came up (the console's session, which can only
 * attach once the master listens) still gets the first full syncs. The load
 * generator is part of the demo, not of a run: stopping and starting the
 * demo (another topology) keeps it writing, to the new master.
 *
 * The load writes to the node that answers ROLE as master now, as a
 * Sentinel-aware client would, not to the plan's master: after a promotion
 * (FAILOVER TO, REPLICAOF NO ONE) the plan's master is a replica that
 * refuses every write with READONLY. Every status tick asks the nodes again
 * and re-targets; while none or several answer master, the load holds its
 * writes and the status says why.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChaosSpec, DemoNodeInfo, DemoSpec, DemoStatus, LoadSpec } from '../../../shared/contract/demo';
import type { EngineEvent } from '../../../shared/contract/engine-events';
import { sendAdminCommand } from './admin-command';
import { planTopology, type DemoNodePlan } from './demo-topology';
import { EmbeddedNode, type NodeRoleAnswer } from './embedded-node';
import { DEFAULT_LOAD, LoadGenerator } from './load-generator';

interface RunningNode {
  readonly plan: DemoNodePlan;
  node: EmbeddedNode;
  readonly dir: string;
}

const nodeId = (port: number): string => `127.0.0.1:${port}`;

const RUN_EVENTS_KEPT = 1000;

/** How long a status waits for a node's ROLE (the status ticks every second). */
const ROLE_TIMEOUT_MS = 800;

export class EmbeddedDemo {
  private nodes: RunningNode[] = [];
  private spec: DemoSpec | null = null;
  private baseDir: string | null = null;
  private readonly load = new LoadGenerator();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  /** This run's events so far (replayed to a listener that subscribes late), the newest RUN_EVENTS_KEPT. */
  private runEvents: EngineEvent[] = [];
  private readonly statusListeners = new Set<(status: DemoStatus) => void>();
  private readonly logListeners = new Set<(nodeId: string, line: string) => void>();
  private statusTimer: NodeJS.Timeout | null = null;
  private restarting = false;
  /** The node the load writes to (currentMasterId when last asked); null while it holds its writes or is stopped. */
  private loadTargetId: string | null = null;
  /** Why a running load holds its writes (no single master), in words; null while it writes. */
  private loadPausedReason: string | null = null;
  /** Aims run one at a time, so a slow ROLE answer never re-targets after a newer one. */
  private aiming: Promise<void> = Promise.resolve();
  /** Each node's last ROLE answer (by id), shown while it does not answer. */
  private readonly lastRoles = new Map<string, NodeRoleAnswer>();

  async start(spec: DemoSpec): Promise<DemoStatus> {
    if (this.spec) await this.stopRun();
    this.spec = spec;
    this.runEvents = [];
    this.baseDir = mkdtempSync(path.join(tmpdir(), 'replscope-demo-'));
    try {
      for (const plan of planTopology(spec.topology)) {
        const dir = path.join(this.baseDir, plan.name);
        const node = await this.startNode(plan, dir, 0, 0, false);
        this.nodes.push({ plan, node, dir });
      }
    } catch (failure) {
      await this.stop();
      throw failure;
    }
    this.statusTimer = setInterval(() => void this.publishStatus(), 1000);
    this.statusTimer.unref();
    if (this.load.spec.running) await this.aimLoad(true);
    return this.publishStatus();
  }

  /** Starts a node of the plan; `asMaster` starts it with no upstream whatever the plan says (a restart of a promoted node). */
  private async startNode(plan: DemoNodePlan, dir: string, port: number, proxyPort: number, ignoreRdbReplicationInfo: boolean, asMaster = false): Promise<EmbeddedNode> {
    const spec = this.spec!;
    const upstream = plan.upstream && !asMaster ? this.nodes.find((n) => n.plan.name === plan.upstream) : undefined;
    if (plan.upstream && !asMaster && !upstream) throw new Error(`${plan.name}: upstream ${plan.upstream} is not running`);
    mkdirSync(dir, { recursive: true });
    const node = new EmbeddedNode(plan.name);
    node.onEvent((event) => this.relayEvent(event));
    node.onLog((line) => {
      for (const listener of this.logListeners) listener(nodeId(node.port), line);
    });
    await node.start({
      config: [
        ['bind', '127.0.0.1'],
        ['port', String(port)],
        // Engine values are bytes (a latin1 char each): the directory's name as its UTF-8 bytes.
        ['dir', Buffer.from(dir, 'utf8').toString('latin1')],
        ['save', ''],
        ['repl-backlog-size', String(spec.backlogBytes)],
        ['maxmemory', String(spec.maxmemoryBytes)],
        ['maxmemory-policy', 'allkeys-lru'],
        ['repl-diskless-sync-delay', '0'],
        ['enable-debug-command', 'local'],
      ],
      upstreamPort: upstream ? upstream.node.port : null,
      proxyPort,
      ignoreRdbReplicationInfo,
    });
    return node;
  }

  /** Whether `id` ("127.0.0.1:<port>") is one of this run's engines. */
  isEmbedded(id: string): boolean {
    return this.nodes.some((running) => nodeId(running.node.port) === id);
  }

  /** proxy address -> real node address, for every replica link. */
  addressAliases(): Map<string, string> {
    const aliases = new Map<string, string>();
    for (const running of this.nodes) {
      const upstream = this.nodes.find((n) => n.plan.name === running.plan.upstream);
      if (upstream && running.node.proxyPort) aliases.set(nodeId(running.node.proxyPort), nodeId(upstream.node.port));
    }
    return aliases;
  }

  /**
   * Where the master sees a replica's link, given the replica's local
   * address of it (CLIENT LIST TYPE master on the replica). While the
   * replica follows its own chaos proxy (its ROLE names the proxy's
   * address), the proxy connects from its own address; a link that goes
   * straight to its master is seen from the replica's. null when the node
   * is no demo node or answers ROLE as a master.
   */
  async upstreamAddressFor(replicaId: string, replicaLocalAddress: string): Promise<string | null> {
    const running = this.nodes.find((n) => nodeId(n.node.port) === replicaId);
    if (!running) return null;
    const answer = await running.node.roleAnswer();
    if (answer.role !== 'slave') return null;
    // A link that does not go through this node's own proxy (a FAILOVER made the plan's master follow
    // the new one at its own port; a REPLICAOF typed by hand) reaches the master from the replica's own address.
    if (running.node.proxyPort === null || answer.masterAddress !== nodeId(running.node.proxyPort)) return replicaLocalAddress;
    return running.node.upstreamAddressFor(replicaLocalAddress);
  }

  private alias(address: string): string {
    return this.addressAliases().get(address) ?? address;
  }

  private relayEvent(event: EngineEvent): void {
    let mapped: EngineEvent = event;
    if ('peerId' in mapped) mapped = { ...mapped, peerId: this.alias(mapped.peerId) };
    if ('masterId' in mapped) mapped = { ...mapped, masterId: this.alias(mapped.masterId) };
    this.runEvents.push(mapped);
    if (this.runEvents.length > RUN_EVENTS_KEPT) this.runEvents.shift();
    for (const listener of this.eventListeners) listener(mapped);
  }

  onEngineEvent(listener: (event: EngineEvent) => void): () => void {
    for (const event of this.runEvents) listener(event);
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: DemoStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onLog(listener: (nodeId: string, line: string) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** The nodes as the plan starts them (who is the master, who follows whom): true only until someone changes them. */
  plannedNodeInfos(): DemoNodeInfo[] {
    return this.nodes.map(({ plan, node }) => {
      const upstream = this.nodes.find((n) => n.plan.name === plan.upstream);
      return {
        id: nodeId(node.port),
        name: plan.name,
        port: node.port,
        role: plan.upstream ? 'replica' : 'master',
        upstreamId: upstream ? nodeId(upstream.node.port) : null,
        proxyPort: node.proxyPort,
        backlogBytes: null,
        crashed: node.crashMessage,
      };
    });
  }

  /**
   * The nodes as their own ROLE answers now, asked of their worker threads
   * (no poll in between, so a promotion, a FAILOVER or a REPLICAOF typed in
   * a client shows at the next status): its role, and for a replica the
   * node it follows (the proxy's address named as the node behind it). The
   * proxy port is kept only while the replica follows its own proxy: chaos
   * acts on nothing else. A node with no answer (stopped, or its thread
   * busy in DEBUG SLEEP) keeps its last answer; before any, the plan's.
   */
  async liveNodeInfos(): Promise<DemoNodeInfo[]> {
    const planned = this.plannedNodeInfos();
    const answers = await Promise.all(this.nodes.map((running) => (running.node.running ? running.node.roleAnswer(ROLE_TIMEOUT_MS).catch(() => null) : Promise.resolve(null))));
    return planned.map((plan, index) => {
      const answer = answers[index] ?? null;
      if (answer !== null) this.lastRoles.set(plan.id, answer);
      const known = answer ?? this.lastRoles.get(plan.id) ?? null;
      if (known === null) return plan;
      if (known.role === 'master') return { ...plan, role: 'master', upstreamId: null, proxyPort: null };
      const viaOwnProxy = plan.proxyPort !== null && known.masterAddress === nodeId(plan.proxyPort);
      return { ...plan, role: 'replica', upstreamId: viaOwnProxy ? plan.upstreamId : this.alias(known.masterAddress), proxyPort: viaOwnProxy ? plan.proxyPort : null };
    });
  }

  private async collectFaults(): Promise<string[]> {
    const out: string[] = [];
    for (const { plan, node } of this.nodes) {
      if (!plan.upstream || !node.running) continue;
      const faults = await node.faults().catch(() => []);
      for (const fault of faults) out.push(`${plan.name} link: ${fault}`);
    }
    return out;
  }

  async status(): Promise<DemoStatus> {
    return {
      running: this.spec !== null,
      sessionId: null,
      spec: this.spec,
      nodes: await this.liveNodeInfos(),
      load: this.load.spec,
      loadOpsPerSec: this.load.opsPerSec,
      loadRefusedPerSec: this.load.refusedPerSec,
      loadErrors: this.load.errors,
      loadLastError: this.load.lastError,
      loadTargetId: this.loadTargetId,
      loadPausedReason: this.loadPausedReason,
      activeFaults: this.spec ? await this.collectFaults() : [],
      // Measured by the console's session from the nodes' offsets (console-service adds it); the demo has no poll of its own.
      streamRateBytesPerSec: null,
      streamRateNodeId: null,
    };
  }

  private async publishStatus(): Promise<DemoStatus> {
    await this.aimLoad(false);
    const status = await this.status();
    for (const listener of this.statusListeners) listener(status);
    return status;
  }

  private byId(id: string): RunningNode {
    const found = this.nodes.find((n) => nodeId(n.node.port) === id || n.plan.name === id);
    if (!found) throw new Error(`no demo node ${id}`);
    return found;
  }

  async setLoad(spec: LoadSpec): Promise<DemoStatus> {
    if (!this.spec) throw new Error('the demo is not running');
    const wasRunning = this.load.spec.running;
    this.load.spec = spec;
    // A load that never ran needs no worker; one that ran gets the new spec (running: false stops its writes).
    if (spec.running || wasRunning) await this.aimLoad(true);
    return this.publishStatus();
  }

  async chaos(spec: ChaosSpec): Promise<DemoStatus> {
    if (!this.spec) throw new Error('the demo is not running');
    switch (spec.kind) {
      case 'cut-link':
        await this.linkOf(spec.replicaId).chaos({ action: 'cut', seconds: spec.seconds });
        break;
      case 'latency':
        await this.linkOf(spec.replicaId).chaos({ action: 'latency', ms: spec.ms });
        break;
      case 'bandwidth':
        await this.linkOf(spec.replicaId).chaos({ action: 'bandwidth', bytesPerSec: spec.bytesPerSec });
        break;
      case 'pause-replica':
        await this.linkOf(spec.replicaId).chaos({ action: 'pause', seconds: spec.seconds });
        break;
      case 'restart-master':
        await this.restartMaster(spec.keepReplid);
        break;
      case 'shrink-backlog': {
        const reply = await sendAdminCommand(this.byId(spec.nodeId).node.port, ['CONFIG', 'SET', 'repl-backlog-size', String(spec.bytes)]);
        if (!reply.startsWith('+')) throw new Error(`CONFIG SET repl-backlog-size failed: ${reply.slice(1)}`);
        break;
      }
      case 'heal':
        for (const { plan, node } of this.nodes) if (plan.upstream) await node.chaos({ action: 'heal' });
        break;
    }
    return this.publishStatus();
  }

  private linkOf(replicaId: string): EmbeddedNode {
    const running = this.byId(replicaId);
    if (running.node.proxyPort === null) throw new Error(`${running.plan.name} was started as the master: it has no chaos proxy on a link`);
    return running.node;
  }

  /**
   * The node that is the master now, by its own ROLE: after a promotion
   * (FAILOVER TO, REPLICAOF NO ONE) it is not the plan's. Exactly one
   * running node must answer "master"; none or several (a split brain) is
   * an error naming them, so a restart never picks one at random.
   */
  async currentMasterId(): Promise<string> {
    const answer = await this.mastersByRole();
    if (answer.masters.length === 1) return answer.masters[0]!;
    if (answer.masters.length === 0) throw new Error(answer.problem);
    throw new Error(`${answer.problem}: restart one by hand`);
  }

  /** Every running node's ROLE: the ids that answer master, and in words why that is not exactly one. */
  private async mastersByRole(): Promise<{ masters: string[]; problem: string }> {
    if (!this.spec) throw new Error('the demo is not running');
    const running = this.nodes.filter((candidate) => candidate.node.running);
    const roles = await Promise.all(running.map(async (candidate) => ({ id: nodeId(candidate.node.port), role: await candidate.node.role().catch(() => null) })));
    const masters = roles.filter((answer) => answer.role === 'master').map((answer) => answer.id);
    const problem = masters.length === 0
      ? `no demo node answers ROLE as master (${roles.map((answer) => `${answer.id}: ${answer.role ?? 'no answer'}`).join(', ')})`
      : `${masters.join(' and ')} all answer ROLE as master`;
    return { masters, problem };
  }

  /**
   * Points a running load at the node that answers ROLE as master now, and
   * holds its writes while no single node does (a promotion half done, a
   * restart in progress, a split brain): writing to a guess would be refused
   * or, worse, land on the wrong side. `respec` sends the generator its
   * spec even when the target did not change (the user applied new settings).
   */
  private aimLoad(respec: boolean): Promise<void> {
    this.aiming = this.aiming.then(() => this.aimLoadNow(respec)).catch((failure: unknown) => {
      this.load.lastError = failure instanceof Error ? failure.message : String(failure);
    });
    return this.aiming;
  }

  private async aimLoadNow(respec: boolean): Promise<void> {
    const spec = this.load.spec;
    if (!this.spec || !spec.running) {
      if (respec) this.load.configure(spec, null);
      this.loadTargetId = null;
      this.loadPausedReason = null;
      return;
    }
    const answer = await this.mastersByRole();
    if (!this.spec) return; // stopped while the nodes answered
    const targetId = answer.masters.length === 1 ? answer.masters[0]! : null;
    if (respec || targetId !== this.loadTargetId || this.loadPausedReason !== null) {
      this.load.configure(this.load.spec, targetId === null ? null : this.byId(targetId).node.port);
    }
    this.loadTargetId = targetId;
    this.loadPausedReason = targetId === null ? `${answer.problem}: writes held until one node is the master` : null;
  }

  /**
   * Restarts the node that is the master now (currentMasterId) on the same
   * port and directory, as a master. With keepReplid it saves its RDB first
   * and restarts from it, replication ids included, so replicas
   * resynchronize partially (PSYNC2 restart); without, it restarts from the
   * same data but a brand-new history, so they must full-sync.
   */
  private async restartMaster(keepReplid: boolean): Promise<void> {
    if (this.restarting) throw new Error('the master is already restarting');
    this.restarting = true;
    try {
      const master = this.byId(await this.currentMasterId());
      const port = master.node.port;
      await master.node.stop(true);
      master.node = await this.startNode(master.plan, master.dir, port, 0, !keepReplid, true);
    } finally {
      this.restarting = false;
    }
  }

  /** Stops the run (nodes, load worker); the load spec stays, so the next start writes again. */
  async stop(): Promise<DemoStatus> {
    await this.stopRun();
    return this.publishStatus();
  }

  private async stopRun(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    await this.load.stop();
    this.loadTargetId = null;
    this.loadPausedReason = null;
    // Replicas first, so the master does not log every link drop as a fault.
    for (const running of [...this.nodes].reverse()) await running.node.stop(false);
    this.nodes = [];
    this.spec = null;
    this.lastRoles.clear();
    if (this.baseDir) rmSync(this.baseDir, { recursive: true, force: true });
    this.baseDir = null;
  }

  async close(): Promise<void> {
    await this.stopRun();
    this.load.spec = DEFAULT_LOAD;
    this.eventListeners.clear();
    this.statusListeners.clear();
    this.logListeners.clear();
  }
}

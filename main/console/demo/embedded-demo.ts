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
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChaosSpec, DemoNodeInfo, DemoSpec, DemoStatus, LoadSpec } from '../../../shared/contract/demo';
import type { EngineEvent } from '../../../shared/contract/engine-events';
import { sendAdminCommand } from './admin-command';
import { planTopology, type DemoNodePlan } from './demo-topology';
import { nodeRole } from './node-role';
import { EmbeddedNode } from './embedded-node';
import { DEFAULT_LOAD, LoadGenerator } from './load-generator';

interface RunningNode {
  readonly plan: DemoNodePlan;
  node: EmbeddedNode;
  readonly dir: string;
}

const nodeId = (port: number): string => `127.0.0.1:${port}`;

const RUN_EVENTS_KEPT = 1000;

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
    if (this.load.spec.running) this.load.configure(this.load.spec, this.master().node.port);
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
        ['dir', dir],
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
   * address of it (CLIENT LIST TYPE master on the replica): the chaos proxy
   * in between connects from its own address. null when not known.
   */
  async upstreamAddressFor(replicaId: string, replicaLocalAddress: string): Promise<string | null> {
    const running = this.nodes.find((n) => nodeId(n.node.port) === replicaId);
    if (!running?.plan.upstream) return null;
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

  nodeInfos(): DemoNodeInfo[] {
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
      };
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
      nodes: this.nodeInfos(),
      load: this.load.spec,
      loadOpsPerSec: this.load.opsPerSec,
      loadRefusedPerSec: this.load.refusedPerSec,
      loadErrors: this.load.errors,
      loadLastError: this.load.lastError,
      activeFaults: this.spec ? await this.collectFaults() : [],
      // Measured by the console's session from the nodes' offsets (console-service adds it); the demo has no poll of its own.
      streamRateBytesPerSec: null,
      streamRateNodeId: null,
    };
  }

  private async publishStatus(): Promise<DemoStatus> {
    const status = await this.status();
    for (const listener of this.statusListeners) listener(status);
    return status;
  }

  private master(): RunningNode {
    const master = this.nodes.find((n) => n.plan.upstream === null);
    if (!master) throw new Error('the demo is not running');
    return master;
  }

  private byId(id: string): RunningNode {
    const found = this.nodes.find((n) => nodeId(n.node.port) === id || n.plan.name === id);
    if (!found) throw new Error(`no demo node ${id}`);
    return found;
  }

  async setLoad(spec: LoadSpec): Promise<DemoStatus> {
    if (!this.spec) throw new Error('the demo is not running');
    if (spec.running) this.load.configure(spec, this.master().node.port);
    else if (this.load.spec.running) this.load.configure(spec, this.master().node.port);
    this.load.spec = spec;
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
    if (!running.plan.upstream) throw new Error(`${running.plan.name} is the master: it has no upstream link`);
    return running.node;
  }

  /**
   * The node that is the master now, by its own ROLE: after a promotion
   * (FAILOVER TO, REPLICAOF NO ONE) it is not the plan's. Exactly one
   * running node must answer "master"; none or several (a split brain) is
   * an error naming them, so a restart never picks one at random.
   */
  async currentMasterId(): Promise<string> {
    if (!this.spec) throw new Error('the demo is not running');
    const running = this.nodes.filter((candidate) => candidate.node.running);
    const roles = await Promise.all(running.map(async (candidate) => ({ candidate, role: await nodeRole(candidate.node.port).catch(() => null) })));
    const masters = roles.filter((answer) => answer.role === 'master').map((answer) => answer.candidate);
    if (masters.length === 1) return nodeId(masters[0]!.node.port);
    if (masters.length === 0) throw new Error(`no demo node answers ROLE as master (${roles.map((answer) => `${nodeId(answer.candidate.node.port)}: ${answer.role ?? 'no answer'}`).join(', ')})`);
    throw new Error(`${masters.map((master) => nodeId(master.node.port)).join(' and ')} all answer ROLE as master: restart one by hand`);
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
    // Replicas first, so the master does not log every link drop as a fault.
    for (const running of [...this.nodes].reverse()) await running.node.stop(false);
    this.nodes = [];
    this.spec = null;
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

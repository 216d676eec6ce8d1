/**
 * One embedded engine node as the console sees it: a worker thread running
 * an EngineNode (and, for a replica, the chaos proxy in front of its link),
 * with its events and log lines relayed to the console.
 */
import type { Worker } from 'node:worker_threads';
import type { EngineEvent } from '../../../shared/contract/engine-events';
import type { ChaosAction, EngineWorkerData, FromWorker, ToWorker } from './engine-worker-protocol';
import { startWorker } from './worker-entry';

const STOP_TIMEOUT_MS = 10_000;

/** A node's ROLE: a master, or a replica with the "host:port" it was told to follow. */
export type NodeRoleAnswer = { readonly role: 'master'; readonly masterAddress: null } | { readonly role: 'slave'; readonly masterAddress: string };

export class EmbeddedNode {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (values: string[]) => void; reject: (error: Error) => void }>();
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly logListeners = new Set<(line: string) => void>();
  port = 0;
  proxyPort: number | null = null;
  /** The Guru Meditation text of this run's panic (its thread then ended); null while it runs or after a clean stop. */
  crashMessage: string | null = null;

  constructor(readonly name: string) {}

  /** Starts the worker and resolves once the node listens. */
  async start(data: Omit<EngineWorkerData, 'name'>): Promise<void> {
    const worker = startWorker('engine-worker', { ...data, name: this.name });
    this.worker = worker;
    this.crashMessage = null;
    // Lines logged before 'ready' (loading the RDB at a restart, "Ready to
    // accept connections") wait for it: until then `port` is 0 (or the last
    // run's), and listeners label each line with the node's port.
    let early: string[] | null = [];
    const relayLog = (line: string): void => {
      for (const listener of this.logListeners) listener(line);
    };
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        switch (message.type) {
          case 'ready':
            this.port = message.port;
            this.proxyPort = message.proxyPort;
            for (const line of early ?? []) relayLog(line);
            early = null;
            resolve();
            break;
          case 'failed':
            // Its lines say why; it never listened, so they keep the port it had.
            for (const line of early ?? []) relayLog(line);
            early = null;
            reject(new Error(`${this.name} failed to start: ${message.message}`));
            break;
          case 'event':
            for (const listener of this.eventListeners) listener(message.event);
            break;
          case 'crashed':
            // The node aborted, as a redis-server that panics does: its thread (and its link's proxy) ends with it.
            this.crashMessage = message.message;
            void worker.terminate();
            break;
          case 'log':
            if (early !== null) early.push(message.line);
            else relayLog(message.line);
            break;
          case 'reply': {
            const waiter = this.pending.get(message.id);
            this.pending.delete(message.id);
            if (!waiter) break;
            if (message.error) waiter.reject(new Error(message.error));
            else waiter.resolve(message.values);
            break;
          }
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (failure) => reject(failure));
      worker.once('exit', (code) => {
        this.worker = null;
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${this.name} exited (code ${code})`));
        this.pending.clear();
        reject(new Error(`${this.name} exited before it was ready (code ${code})`));
      });
    });
  }

  get running(): boolean {
    return this.worker !== null;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onLog(listener: (line: string) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  private request(message: (id: number) => ToWorker): Promise<string[]> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id));
    });
  }

  chaos(chaos: ChaosAction): Promise<string[]> {
    return this.request((id) => ({ type: 'chaos', id, chaos }));
  }

  faults(): Promise<string[]> {
    return this.request((id) => ({ type: 'faults', id }));
  }

  /**
   * What the node's ROLE would answer, asked of its worker: 'master', or
   * 'slave' with the address it follows (master_host:master_port, the
   * chaos proxy's while it follows its planned upstream through it). No
   * connection to the node, so none shows in its client counts. A node
   * whose thread is busy (DEBUG SLEEP, a long script) has no answer within
   * timeoutMs, as a ROLE over TCP would not.
   */
  async roleAnswer(timeoutMs = 2000): Promise<NodeRoleAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no role from ${this.name} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const [role, host, port] = await Promise.race([this.request((id) => ({ type: 'role', id })), late]);
      return role === 'slave' ? { role: 'slave', masterAddress: `${host ?? ''}:${port ?? ''}` } : { role: 'master', masterAddress: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /** ROLE's first element: 'master' or 'slave' (roleAnswer). */
  async role(timeoutMs = 2000): Promise<'master' | 'slave'> {
    return (await this.roleAnswer(timeoutMs)).role;
  }

  /**
   * The address this replica's link reaches its upstream from, through the
   * chaos proxy (what the upstream's CLIENT LIST shows), given the replica's
   * own local address of that link; null when the proxy carries no such
   * connection.
   */
  async upstreamAddressFor(replicaLocalAddress: string): Promise<string | null> {
    const [address] = await this.request((id) => ({ type: 'proxy-upstream-address', id, downstream: replicaLocalAddress }));
    return address ?? null;
  }

  /** Shuts the node down (optionally saving its RDB first); terminates it if it does not stop in time. */
  async stop(save = false): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
    this.request((id) => ({ type: 'stop', id, save })).catch(() => undefined);
    await Promise.race([exited, timeout]);
    if (this.worker) await worker.terminate();
    this.worker = null;
  }
}

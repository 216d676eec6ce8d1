/**
 * One node of a scenario: a real `redis-server` process or our engine run
 * as a process (`main/engine/cli.ts` bundled: the code the embedded demo runs), both
 * behind the same handle so a scenario is written once and run on either.
 *
 * Both are separate processes on free loopback ports, so a scenario can
 * SIGSTOP/SIGCONT them, DEBUG SLEEP them, and restart them on the same port
 * without persistence (a fresh process with no RDB: it comes back with a new
 * run_id and no cached master). Their log lines are kept across restarts:
 * `log()` is everything the node wrote since the scenario started it, and a
 * `mark()` lets a scenario read only what came after a given moment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/ports';
import { startEngineProcess, type EngineProcess } from '../../support/engine';
import { startRedisServer, type RedisProcess } from '../../support/redis-server';
import { command, info as readInfo } from '../../support/replication';

/** Which implementation runs the nodes: Debian's redis-server 7.0 or our engine. */
export type NodeKind = 'redis' | 'engine';

export const NODE_KINDS: readonly NodeKind[] = ['redis', 'engine'];

/** A position in a node's log (see ScenarioNode.mark). */
export interface LogMark {
  readonly offset: number;
}

export interface ScenarioNode {
  readonly kind: NodeKind;
  /** The name the scenario gave it (master, replica-1, sub-replica...). */
  readonly name: string;
  readonly port: number;
  /** The console's id for it: "127.0.0.1:<port>". */
  readonly id: string;
  /** One command on a fresh connection; error replies are returned as RespError, not thrown. */
  call(...args: Array<string | number>): Promise<unknown>;
  /** INFO <section> parsed into fields. */
  info(section?: string): Promise<Map<string, string>>;
  /** SIGSTOP, SIGCONT, SIGKILL... to the process itself. */
  signal(signal: NodeJS.Signals): void;
  /** Every log line the node wrote since the scenario started it (all restarts included). */
  log(): string;
  /** The current end of the log, to read only later lines with `logSince`. */
  mark(): LogMark;
  logSince(mark: LogMark): string;
  /** Stops the process and starts a fresh one on the same port with the same options (nothing persisted). */
  restart(): Promise<void>;
  /** SIGKILL, then a fresh process on the same port (a crash without persistence). */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  readonly name: string;
  /** redis-server style options, e.g. ['--repl-backlog-size', '1mb']. */
  readonly args?: ReadonlyArray<string>;
  /** Start as a replica of this node. */
  readonly replicaOf?: ScenarioNode;
}

const running = new Set<ScenarioNode>();

interface Process {
  readonly port: number;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
  output(): string;
}

async function spawnNode(kind: NodeKind, port: number, args: ReadonlyArray<string>, dir: string): Promise<Process> {
  if (kind === 'redis') {
    const server: RedisProcess = await startRedisServer({ port, args, dir });
    return { port, signal: (signal) => server.signal(signal), stop: () => server.stop(), output: () => server.log() };
  }
  const engine: EngineProcess = await startEngineProcess(args, { port, dir, bundled: true });
  return { port, signal: (signal) => engine.signal(signal), stop: () => engine.stop(), output: () => engine.output() };
}

/**
 * Starts one node. Diskless sync starts at once (no 5 s delay) unless the
 * options say otherwise, so scenarios do not wait for nothing.
 */
export async function startNode(kind: NodeKind, options: NodeOptions): Promise<ScenarioNode> {
  const port = await freePort();
  const args = [
    '--repl-diskless-sync-delay', '0',
    // A redis-server replica keeps the RDB of its last full sync as dump.rdb and would load it (with its
    // replication id and offset) at a restart; without persistence that file is deleted, so a restart is a fresh node.
    ...(kind === 'redis' ? ['--rdb-del-sync-files', 'yes'] : []),
    ...(options.replicaOf ? ['--replicaof', '127.0.0.1', String(options.replicaOf.port)] : []),
    ...(options.args ?? []),
  ];
  // The directory outlives the processes (a restart reuses it; redis-server
  // appends to its logfile there) and goes when the node is stopped.
  const dir = mkdtempSync(path.join(tmpdir(), `replscope-scenario-${options.name}-`));
  let current: Process;
  try {
    current = await spawnNode(kind, port, args, dir);
  } catch (failure) {
    rmSync(dir, { recursive: true, force: true });
    throw failure;
  }
  // Log text of the processes that already ended (redis-server appends to
  // its logfile across restarts; our engine's stdout is per process).
  let earlier = '';
  const fullLog = (): string => (kind === 'redis' ? current.output() : earlier + current.output());
  const replace = async (how: 'stop' | 'kill'): Promise<void> => {
    if (how === 'kill') current.signal('SIGKILL');
    await current.stop();
    if (kind === 'engine') earlier += current.output();
    current = await spawnNode(kind, port, args, dir);
  };
  const node: ScenarioNode = {
    kind,
    name: options.name,
    port,
    id: `127.0.0.1:${port}`,
    call: (...commandArgs) => command({ port }, ...commandArgs),
    info: (section = 'everything') => readInfo({ port }, section),
    signal: (signal) => current.signal(signal),
    log: fullLog,
    mark: () => ({ offset: fullLog().length }),
    logSince: (mark) => fullLog().slice(mark.offset),
    restart: () => replace('stop'),
    crashAndRestart: () => replace('kill'),
    stop: async () => {
      running.delete(node);
      await current.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(node);
  return node;
}

/** Stops every node this test file started (SIGCONT first, so stopped processes exit too). */
export async function stopAllNodes(): Promise<void> {
  await Promise.all([...running].map(async (node) => {
    node.signal('SIGCONT');
    await node.stop();
  }));
}

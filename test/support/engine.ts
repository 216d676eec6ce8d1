/**
 * Starts our engine for tests: in-process (fast, inspectable) or as a CLI
 * subprocess (for signals: SIGKILL, SIGSTOP). Both listen on a free loopback
 * port and are stopped when the test file ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentNamedBundle } from '../../main/console/demo/source-bundle';
import { EngineNode } from '../../main/engine/node';
import { freePort } from './ports';
import { RespConnection } from './resp-connection';
import { waitFor } from './wait';

export interface EngineHandle {
  readonly node: EngineNode;
  readonly port: number;
  readonly dir: string;
  readonly logs: string[];
  call(...args: Array<string | number | Buffer>): Promise<unknown>;
  stop(): Promise<void>;
}

const running = new Set<{ stop(): Promise<void> }>();
const here = path.dirname(fileURLToPath(import.meta.url));

export async function startEngine(config: ReadonlyArray<readonly [string, string | ReadonlyArray<string>]> = [], options: { dir?: string } = {}): Promise<EngineHandle> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'replscope-engine-'));
  const logs: string[] = [];
  const node = new EngineNode({
    config: [['port', '0'], ['bind', '127.0.0.1'], ['dir', dir], ['save', ''], ['enable-debug-command', 'yes'], ...config],
    logSink: (record) => logs.push(record.line),
  });
  const port = await node.start();
  const connection = new RespConnection('127.0.0.1', port);
  const handle: EngineHandle = {
    node,
    port,
    dir,
    logs,
    call: (...args) => connection.call(...args),
    stop: async () => {
      running.delete(handle);
      connection.close();
      await node.shutdown();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(handle);
  return handle;
}

export interface EngineProcess {
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  output(): string;
  call(...args: Array<string | number | Buffer>): Promise<unknown>;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

let bundledCli: Promise<string> | null = null;

/**
 * main/engine/cli.ts bundled with esbuild, once per test process, into
 * node_modules/.cache (so any package it imports still resolves), named by
 * a hash of its bytes (main/console/demo/source-bundle.ts: one file per
 * version of the sources, shared by every test process, none left per pid).
 * A process started from it listens in about a second; with the tsx loader,
 * which transpiles every module at each start, it takes three to four.
 */
export function bundledEngineCli(): Promise<string> {
  bundledCli ??= (async () => {
    const esbuild = await import('esbuild');
    return contentNamedBundle(esbuild, path.resolve(here, '../../main/engine/cli.ts'), path.resolve(here, '../../node_modules/.cache/replscope-test'), 'engine-cli', { logLevel: 'warning' });
  })();
  return bundledCli;
}

/**
 * Runs main/engine/cli.ts as a child process with the tsx loader (what `npm
 * run engine` runs), or the same code bundled (`bundled`: much faster to
 * start, for tests that start many).
 */
export async function startEngineProcess(args: ReadonlyArray<string> = [], options: { dir?: string; port?: number; bundled?: boolean } = {}): Promise<EngineProcess> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'replscope-engine-'));
  const entry = options.bundled ? [await bundledEngineCli()] : ['--import', 'tsx', path.resolve(here, '../../main/engine/cli.ts')];
  // One process (node itself), not the tsx launcher, so signals such as SIGKILL reach the engine itself.
  const child = spawn(process.execPath, [...entry, '--port', String(port), '--dir', dir, '--save', '', '--enable-debug-command', 'yes', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const connection = new RespConnection('127.0.0.1', port);
  const handle: EngineProcess = {
    port,
    dir,
    process: child,
    output: () => output,
    call: (...commandArgs) => connection.call(...commandArgs),
    signal: (signal) => child.kill(signal),
    stop: async () => {
      running.delete(handle);
      connection.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(handle);
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`engine exited: ${output}`);
    const probe = new RespConnection('127.0.0.1', port);
    try {
      return (await probe.call('PING')) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.close();
    }
  }, { timeoutMs: 20_000, what: `engine on port ${port}` });
  return handle;
}

export async function stopAllEngines(): Promise<void> {
  await Promise.all([...running].map((handle) => handle.stop()));
}

/**
 * Starts real Debian redis-server processes for tests: each on a free
 * loopback port, in its own temporary directory, with persistence off and
 * DEBUG enabled unless the test asks otherwise. Every process started is
 * killed when the test file ends (registerCleanup), so a failing test never
 * leaks servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { waitFor } from './wait';
import { RespConnection } from './resp-connection';

export interface RedisProcess {
  readonly port: number;
  readonly host: string;
  readonly dir: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** Sends one command and returns the decoded reply. */
  call(...args: Array<string | number | Buffer>): Promise<unknown>;
  /** SIGTERM and wait for exit; removes the directory unless keepDir. */
  stop(options?: { keepDir?: boolean }): Promise<void>;
  /** Sends a signal without waiting (SIGKILL, SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  log(): string;
}

export interface RedisServerOptions {
  /** Extra redis-server options, e.g. ['--requirepass', 'secret']. */
  readonly args?: ReadonlyArray<string>;
  readonly port?: number;
  /** Reuse a directory (restart with an existing dump.rdb). */
  readonly dir?: string;
  /** The program to run (redis-server, or redis-sentinel). */
  readonly binary?: string;
  /**
   * Give a Cluster node its bus on a free port of its own (cluster-port), picked
   * afresh on each attempt (see startRedisServer), instead of port + 10000.
   */
  readonly clusterBusOnFreePort?: boolean;
  /** Password to use for the readiness PING and call(). */
  readonly password?: string;
  /** Config file contents written before start (for sentinel). */
  readonly configText?: string;
}

const running = new Set<RedisProcess>();

/**
 * A port freePort() found free is released before redis-server binds it, and
 * in between another process's outgoing connection can take it (both come
 * from the kernel's ephemeral range): redis-server then exits with "bind:
 * Address already in use" (seen in a full run: a Cluster node's bus port). A
 * start that fails so is tried again on fresh ports, when the test did not
 * fix the port itself.
 */
const BIND_CLASH = /Address already in use/;
const START_ATTEMPTS = 3;

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (failure) {
      const retryable = options.port === undefined && attempt < START_ATTEMPTS && BIND_CLASH.test((failure as Error).message);
      if (!retryable) throw failure;
    }
  }
}

async function startOnce(options: RedisServerOptions): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'replscope-redis-'));
  const logFile = path.join(dir, `redis-${port}.log`);
  const args: string[] = [];
  if (options.configText !== undefined) {
    const configFile = path.join(dir, `config-${port}.conf`);
    writeFileSync(configFile, options.configText);
    args.push(configFile);
  }
  args.push(
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--logfile', logFile,
    '--daemonize', 'no',
    '--protected-mode', 'no',
  );
  if (options.binary !== 'redis-sentinel') {
    args.push('--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes');
  }
  args.push(...(options.args ?? []));
  if (options.clusterBusOnFreePort === true) args.push('--cluster-port', String(await freePort()));
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const connection = new RespConnection('127.0.0.1', port);
  const server: RedisProcess = {
    port,
    host: '127.0.0.1',
    dir,
    process: child,
    logFile,
    call: async (...commandArgs) => {
      await connection.ready(options.password);
      return connection.call(...commandArgs);
    },
    stop: async ({ keepDir = false } = {}) => {
      running.delete(server);
      connection.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
          }, 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      if (!keepDir && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
    signal: (signal) => {
      child.kill(signal);
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  running.add(server);
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr} ${server.log()}`);
      const probe = new RespConnection('127.0.0.1', port);
      try {
        await probe.ready(options.password);
        const reply = await probe.call('PING');
        return reply === 'PONG';
      } catch {
        return false;
      } finally {
        probe.close();
      }
    }, { timeoutMs: 10_000, what: `redis-server on port ${port}` });
  } catch (failure) {
    await server.stop();
    throw failure;
  }
  return server;
}

/** Stops every server this test file started (call from afterAll / afterEach). */
export async function stopAllRedisServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

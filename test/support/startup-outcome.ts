/**
 * Starting redis-server 7.0.15 and the engine's CLI with the same argv (a
 * config file and/or options), for the startup differential tests: how each
 * exits when it refuses its configuration, or each running node to query
 * when it takes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { bundledEngineCli } from './engine';
import { freePort } from './ports';
import { RespConnection } from './resp-connection';
import { waitFor } from './wait';

export interface Outcome {
  /** The exit status; the signal that ended it; or 'still running' after 10 s (it started, and was stopped). */
  readonly status: number | NodeJS.Signals | 'still running';
  readonly stderr: string;
  /** What it printed on stdout, each log line's pid and time replaced by `<pid>` and `<time>`. */
  readonly stdout: string;
}

/** A log line's `<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> `, which differ between any two runs. */
const LOG_PREFIX = /^\d+:([CMSX]) \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} /gm;

/** Runs a server until it exits (or 10 s: it started, and is stopped). */
function runToExit(command: string, args: ReadonlyArray<string>, cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let stopped = false;
    const timer = setTimeout(() => {
      stopped = true;
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (stopped ? 'still running' : signal!), stderr: stderr.trim(), stdout: stdout.trim().replace(LOG_PREFIX, '<pid>:$1 <time> ') });
    });
  });
}

/** Both servers' exit status and output for one argv, or for `args(port)` with a free port each (for a server that listens before it exits). */
export async function bothOutcomes(args: ReadonlyArray<string> | ((port: number) => ReadonlyArray<string>), cwd: string): Promise<{ redis: Outcome; ours: Outcome }> {
  const cli = await bundledEngineCli();
  const argv = typeof args === 'function' ? [args(await freePort()), args(await freePort())] : [args, args];
  const [redis, ours] = await Promise.all([runToExit('redis-server', argv[0]!, cwd), runToExit(process.execPath, [cli, ...argv[1]!], cwd)]);
  return { redis, ours };
}

export interface StartedNode {
  readonly name: 'redis' | 'ours';
  readonly port: number;
  /** A fresh connection per call list: AUTH as another user does not leak into the next check. */
  connect(): RespConnection;
  stop(): Promise<void>;
}

async function startOne(name: 'redis' | 'ours', command: string, args: ReadonlyArray<string>, cwd: string, port: number): Promise<StartedNode> {
  const child: ChildProcess = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
        const probe = new RespConnection('127.0.0.1', port);
        try {
          await probe.call('PING');
          return true;
        } catch (failure) {
          // NOAUTH is an answer: the server is up.
          return /NOAUTH/.test(String(failure));
        } finally {
          probe.close();
        }
      },
      { what: `${name} listening on ${port}` },
    );
  } catch (failure) {
    await stop();
    throw failure;
  }
  return { name, port, connect: () => new RespConnection('127.0.0.1', port), stop };
}

/**
 * Starts both with `args(port)` (each its own free port; `--save "" --dir`
 * the test directory follow; `keepSave` leaves out `--save ""`, for a test
 * of the save points `args` give), runs `check` on each, and stops both.
 */
export async function withBothStarted(args: (port: number) => ReadonlyArray<string>, cwd: string, check: (node: StartedNode) => Promise<void>, options: { keepSave?: boolean } = {}): Promise<void> {
  const cli = await bundledEngineCli();
  const [redisPort, ourPort] = [await freePort(), await freePort()];
  const tail = [...(options.keepSave ? [] : ['--save', '']), '--dir', cwd];
  const nodes = await Promise.allSettled([
    startOne('redis', 'redis-server', [...args(redisPort), ...tail], cwd, redisPort),
    startOne('ours', process.execPath, [cli, ...args(ourPort), ...tail], cwd, ourPort),
  ]);
  try {
    for (const node of nodes) {
      if (node.status === 'rejected') throw node.reason;
      await check(node.value);
    }
  } finally {
    for (const node of nodes) if (node.status === 'fulfilled') await node.value.stop();
  }
}

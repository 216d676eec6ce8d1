/**
 * Benchmark servers: our engine as its own process (exactly what
 * `npm run engine` runs) and a real redis-server, each on a free loopback
 * port in a temporary directory, configured alike (no persistence unless a
 * benchmark asks, same backlog, DEBUG allowed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/ports';
import { RespConnection } from '../../test/support/resp-connection';
import { waitFor } from '../../test/support/wait';
import { ENGINE_NODE_FLAGS } from '../../main/engine/memory/young-generation';
import { builtEngineCli } from './build-engine';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServer {
  readonly kind: 'ours' | 'redis';
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  call(...args: Array<string | number | Buffer>): Promise<unknown>;
  stop(): Promise<void>;
}

let announcedEngineCli = false;

/**
 * The engine bundle to run: this checkout's, or, with ENGINE_CLI set, that
 * bundle (a relative path is taken from the directory the bench was started
 * in). ENGINE_CLI is read at every start, so every engine of one bench
 * process is that one bundle: an A/B of two builds is two runs. The path is
 * printed (to stderr, once) so that a leftover export shows in the output.
 */
async function engineCli(): Promise<string> {
  const given = process.env['ENGINE_CLI'];
  if (!given) return builtEngineCli();
  const cli = path.resolve(given);
  if (!announcedEngineCli) {
    announcedEngineCli = true;
    process.stderr.write(`ENGINE_CLI is set: the engine runs as ${cli}\n`);
  }
  return cli;
}

/**
 * A fresh server of either kind on a free port. Our engine runs as the
 * bundle of this checkout, or, with ENGINE_CLI set, as that bundle
 * (engineCli above).
 */
export async function startBenchServer(kind: 'ours' | 'redis', args: ReadonlyArray<string> = [], options: { dir?: string } = {}): Promise<BenchServer> {
  const port = await freePort();
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), `replscope-bench-${kind}-`));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--enable-debug-command', 'yes', ...args];
  const child = kind === 'redis'
    ? spawn('redis-server', [...common, '--appendonly', 'no', '--protected-mode', 'no', '--logfile', path.join(dir, 'redis.log')], { stdio: 'ignore' })
    : spawn(process.execPath, ['--max-old-space-size=8192', ...ENGINE_NODE_FLAGS, await engineCli(), ...common], { stdio: 'ignore', cwd: root });
  const connection = new RespConnection('127.0.0.1', port);
  await waitFor(async () => {
    const probe = new RespConnection('127.0.0.1', port);
    try {
      return (await probe.call('PING')) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.close();
    }
  }, { timeoutMs: 30_000, what: `${kind} server on ${port}` });
  return {
    kind,
    port,
    dir,
    process: child,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    },
    call: (...commandArgs) => connection.call(...commandArgs),
    stop: async () => {
      connection.close();
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

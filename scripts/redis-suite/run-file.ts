/**
 * Runs one Tcl suite file, against a server that is already up (external
 * mode) or with the servers runtest starts itself from the copy's
 * src/redis-server, and reads the outcome from runtest's output:
 *
 *   [ok]: NAME (N ms)               a test passed
 *   [err]: NAME in tests/unit/X.tcl  a test failed (with --durable, a Tcl
 *                                   error inside a test lands here too)
 *   [exception]: ...                an error outside any test: runtest stops
 *                                   the file there
 *   [TIMEOUT]: ...                  no progress for --timeout seconds: runtest
 *                                   kills its test client and stops
 *
 * Afterwards, in external mode, a PING with a deadline tells whether the
 * server still answers (a file that wedged the server leaves it silent, not
 * dead).
 */
import { spawn } from 'node:child_process';
import { RespConnection } from '../../test/support/resp-connection';

export interface FileOutcome {
  readonly passed: number;
  /** Names of the tests reported [err]. */
  readonly failed: string[];
  readonly exceptions: number;
  readonly timedOut: boolean;
  /** runtest reached the end of the file ("[1/1 done]"). */
  readonly finished: boolean;
  /** The test in progress when runtest timed out or stopped, if it said. */
  readonly lastTest: string | null;
  /** Whether the server answered PING after the file. */
  readonly answering: boolean;
  readonly seconds: number;
}

export interface RunFileOptions {
  readonly copy: string;
  readonly unit: string;
  /** The server already up (external mode); without it runtest starts its own servers from the copy's src/redis-server. */
  readonly port?: number;
  /** runtest's --timeout: seconds without progress before it gives the file up. */
  readonly timeoutSeconds: number;
  /** Extra runtest arguments (--only NAME, --skiptest NAME, --tags ...). */
  readonly extraArgs: ReadonlyArray<string>;
  /** Echo runtest's output as it comes. */
  readonly verbose: boolean;
}

// runtest colours its output only when TERM names an xterm; stripped anyway.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * runtest listens for its test client on a port just below --baseport
 * (default 21111), so two runs at once on one machine collide there; a
 * random base makes that unlikely and a collision is retried.
 */
export async function runFile(options: RunFileOptions): Promise<FileOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await runOnce(options, 22_000 + Math.floor(Math.random() * 30_000));
    if (!outcome.portBusy || attempt === 5) return outcome;
  }
}

async function runOnce(options: RunFileOptions, basePort: number): Promise<FileOutcome & { portBusy: boolean }> {
  const started = Date.now();
  const target = options.port === undefined ? [] : ['--host', '127.0.0.1', '--port', String(options.port)];
  const args = [...target, '--baseport', String(basePort), '--single', options.unit, '--clients', '1', '--durable', '--timeout', String(options.timeoutSeconds), ...options.extraArgs];
  // Its own process group, so the test clients runtest forks go with it if we must stop it.
  const child = spawn('./runtest', args, { cwd: options.copy, env: { ...process.env, TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let passed = 0;
  let exceptions = 0;
  let timedOut = false;
  let lastTest: string | null = null;
  const failed: string[] = [];
  let pending = '';
  let lastOutput = Date.now();
  let portBusy = false;
  let finished = false;

  const onLine = (rawLine: string): void => {
    const line = rawLine.replace(ansi, '');
    if (options.verbose) process.stdout.write(`  | ${line}\n`);
    let match: RegExpExecArray | null;
    if ((match = /^\[ok\]: (.*) \(\d+ ms\)$/.exec(line))) {
      passed++;
      lastTest = match[1]!;
    } else if ((match = /^\[err\]: (.*?)(?: in tests\/\S+\.tcl)?$/.exec(line))) {
      failed.push(match[1]!);
      lastTest = match[1]!;
    } else if (/^\[\d+\/\d+ done\]: /.test(line)) {
      finished = true;
    } else if (line.startsWith('[exception]:')) {
      exceptions++;
    } else if (line.startsWith("couldn't open socket: address already in use")) {
      portBusy = true;
    } else if (line.startsWith('[TIMEOUT]:')) {
      timedOut = true;
    } else if ((match = /^\S+ => \(IN PROGRESS\) (.*)$/.exec(line))) {
      // runtest's client state report after a timeout: "sock... => (IN PROGRESS) NAME".
      lastTest = `${match[1]!} (in progress)`;
    }
  };
  const onData = (chunk: Buffer): void => {
    lastOutput = Date.now();
    pending += chunk.toString('latin1');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  // runtest gives up by itself after --timeout seconds without progress; this
  // is the backstop if runtest itself wedges (its own timer never fires).
  const watchdog = setInterval(() => {
    if (Date.now() - lastOutput > (options.timeoutSeconds + 60) * 1000) {
      timedOut = true;
      killGroup(child.pid);
    }
  }, 1000);
  await new Promise<void>((resolve) => child.once('close', () => resolve()));
  clearInterval(watchdog);
  if (pending) onLine(pending);
  killGroup(child.pid);

  return { portBusy, passed, failed, exceptions, timedOut, finished, lastTest, answering: options.port === undefined || (await answersPing(options.port, 5000)), seconds: (Date.now() - started) / 1000 };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** PING with a deadline: a server that accepts but never answers counts as not answering. */
export async function answersPing(port: number, timeoutMs: number): Promise<boolean> {
  const connection = new RespConnection('127.0.0.1', port);
  try {
    await connection.writeRaw('PING\r\n');
    const reply = await connection.nextReply(timeoutMs);
    return reply.value === 'PONG';
  } catch {
    return false;
  } finally {
    connection.close();
  }
}

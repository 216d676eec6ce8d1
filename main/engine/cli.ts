/**
 * `npm run engine -- [config file] [--option value ...]`: one engine node in
 * the foreground, started the way redis-server is. Binds 127.0.0.1 unless
 * --bind says otherwise; logs to stdout in redis-server's format; SIGINT and
 * SIGTERM shut it down cleanly.
 *
 * Start it with ENGINE_NODE_FLAGS (memory/young-generation.ts) on the node
 * command line, as `npm run engine` and the benchmarks do: V8 sizes its young
 * generation when the process starts, too late for this file to change.
 */
import { EngineNode } from './node';
import { parseStartupArgs, StartupArgsError, StartupLogError } from './config/startup-args';
import { initializedRole } from './config/startup-error';
import { LogOutput } from './log/log-output';
import { removePidFile, writePidFile } from './pid-file';
import { cwdBytes } from './util/byte-paths';
import { specialOption } from './config/startup-special-options';
import { formatLogTime } from './log/logger';
import { ConfigError } from './config/engine-config';
import { AclStartupError } from './acl/acl-startup-error';
import { StartupLoadError } from './persistence/persistence';
import { NotListeningError } from './server/tcp-server';
import { ENGINE_REDIS_VERSION } from './version';

/** The log's destination as the startup settings give it: logfile, relative to the last dir (absolute, startup-args.ts). */
function startupLogOutput(pairs: ReadonlyArray<readonly [string, unknown]>): LogOutput {
  const last = (name: string): string | undefined => pairs.findLast((pair) => pair[0] === name)?.[1] as string | undefined;
  const dir = last('dir') ?? cwdBytes();
  return new LogOutput(last('logfile') ?? '', () => dir);
}

async function main(): Promise<void> {
  const special = specialOption(process.argv.slice(2));
  if (special !== null) {
    process.stdout.write(special.stdout);
    process.stderr.write(special.stderr);
    process.exitCode = special.status;
    return;
  }
  let pairs;
  try {
    pairs = parseStartupArgs(process.argv.slice(2));
  } catch (failure) {
    if (failure instanceof StartupLogError) {
      // Role C: no logfile is in force yet (a config file that cannot be opened); role M or S: after the configuration is read.
      const output = failure.role === 'C' ? new LogOutput('', cwdBytes) : startupLogOutput(failure.pairs ?? []);
      for (const line of failure.logLines) output.write(`${process.pid}:${failure.role} ${formatLogTime(Date.now())} # ${line}`);
      process.exit(1);
    }
    if (failure instanceof StartupArgsError) {
      // The report quotes config lines as bytes (latin1 chars), as redis-server writes them.
      process.stderr.write(Buffer.from(`${failure.message}\n`, 'latin1'));
      process.exit(1);
    }
    throw failure;
  }
  const output = startupLogOutput(pairs);
  let node: EngineNode;
  try {
    node = new EngineNode({ config: pairs, logSink: (record) => output.write(record.line) });
  } catch (failure) {
    if (failure instanceof AclStartupError) {
      // Logged as redis-server logs them, after its start-up lines (the server's role, M or S, from here on).
      const role = initializedRole(pairs);
      for (const line of failure.logLines) output.write(`${process.pid}:${role} ${formatLogTime(Date.now())} # ${line}`);
      process.exit(1);
    }
    if (failure instanceof ConfigError) {
      process.stderr.write(`\n*** FATAL CONFIG ERROR (Replscope engine) ***\n${failure.message}\n`);
      process.exit(1);
    }
    throw failure;
  }
  output.followDir(() => node.config.string('dir'));
  writePidFile(node.config.string('pidfile'), node.config.string('dir'));
  node.log.notice(`oO0OoO0OoO0Oo Replscope engine (Redis ${ENGINE_REDIS_VERSION} compatible) is starting oO0OoO0OoO0Oo`);
  node.log.notice(`Engine version=${ENGINE_REDIS_VERSION}, bits=64, pid=${process.pid}, just started`);
  try {
    await node.start();
  } catch (failure) {
    // The load failure was logged with its reason where it happened.
    if (failure instanceof StartupLoadError) process.exit(1);
    if (failure instanceof NotListeningError) {
      node.log.warning('Configured to not listen anywhere, exiting.');
      process.exit(1);
    }
    // The listener logged which address failed and why.
    node.log.warning(`Failed listening on port ${node.config.int('port')} (TCP), aborting.`);
    process.exit(1);
  }
  // SIGTERM and SIGINT run SHUTDOWN's sequence (server/shutdown.ts) as
  // Redis's signal handler has serverCron do: wait for lagging replicas,
  // save when save points are set, exit. A failed save keeps the server
  // running. A second SIGINT while it waits or stops exits at once.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping || node.shutdownSequence.initiated) {
      if (signal === 'SIGINT') {
        node.log.warning('You insist... exiting now.');
        process.exit(1);
      }
      node.log.warning(`Received ${signal} scheduling shutdown...`);
      return;
    }
    node.log.warning(`Received ${signal} scheduling shutdown...`);
    // shutdown-on-sigint / shutdown-on-sigterm: SHUTDOWN's options for this signal ("default": none).
    const flags = node.config.string(signal === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
    node.shutdownSequence.prepare({ save: flags.includes('save'), nosave: flags.includes('nosave'), now: flags.includes('now'), force: flags.includes('force') });
  };
  node.onShutdownRequest = () => {
    stopping = true;
    if (removePidFile(node.config.string('pidfile'), node.config.string('dir'))) node.log.notice('Removing the pid file.');
    node.shutdown().then(
      () => process.exit(0),
      (failure: unknown) => {
        node.log.warning(`Shutdown failed: ${String(failure)}`);
        process.exit(1);
      },
    );
  };
  node.onExitRequest = (status) => process.exit(status);
  // serverPanic ends in abort(): the process dies with SIGABRT and its pid file stays. A clean shutdown
  // removes it; on a panic Redis's bugReportEnd unlinks it only when daemonized and not supervised, which
  // this foreground CLI never is.
  node.onPanic = () => process.abort();
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();

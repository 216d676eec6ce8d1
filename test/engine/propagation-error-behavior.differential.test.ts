/**
 * propagation-error-behavior against redis-server 7.0.15 (networking.c
 * afterErrorReply): with "panic" or "panic-on-replicas", a read-only replica
 * that sends an error to its master (a command of the stream failed here)
 * logs its CRITICAL line, then panics: "Guru Meditation: This replica
 * panicked sending an error to its master after processing the command
 * '<cmd>'" inside the bug report's banners, and aborts. A writable replica
 * only logs.
 *
 * redis-server dies with SIGABRT; so does our CLI. Our embedded node stops
 * instead (EngineNode.panic): no listener, its master link closed, nothing
 * more logged. Compared: the log lines of the panic (the " #<file>:<line>"
 * after the Guru Meditation text names the source, Redis's C or ours, and is
 * left out), how the process ended, and whether the node still answers.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllEngines, type EngineHandle, type EngineProcess } from '../support/engine';
import type { FakeMaster } from '../support/fake-master';
import { replicaOfFakeMaster, type FakeMasterReplicaProcessKind, type ReplicaConfig } from '../support/fake-master-replica';
import { stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { loadOutcome } from '../support/rdb-outcome';
import { command, infoNumber } from '../support/replication';
import { waitFor } from '../support/wait';

const masters: FakeMaster[] = [];

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
  for (const master of masters.splice(0)) await master.close();
});

type Replica = RedisProcess | EngineHandle | EngineProcess;

function logText(replica: Replica): string {
  if ('logs' in replica) return replica.logs.join('\n');
  if ('output' in replica) return replica.output();
  return replica.log();
}

/** The lines of the panic and the CRITICAL line before it, without pid and time; the Guru Meditation line without its " #file:line". */
function panicLines(replica: Replica): string[] {
  return logText(replica).split('\n')
    .map((line) => line.replace(/^\d+:[MS] \d\d \w{3} \d{4} [\d:.]+ [#*.-] /, ''))
    .filter((line) => /^(=== REDIS BUG REPORT|-{48}$|!!! Software Failure|Guru Meditation|== CRITICAL ==)/.test(line))
    .map((line) => line.replace(/^(Guru Meditation: .*) #\S+$/, '$1'));
}

/** Whether a TCP connection to `port` is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The processes run with crash-log-enabled no: redis-server 7.0's
 * _serverPanic then skips its stack trace and crash report and goes from the
 * Guru Meditation line straight to bugReportEnd and abort() (debug.c). With
 * the crash log on, a loaded machine has seen Debian's redis-server die of
 * SIGSEGV while printing it, before the END banner (2 runs in 9).
 */
const PROCESS_OPTIONS: ReplicaConfig = [['crash-log-enabled', 'no']];

/** How the node ended: the signal of a process, "stopped" for an embedded node that panicked, "running" otherwise. */
function ending(replica: Replica): string {
  if ('process' in replica) return replica.process.signalCode ?? (replica.process.exitCode === null ? 'running' : `exit ${replica.process.exitCode}`);
  return replica.node.crashed ? 'stopped' : 'running';
}

const INCR_OF_A_STRING = [['INCR', 'a']];

/** A replica of a scripted master with `options` is sent `commands` (after SET a x): what it logs, how it ends, whether it still listens. */
async function afterFailingCommand(kind: FakeMasterReplicaProcessKind, options: ReplicaConfig, commands = INCR_OF_A_STRING): Promise<{ log: string[]; ending: string; listening: boolean; linkClosed: boolean }> {
  const { master, replica } = await replicaOfFakeMaster(kind, masters, kind === 'ours' ? options : [...options, ...PROCESS_OPTIONS]);
  master.send(['SELECT', '0'], ['SET', 'a', 'x'], ...commands, ['SET', 'done', '1']);
  await waitFor(() => panicLines(replica).some((line) => line.startsWith('== CRITICAL ==')), { what: `${kind}: the CRITICAL line` });
  const panics = (): boolean => panicLines(replica).some((line) => line.startsWith('Guru Meditation'));
  if ('process' in replica) {
    const child = replica.process;
    // A process that panics exits; one that does not still answers.
    await waitFor(async () => child.signalCode !== null || child.exitCode !== null || (!panics() && (await command(replica, 'GET', 'done')) === '1'), { what: `${kind}: the replica to exit or apply the write` });
  } else {
    await waitFor(async () => replica.node.crashed || (await command(replica, 'GET', 'done')) === '1', { what: `${kind}: the replica to stop or apply the write` });
  }
  const listening = await accepts(replica.port);
  if (!listening) await waitFor(() => master.linkClosedAt.length > 0, { what: `${kind}: the master link to close` });
  return { log: panicLines(replica), ending: ending(replica), listening, linkClosed: master.linkClosedAt.length > 0 };
}

const PANIC_LOG = [
  "== CRITICAL == This replica is sending an error to its master: 'value is not an integer or out of range' after processing the command 'incr'",
  '=== REDIS BUG REPORT START: Cut & paste starting from here ===',
  '------------------------------------------------',
  '!!! Software Failure. Press left mouse button to continue',
  "Guru Meditation: This replica panicked sending an error to its master after processing the command 'incr'",
  '=== REDIS BUG REPORT END. Make sure to include from START to END. ===',
];

describe('propagation-error-behavior on a replica that sends its master an error', () => {
  it.each(['panic', 'panic-on-replicas'])('%s: a read-only replica panics as redis-server does', async (behavior) => {
    const options: ReplicaConfig = [['propagation-error-behavior', behavior]];
    const redis = await afterFailingCommand('redis', options);
    expect(redis).toEqual({ log: PANIC_LOG, ending: 'SIGABRT', listening: false, linkClosed: true });
    const cli = await afterFailingCommand('ours-cli', options);
    expect(cli).toEqual(redis);
    const ours = await afterFailingCommand('ours', options);
    expect(ours).toEqual({ ...redis, ending: 'stopped' });
  }, 120_000);

  it('panic: inside MULTI/EXEC, the first failing command panics; the rest of the transaction logs nothing', async () => {
    const options: ReplicaConfig = [['propagation-error-behavior', 'panic']];
    const transaction = [['MULTI'], ['INCR', 'a'], ['SET', 'c', '1'], ['LPUSH', 'a', 'x'], ['EXEC']];
    const redis = await afterFailingCommand('redis', options, transaction);
    expect(redis).toMatchObject({ ending: 'SIGABRT', listening: false });
    expect(redis.log.filter((line) => line.startsWith('== CRITICAL =='))).toHaveLength(1);
    const ours = await afterFailingCommand('ours', options, transaction);
    expect(ours).toEqual({ ...redis, ending: 'stopped' });
  }, 120_000);

  it('panic: nothing after the command that panicked is applied, and nothing is saved after it', async () => {
    // redis-server aborts inside EXEC, at the INCR: SET c and SET done never run, and the aborted
    // process writes nothing more. The embedded node must hold neither key, and a shutdown asked of
    // it afterwards with SAVE (the demo's stop(true)) must leave its dump.rdb as the panic left it.
    const options: ReplicaConfig = [['propagation-error-behavior', 'panic']];
    const stream = [['SELECT', '0'], ['SET', 'a', 'x'], ['MULTI'], ['INCR', 'a'], ['SET', 'c', '1'], ['EXEC'], ['SET', 'done', '1']];
    const redis = await replicaOfFakeMaster('redis', masters, [...options, ...PROCESS_OPTIONS]);
    redis.master.send(...stream);
    await waitFor(() => redis.replica.process.signalCode !== null || redis.replica.process.exitCode !== null, { what: 'redis-server to exit' });
    expect(redis.replica.process.signalCode).toBe('SIGABRT');

    const ours = await replicaOfFakeMaster('ours', masters, options);
    ours.master.send(...stream);
    await waitFor(() => ours.replica.node.crashed, { what: 'our node to panic' });
    const dict = ours.replica.node.keyspace.db(0).dict;
    expect({ a: dict.has('a'), c: dict.has('c'), done: dict.has('done') }).toEqual({ a: true, c: false, done: false });
    const dump = path.join(ours.replica.dir, 'dump.rdb');
    const dumpState = (): string => (existsSync(dump) ? readFileSync(dump).toString('base64') : 'absent');
    const before = dumpState();
    ours.replica.node.shutdownSequence.prepare({ save: true, nosave: false, now: true, force: false });
    expect(dumpState()).toBe(before);
  }, 120_000);

  describe('panic during a BGSAVE: the save runs on as redis-server\'s forked child outlives its aborted parent', () => {
    /** Whether process `pid` still exists. */
    function alive(pid: number): boolean {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    }

    // redis-server's child keeps saving after the parent's abort() (7.0 sets no PDEATHSIG) until its
    // next progress report to the parent fails: after the first key, then after every 1024th key if a
    // second has passed since the last report, and after renaming its file into place. The panic comes
    // once the first key's report is in. Compared: whether dump.rdb appears, what it
    // holds, and whether a temp file is left behind.
    async function saveAfterPanic(kind: 'redis' | 'ours', keyCount: number, keySaveDelayMicros: number): Promise<{ dataset: string; tempLeft: boolean }> {
      const keys = Array.from({ length: keyCount }, (_, i) => ['SET', `key:${i}`, `value ${i}`]);
      const options: ReplicaConfig = [['propagation-error-behavior', 'panic'], ['rdb-key-save-delay', String(keySaveDelayMicros)]];
      const { master, replica } = await replicaOfFakeMaster(kind, masters, kind === 'ours' ? options : [...options, ...PROCESS_OPTIONS]);
      master.send(['SELECT', '0'], ...keys, ['SET', 'a', 'x']);
      await waitFor(async () => (await command(replica, 'EXISTS', 'a')) === 1, { what: `${kind}: the keys to be applied` });
      // The replica's full sync left the fake master's empty dataset in dump.rdb: only the BGSAVE may write it now.
      const dump = path.join(replica.dir, 'dump.rdb');
      rmSync(dump, { force: true });
      expect(await command(replica, 'BGSAVE')).toBe('Background saving started');
      // The panic comes once the first key's progress report is in (redis-server's parent counts the
      // child's reports in current_save_keys_processed), long before the report after key 1025.
      await waitFor(async () => (await infoNumber(replica, 'current_save_keys_processed', 'persistence')) >= 1, { what: `${kind}: the BGSAVE's first key` });
      master.send(['INCR', 'a'], ['SET', 'after', '1']);
      const temps = (): string[] => readdirSync(replica.dir).filter((name) => /^temp-\d+\.rdb$/.test(name));
      if ('process' in replica) {
        await waitFor(() => replica.process.signalCode !== null, { what: 'redis-server to abort' });
        const childPids = temps().map((name) => Number(/\d+/.exec(name)![0]));
        await waitFor(() => childPids.every((pid) => !alive(pid)), { what: "redis-server's BGSAVE child to exit", timeoutMs: 60_000 });
      } else {
        await waitFor(() => replica.node.crashed, { what: 'our node to panic' });
        await waitFor(() => !replica.node.persistence.bgsaveInProgress, { what: 'our BGSAVE to end', timeoutMs: 60_000 });
      }
      return { dataset: existsSync(dump) ? loadOutcome(readFileSync(dump), false) : 'no dump.rdb', tempLeft: temps().length > 0 };
    }

    it('2000 keys at 1 ms a key: the report after key 1025 fails, no dump.rdb, the temp file left', async () => {
      const redis = await saveAfterPanic('redis', 2000, 1000);
      expect(redis).toEqual({ dataset: 'no dump.rdb', tempLeft: true });
      const ours = await saveAfterPanic('ours', 2000, 1000);
      expect(ours).toEqual(redis);
    }, 180_000);

    it('100 keys at 20 ms a key: no report left before the end, the save completes with the dataset of the BGSAVE', async () => {
      const redis = await saveAfterPanic('redis', 100, 20_000);
      expect(redis.tempLeft).toBe(false);
      expect(redis.dataset).toContain('key:99');
      expect(redis.dataset).not.toContain('after');
      const ours = await saveAfterPanic('ours', 100, 20_000);
      expect(ours).toEqual(redis);
    }, 180_000);
  });

  it('panic-on-replicas: an error nested in a script\'s reply panics too', async () => {
    const options: ReplicaConfig = [['propagation-error-behavior', 'panic-on-replicas']];
    const script = [['EVAL', "return {1, redis.error_reply('My error')}", '0']];
    const redis = await afterFailingCommand('redis', options, script);
    expect(redis).toMatchObject({ ending: 'SIGABRT', listening: false });
    expect(redis.log).toContain("Guru Meditation: This replica panicked sending an error to its master after processing the command 'eval'");
    const ours = await afterFailingCommand('ours', options, script);
    expect(ours).toEqual({ ...redis, ending: 'stopped' });
  }, 120_000);

  it.each(['panic', 'panic-on-replicas'])('%s: a writable replica only logs, as redis-server does', async (behavior) => {
    const options: ReplicaConfig = [['propagation-error-behavior', behavior], ['replica-read-only', 'no']];
    const redis = await afterFailingCommand('redis', options);
    expect(redis).toEqual({ log: PANIC_LOG.slice(0, 1), ending: 'running', listening: true, linkClosed: false });
    const ours = await afterFailingCommand('ours', options);
    expect(ours).toEqual(redis);
  }, 120_000);
});

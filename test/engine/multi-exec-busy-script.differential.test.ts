/**
 * A script inside MULTI/EXEC that runs past busy-reply-threshold, against
 * redis-server 7.0.15: EXEC runs the script through call() like any queued
 * command, and its scriptInterrupt serves other clients meanwhile
 * (processEventsWhileBlocked) exactly as for a top-level EVAL: they get
 * -BUSY, SCRIPT KILL stops a script that wrote nothing (the EXEC array then
 * holds the kill error and the rest of the queue still runs) and answers
 * UNKILLABLE to one that wrote. The transaction stays atomic: its effects
 * reach a replica as one MULTI ... EXEC.
 *
 * One client pipelines MULTI, SET, EVAL (a 1 s spin, with or without a
 * write first), INCR, EXEC; another sends PING, GET, SCRIPT KILL while the
 * script spins. Compared: those replies, the EXEC reply, and what a
 * redis-server replica's MONITOR shows of the transaction. And when EXEC's
 * caller disconnects while the script spins, the rest of its queue still
 * runs (the caller is protected, protectClient, until the EXEC ends).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitForOffsets, waitForSync } from '../support/replication';
import { RespConnection, RespError } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const SPIN = `
local t = redis.call('TIME')
local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
repeat
  local n = redis.call('TIME')
until tonumber(n[1]) * 1000000 + tonumber(n[2]) - start > 1000000
return 'spun'`;

type Script = 'read-only' | 'writing';

interface Observed {
  repliesWhileBusy: string[];
  exec: unknown;
  afterwards: unknown[];
  replicaSaw: string[];
}

async function runTransaction(port: number, script: Script): Promise<Observed> {
  const runner = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(port)] });
  const monitor = new RespConnection('127.0.0.1', replica.port);
  try {
    await other.ok('FLUSHALL');
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '50');
    await waitForSync(replica);
    await waitForOffsets({ port }, replica);
    expect(await monitor.call('MONITOR')).toBe('OK');

    const body = script === 'writing' ? `redis.call('SET', 's', 'w')\n${SPIN}` : SPIN;
    const transaction = runner.pipeline([['MULTI'], ['SET', 'a', '1'], ['EVAL', body, '0'], ['INCR', 'a'], ['EXEC']]);
    await waitFor(async () => String((await other.callRaw('PING')).raw).startsWith('-BUSY'), { what: 'BUSY' });
    const repliesWhileBusy: string[] = [];
    for (const command of [['PING'], ['GET', 'a'], ['SCRIPT', 'KILL'], ['MULTI']]) {
      repliesWhileBusy.push(String((await other.callRaw(...command)).raw));
    }
    const replies = await transaction;
    const exec = killLineAsLoop(replies[4]);
    // The other client's MULTI (allow-busy) was accepted: its EXEC after the script runs what it queued.
    const afterwards = await other.pipeline([['GET', 'a'], ['EXEC'], ['GET', 's']]);

    const lines: string[] = [];
    await waitFor(async () => {
      lines.push(String((await monitor.nextReply(2000)).value));
      return lines.some((line) => /"exec"/i.test(line));
    }, { what: 'the transaction on the replica' });
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    // The replica's commands, without the timestamps and the link's address.
    const replicaSaw = lines.map((line) => line.replace(/^[\d.]+ \[\d+ [^\]]+\] /, '')).filter((line) => !/"ping"|"replconf"/i.test(line));
    return { repliesWhileBusy, exec, afterwards, replicaSaw };
  } finally {
    runner.close();
    other.close();
    monitor.close();
    await replica.stop();
  }
}

/** The lines of SPIN's loop (repeat ... until), 1-based as Lua counts them in a script body that is SPIN itself. */
const SPIN_LOOP_LINES = ((): Set<number> => {
  const lines = SPIN.split('\n');
  const first = lines.findIndex((line) => line.trim() === 'repeat');
  const last = lines.findIndex((line) => line.startsWith('until'));
  return new Set(Array.from({ length: last - first + 1 }, (_, index) => first + 1 + index));
})();

/**
 * SCRIPT KILL's error names the line the kill hook caught the script on:
 * any line of the spin loop, on either server, by where the hook happened to
 * fire (redis-server said line 5 in one run and the engine line 6, the same
 * loop). Checks it is one of the loop's lines and writes it as "loop", so the
 * rest of the message is compared exactly.
 */
function killLineAsLoop(exec: unknown): unknown {
  if (!Array.isArray(exec)) return exec;
  return exec.map((reply) => {
    if (!(reply instanceof RespError)) return reply;
    const match = /^(ERR Script killed by user with SCRIPT KILL\.\.\. script: \w+, on @user_script:)(\d+)\.$/.exec(reply.message);
    if (!match) return reply;
    expect(SPIN_LOOP_LINES.has(Number(match[2])), `killed on line ${match[2]}, not in the loop's lines ${[...SPIN_LOOP_LINES].join(', ')}`).toBe(true);
    return new RespError(`${match[1]}loop.`);
  });
}

/** EXEC's caller disconnects while its script spins: the rest of the queue still runs (protectClient). */
async function leaveMidTransaction(port: number): Promise<unknown[]> {
  const runner = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  try {
    await other.ok('FLUSHALL');
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '50');
    void runner.pipeline([['MULTI'], ['SET', 'a', '1'], ['EVAL', SPIN, '0'], ['INCR', 'a'], ['EXEC']]).catch(() => undefined);
    await waitFor(async () => String((await other.callRaw('PING')).raw).startsWith('-BUSY'), { what: 'BUSY' });
    runner.close();
    await waitFor(async () => (await other.call('PING')) === 'PONG', { what: 'the script to end', timeoutMs: 5000 });
    const seen = await other.pipeline([['GET', 'a'], ['INFO', 'commandstats']]);
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    const incrCalls = /cmdstat_incr:calls=(\d+)/.exec(String(seen[1]))?.[1] ?? '0';
    return [seen[0], incrCalls];
  } finally {
    runner.close();
    other.close();
  }
}

describe('a script past busy-reply-threshold inside MULTI/EXEC', () => {
  it('runs the rest of the transaction when its caller disconnects during the script, as redis-server', async () => {
    const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
    const expected = await leaveMidTransaction(redis.port);
    const observed = await leaveMidTransaction(ours.port);
    expect(expected).toEqual(['2', '1']);
    expect(observed).toEqual(expected);
    await Promise.all([redis.stop(), ours.stop()]);
  }, 60_000);

  for (const script of ['read-only', 'writing'] as const) {
    it(`serves other clients BUSY while a ${script} script of an EXEC runs, and SCRIPT KILL acts on it, as redis-server`, async () => {
      const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
      const expected = await runTransaction(redis.port, script);
      const observed = await runTransaction(ours.port, script);
      expect(expected.repliesWhileBusy[0]).toMatch(/^-BUSY Redis is busy running a script/);
      expect(expected.repliesWhileBusy[2]).toMatch(script === 'writing' ? /^-UNKILLABLE/ : /^\+OK/);
      expect(observed).toEqual(expected);
      await Promise.all([redis.stop(), ours.stop()]);
    }, 60_000);
  }
});

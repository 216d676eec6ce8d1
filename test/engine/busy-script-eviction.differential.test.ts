/**
 * No eviction while a script runs past busy-reply-threshold, against
 * redis-server 7.0.15: processCommand skips performEvictions while
 * isInsideYieldingLongCommand() ("to avoid mixing the propagation of scripts
 * with the propagation of DELs due to eviction"), so what other clients send
 * meanwhile (PING, answered BUSY; SCRIPT/FUNCTION KILL, allow-busy) evicts
 * nothing; the first command after the script does.
 *
 * A script (EVAL, then FCALL) writes a value that takes the node past
 * maxmemory, spins past the threshold while another client sends those
 * commands, then returns DBSIZE: no key may have gone. A command after it
 * must evict (so the limit was really passed), and a redis-server replica's
 * MONITOR must show the eviction DELs after the script's SET, not before it.
 *
 * The limit is set either before the script (a separate round trip) or by a
 * CONFIG SET pipelined just ahead of the EVAL: updateMaxmemory then starts an
 * eviction time event (startEvictionTimeProc), which redis-server does not
 * run while the script is busy (processEventsWhileBlocked serves file events
 * only, and performEvictions refuses in isSafeToPerformEvictions anyway).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { infoNumber, waitForOffsets, waitForSync } from '../support/replication';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const KEYS = 500;
/** Writes 1 MB (past the limit set 256 KB above used_memory), spins 1.5 s, then counts the keys. */
const BODY = `
redis.call('SET', 'big', string.rep('x', 1048576))
local t = redis.call('TIME')
local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
repeat
  local n = redis.call('TIME')
until tonumber(n[1]) * 1000000 + tonumber(n[2]) - start > 1500000
return redis.call('DBSIZE')`;
const LIBRARY = `#!lua name=busyevict\nredis.register_function('spin', function(keys, args)\n${BODY}\nend)`;

type Kind = 'eval' | 'fcall';
/** How the limit is set: its own round trip first, or pipelined with the script's EVAL/FCALL. */
type LimitSet = 'before' | 'pipelined';

interface Observed {
  dbsizeInScript: unknown;
  repliesWhileBusy: string[];
  monitor: string[];
}

async function runBusyScript(port: number, kind: Kind, limitSet: LimitSet): Promise<Observed> {
  const runner = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(port)] });
  const monitor = new RespConnection('127.0.0.1', replica.port);
  try {
    await other.ok('CONFIG', 'SET', 'maxmemory', '0');
    await other.ok('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '50');
    await other.ok('FLUSHALL');
    await other.ok('FUNCTION', 'FLUSH');
    await other.ok('EVAL', `for i = 1, ${KEYS} do redis.call('SET', 'k' .. i, string.rep('v', 100)) end`, '0');
    if (kind === 'fcall') await other.ok('FUNCTION', 'LOAD', LIBRARY);
    await waitForSync(replica);
    await waitForOffsets({ port }, replica);
    expect(await monitor.call('MONITOR')).toBe('OK');

    const used = await infoNumber({ port }, 'used_memory', 'memory');
    const setLimit = ['CONFIG', 'SET', 'maxmemory', String(used + 256 * 1024)];
    const run = kind === 'eval' ? ['EVAL', BODY, '0'] : ['FCALL', 'spin', '0'];
    let script: Promise<unknown>;
    if (limitSet === 'before') {
      await other.ok(...setLimit);
      expect(await other.call('DBSIZE')).toBe(KEYS);
      expect(await infoNumber({ port }, 'evicted_keys', 'stats')).toBe(0);
      script = runner.call(...run);
    } else {
      script = runner.pipeline([setLimit, run]).then((replies) => {
        expect(replies[0]).toBe('OK');
        return replies[1];
      });
    }
    await waitFor(async () => String((await other.callRaw('PING')).raw).startsWith('-BUSY'), { what: 'BUSY' });
    const repliesWhileBusy: string[] = [];
    const kill = kind === 'eval' ? ['SCRIPT', 'KILL'] : ['FUNCTION', 'KILL'];
    for (const command of [['PING'], kill, ['PING']]) repliesWhileBusy.push(String((await other.callRaw(...command)).raw));
    const dbsizeInScript = await script;

    // The script is over: the next command evicts, as the limit was passed.
    expect(await other.call('PING')).toBe('PONG');
    expect(await infoNumber({ port }, 'evicted_keys', 'stats')).toBeGreaterThan(0);
    const lines: string[] = [];
    await waitFor(async () => {
      lines.push(String((await monitor.nextReply(2000)).value));
      return lines.some((line) => /"del"/i.test(line));
    }, { what: 'an eviction DEL on the replica' });
    await other.ok('CONFIG', 'SET', 'maxmemory', '0');
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    // The replica's SET of big and DELs in order (which keys the random policy picked is left out).
    const seen = lines.flatMap((line) => {
      const command = /"(set|del)" "(?:big|k)/i.exec(line)?.[1]?.toLowerCase();
      return command === undefined ? [] : [command === 'set' ? 'set big' : 'del'];
    });
    return { dbsizeInScript, repliesWhileBusy, monitor: seen.slice(0, 2) };
  } finally {
    runner.close();
    other.close();
    monitor.close();
    await replica.stop();
  }
}

describe('eviction while a script is busy', () => {
  for (const [kind, limitSet] of [['eval', 'before'], ['fcall', 'before'], ['eval', 'pipelined']] as const) {
    const how = limitSet === 'before' ? '' : ' (maxmemory set by a CONFIG SET pipelined ahead of it)';
    it(`evicts nothing until a timed-out ${kind.toUpperCase()} ends${how}, and replicates its DELs after it, as redis-server`, async () => {
      const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
      const expected = await runBusyScript(redis.port, kind, limitSet);
      const observed = await runBusyScript(ours.port, kind, limitSet);
      expect(expected.dbsizeInScript).toBe(KEYS + 1);
      expect(expected.monitor).toEqual(['set big', 'del']);
      expect(observed).toEqual(expected);
      await Promise.all([redis.stop(), ours.stop()]);
    }, 60_000);
  }
});

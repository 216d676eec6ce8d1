/**
 * The figures of a script that runs past busy-reply-threshold, against
 * redis-server 7.0.15. There the script is one call() however long it runs
 * (its scriptInterrupt serves other clients from inside it), and so is the
 * EXEC that queued it: commandstats usec, the slowlog entry and the
 * "command" latency event each cover the whole run, counted once. The
 * engine runs such a script in slices across event-loop turns; its figures
 * must still be the whole run's, not its first slice's (nor a blocked
 * command's call plus unblocking).
 *
 * The same when the caller disconnects while the script runs: Redis
 * protects it (protectClient) and finishes the call, figures included.
 *
 * Durations are wall-clock, so what is compared is what does not depend on
 * speed: which commands the slowlog holds (threshold below the spin), that
 * each covers at least the spin, that a command's usec is its own slowlog
 * duration (one count), that EXEC covers its script, and the latency events.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const SPIN_MS = 400;

/** Spins SPIN_MS by the server's own clock (TIME), so it lasts at least that long on either server. */
const SPIN = `
local t = redis.call('TIME')
local start = tonumber(t[1]) * 1000000 + tonumber(t[2])
repeat
  local n = redis.call('TIME')
until tonumber(n[1]) * 1000000 + tonumber(n[2]) - start > ${SPIN_MS * 1000}
return 'spun'`;

type Shape = 'top-level' | 'inside EXEC';

function commandStat(info: string, name: string): { calls: number; usec: number } {
  const match = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(info);
  return { calls: Number(match?.[1] ?? 0), usec: Number(match?.[2] ?? 0) };
}

async function observe(port: number, shape: Shape, callerLeaves: boolean): Promise<Record<string, unknown>> {
  const runner = new RespConnection('127.0.0.1', port);
  const other = new RespConnection('127.0.0.1', port);
  try {
    for (const [name, value] of [['busy-reply-threshold', '50'], ['slowlog-log-slower-than', String((SPIN_MS / 2) * 1000)], ['latency-monitor-threshold', String(SPIN_MS / 2)]]) {
      await other.ok('CONFIG', 'SET', name!, value!);
    }
    await other.ok('CONFIG', 'RESETSTAT');
    await other.ok('SLOWLOG', 'RESET');
    await other.call('LATENCY', 'RESET');
    const sent = shape === 'top-level' ? [['EVAL', SPIN, '0']] : [['MULTI'], ['SET', 'a', '1'], ['EVAL', SPIN, '0'], ['INCR', 'a'], ['EXEC']];
    const replies = runner.pipeline(sent);
    if (callerLeaves) replies.catch(() => undefined);
    await waitFor(async () => String((await other.callRaw('PING')).raw).startsWith('-BUSY'), { what: 'BUSY' });
    if (callerLeaves) {
      runner.close();
      await waitFor(async () => (await other.call('PING')) === 'PONG', { what: 'the script to end', timeoutMs: 10_000 });
    }
    const last = callerLeaves ? 'left' : (await replies).at(-1);

    const slowlog = (await other.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[]]>;
    const evalEntry = slowlog.find((entry) => entry[3][0] === 'EVAL');
    const info = String(await other.call('INFO', 'commandstats'));
    const evalStat = commandStat(info, 'eval');
    const execStat = commandStat(info, 'exec');
    const latest = (await other.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
    await other.ok('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    return {
      reply: last,
      slowlog: slowlog.map((entry) => entry[3][0]),
      evalLoggedForTheWholeSpin: evalEntry !== undefined && evalEntry[2] >= SPIN_MS * 1000,
      evalCalls: evalStat.calls,
      // One count of the whole run: commandstats adds exactly the duration the slowlog shows (±1 µs of rounding).
      evalUsecIsItsLoggedDuration: evalEntry !== undefined && Math.abs(evalStat.usec - evalEntry[2]) <= 1,
      execCalls: execStat.calls,
      execCoversTheScript: shape === 'top-level' || (evalEntry !== undefined && execStat.usec >= evalEntry[2]),
      latencyEvents: latest.map((event) => [event[0], event[3] >= SPIN_MS]),
    };
  } finally {
    runner.close();
    other.close();
  }
}

describe('a script past busy-reply-threshold is counted as one call of its whole run', () => {
  for (const [shape, callerLeaves] of [['top-level', false], ['inside EXEC', false], ['top-level', true], ['inside EXEC', true]] as const) {
    it(`${shape}${callerLeaves ? ', its caller gone before the end' : ''}: slowlog, commandstats usec and latency events as redis-server`, async () => {
      const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
      const expected = await observe(redis.port, shape, callerLeaves);
      const observed = await observe(ours.port, shape, callerLeaves);
      expect(expected).toEqual({
        reply: callerLeaves ? 'left' : shape === 'top-level' ? 'spun' : ['OK', 'spun', 2],
        slowlog: ['EVAL'],
        evalLoggedForTheWholeSpin: true,
        evalCalls: 1,
        evalUsecIsItsLoggedDuration: true,
        execCalls: shape === 'top-level' ? 0 : 1,
        execCoversTheScript: true,
        latencyEvents: [['command', true]],
      });
      expect(observed).toEqual(expected);
      await Promise.all([redis.stop(), ours.stop()]);
    }, 60_000);
  }
});

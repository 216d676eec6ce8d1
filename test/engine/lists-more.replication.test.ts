/**
 * The list commands that pop or move (LMPOP, BLMPOP, BLMOVE, BRPOPLPUSH,
 * served at once and later by a push) and HINCRBYFLOAT replicate to a real
 * redis-server replica with equal digests, and the replica receives exactly
 * the non-blocking forms redis-server itself would send.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

async function workload(master: { port: number }): Promise<void> {
  const a = new RespConnection('127.0.0.1', master.port);
  const b = new RespConnection('127.0.0.1', master.port);
  await a.call('RPUSH', 'src', '1', '2', '3', '4', '5');
  await a.call('LMPOP', '2', 'nope', 'src', 'LEFT', 'COUNT', '2');
  await a.call('BLMPOP', '1', '1', 'src', 'RIGHT');
  await a.call('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '1');
  await a.call('BRPOPLPUSH', 'src', 'dst', '1');
  const later = b.call('BLMOVE', 'empty', 'dst', 'RIGHT', 'LEFT', '5');
  const laterMpop = a.call('BLMPOP', '5', '1', 'empty2', 'LEFT', 'COUNT', '3');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const pusher = new RespConnection('127.0.0.1', master.port);
  await pusher.call('RPUSH', 'empty', 'x');
  await pusher.call('RPUSH', 'empty2', 'p', 'q');
  expect(await later).toBe('x');
  expect(await laterMpop).toEqual(['empty2', ['p', 'q']]);
  await pusher.call('HSET', 'h', 'f', '10.5');
  await pusher.call('HINCRBYFLOAT', 'h', 'f', '0.1');
  a.close();
  b.close();
  pusher.close();
}

describe('list moves and pops replicate', () => {
  it('our master -> real replica, and the replica sees the same commands as from redis-server', async () => {
    const streams: string[][] = [];
    for (const kind of ['redis', 'ours'] as const) {
      const master = kind === 'ours' ? await startEngine([['repl-diskless-sync-delay', '0']]) : await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
      const replica: RedisProcess = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
      await waitForSync(replica);
      const monitor = new RespConnection('127.0.0.1', replica.port);
      await monitor.call('MONITOR');
      await workload(master);
      await waitForOffsets(master, replica);
      await waitForEqualDigests([master, replica]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lines: string[] = [];
      for (;;) {
        const next = await monitor.nextReply(200).catch(() => null);
        if (!next) break;
        const text = String(next.value);
        // Only what arrived over the master link (MONITOR names the master's
        // address); the test's own INFO/DIGEST polls of the replica are not part
        // of the replication stream and their number varies with timing.
        const fromMaster = new RegExp(`^\\S+ \\[\\d+ 127\\.0\\.0\\.1:${master.port}\\] (.*)$`).exec(text);
        const command = fromMaster?.[1];
        if (command && !/^"(ping|PING|select|SELECT)"/.test(command)) lines.push(command);
      }
      monitor.close();
      streams.push(lines);
      await stopAllRedisServers();
      await stopAllEngines();
    }
    expect(streams[0]).toContain('"RPUSH" "src" "1" "2" "3" "4" "5"');
    expect(streams[0]).toContain('"HSET" "h" "f" "10.6"');
    expect(streams[1]).toEqual(streams[0]);
  });
});

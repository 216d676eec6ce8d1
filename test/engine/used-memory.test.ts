/**
 * While maxmemory is set, INFO used_memory follows the dataset, not the
 * garbage collector: what a deleted value held leaves the figure, and a
 * limit set a little above it behaves as Redis's exact counts do (Tcl
 * unit/tracking "Tracking invalidation message of eviction keys should be
 * before response"). Each
 * case runs against real redis-server first, whose INFO is the truth, then
 * against our engine in a process of its own (its own, small V8 heap, as
 * `npm run engine` runs it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngineProcess } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';

type Call = (...args: Array<string | number | Buffer>) => Promise<unknown>;

const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await stopAllRedisServers();
});

async function servers(): Promise<Array<{ name: string; call: Call }>> {
  const redis = await startRedisServer();
  const engine = await startEngineProcess([], { bundled: true });
  stops.push(() => engine.stop());
  return [{ name: 'redis-server', call: redis.call }, { name: 'engine', call: engine.call }];
}

async function infoField(call: Call, field: string): Promise<number> {
  const text = String(await call('INFO', 'memory'));
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(text);
  if (!match) throw new Error(`INFO memory has no ${field}`);
  return Number(match[1]);
}

/** Writes and deletes values enough to be promoted to V8's old space (small ones) or allocated in it (200 KB ones). */
async function churn(call: Call, round: number): Promise<void> {
  for (let i = 0; i < 3000; i++) await call('SET', `churn:${i}`, `${round}:${i}:`.padEnd(1000, 'x'));
  for (let i = 0; i < 10; i++) await call('SET', `churn:big:${i}`, `${round}:${i}:`.padEnd(200 * 1024, 'y'));
  for (let i = 0; i < 3000; i++) await call('DEL', `churn:${i}`);
  for (let i = 0; i < 10; i++) await call('DEL', `churn:big:${i}`);
}

describe('used_memory', () => {
  it('with a limit set, drops back once written values are deleted', async () => {
    for (const server of await servers()) {
      await server.call('CONFIG', 'SET', 'maxmemory', String(1024 * 1024 * 1024));
      await churn(server.call, 0);
      const before = await infoField(server.call, 'used_memory');
      for (let round = 1; round <= 3; round++) {
        await churn(server.call, round);
        const after = await infoField(server.call, 'used_memory');
        // 5 MB written and deleted each round; Redis's figure moves by a few KB to ~260 KB (its clients' query buffers).
        expect(Math.abs(after - before), `${server.name} round ${round}: used_memory ${before} -> ${after}`).toBeLessThan(1024 * 1024);
      }
    }
  }, 120_000);

  it('a limit 100 KB above it admits a small write, and a 200 KB SETBIT makes the next command evict', async () => {
    for (const server of await servers()) {
      await server.call('HELLO', '3');
      for (let round = 1; round <= 5; round++) {
        await churn(server.call, round);
        const evictedBefore = Number(/^evicted_keys:(\d+)/m.exec(String(await server.call('INFO', 'stats')))![1]);
        const used = (await infoField(server.call, 'used_memory')) - (await infoField(server.call, 'mem_not_counted_for_evict'));
        await server.call('CONFIG', 'SET', 'maxmemory', String(used + 100 * 1024));
        await server.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-random');
        expect(await server.call('SETEX', 'volatile-key', '10000', 'x'), `${server.name} round ${round}`).toBe('OK');
        await server.call('SETBIT', 'big-key', '1600000', '0');
        await server.call('GETBIT', 'big-key', '0');
        expect(await server.call('EXISTS', 'volatile-key'), `${server.name} round ${round}: volatile-key evicted`).toBe(0);
        const evictedAfter = Number(/^evicted_keys:(\d+)/m.exec(String(await server.call('INFO', 'stats')))![1]);
        expect(evictedAfter - evictedBefore, `${server.name} round ${round}`).toBe(1);
        await server.call('CONFIG', 'SET', 'maxmemory', '0');
        await server.call('DEL', 'big-key');
      }
    }
  }, 120_000);

  it('with a limit set, counts what a full sync from a redis-server master loaded', async () => {
    const master = await startRedisServer();
    const masterBefore = await infoField(master.call, 'used_memory');
    // 20,000 keys of 200 bytes that LZF cannot shrink (the engine may keep loaded values as their RDB bytes):
    // about 6 MB in redis-server, near the engine's 4 MB drift tolerance.
    await master.call('EVAL', "for i = 1, 20000 do local v = '' for j = 1, 5 do v = v .. redis.sha1hex(i .. ':' .. j) end redis.call('SET', 'loaded:' .. i, v) end", '0');
    const masterGrowth = (await infoField(master.call, 'used_memory')) - masterBefore;
    const replica = await startEngineProcess([], { bundled: true });
    stops.push(() => replica.stop());
    await replica.call('CONFIG', 'SET', 'maxmemory', String(1024 * 1024 * 1024));
    const before = await infoField(replica.call, 'used_memory');
    await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
    for (let i = 0; i < 200; i++) {
      const linked = /^master_link_status:up/m.test(String(await replica.call('INFO', 'replication')));
      if (linked && (await replica.call('DBSIZE')) === 20000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await replica.call('DBSIZE')).toBe(20000);
    const counted = (await infoField(replica.call, 'used_memory')) - before;
    // The engine's own heap figure, measured (no count) once the limit is gone.
    await replica.call('CONFIG', 'SET', 'maxmemory', '0');
    const measured = (await infoField(replica.call, 'used_memory')) - before;
    const figures = `redis-server master +${masterGrowth}, replica counted +${counted}, measured +${measured}`;
    expect(counted, figures).toBeGreaterThan(masterGrowth / 2);
    expect(counted, figures).toBeGreaterThan(measured / 2);
    expect(counted, figures).toBeLessThan(measured * 2);
  }, 60_000);
});

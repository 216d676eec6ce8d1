/**
 * maxmemory with a limit far below the engine's heap, so every write must
 * either evict or be refused: noeviction refuses denyoom commands with
 * Redis's OOM error (reads and deletes still work); allkeys-random evicts
 * everything and a real replica follows through the propagated DELs;
 * volatile-ttl evicts only keys with a TTL. evicted_keys counts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, info, waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

describe('maxmemory', () => {
  it('noeviction refuses writes with the OOM error; reads and deletes still work', async () => {
    const ours = await startEngine();
    await command(ours, 'SET', 'kept', 'v');
    await command(ours, 'CONFIG', 'SET', 'maxmemory', '1mb');
    expect(await command(ours, 'SET', 'new', 'v')).toMatchObject({ message: OOM });
    expect(await command(ours, 'RPUSH', 'list', 'a')).toMatchObject({ message: OOM });
    expect(await command(ours, 'GET', 'kept')).toBe('v');
    expect(await command(ours, 'DEL', 'kept')).toBe(1);
    const memory = await info(ours, 'memory');
    expect(memory.get('maxmemory')).toBe('1048576');
    expect(memory.get('maxmemory_policy')).toBe('noeviction');
    await command(ours, 'CONFIG', 'SET', 'maxmemory', '0');
    expect(await command(ours, 'SET', 'new', 'v')).toBe('OK');
  });

  it('allkeys-random evicts, propagates DELs to a real replica, then refuses when nothing is left', async () => {
    const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(replica);
    for (let i = 0; i < 100; i++) await command(ours, 'SET', `k${i}`, 'x'.repeat(100));
    await command(ours, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await command(ours, 'CONFIG', 'SET', 'maxmemory', '1mb');
    expect(await command(ours, 'SET', 'one-more', 'v')).toMatchObject({ message: OOM });
    expect(await command(ours, 'DBSIZE')).toBe(0);
    expect((await info(ours, 'stats')).get('evicted_keys')).toBe('100');
    await waitForOffsets(ours, replica);
    expect(await command(replica, 'DBSIZE')).toBe(0);
    await waitForEqualDigests([ours, replica], { allowEmpty: true });
  });

  it('volatile-ttl evicts only keys with a TTL', async () => {
    const ours = await startEngine();
    for (let i = 0; i < 50; i++) {
      await command(ours, 'SET', `volatile${i}`, 'v', 'EX', String(1000 + i));
      await command(ours, 'SET', `persistent${i}`, 'v');
    }
    await command(ours, 'CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    await command(ours, 'CONFIG', 'SET', 'maxmemory', '1mb');
    expect(await command(ours, 'SET', 'x', 'v')).toMatchObject({ message: OOM });
    expect(await command(ours, 'DBSIZE')).toBe(50);
    expect(await command(ours, 'EXISTS', 'persistent0', 'persistent49')).toBe(2);
    expect((await info(ours, 'stats')).get('evicted_keys')).toBe('50');
  });
});

/**
 * INFO mem_total_replication_buffers counts the stream bytes a stopped
 * replica has not received: redis-server keeps them in its shared
 * replication buffer, which grows past the backlog (repl-backlog-size 1
 * here). Ours wrote them to the replica's socket at once and counted only
 * the backlog, so the figure stayed at the backlog's few KB while 268 MB
 * waited in the socket's queue: Redis's own integration/shutdown.tcl fills
 * the buffer "until mem_total_replication_buffers > 2 MB" and never got
 * there (the replica was dropped at the output buffer limit, the file timed
 * out). Held against a real redis-server master, each master with a real
 * redis-server replica stopped with SIGSTOP.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { infoNumber, waitForOffsets, waitForSync } from '../support/replication';

const engines: EngineHandle[] = [];
const stopped: RedisProcess[] = [];
afterAll(async () => {
  for (const replica of stopped) replica.signal('SIGCONT');
  await Promise.all(engines.map((engine) => engine.stop()));
  await stopAllRedisServers();
});

async function startMaster(kind: 'redis-server' | 'engine'): Promise<RedisProcess | EngineHandle> {
  if (kind === 'redis-server') return startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  const engine = await startEngine();
  engines.push(engine);
  return engine;
}

describe.each(['redis-server', 'engine'] as const)('a %s master with a stopped replica', (kind) => {
  it('counts the bytes the replica has not received in mem_total_replication_buffers', async () => {
    const master = await startMaster(kind);
    expect(await master.call('CONFIG', 'SET', 'repl-backlog-size', '1')).toBe('OK');
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    expect(await master.call('SET', 'k', '1')).toBe('OK');
    await waitForOffsets(master, replica);
    replica.signal('SIGSTOP');
    stopped.push(replica);
    const value = 'A'.repeat(1024);
    let written = 0;
    let buffers = 0;
    // 1 MB at a time, as shutdown.tcl does, up to 64 MB (the replica's hard limit is 256 MB).
    while (written < 64 && buffers <= 2 * 1024 * 1024) {
      await Promise.all(Array.from({ length: 1024 }, (_, index) => master.call('SET', `junk${written}:${index}`, value)));
      written++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      buffers = await infoNumber(master, 'mem_total_replication_buffers', 'memory');
    }
    expect(buffers).toBeGreaterThan(2 * 1024 * 1024);
    expect((await master.call('INFO', 'replication')) as string).toMatch(/slave0:/);
    replica.signal('SIGCONT');
    await waitForOffsets(master, replica, 60_000);
    expect(await infoNumber(master, 'mem_total_replication_buffers', 'memory')).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});

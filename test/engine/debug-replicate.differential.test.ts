/**
 * DEBUG REPLICATE <command...> (debug.c, 7.0): the command goes into the
 * replication stream as it is, with no SELECT (replicationFeedSlaves with
 * dictid = slaveseldb), and never runs on the master: a way to make data
 * diverge on purpose. Redis's own integration/replication-4.tcl uses it
 * ("Data divergence can happen under default conditions"); the engine
 * answered "ERR unknown subcommand". Held against a real redis-server
 * master, each master with a real redis-server replica: the replica applies
 * the command, the master does not, and the master's offset grows by the
 * command's bytes alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { infoNumber, waitForOffsets, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const engines: EngineHandle[] = [];
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.stop()));
  await stopAllRedisServers();
});

async function startMaster(kind: 'redis-server' | 'engine'): Promise<RedisProcess | EngineHandle> {
  if (kind === 'redis-server') return startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  const engine = await startEngine();
  engines.push(engine);
  return engine;
}

describe.each(['redis-server', 'engine'] as const)('DEBUG REPLICATE on a %s master', (kind) => {
  it('feeds the command to the replicas only, with no SELECT; a command the replica does not know is logged there', async () => {
    const master = await startMaster(kind);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    const before = await infoNumber(master, 'master_repl_offset', 'replication');
    expect(await master.call('DEBUG', 'REPLICATE', 'SET', 'foo', 'bar')).toBe('OK');
    expect(await infoNumber(master, 'master_repl_offset', 'replication')).toBe(before + '*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n'.length);
    await waitFor(async () => (await replica.call('GET', 'foo')) === 'bar', { timeoutMs: 20_000, what: 'the replica to apply the replicated SET' });
    expect(await master.call('EXISTS', 'foo')).toBe(0);
    expect(await master.call('DEBUG', 'REPLICATE', 'fake-command-1')).toBe('OK');
    await waitFor(() => /== CRITICAL ==.*fake-command-1/.test(replica.log()), { timeoutMs: 20_000, what: "the replica's CRITICAL line for the unknown command" });
    expect(await master.call('DEBUG', 'REPLICATE')).toMatchObject({ message: expect.stringContaining("unknown subcommand or wrong number of arguments for 'REPLICATE'") });
  }, 60_000);
});

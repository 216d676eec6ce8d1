/**
 * Each inferred full-resync cause provoked for real against redis-server, and
 * read back from the console's timeline:
 *  - backlog-expired: the replica goes silent (DEBUG SLEEP) past repl-timeout,
 *    the master drops it and frees its backlog after repl-backlog-ttl;
 *  - replica-restarted-without-cache: a replica without persistence restarts;
 *  - output-buffer-limit: writes during the transfer overflow a small
 *    client-output-buffer-limit for replicas, so the sync restarts again and
 *    again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: DeploymentMonitor[] = [];

afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
  await stopAllRedisServers();
});

async function watch(master: RedisProcess): Promise<{ monitor: DeploymentMonitor; events: ReplicationEvent[] }> {
  const monitor = await DeploymentMonitor.open({ sessionId: 'causes', profile: { name: 'c', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: master.port }], environment: 'dev', safetyMode: 'monitor-only' }, secrets: {}, pollIntervalMs: 200, logger: quiet });
  monitors.push(monitor);
  const events: ReplicationEvent[] = [];
  monitor.onEvent((event) => events.push(event));
  return { monitor, events };
}

const fullResyncs = (events: ReplicationEvent[]): ReplicationEvent[] => events.filter((event) => event.kind === 'full-resync');

describe('inferred full-resync causes', () => {
  it('backlog-expired: the master freed its backlog (repl-backlog-ttl) while the replica was away', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--repl-timeout', '1', '--repl-backlog-ttl', '1'] });
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    const { monitor, events } = await watch(master);
    await waitFor(async () => (await monitor.pollNow()).links.some((link) => link.state === 'online'), { what: 'the link online' });
    // The replica freezes for 6 s: the master drops it after repl-timeout, then frees the backlog after the ttl.
    void replica.call('DEBUG', 'SLEEP', '6').catch(() => undefined);
    await waitFor(() => fullResyncs(events).length > 0, { timeoutMs: 30_000, what: 'a full resync' });
    expect(fullResyncs(events)[0]).toMatchObject({ cause: 'backlog-expired', inferred: true, nodeId: `127.0.0.1:${replica.port}` });
    expect(fullResyncs(events)[0]!.message).toMatch(/repl-backlog-ttl/);
  });

  it('replica-restarted-without-cache: a replica without persistence restarts and syncs everything again', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    let replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    const { monitor, events } = await watch(master);
    await waitFor(async () => (await monitor.pollNow()).nodes.length === 2 && monitor.snapshot().links.some((link) => link.state === 'online'), { what: 'both nodes and the link' });
    const port = replica.port;
    await replica.stop();
    replica = await startRedisServer({ port, args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitFor(() => fullResyncs(events).length > 0, { timeoutMs: 20_000, what: 'a full resync' });
    expect(fullResyncs(events)[0]).toMatchObject({ cause: 'replica-restarted-without-cache', nodeId: `127.0.0.1:${port}` });
  });

  it('output-buffer-limit: writes during the transfer overflow the replica output buffer, the sync restarts in a loop', async () => {
    // A slow snapshot (rdb-key-save-delay) and a 256 KB hard limit: the writes
    // accumulated for the replica during the transfer exceed it every time.
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--rdb-key-save-delay', '100', '--client-output-buffer-limit', 'replica 256kb 128kb 1'] });
    await master.call('DEBUG', 'POPULATE', '20000', 'key', '100');
    const { events } = await watch(master);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    let writing = true;
    const writer = (async () => {
      const value = 'x'.repeat(4096);
      for (let i = 0; writing; i++) await master.call('SET', `w${i % 1000}`, value);
    })();
    try {
      await waitFor(() => fullResyncs(events).some((event) => event.cause === 'output-buffer-limit'), { timeoutMs: 40_000, what: 'a full resync attributed to the output buffer limit' });
    } finally {
      writing = false;
      await writer;
    }
    const attributed = fullResyncs(events).find((event) => event.cause === 'output-buffer-limit')!;
    expect(attributed.nodeId).toBe(`127.0.0.1:${replica.port}`);
    expect(attributed.message).toMatch(/client-output-buffer-limit replica/);
    // The master really did cut it for that reason.
    expect(master.log()).toMatch(/overcoming of output buffer limits/);
  });
});

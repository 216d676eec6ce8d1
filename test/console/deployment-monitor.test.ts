/**
 * The console's read path against real redis-server topologies: discovery
 * from any seed (up to the master, down to replicas, through a chain), lag
 * and backlog figures, events inferred from counters (a killed link gives a
 * partial resync, a promotion is seen), an ACL user that may not run admin
 * commands (capabilities say so, the view still works), and a hung node
 * (SIGSTOP) that shows as hung while the others keep updating. Nothing leaks:
 * close() leaves no connection open on the servers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileFields } from '../../shared/contract/profiles';
import type { ReplicationEvent } from '../../shared/contract/events';
import { testConnection } from '../../main/console/monitor/connection-test';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { ChaosProxy } from '../../main/console/demo/chaos-proxy';
import { ActionRunner } from '../../main/console/service/actions';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { command, waitForOffsets, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: DeploymentMonitor[] = [];

afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
  await stopAllRedisServers();
});

function profile(seed: RedisProcess, extra: Partial<ProfileFields> = {}): ProfileFields {
  return { name: 'test', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: seed.port }], environment: 'dev', safetyMode: 'ops', ...extra };
}

async function open(seed: RedisProcess, extra: Partial<ProfileFields> = {}, secrets = {}): Promise<DeploymentMonitor> {
  const monitor = await DeploymentMonitor.open({ sessionId: 'test', profile: profile(seed, extra), secrets, pollIntervalMs: 200, logger: quiet });
  monitors.push(monitor);
  return monitor;
}

async function replicaOf(master: RedisProcess): Promise<RedisProcess> {
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitForSync(replica);
  return replica;
}

/** Live timers, sockets and servers of this process, by kind. */
function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (/Timeout|TCP|Pipe/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

async function clientCount(server: RedisProcess): Promise<number> {
  const list = String(await server.call('CLIENT', 'LIST', 'TYPE', 'normal'));
  return list.split('\n').filter((line) => line.includes('name=replscope')).length;
}

describe('deployment monitor on real redis-server', () => {
  it('discovers master, replicas and a chained replica from a leaf seed, with lag and backlog figures', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const [a, b] = await Promise.all([replicaOf(master), replicaOf(master)]);
    const chained = await replicaOf(a);
    for (let i = 0; i < 200; i++) await master.call('SET', `k${i}`, 'v'.repeat(100));
    await waitForOffsets(master, chained);
    const monitor = await open(chained);
    // Replicas ACK once a second: wait until every link reports an acknowledged offset.
    await waitFor(async () => (await monitor.pollNow()).nodes.length === 4 && monitor.snapshot().links.every((link) => link.state === 'online' && (link.replicaOffset ?? 0) > 0), { what: 'all four nodes discovered and acknowledging' });
    const snapshot = monitor.snapshot();
    const id = (server: RedisProcess): string => `127.0.0.1:${server.port}`;
    expect(snapshot.nodes.find((node) => node.id === id(master))?.role).toBe('master');
    expect(snapshot.links.map((link) => link.id).sort()).toEqual([`${id(a)}->${id(chained)}`, `${id(master)}->${id(a)}`, `${id(master)}->${id(b)}`].sort());
    const masterNode = snapshot.nodes.find((node) => node.id === id(master))!;
    expect(masterNode.backlog?.active).toBe(true);
    expect(masterNode.backlog?.replicas.map((marker) => marker.replicaId).sort()).toEqual([id(a), id(b)].sort());
    const link = snapshot.links.find((candidate) => candidate.replicaId === id(b))!;
    expect(link.lagBytes).not.toBeNull();
    expect(link.partialResyncPossible).toBe(true);
    expect(link.backlogHeadroomBytes).toBeGreaterThan(0);
    expect(monitor.capabilities.features.every((feature) => feature.available)).toBe(true);
  });

  it('infers a partial resync from counters when a link is killed, and a promotion', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await replicaOf(master);
    const monitor = await open(master);
    const events: ReplicationEvent[] = [];
    monitor.onEvent((event) => events.push(event));
    await waitFor(async () => (await monitor.pollNow()).links.some((link) => link.state === 'online'), { what: 'the link online' });
    await command(replica, 'CLIENT', 'KILL', 'TYPE', 'master');
    await waitFor(async () => {
      await monitor.pollNow();
      return events.some((event) => event.kind === 'partial-resync');
    }, { what: 'a partial-resync event' });
    const partial = events.find((event) => event.kind === 'partial-resync')!;
    expect(partial.inferred).toBe(true);
    expect(partial.peerId).toBe(`127.0.0.1:${master.port}`);
    await command(replica, 'REPLICAOF', 'NO', 'ONE');
    await waitFor(async () => {
      await monitor.pollNow();
      return events.some((event) => event.kind === 'promotion' && event.nodeId === `127.0.0.1:${replica.port}`);
    }, { what: 'a promotion event' });
  });

  it('an ACL user without admin commands: capabilities say so and the view still works', async () => {
    const master = await startRedisServer();
    await master.call('ACL', 'SETUSER', 'monitor', 'on', '>watch-only', '+info', '+role', '+ping', '+client|setname', '+config|get', '+acl|dryrun');
    const monitor = await open(master, { username: 'monitor' }, { password: 'watch-only' });
    const commands = monitor.capabilities.commands;
    expect(commands.info).toBe(true);
    expect(commands['client|kill']).toBe(false);
    expect(commands.replicaof).toBe(false);
    const promote = monitor.capabilities.features.find((feature) => feature.feature.startsWith('promote'))!;
    expect(promote.available).toBe(false);
    expect(promote.reason).toMatch(/REPLICAOF/);
    expect(monitor.snapshot().nodes[0]?.role).toBe('master');
    const denied = await testConnection(profile(master, { username: 'monitor' }), { password: 'wrong' });
    // redis-server answered (WRONGPASS): it is reachable, the credentials are what failed.
    expect(denied.reachable).toBe(true);
    expect(denied.problem?.kind).toBe('wrong-password');
    expect(denied.message).toMatch(/WRONGPASS|invalid/i);
  });

  it('a hung node (SIGSTOP) shows as hung; the others keep updating; close() leaves no connection behind', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await replicaOf(master);
    const monitor = await open(master);
    await waitFor(async () => (await monitor.pollNow()).nodes.length === 2, { what: 'both nodes' });
    expect(await clientCount(master)).toBeGreaterThan(0);
    replica.signal('SIGSTOP');
    try {
      await waitFor(async () => (await monitor.pollNow()).nodes.find((node) => node.port === replica.port)?.health === 'hung', { timeoutMs: 20_000, what: 'the replica shown as hung' });
      const before = monitor.snapshot().nodes.find((node) => node.port === master.port)!.sampledAt;
      // A poll that joins one in flight can hand back a sample of the same millisecond: the master must show a newer one soon.
      await waitFor(async () => (await monitor.pollNow()).nodes.find((node) => node.port === master.port)!.sampledAt > before, { timeoutMs: 5000, what: 'a newer sample of the master' });
      const after = monitor.snapshot().nodes.find((node) => node.port === master.port)!;
      expect(after.health).toBe('up');
      expect(after.sampledAt).toBeGreaterThan(before);
    } finally {
      replica.signal('SIGCONT');
    }
    await monitor.close();
    monitors.length = 0;
    await waitFor(async () => (await clientCount(master)) === 0, { what: 'the monitor connections to close' });
  });

  it('every seed is watched: two separate replication groups given as seeds both appear', async () => {
    const first = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const second = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const [firstReplica, secondReplica] = await Promise.all([replicaOf(first), replicaOf(second)]);
    const monitor = await open(first, { seeds: [{ host: '127.0.0.1', port: first.port }, { host: '127.0.0.1', port: second.port }] });
    await waitFor(async () => (await monitor.pollNow()).links.filter((link) => link.state === 'online').length === 2, { what: 'both groups with their links' });
    expect(monitor.snapshot().nodes.map((node) => node.port).sort()).toEqual([first.port, second.port, firstReplica.port, secondReplica.port].sort());
  });

  it('an unreachable seed is refused with a clear message', async () => {
    const server = await startRedisServer();
    const port = server.port;
    await server.stop();
    await expect(DeploymentMonitor.open({ sessionId: 'x', profile: { name: 'gone', kind: 'standalone', seeds: [{ host: '127.0.0.1', port }], environment: 'dev', safetyMode: 'ops' }, secrets: {}, pollIntervalMs: 200, logger: quiet }))
      .rejects.toThrow(new RegExp(`^Nothing accepts connections at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Check the host and port`));
  });
});

describe('Sentinel deployments', () => {
  it('discovers the graph from the master the sentinels report, with the group and its quorum, promotes by SENTINEL FAILOVER and follows it', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await replicaOf(master);
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      sentinels.push(await startRedisServer({
        binary: 'redis-sentinel',
        configText: [`sentinel monitor mymaster 127.0.0.1 ${master.port} 2`, 'sentinel down-after-milliseconds mymaster 1000', 'sentinel failover-timeout mymaster 5000', ''].join('\n'),
      }));
    }
    const monitor = await DeploymentMonitor.open({
      sessionId: 'sentinel', pollIntervalMs: 300, logger: quiet, secrets: {},
      profile: { name: 'sentinel', kind: 'sentinel', seeds: sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })), sentinelMasterName: 'mymaster', environment: 'staging', safetyMode: 'monitor-only' },
    });
    monitors.push(monitor);
    const masterId = `127.0.0.1:${master.port}`;
    await waitFor(async () => {
      const snapshot = await monitor.pollNow();
      const group = snapshot.groups[0];
      return snapshot.nodes.length === 2 && group?.kind === 'sentinel' && group.sentinels.length === 3 && group.quorumOk === true;
    }, { timeoutMs: 20_000, what: 'the group with three sentinels and quorum' });
    const snapshot = monitor.snapshot();
    expect(snapshot.groups[0]).toMatchObject({ name: 'mymaster', masterId, quorum: 2 });
    expect(snapshot.links.map((link) => link.id)).toEqual([`${masterId}->127.0.0.1:${replica.port}`]);
    const tested = await testConnection(monitorProfileOf(sentinels), {});
    expect(tested).toMatchObject({ reachable: true, role: 'sentinel' });
    expect(tested.message).toContain('mymaster');

    // Promote with the default method: under Sentinel that is SENTINEL FAILOVER, observed.
    const replicaId = `127.0.0.1:${replica.port}`;
    const session = { sessionId: 'sentinel', profile: { environment: 'staging' as const, safetyMode: 'ops' as const }, monitor };
    const runner = new ActionRunner();
    const preflight = runner.preflight(session, { sessionId: 'sentinel', kind: 'promote', nodeId: replicaId, method: 'auto' });
    expect(preflight).toMatchObject({ allowed: true, commands: ['SENTINEL FAILOVER mymaster (on a Sentinel)'] });
    const result = await runner.run(() => session, preflight.token, undefined);
    expect(result).toMatchObject({ outcome: 'promoted' });
    expect(result.message).toContain(replicaId);
    await waitFor(async () => {
      const after = await monitor.pollNow();
      return after.groups[0]?.masterId === replicaId && after.nodes.find((node) => node.id === replicaId)?.role === 'master';
    }, { timeoutMs: 30_000, what: 'the failover to be followed' });
  });
});

describe('connections closed under the console', () => {
  it('CLIENT KILL TYPE normal (as Sentinel sends with its REPLICAOF, in MULTI): the console reconnects and asks again; the node never shows unreachable', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await replicaOf(master);
    const monitor = await open(master);
    const id = `127.0.0.1:${replica.port}`;
    await waitFor(async () => (await monitor.pollNow()).nodes.find((node) => node.id === id)?.health === 'up', { what: 'the replica up' });
    const healths: string[] = [];
    monitor.onSnapshot((snapshot) => healths.push(snapshot.nodes.find((node) => node.id === id)?.health ?? 'absent'));
    const events: ReplicationEvent[] = [];
    monitor.onEvent((event) => events.push(event));
    for (let round = 0; round < 3; round += 1) {
      // Sentinel's way: REPLICAOF, CONFIG REWRITE and CLIENT KILL TYPE normal in one MULTI. The sleep holds the
      // console's INFO (polled every 200 ms) unanswered, so the kill cuts a request in flight; the polls after it
      // find the connection closed. Before this, the console waited 400 ms to reconnect and called the node unreachable.
      await replica.call('MULTI');
      await replica.call('DEBUG', 'SLEEP', '0.3');
      await replica.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      expect(await replica.call('EXEC')).toEqual(['OK', expect.any(Number)]);
      const polled = healths.length;
      await waitFor(() => healths.length >= polled + 4, { what: 'four more polls' });
    }
    const clients = String(await command(replica, 'CLIENT', 'LIST', 'TYPE', 'normal'));
    expect(clients).toContain('name=replscope'); // the console is connected again
    expect(healths.filter((health) => health !== 'up')).toEqual([]);
    expect(events.filter((event) => event.kind === 'node-unreachable')).toEqual([]);
  });

  it('kill -9 of the master: it is unreachable with its refused connection, and the replica\'s link-down says its master\'s process is gone', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await replicaOf(master);
    const monitor = await open(master);
    const masterId = `127.0.0.1:${master.port}`;
    const replicaId = `127.0.0.1:${replica.port}`;
    const events: ReplicationEvent[] = [];
    monitor.onEvent((event) => events.push(event));
    await waitFor(async () => (await monitor.pollNow()).links.some((link) => link.replicaId === replicaId && link.state === 'online'), { what: 'the link online' });
    master.signal('SIGKILL');
    await waitFor(async () => {
      await monitor.pollNow();
      return events.some((event) => event.kind === 'link-down' && event.nodeId === replicaId);
    }, { what: 'the link-down of the replica' });
    // The replica's own truth: its link is down and it still dials the dead master, which refuses it.
    const info = String(await command(replica, 'INFO', 'replication'));
    expect(info).toMatch(/master_link_status:down/);
    expect(info).toContain(`master_port:${master.port}`);
    await waitFor(() => /Error condition on socket for SYNC: Connection refused/.test(replica.log()), { what: 'the replica\'s refused reconnect in its log' });
    const unreachable = events.filter((event) => event.kind === 'node-unreachable');
    expect(unreachable.map((event) => event.nodeId)).toEqual([masterId]);
    expect(unreachable[0]!.message).toContain(`Nothing accepts connections at ${masterId} (ECONNREFUSED)`);
    expect(unreachable[0]!.cause).toBe('connection-refused');
    const linkDown = events.find((event) => event.kind === 'link-down' && event.nodeId === replicaId)!;
    expect(linkDown).toMatchObject({ peerId: masterId, cause: 'master-unreachable', numbers: { masterHealth: 'refused' } });
    expect(linkDown.message).toContain(`link ${masterId} -> ${replicaId} is down: its master ${masterId} refuses connections (ECONNREFUSED): its process is gone`);
  });
});

function monitorProfileOf(sentinels: ReadonlyArray<RedisProcess>): ProfileFields {
  return { name: 's', kind: 'sentinel', seeds: sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })), sentinelMasterName: 'mymaster', environment: 'staging', safetyMode: 'monitor-only' };
}

describe('misbehaving nodes', () => {
  it('a node that answers slowly shows hung, one that drops connections shows unreachable, then both recover; the others keep updating', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    // The master is reached only through the proxy, by the console and by its
    // replica: the same server also reached at its own address would be shown
    // once, there (proxied-seed.test.ts), and the proxy's slowness unseen.
    const proxy = new ChaosProxy('127.0.0.1', master.port);
    const proxyPort = await proxy.listen();
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(proxyPort)] });
    await waitForSync(replica);
    await master.call('PING'); // the harness's own connections exist before the baseline
    const baseline = handleCounts();
    let monitor: DeploymentMonitor | null = null;
    try {
      monitor = await DeploymentMonitor.open({ sessionId: 'slow', profile: { name: 'p', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: proxyPort }], environment: 'dev', safetyMode: 'ops' }, secrets: {}, pollIntervalMs: 200, logger: quiet });
      const watching = monitor;
      const proxied = `127.0.0.1:${proxyPort}`;
      const direct = `127.0.0.1:${replica.port}`;
      const healthOf = (id: string): string | undefined => watching.snapshot().nodes.find((node) => node.id === id)?.health;
      await waitFor(async () => (await watching.pollNow()).nodes.some((node) => node.id === direct), { what: 'the replica discovered' });
      proxy.latency(4000);
      await waitFor(async () => {
        await watching.pollNow();
        return healthOf(proxied) === 'hung';
      }, { timeoutMs: 20_000, what: 'the slow node shown hung' });
      const before = watching.snapshot().nodes.find((node) => node.id === direct)!.sampledAt;
      await waitFor(async () => (await watching.pollNow()).nodes.find((node) => node.id === direct)!.sampledAt > before, { what: 'the replica to keep updating' });
      expect(healthOf(direct)).toBe('up');
      proxy.heal();
      proxy.cut(3);
      await waitFor(async () => {
        await watching.pollNow();
        return healthOf(proxied) === 'unreachable';
      }, { timeoutMs: 20_000, what: 'the dropping node shown unreachable' });
      proxy.heal();
      await waitFor(async () => {
        await watching.pollNow();
        return healthOf(proxied) === 'up';
      }, { timeoutMs: 20_000, what: 'the node to recover' });
    } finally {
      await monitor?.close();
      await proxy.close();
    }
    // Nothing left behind: no timer, socket or server beyond what was there before.
    const excess = (): Record<string, number> => Object.fromEntries(Object.entries(handleCounts()).filter(([kind, count]) => count > (baseline[kind] ?? 0)));
    await waitFor(() => Object.keys(excess()).length === 0, { what: 'timers and sockets back to the baseline' }).catch(() => undefined);
    expect(excess()).toEqual({});
  });
});

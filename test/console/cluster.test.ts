/**
 * Redis Cluster deployments against a real 3-master/3-replica cluster: from
 * one seed the console finds every node and the shards (slots, master,
 * replica), links and lag like any replication; promoting a replica runs
 * CLUSTER FAILOVER (the only way in cluster mode) and the outcome is observed;
 * REPLICAOF-based actions are refused with the reason. The README's
 * monitor-only user reads the shards only with its Cluster rules; without
 * them the session says so, in Redis's words, instead of passing one shard
 * off as the cluster.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileFields } from '../../shared/contract/profiles';
import type { ClusterShard } from '../../shared/contract/snapshots';
import { parseClusterNodes, parseClusterShards, toClusterView } from '../../main/console/monitor/cluster-topology';
import { testConnection } from '../../main/console/monitor/connection-test';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { ActionRunner } from '../../main/console/service/actions';
import { stopAllRedisServers } from '../support/redis-server';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';
import { waitFor } from '../support/wait';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let cluster: RedisCluster;
let monitor: DeploymentMonitor | null = null;

beforeAll(async () => {
  cluster = await startRedisCluster(3, 1);
}, 60_000);

afterAll(async () => {
  await monitor?.close();
  await stopAllRedisServers();
});

function profile(): ProfileFields {
  return { name: 'cluster', kind: 'cluster', seeds: [{ host: '127.0.0.1', port: cluster.nodes[4]!.port }], environment: 'staging', safetyMode: 'ops' };
}

const shardsOf = (groups: ReadonlyArray<{ kind: string }>): ClusterShard[] => groups.filter((group): group is ClusterShard => group.kind === 'shard');

describe('Redis Cluster', () => {
  it('CLUSTER SHARDS and CLUSTER NODES give the same shards', async () => {
    const seed = cluster.nodes[0]!;
    const fromShards = toClusterView(parseClusterShards(await seed.call('CLUSTER', 'SHARDS'), false), 'ok');
    const fromNodes = toClusterView(parseClusterNodes(String(await seed.call('CLUSTER', 'NODES'))), 'ok');
    const summary = (view: typeof fromShards) => view.shards.map((shard) => ({ slots: shard.slots, masterId: shard.masterId, nodeIds: [...shard.nodeIds].sort() }));
    expect(summary(fromNodes)).toEqual(summary(fromShards));
    expect(fromShards.shards.map((shard) => shard.slots)).toEqual(['0-5460', '5461-10922', '10923-16383']);
    expect(fromShards.nodes).toHaveLength(6);
  });

  it('a failed replica and a failing cluster show in the shard health', () => {
    // CLUSTER NODES as redis-server prints it once a replica is marked failed.
    const text = [
      '07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004 slave,fail e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 1426238317239 1426238316232 3 disconnected',
      'e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0 1 connected 0-16383',
      '',
    ].join('\n');
    const view = toClusterView(parseClusterNodes(text), 'fail');
    expect(view.shards).toEqual([{ kind: 'shard', name: 'shard 1', slots: '0-16383', masterId: '127.0.0.1:30001', nodeIds: ['127.0.0.1:30001', '127.0.0.1:30004'], health: 'cluster_state:fail, 1 failed' }]);
  });

  it('discovers all six nodes and three shards from one seed, with a link per shard', async () => {
    const tested = await testConnection(profile(), {});
    expect(tested.reachable).toBe(true);
    expect(tested.message).toMatch(/a cluster of 3 shards and 6 nodes, cluster_state ok/);
    monitor = await DeploymentMonitor.open({ sessionId: 'cluster', profile: profile(), secrets: {}, pollIntervalMs: 250, logger: quiet });
    // Writes on every master: CLUSTER SHARDS calls a replica "loading" until
    // its gossiped replication offset is above zero.
    for (const node of cluster.nodes) for (let i = 0; i < 30; i++) await node.call('SET', `key${i}`, 'v').catch(() => 'MOVED');
    await waitFor(async () => {
      const snapshot = await monitor!.pollNow();
      return snapshot.nodes.filter((node) => node.health === 'up').length === 6 && snapshot.links.filter((link) => link.state === 'online').length === 3 && shardsOf(snapshot.groups).every((shard) => shard.health === 'online');
    }, { timeoutMs: 30_000, what: 'six nodes up, three links online, every shard online' });
    const snapshot = monitor.snapshot();
    const shards = shardsOf(snapshot.groups);
    expect(shards.map((shard) => shard.slots)).toEqual(['0-5460', '5461-10922', '10923-16383']);
    for (const shard of shards) {
      expect(shard.health).toBe('online');
      expect(shard.nodeIds).toHaveLength(2);
      const replicaId = shard.nodeIds.find((id) => id !== shard.masterId)!;
      // The shard's replica is linked to the shard's master in the replication graph.
      expect(snapshot.links.find((link) => link.replicaId === replicaId)?.masterId).toBe(shard.masterId);
    }
  });

  it('promote runs CLUSTER FAILOVER and observes the swap; REPLICAOF-based actions are refused with the reason', async () => {
    const session = { sessionId: 'cluster', profile: { environment: 'staging' as const, safetyMode: 'ops' as const }, monitor: monitor! };
    const runner = new ActionRunner();
    const shard = shardsOf(monitor!.snapshot().groups)[0]!;
    const replicaId = shard.nodeIds.find((id) => id !== shard.masterId)!;
    const refused = runner.preflight(session, { sessionId: 'cluster', kind: 'force-full-resync', replicaId });
    expect(refused.allowed).toBe(false);
    expect(refused.deniedReason).toMatch(/REPLICAOF is not allowed in cluster mode/);
    const preflight = runner.preflight(session, { sessionId: 'cluster', kind: 'promote', nodeId: replicaId, method: 'auto' });
    expect(preflight.allowed).toBe(true);
    expect(preflight.commands).toEqual([`CLUSTER FAILOVER (on ${replicaId})`]);
    const result = await runner.run(() => session, preflight.token, undefined);
    expect(result.outcome).toBe('promoted');
    await waitFor(async () => shardsOf((await monitor!.pollNow()).groups)[0]?.masterId === replicaId, { timeoutMs: 15_000, what: 'the shard to name the promoted replica its master' });
    expect(shardsOf(monitor!.snapshot().groups)[0]!.slots).toBe('0-5460');
    // The old master follows the new one.
    await waitFor(async () => (await monitor!.pollNow()).links.some((link) => link.replicaId === shard.masterId && link.masterId === replicaId && link.state === 'online'), { timeoutMs: 15_000, what: 'the old master to replicate from the new one' });
  });
});

/** The README's monitor-only rules: its `ACL SETUSER replscope on >...` line, and the line it adds for a Cluster. */
function readmeRules(): { monitor: string[]; cluster: string[] } {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const monitor = /^ACL SETUSER replscope on >\S+ (.+)$/m.exec(readme)?.[1]?.split(' ');
  const cluster = /^ACL SETUSER replscope (\+cluster.+)$/m.exec(readme)?.[1]?.split(' ');
  if (!monitor || !cluster) throw new Error('the README no longer gives the monitor-only user\'s rules');
  return { monitor, cluster };
}

describe('the README\'s monitor-only user on a Cluster', () => {
  const password = 'a-long-password';
  const asUser = (): ProfileFields => ({ ...profile(), username: 'replscope', safetyMode: 'monitor-only' });

  it('without the Cluster rules: the session says the shards could not be read, naming the command Redis refused', async () => {
    const { monitor: rules } = readmeRules();
    for (const node of cluster.nodes) {
      await node.call('ACL', 'DELUSER', 'replscope');
      await node.call('ACL', 'SETUSER', 'replscope', 'on', `>${password}`, ...rules);
    }
    const opened = await DeploymentMonitor.open({ sessionId: 'cluster-monitor', profile: asUser(), secrets: { password }, pollIntervalMs: 250, logger: quiet });
    try {
      // Redis's own refusal, as the seed gives it.
      const refusal = await cluster.nodes[4]!.call('ACL', 'DRYRUN', 'replscope', 'CLUSTER', 'NODES');
      expect(String(refusal)).toMatch(/'cluster\|nodes'/);
      expect(opened.snapshot().groups).toEqual([]);
      expect(opened.snapshot().nodes.length).toBeLessThan(6);
      expect(opened.warnings).toEqual([expect.stringMatching(/^The cluster's shards could not be read \(127\.0\.0\.1:\d+ answered: NOPERM this user has no permissions to run the 'cluster\|nodes' command\).*Grant the ACL user \+cluster\|shards \(or \+cluster\|nodes\) and \+cluster\|info\.$/)]);
    } finally {
      await opened.close();
    }
  });

  it('with the Cluster rules the README adds: every node and shard, and no warning', async () => {
    const { monitor: rules, cluster: clusterRules } = readmeRules();
    for (const node of cluster.nodes) {
      await node.call('ACL', 'DELUSER', 'replscope');
      await node.call('ACL', 'SETUSER', 'replscope', 'on', `>${password}`, ...rules);
      await node.call('ACL', 'SETUSER', 'replscope', ...clusterRules);
    }
    const opened = await DeploymentMonitor.open({ sessionId: 'cluster-monitor', profile: asUser(), secrets: { password }, pollIntervalMs: 250, logger: quiet });
    try {
      expect(opened.warnings).toEqual([]);
      // The slots each master holds, as CLUSTER NODES gives them (after the failover above, once gossip agrees).
      const truth = async (): Promise<string[]> => String(await cluster.nodes[4]!.call('CLUSTER', 'NODES')).split('\n')
        .map((line) => line.trim().split(' ')).filter((fields) => fields[2]?.split(',').includes('master')).map((fields) => fields.slice(8).join(',') || 'no slots').sort();
      await waitFor(async () => {
        const snapshot = await opened.pollNow();
        const masters = await truth();
        return masters.length === 3 && snapshot.nodes.filter((node) => node.health === 'up').length === 6 && JSON.stringify(shardsOf(snapshot.groups).map((shard) => shard.slots).sort()) === JSON.stringify(masters);
      }, { timeoutMs: 30_000, what: 'six nodes up and the three shards of CLUSTER NODES' });
      expect(shardsOf(opened.snapshot().groups).map((shard) => shard.slots).sort()).toEqual(['0-5460', '10923-16383', '5461-10922']);
    } finally {
      await opened.close();
    }
  });
});

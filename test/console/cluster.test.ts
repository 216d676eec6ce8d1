/**
 * Redis Cluster deployments against a real 3-master/3-replica cluster: from
 * one seed the console finds every node and the shards (slots, master,
 * replica), links and lag like any replication; promoting a replica runs
 * CLUSTER FAILOVER (the only way in cluster mode) and the outcome is observed;
 * REPLICAOF-based actions are refused with the reason.
 */
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

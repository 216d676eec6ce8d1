/**
 * A real Redis Cluster for tests: N masters with R replicas each, every node a
 * Debian redis-server on a free loopback port with its own free cluster-bus
 * port (cluster-port, 7.0), created with `redis-cli --cluster create` and
 * ready when every node reports cluster_state:ok and sees all of them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisServer, type RedisProcess } from './redis-server';
import { waitFor } from './wait';

const run = promisify(execFile);

export interface RedisCluster {
  readonly nodes: RedisProcess[];
}

export async function startRedisCluster(masters = 3, replicasPerMaster = 1): Promise<RedisCluster> {
  const count = masters * (1 + replicasPerMaster);
  const nodes = await Promise.all(
    Array.from({ length: count }, () =>
      startRedisServer({ clusterBusOnFreePort: true, args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '3000'] }),
    ),
  );
  await run('redis-cli', ['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'], { timeout: 30_000 });
  await waitFor(async () => {
    for (const node of nodes) {
      const info = String(await node.call('CLUSTER', 'INFO'));
      if (!/cluster_state:ok/.test(info) || !new RegExp(`cluster_known_nodes:${count}\\b`).test(info)) return false;
      const replication = String(await node.call('INFO', 'replication'));
      if (/role:slave/.test(replication) && !/master_link_status:up/.test(replication)) return false;
    }
    return true;
  }, { timeoutMs: 30_000, what: 'the cluster to be ok on every node' });
  return { nodes };
}

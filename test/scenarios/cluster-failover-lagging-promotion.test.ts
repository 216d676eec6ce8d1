/**
 * CLUSTER FAILOVER returns at once; the replica promotes itself later, from
 * its cron, once its master has paused and its offset is caught up (or gives
 * up after CLUSTER_MF_TIMEOUT, 5 s: "Manual failover timed out."). A poll can
 * therefore fall between the command and its effect: the command is counted
 * in the replica's INFO commandstats while the replica, and its master, still
 * show their old roles. Here the replica runs DEBUG SLEEP 1 right after the
 * command (one MULTI), so polls of both nodes certainly fall in between; the
 * promotion and the old master's demotion are still the operator's CLUSTER
 * FAILOVER, as the nodes' logs and the replica's commandstats say.
 *
 * redis-server only: the engine has no cluster support.
 */
import { expect, it } from 'vitest';
import { startRedisCluster } from '../support/redis-cluster';
import type { RedisProcess } from '../support/redis-server';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

async function waitForLogLine(node: RedisProcess, pattern: RegExp, what: string): Promise<void> {
  await waitFor(() => pattern.test(node.log()), { timeoutMs: 20_000, what });
}

it('a CLUSTER FAILOVER whose promotion lags the command by polls is still put down to it, for the promotion and the old master\'s demotion', async () => {
  const cluster = await startRedisCluster(3, 1);
  const byAddress = new Map(cluster.nodes.map((node) => [`127.0.0.1:${node.port}`, node]));
  const lines = String(await cluster.nodes[0]!.call('CLUSTER', 'NODES')).split('\n').filter((line) => line.trim() !== '').map((line) => line.trim().split(' '));
  const replicaLine = lines.find((fields) => fields[2]!.split(',').includes('slave'))!;
  const masterLine = lines.find((fields) => fields[0] === replicaLine[3])!;
  const replica = byAddress.get(replicaLine[1]!.split('@')[0]!)!;
  const master = byAddress.get(masterLine[1]!.split('@')[0]!)!;
  const id = (node: RedisProcess): string => `127.0.0.1:${node.port}`;

  const console = await ConsoleUnderTest.attach(cluster.nodes[0]!, { profile: { kind: 'cluster' }, pollIntervalMs: 500 });
  await console.waitForSnapshot((snapshot) => snapshot.nodes.filter((node) => node.health === 'up').length === 6 && snapshot.links.filter((link) => link.state === 'online').length === 3, 'six nodes up, three links online');
  await new Promise((resolve) => setTimeout(resolve, 1500));

  expect(await replica.call('MULTI')).toBe('OK');
  expect(await replica.call('CLUSTER', 'FAILOVER')).toBe('QUEUED');
  expect(await replica.call('DEBUG', 'SLEEP', '1')).toBe('QUEUED');
  expect(await replica.call('EXEC')).toEqual(['OK', 'OK']);
  await waitForLogLine(master, /Manual failover requested by replica/, 'the master to log the manual failover request');
  await waitForLogLine(master, /Reconfiguring myself as a replica of/, 'the old master to reconfigure itself as a replica');
  expect(String(await replica.call('INFO', 'commandstats'))).toMatch(/cmdstat_cluster\|failover:calls=1,/);

  const promoted = await console.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === id(replica), 'the promotion');
  expect(promoted.numbers.attribution, console.describeEvents()).toBe('operator');
  expect(promoted.message).toContain(`CLUSTER FAILOVER ×1 ran on ${id(replica)}`);
  const demoted = await console.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === id(master), 'the old master\'s demotion');
  expect(demoted.peerId).toBe(id(replica));
  expect(demoted.numbers.attribution, console.describeEvents()).toBe('operator');
  expect(demoted.message).toContain(`CLUSTER FAILOVER ×1 ran on its new master ${id(replica)}`);
}, 60_000);

/**
 * The set-up of the scenarios of a Sentinel SLAVEOF that never takes effect:
 * a master and a replica whose CONFIG is renamed away (rename-command CONFIG
 * ""), so Sentinel's conversion transaction (sentinel.c sentinelSendSlaveOf:
 * MULTI / SLAVEOF / CONFIG REWRITE / CLIENT KILL / EXEC) fails at EXEC once
 * the replica is made a master by hand; one Sentinel monitoring them at
 * info-period 1000, and the console attached through it, the group steady.
 */
import { expect } from 'vitest';
import type { RedisProcess } from '../../support/redis-server';
import { startSentinels } from '../../support/sentinel-group';
import { ConsoleUnderTest } from './console-under-test';
import { startNode, type ScenarioNode } from './scenario-node';
import { waitForGroupInSync } from './topology';

export interface SentinelSlaveofStuck {
  readonly master: ScenarioNode;
  /** The replica without CONFIG (Sentinel's SLAVEOF cannot take effect on it). */
  readonly stuck: ScenarioNode;
  readonly sentinel: RedisProcess;
  readonly replscope: ConsoleUnderTest;
}

export async function startSentinelSlaveofStuck(): Promise<SentinelSlaveofStuck> {
  const master = await startNode('redis', { name: 'master' });
  const stuck = await startNode('redis', { name: 'replica-no-config', replicaOf: master, args: ['--rename-command', 'CONFIG', ''] });
  await waitForGroupInSync(master, [stuck]);
  const [sentinel] = await startSentinels(master, 1, { name: 'mymaster', sentinels: 1, quorum: 1, downAfterMs: 3000, failoverTimeoutMs: 5000 });
  // Sentinel sends its SLAVEOF at each INFO it reads from the node (sentinelRefreshInstanceInfo).
  expect(await sentinel!.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')).toBe('OK');
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: { name: 'mymaster', kind: 'sentinel', seeds: [{ host: '127.0.0.1', port: sentinel!.port }], sentinelMasterName: 'mymaster' } });
  await replscope.waitForSteadyGroup([master.id, stuck.id], 30_000);
  return { master, stuck, sentinel: sentinel!, replscope };
}

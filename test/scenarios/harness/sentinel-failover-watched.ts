/**
 * A SENTINEL FAILOVER the console watches from before it starts: a
 * Sentinel group on redis-server 7.0 (three Sentinels, two replicas), the
 * console attached through the Sentinels with a 250 ms poll and steady on
 * every node, a log mark on each node taken just before the failover, and
 * the failover run until the first Sentinel reports the new master.
 *
 * Sentinel re-points the old master only after it has reported "master"
 * for 8 s, so a scenario can still act on the old master as a master right
 * after this resolves (and its full resync comes later).
 */
import { expect } from 'vitest';
import { ConsoleUnderTest } from './console-under-test';
import type { LogMark, ScenarioNode } from './scenario-node';
import { startSentinelScenario, type SentinelScenario } from './sentinel';

export interface WatchedSentinelFailover {
  readonly group: SentinelScenario;
  readonly oldMaster: ScenarioNode;
  readonly newMaster: ScenarioNode;
  readonly replscope: ConsoleUnderTest;
  /** Each node's log mark, taken after the console was steady and before SENTINEL FAILOVER. */
  readonly marks: ReadonlyMap<string, LogMark>;
}

export async function sentinelFailoverWatched(): Promise<WatchedSentinelFailover> {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const marks = new Map(group.nodes.map((node) => [node.id, node.mark()]));

  expect(await group.sentinels[1]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  const newMaster = group.node(await group.waitForNewMaster(oldMaster.id));
  return { group, oldMaster, newMaster, replscope, marks };
}

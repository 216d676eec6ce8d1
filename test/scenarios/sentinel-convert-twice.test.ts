/**
 * A replica made a master by hand twice within 30 s, and converted back by
 * Sentinel each time. Each +convert-to-slave is one SLAVEOF its Sentinel
 * sent (sentinel.c sentinelRefreshInstanceInfo publishes it only for its
 * own), so two conversions are two notices, two lines of the Sentinels'
 * logs, two SLAVEOF transactions on the replica. The timeline showed one:
 * notices were shown once per event and instance for 30 s, as for +sdown,
 * which several Sentinels publish about one fact.
 *
 * Held against the Sentinels' logs ("+convert-to-slave slave <replica>"),
 * the replica's log ("REPLICAOF <master> enabled (user request from
 * '... name=sentinel-<id>-cmd ...')") and its INFO commandstats
 * (cmdstat_slaveof).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

async function slaveofCalls(node: ScenarioNode): Promise<number> {
  return Number(/calls=(\d+)/.exec((await node.info('commandstats')).get('cmdstat_slaveof') ?? '')?.[1] ?? 0);
}

it('a replica Sentinel converts back twice within 30 s: two +convert-to-slave lines, as the Sentinels logged two', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  for (const sentinel of group.sentinels) {
    // Sentinel converts a replica reporting itself a master 4 hello periods after it saw that (sentinelRefreshInstanceInfo).
    expect(await sentinel.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')).toBe('OK');
  }
  const { master } = group;
  const moved = group.replicas[1]!;
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  const since = Date.now();
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);
  const slaveofBefore = await slaveofCalls(moved);

  for (let round = 1; round <= 2; round += 1) {
    const mark = moved.mark();
    expect(await moved.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    await waitForLog(moved, new RegExp(`REPLICAOF ${escapeRegExp(master.id)} enabled \\(user request from '.*name=sentinel-[0-9a-f]{8}-cmd `), mark, 30_000);
    await waitFor(async () => (await replicationTruth(moved)).masterLinkStatus === 'up', { what: `${moved.id} following ${master.id} again (round ${round})` });
  }
  expect(Date.now() - since, 'both conversions within the 30 s a notice was shown once in').toBeLessThan(30_000);

  // The nodes' truth: two conversions, each logged by the Sentinel that sent its SLAVEOF.
  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(moved.id)} `, 'g');
  const logged = group.sentinels.reduce((sum, sentinel, index) => sum + (sentinel.log().slice(marks[index]).match(converted)?.length ?? 0), 0);
  expect(logged).toBe(2);
  expect(await slaveofCalls(moved) - slaveofBefore).toBe(2);

  const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === moved.id && event.time >= since);
  await waitFor(() => lines().length >= 2, { timeoutMs: 10_000, what: 'two +convert-to-slave lines' }).catch(() => undefined);
  expect(lines(), replscope.describeEvents()).toHaveLength(2);
}, 90_000);

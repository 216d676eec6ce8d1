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

it('a replica Sentinel converts back twice within 30 s: a +convert-to-slave line for each the Sentinels logged', async () => {
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

  // The nodes' truth. No leader decides who converts (sentinel.c sentinelRefreshInstanceInfo), so two Sentinels may each
  // send a SLAVEOF in a round and each log a +convert-to-slave line. A line is logged as the transaction is queued, and
  // one queued on a command link another Sentinel's CLIENT KILL TYPE normal has just cut never runs: the replica counts
  // at most one SLAVEOF per line, and at least the two conversions'.
  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(moved.id)} `, 'g');
  const logged = (): number => group.sentinels.reduce((sum, sentinel, index) => sum + (sentinel.log().slice(marks[index]).match(converted)?.length ?? 0), 0);
  await waitFor(async () => await slaveofCalls(moved) - slaveofBefore === logged(), { timeoutMs: 5_000, what: 'a SLAVEOF on the replica for each +convert-to-slave line' }).catch(() => undefined);
  const conversions = logged();
  const slaveofs = await slaveofCalls(moved) - slaveofBefore;
  expect(slaveofs).toBeGreaterThanOrEqual(2);
  expect(slaveofs).toBeLessThanOrEqual(conversions);

  const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === moved.id && event.time >= since);
  await waitFor(() => lines().length >= conversions, { timeoutMs: 10_000, what: `${conversions} +convert-to-slave lines` }).catch(() => undefined);
  expect(lines(), replscope.describeEvents()).toHaveLength(conversions);
}, 90_000);

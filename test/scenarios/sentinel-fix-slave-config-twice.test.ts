/**
 * A replica re-pointed by hand to its sibling twice, and re-pointed back to
 * the master by Sentinel each time (+fix-slave-config, sentinel.c
 * sentinelRefreshInstanceInfo, once the replica has followed the wrong
 * master for failover-timeout). Between the two the replica's role, master
 * and replication id (its master's) came back to what they were at the
 * first notice: compared by value, the second notice read as the first
 * SLAVEOF re-sent to an instance that never changed, and was folded into
 * the first line's repeat count. Each SLAVEOF that took effect is a line.
 *
 * Held against the Sentinels' logs ("+fix-slave-config slave <replica>"),
 * the replica's log (REPLICAOF from a Sentinel's command link) and its INFO
 * commandstats (cmdstat_slaveof). One Sentinel, so that both notices are
 * its own (each Sentinel's notices are lines of their own).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

async function slaveofCalls(node: ScenarioNode): Promise<number> {
  return Number(/calls=(\d+)/.exec((await node.info('commandstats')).get('cmdstat_slaveof') ?? '')?.[1] ?? 0);
}

it('a replica Sentinel re-points back to its master twice: a +fix-slave-config line for each the Sentinels logged', async () => {
  const group = await startSentinelScenario({ kind: 'redis', sentinels: 1, quorum: 1 });
  for (const sentinel of group.sentinels) expect(await sentinel.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')).toBe('OK');
  const { master } = group;
  const [sibling, moved] = group.replicas as [ScenarioNode, ScenarioNode];
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  const since = Date.now();
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);
  const slaveofBefore = await slaveofCalls(moved);
  const [siblingHost, siblingPort] = [sibling.id.slice(0, sibling.id.lastIndexOf(':')), sibling.port];

  for (let round = 1; round <= 2; round += 1) {
    expect(await moved.call('REPLICAOF', siblingHost, siblingPort)).toBe('OK');
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === moved.id && node.masterPort === sibling.port), `${moved.id} seen following ${sibling.id} (round ${round})`);
    const mark = moved.mark();
    await waitForLog(moved, new RegExp(`REPLICAOF ${escapeRegExp(master.id)} enabled \\(user request from '.*name=sentinel-[0-9a-f]{8}-cmd `), mark, 30_000);
    await waitFor(async () => (await replicationTruth(moved)).masterLinkStatus === 'up', { what: `${moved.id} following ${master.id} again (round ${round})` });
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === moved.id && node.masterPort === master.port), `${moved.id} seen following ${master.id} again (round ${round})`);
  }

  const fixed = new RegExp(`\\+fix-slave-config slave ${escapeRegExp(moved.id)} `, 'g');
  const logged = (): number => group.sentinels.reduce((sum, sentinel, index) => sum + (sentinel.log().slice(marks[index]).match(fixed)?.length ?? 0), 0);
  await waitFor(async () => await slaveofCalls(moved) - slaveofBefore === logged(), { timeoutMs: 5_000, what: 'a SLAVEOF on the replica for each +fix-slave-config line' }).catch(() => undefined);
  const notices = logged();
  const slaveofs = await slaveofCalls(moved) - slaveofBefore; // the two typed here are REPLICAOF (cmdstat_replicaof)
  expect(slaveofs).toBeGreaterThanOrEqual(2);
  expect(slaveofs).toBeLessThanOrEqual(notices);

  const lines = (): ReplicationEvent[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+fix-slave-config' && event.nodeId === moved.id && event.time >= since);
  await waitFor(() => lines().length >= 2, { timeoutMs: 10_000, what: 'two +fix-slave-config lines' }).catch(() => undefined);
  // One Sentinel: a line per round (the polls saw the replica change between them); a SLAVEOF it re-sent within a round is
  // that round's line's repeat.
  expect(lines(), replscope.describeEvents()).toHaveLength(2);
  expect(lines().reduce((sum, line) => sum + Number(line.numbers.notices ?? 1), 0)).toBe(notices);
}, 120_000);

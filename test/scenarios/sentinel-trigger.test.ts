/**
 * What started a Sentinel failover, for each failover on its own. Found in
 * a new-user trial: the master was killed (a failover on +odown), and less
 * than a minute later the console's Promote ran SENTINEL FAILOVER on the
 * new, healthy master; the second promotion was recorded "after the master
 * was objectively down (+odown)", from the first failover's +odown.
 *
 * Held against Sentinel's own notices (redis-sentinel publishes them; the
 * console records each as an exact event): the first failover has +odown
 * about its master before its +try-failover; the second has none about
 * its master. The data nodes are redis-server: the attribution is the
 * console's and does not depend on the node kind.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

const promotionOf = (id: string) => (event: ReplicationEvent): boolean => event.kind === 'promotion' && event.nodeId === id;
const notices = (replscope: ConsoleUnderTest, channel: string, instanceId: string): ReplicationEvent[] =>
  replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === channel && event.nodeId === instanceId);

it('kill -9 of the master, then SENTINEL FAILOVER of the new one within a minute: the first on +odown, the second forced', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const killed = group.master;
  const replscope = await ConsoleUnderTest.attach(killed, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');

  killed.signal('SIGKILL');
  const firstId = await group.waitForNewMaster(killed.id);
  const first = await replscope.waitForEvent(promotionOf(firstId), `the promotion of ${firstId}`, 30_000);
  expect(first.numbers).toMatchObject({ attribution: 'sentinel', trigger: '+odown' });
  expect(notices(replscope, '+odown', killed.id).length).toBeGreaterThan(0);
  await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+failover-end', 'the first failover to end', 30_000);

  // The new master is healthy: a forced failover, while the first +odown is still within a minute.
  let reply: unknown;
  await waitFor(async () => {
    reply = await group.sentinels[0]!.call('SENTINEL', 'FAILOVER', group.name);
    return reply === 'OK';
  }, { timeoutMs: 30_000, intervalMs: 500, what: `SENTINEL FAILOVER to be accepted (last reply: ${String(reply)})` });
  const secondId = await group.waitForNewMaster(firstId);
  const second = await replscope.waitForEvent(promotionOf(secondId), `the promotion of ${secondId}`, 30_000);
  expect(second.time - Math.min(...notices(replscope, '+odown', killed.id).map((event) => event.time))).toBeLessThan(60_000);

  // Sentinel's truth: no Sentinel said +odown about the master of the second failover before it began
  // (its +try-failover). After it, one may: a Sentinel that has not yet heard of the switch sees that
  // master report role:slave for longer than down-after + 2 INFO periods, marks it down, and with a
  // quorum publishes +odown about it (seen on a loaded machine); that says nothing about the trigger.
  const tries = notices(replscope, '+try-failover', firstId);
  expect(tries.length).toBeGreaterThan(0);
  const began = Math.min(...tries.map((event) => event.time));
  expect(notices(replscope, '+odown', firstId).filter((event) => event.time <= began)).toEqual([]);
  expect(second.cause).toBe('sentinel-failover');
  expect(second.numbers).toMatchObject({ attribution: 'sentinel', trigger: 'SENTINEL FAILOVER' });
  expect(second.message).toMatch(/forced without \+odown \(SENTINEL FAILOVER\)/);
  expect(second.message).not.toMatch(/objectively down/);
}, 120_000);

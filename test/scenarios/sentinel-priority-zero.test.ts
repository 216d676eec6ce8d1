/**
 * Promote on a replica whose replica-priority is 0, under Sentinel. Sentinel
 * never promotes such a replica (sentinelSelectSlave skips it; with no
 * other candidate SENTINEL FAILOVER answers "-NOGOODSLAVE No suitable
 * replica to promote"). Found in a new-user walk with three redis-sentinel
 * processes: the preflight of Promote on a priority-0 replica was allowed,
 * said only that Sentinel "may not" pick it, and offered SENTINEL FAILOVER,
 * which would have promoted the other replica.
 *
 * Held against Sentinel's own answer: SENTINEL REPLICAS lists the replica
 * with slave-priority 0, and SENTINEL FAILOVER is refused with NOGOODSLAVE.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('Promote on a replica with replica-priority 0 under Sentinel is refused with the reason, as Sentinel refuses to promote it', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
  const replica = group.replicas[0]!;
  expect(await replica.call('CONFIG', 'SET', 'replica-priority', '0')).toBe('OK');
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  // The verdict follows the priority Sentinel reads (INFO every 10 s), as SENTINEL REPLICAS lists it.
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)
    && entry.replicas.some((listed) => listed.id === replica.id && listed.priority === 0)), 'the replica\'s priority 0 as Sentinel reads it and three Sentinels listened to', 30_000);

  const preflight = await replscope.preflight({ kind: 'promote', nodeId: replica.id, method: 'auto' });
  expect(preflight.allowed, preflight.steps.join('\n')).toBe(false);
  expect(preflight.deniedReason).toMatch(new RegExp(`Sentinel never promotes ${replica.id.replace(/\./g, '\\.')}: its replica-priority is 0`));
  expect(preflight.deniedReason).toMatch(/-NOGOODSLAVE/);

  // Sentinel's truth: it has read the priority (INFO every 10 s), and refuses the failover.
  const sentinel = group.sentinels[0]!;
  await waitFor(async () => {
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', group.name)) as string[][];
    return replicas.some((fields) => fields[fields.indexOf('slave-priority') + 1] === '0');
  }, { timeoutMs: 20_000, what: 'Sentinel to read slave-priority 0' });
  expect(String(await sentinel.call('SENTINEL', 'FAILOVER', group.name))).toMatch(/NOGOODSLAVE/);
}, 60_000);

/**
 * Promote, under Sentinel, on a replica Sentinel would not pick: another
 * replica of the master has a lower replica-priority. Sentinel sorts the
 * replicas it may promote by replica-priority first (lower wins), then by
 * the most data, then by run id (sentinel.c, compareSlavesForPromotion), so
 * SENTINEL FAILOVER promotes that other replica. Found in a new-user walk
 * with three redis-sentinel processes: the preflight of Promote on
 * replica-1 (priority 100) with replica-2 at priority 50 was allowed,
 * saying only that Sentinel "may not" pick it; run, Sentinel promoted
 * replica-2 (+selected-slave), and the verdict said so afterwards.
 *
 * The preflight now refuses it, naming the replica Sentinel would pick and
 * both priorities as SENTINEL REPLICAS lists them; Promote on that replica is allowed and names it as Sentinel's
 * pick. Held against Sentinel's own choice: SENTINEL REPLICAS lists both
 * priorities, and SENTINEL FAILOVER run on a Sentinel promotes replica-2.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('Promote under Sentinel on a replica whose replica-priority is not the lowest is refused, naming the replica Sentinel promotes instead', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 2 });
  const [passedOver, preferred] = group.replicas as [typeof group.master, typeof group.master];
  expect(await preferred.call('CONFIG', 'SET', 'replica-priority', '50')).toBe('OK');
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  // The verdict follows the priorities Sentinel reads (INFO every 10 s), as SENTINEL REPLICAS lists them.
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)
    && entry.replicas.some((replica) => replica.id === preferred.id && replica.priority === 50)
    && entry.replicas.some((replica) => replica.id === passedOver.id && replica.priority === 100)), 'both priorities as Sentinel reads them and three Sentinels listened to', 30_000);

  const refused = await replscope.preflight({ kind: 'promote', nodeId: passedOver.id, method: 'auto' });
  expect(refused.allowed, refused.steps.join('\n')).toBe(false);
  expect(refused.deniedReason).toContain(`SENTINEL FAILOVER ${group.name} would promote ${preferred.id}, not ${passedOver.id}`);
  expect(refused.deniedReason).toContain(`as it reads them (SENTINEL REPLICAS) ${preferred.id}'s replica-priority is 50, ${passedOver.id}'s 100`);
  const chosen = await replscope.preflight({ kind: 'promote', nodeId: preferred.id, method: 'auto' });
  expect(chosen.allowed, chosen.deniedReason ?? '').toBe(true);
  expect(chosen.steps[0]).toContain(`Sentinel would pick ${preferred.id}, if it still sees it as eligible when it runs: its replica-priority 50 is the lowest`);

  // Sentinel's truth: it has read both priorities (INFO every 10 s), and promotes the preferred replica.
  const sentinel = group.sentinels[0]!;
  await waitFor(async () => {
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', group.name)) as string[][];
    const priorities = replicas.map((fields) => `${fields[fields.indexOf('name') + 1]} ${fields[fields.indexOf('slave-priority') + 1]}`).sort();
    return JSON.stringify(priorities) === JSON.stringify([`${passedOver.id} 100`, `${preferred.id} 50`].sort());
  }, { timeoutMs: 20_000, what: 'Sentinel to read both priorities' });
  expect(await sentinel.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  expect(await group.waitForNewMaster(group.master.id)).toBe(preferred.id);
}, 90_000);

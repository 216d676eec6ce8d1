/**
 * Promote, under Sentinel, on a replica that a lower-priority sibling would
 * outrank if Sentinel could pick that sibling, but it cannot: the sibling's
 * master link has been down longer than 10 x down-after-milliseconds (here
 * its login to the master is refused), and sentinelSelectSlave (sentinel.c,
 * 7.0) skips such a replica. The preflight must not refuse the target for
 * it: the candidates and priorities are Sentinel's own (SENTINEL REPLICAS).
 *
 * Held against Sentinel's own truth: SENTINEL REPLICAS lists the sibling at
 * slave-priority 50 with master-link-down-time over 10 x down-after, and
 * SENTINEL FAILOVER promotes the target. A Promote of the sibling itself is
 * refused for the same reason: Sentinel would promote the target instead.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

const DOWN_AFTER_MS = 1000;

function field(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index < 0 ? undefined : fields[index + 1];
}

it('Promote under Sentinel is not refused for a lower-priority sibling whose master link has been down longer than Sentinel accepts; a Promote of that sibling is refused', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 2, downAfterMs: DOWN_AFTER_MS });
  const [target, skipped] = group.replicas as [typeof group.master, typeof group.master];
  expect(await skipped.call('CONFIG', 'SET', 'replica-priority', '50')).toBe('OK');
  // The sibling's login to the master is refused from now on (WRONGPASS), so its link stays down.
  expect(await skipped.call('CONFIG', 'SET', 'masteruser', 'nobody')).toBe('OK');
  expect(await skipped.call('CONFIG', 'SET', 'masterauth', 'not-the-password')).toBe('OK');
  await skipped.call('CLIENT', 'KILL', 'TYPE', 'master');

  // Sentinel's truth: it reads priority 50 and a master link down over 10 x down-after for the sibling.
  const sentinel = group.sentinels[0]!;
  await waitFor(async () => {
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', group.name)) as string[][];
    const entry = replicas.find((fields) => field(fields, 'name') === skipped.id);
    return entry !== undefined && field(entry, 'slave-priority') === '50' && Number(field(entry, 'master-link-down-time')) > DOWN_AFTER_MS * 10 + 1000;
  }, { timeoutMs: 40_000, what: 'Sentinel to see the sibling at priority 50 with its link down over 10 x down-after' });
  expect((await skipped.call('INFO', 'replication')) as string).toMatch(/master_link_status:down/);

  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === skipped.id && node.config?.['replica-priority'] === '50')
    && snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.replicas.some((replica) => replica.id === skipped.id && (replica.masterLinkDownMs ?? 0) > DOWN_AFTER_MS * 10)), 'the sibling\'s priority and Sentinel\'s view of its link', 30_000);

  const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'auto' });
  expect(preflight.allowed, preflight.deniedReason ?? '').toBe(true);
  expect(preflight.steps[0]).toContain(`Sentinel would pick ${target.id}, if it still sees it as eligible when it runs`);

  // The sibling itself is no target: Sentinel would skip it (its link down over 10 x down-after, as
  // SENTINEL REPLICAS lists it), so SENTINEL FAILOVER would promote the target, never the sibling.
  const ofSibling = await replscope.preflight({ kind: 'promote', nodeId: skipped.id, method: 'auto' });
  expect(ofSibling.allowed).toBe(false);
  expect(ofSibling.deniedReason).toContain(`Sentinel would not promote ${skipped.id} now: its master link has been down`);
  expect(ofSibling.deniedReason).toContain(`over 10 x down-after-milliseconds`);
  expect(ofSibling.deniedReason).toContain(`SENTINEL FAILOVER ${group.name} would promote ${target.id} instead`);

  expect(await sentinel.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  expect(await group.waitForNewMaster(group.master.id)).toBe(target.id);
}, 120_000);

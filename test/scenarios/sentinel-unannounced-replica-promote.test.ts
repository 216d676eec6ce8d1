/**
 * Promote under Sentinel with a sibling at replica-announced no. SENTINEL
 * REPLICAS does not list such a replica (sentinel.c
 * addReplyDictOfRedisInstances: "don't announce unannounced replicas"),
 * but sentinelSelectSlave does not skip it (redis 7.0.15): it is a
 * candidate like any other, picked first at a lower replica-priority. The
 * preflight, built from Sentinel's listing, said Sentinel would pick the
 * target as the only replica it may promote, and never named the sibling.
 * It must name it.
 *
 * Held against Sentinel's own truth: SENTINEL REPLICAS leaves the sibling
 * out while the master's INFO lists it, and SENTINEL FAILOVER promotes the
 * sibling (replica-priority 50), not the target (100). A sibling also at
 * replica-priority 0 is no candidate: there Sentinel picks the target.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

function field(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index < 0 ? undefined : fields[index + 1];
}

/**
 * A Sentinel group with two replicas, the sibling at replica-announced no and the given
 * replica-priority; returns once every Sentinel lists the target and not the sibling (the master
 * still does) and the console watches that: the sibling at its priority, Sentinel's listing without it.
 */
async function groupWithUnannouncedSibling(priority: string) {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 2 });
  const [target, hidden] = group.replicas as [ScenarioNode, ScenarioNode];
  expect(await hidden.call('CONFIG', 'SET', 'replica-priority', priority)).toBe('OK');
  expect(await hidden.call('CONFIG', 'SET', 'replica-announced', 'no')).toBe('OK');

  // Sentinel's truth: it reads replica_announced:0 from the sibling's INFO and stops listing it; the master still lists it.
  await waitFor(async () => (await Promise.all(group.sentinels.map(async (sentinel) => {
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', group.name)) as string[][];
    return replicas.some((fields) => field(fields, 'name') === target.id) && !replicas.some((fields) => field(fields, 'name') === hidden.id);
  }))).every(Boolean), { timeoutMs: 30_000, what: 'every Sentinel to list the target and not the sibling' });
  expect((await group.master.call('INFO', 'replication')) as string).toContain(`port=${hidden.port},`);

  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === hidden.id && node.config?.['replica-priority'] === priority)
    && snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.replicas.some((replica) => replica.id === target.id)
      && !entry.replicas.some((replica) => replica.id === hidden.id)), `the sibling watched at priority ${priority}, Sentinel's listing without it`, 30_000);
  return { group, target, hidden, replscope };
}

it('Promote under Sentinel names a sibling at replica-announced no, which SENTINEL REPLICAS omits and Sentinel may still pick', async () => {
  const { group, target, hidden, replscope } = await groupWithUnannouncedSibling('50');

  const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'auto' });
  const said = [preflight.deniedReason ?? '', ...preflight.steps].join('\n');
  expect(said).not.toContain(`Sentinel would pick ${target.id}`);
  expect(said).toContain(`${hidden.id} is not in SENTINEL REPLICAS ${group.name} (replica-announced no)`);
  expect(said).toContain('replica-priority 50');

  // Sentinel picks the sibling.
  expect(await group.sentinels[0]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  expect(await group.waitForNewMaster(group.master.id)).toBe(hidden.id);
}, 120_000);

/**
 * The standard way to hide a replica that must never be promoted (redis.conf: replica-announced no
 * together with replica-priority 0): sentinelSelectSlave skips slave_priority 0 (redis 7.0.15), so
 * the sibling is no candidate, and Sentinel picks the target. The preflight said the sibling "may" be
 * promoted, and left out that Sentinel would pick the target.
 */
it('Promote under Sentinel with an unannounced sibling at replica-priority 0 says Sentinel would pick the target, as SENTINEL FAILOVER does', async () => {
  const { group, target, hidden, replscope } = await groupWithUnannouncedSibling('0');

  const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'auto' });
  const said = [preflight.deniedReason ?? '', ...preflight.steps].join('\n');
  expect(preflight.deniedReason, said).toBeNull();
  expect(said).toContain(`Sentinel would pick ${target.id}`);
  expect(said).not.toContain(`${hidden.id} is not in SENTINEL REPLICAS`);

  // Sentinel picks the target.
  expect(await group.sentinels[0]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  expect(await group.waitForNewMaster(group.master.id)).toBe(target.id);
}, 120_000);

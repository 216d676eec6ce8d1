/**
 * Force full resync on the demo pair: the replica's "loaded N bytes"
 * (sync-finished, the engine's own report of the full sync it ran) is the
 * action's, as the full resync it ends is. It said "cause unknown" while
 * the full resync just before it, the link-down and the link-up all named
 * this console's Force full resync.
 *
 * The nodes' truth: the master counts the full sync (INFO sync_full +1)
 * and the replica streams again (master_link_status up).
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('Force full resync: the replica\'s sync-finished is put down to the action, as its full resync is', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const fullBefore = Number((await info({ port: master.port }, 'stats')).get('sync_full'));
  const since = Date.now();
  const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
  expect(preflight.allowed, preflight.deniedReason ?? '').toBe(true);
  expect((await replscope.run(preflight)).outcome).not.toBe('failed');

  await waitFor(async () => Number((await info({ port: master.port }, 'stats')).get('sync_full')) === fullBefore + 1, { timeoutMs: 20_000, what: 'the master to count the forced full sync' });
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: 'the replica streaming again' });
  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= since, 'the forced full resync');
  const finished = await replscope.waitForEvent((event) => event.kind === 'sync-finished' && event.nodeId === replica.id && event.time >= since, 'the replica\'s sync-finished');
  expect(resync.numbers).toMatchObject({ attribution: 'operator', byThisConsole: 1 });
  expect(finished.time).toBeGreaterThanOrEqual(resync.time);
  expect(finished.cause, replscope.describeEvents()).toBe('manual');
  expect(finished.numbers).toMatchObject({ attribution: 'operator', byThisConsole: 1 });
  expect(finished.message).toContain(`this console's Force full resync of ${replica.id}`);
  // One full sync on the master's counters, one sync-finished on the timeline.
  expect(replscope.eventsWhere((event) => event.kind === 'sync-finished' && event.nodeId === replica.id && event.time >= since)).toHaveLength(1);
  expect(Number((await info({ port: master.port }, 'stats')).get('sync_full'))).toBe(fullBefore + 1);
}, 90_000);

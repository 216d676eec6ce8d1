/**
 * A chaos cut after one of this console's actions: its link-up is the
 * chaos's, not the action's. Found in review: Force full resync of the demo
 * pair's replica, its link back up, then the demo's chaos "cut link" on it
 * within 30 s; the link-up after the cut said "manual — this console's
 * Force full resync", because a link-up took the latest action of the
 * replica, skipping the later chaos cut, and one action explained any
 * number of link-ups.
 *
 * The nodes' truth: the replica's INFO master_link_status goes down while
 * the cut lasts and up after it, and the master counts one partial resync
 * more (sync_partial_ok +1): the link came back from the chaos, not from
 * the console's REPLICAOF.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('Force full resync, then a chaos cut within 30 s: one link-up is the action\'s, the one after the cut is not', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const since = Date.now();
  const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
  expect(preflight.allowed, preflight.deniedReason ?? '').toBe(true);
  expect((await replscope.run(preflight)).outcome).not.toBe('failed');
  await replscope.waitForEvent((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= since, 'the link-up after the forced full resync');
  await replscope.waitForSteadyGroup([master.id, replica.id]);

  const partialOk = Number((await info({ port: master.port }, 'stats')).get('sync_partial_ok'));
  const cutAt = Date.now();
  await replscope.call('demo.chaos', { kind: 'cut-link', replicaId: replica.id, seconds: 2 });
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'down', { timeoutMs: 10_000, what: 'the cut link down' });
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: 'the link up after the cut' });
  await waitFor(async () => Number((await info({ port: master.port }, 'stats')).get('sync_partial_ok')) > partialOk, { timeoutMs: 10_000, what: 'the partial resync after the cut' });
  const chaosLinkUp = await replscope.waitForEvent((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= cutAt, 'the link-up after the chaos cut');
  expect(Date.now() - since, 'the cut ran inside the action\'s 30 s window').toBeLessThan(30_000);

  expect(chaosLinkUp.cause, chaosLinkUp.message).not.toBe('manual');
  expect(chaosLinkUp.message).not.toContain('this console');
  const manualLinkUps = replscope.eventsWhere((event) => event.kind === 'link-up' && event.nodeId === replica.id && event.time >= since && event.cause === 'manual');
  expect(manualLinkUps.map((event) => event.message), replscope.describeEvents()).toHaveLength(1);
  expect(manualLinkUps[0]!.time).toBeLessThan(cutAt);
}, 90_000);

/**
 * The load generator's figures once the demo is stopped. Found in a new
 * user's walk of the demo in web mode: after a promotion (writes refused
 * while FAILOVER paused them) and then *Stop demo*, the *Load generator*
 * card of the stopped demo still read "3,417 writes refused since the load
 * started. The last answer: connect ECONNREFUSED 127.0.0.1:45973", a
 * warning about nodes that no longer exist and a refusal none of them
 * made; the next run's generator counts from zero anyway.
 */
import { expect, it } from 'vitest';
import { NOREPLICAS_ERROR } from '../../shared/contract/min-replicas-text';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('Stop demo clears the refused writes of the run it stopped; the next run counts its own', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const load = { ...status.load, running: true, opsPerSec: 200 };
  await replscope.call('demo.load', load);

  // The master refuses every write: more good replicas asked for than it has.
  expect(await command({ port: master.port }, 'CONFIG', 'SET', 'min-replicas-to-write', '5')).toBe('OK');
  await waitFor(async () => (await replscope.call('demo.status', {})).loadErrors > 0, { timeoutMs: 10_000, what: 'the load generator to count refused writes' });
  // The node's truth: it answered NOREPLICAS, and the generator reports that answer.
  expect(Number(/count=(\d+)/.exec((await info({ port: master.port }, 'errorstats')).get('errorstat_NOREPLICAS') ?? '')?.[1])).toBeGreaterThan(0);
  expect((await replscope.call('demo.status', {})).loadLastError).toBe(NOREPLICAS_ERROR);

  const stopped = await replscope.call('demo.stop', {});
  expect(stopped.running).toBe(false);
  expect(stopped.loadErrors).toBe(0);
  expect(stopped.loadLastError).toBeNull();
  // Still so a moment later: nothing of the stopped generator comes back.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const later = await replscope.call('demo.status', {});
  expect([later.loadErrors, later.loadLastError, later.loadOpsPerSec]).toEqual([0, null, 0]);

  // The next run's master (no min-replicas) takes every write: none refused.
  const next = await replscope.startDemo({ topology: 'pair' });
  const nextMaster = next.nodes.find((node) => node.role === 'master')!;
  await waitFor(async () => (await replscope.call('demo.status', {})).loadOpsPerSec > 0, { timeoutMs: 15_000, what: 'the next run\'s load writing' });
  expect((await info({ port: nextMaster.port }, 'errorstats')).get('errorstat_NOREPLICAS')).toBeUndefined();
  expect((await replscope.call('demo.status', {})).loadErrors).toBe(0);
}, 90_000);

/**
 * What Events says of the master while the demo's chaos restarts it. Found
 * in a new user's walk of the demo in web mode: during Chaos → Restart
 * master (SHUTDOWN with an RDB save, then a start on the same port) the
 * master was first "hung ... may be stopped (SIGSTOP)", then "unreachable,
 * ECONNREFUSED", and nothing said the demo's own chaos had restarted it.
 * The node's own log says what happened ("User requested shutdown...",
 * "DB saved on disk", "Ready to accept connections"); so must its events.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, restartDemoMasterUntilSeenDown, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a master the demo\'s Restart master restarts is said to be restarted by it (saving its RDB, then starting), not hung or SIGSTOPped', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 100 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  // The node's truth at each restart: a new run_id, and its log's "User requested shutdown...", "DB saved on disk",
  // "Ready to accept connections"; restarted until the console sees it go (harness/demo-restart-until-seen.ts).
  const since = await restartDemoMasterUntilSeenDown(replscope, master, () =>
    waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${replica.id} to follow the restarted ${master.id}` }));

  // The console saw it go and come back, and says the demo's restart did it.
  await replscope.waitForEvent((event) => event.kind === 'node-reachable' && event.nodeId === master.id && event.time >= since, `${master.id} answering again after the restart`);
  const health = replscope.eventsWhere((event) => (event.kind === 'node-unreachable' || event.kind === 'node-reachable') && event.nodeId === master.id && event.time >= since);
  expect(health.some((event) => event.kind === 'node-unreachable'), replscope.describeEvents()).toBe(true);
  for (const event of health) {
    expect(event.cause, event.message).toBe('chaos');
    expect(event.message).toContain('the demo\'s Restart master');
    expect(event.message).not.toMatch(/SIGSTOP|\bhung\b/);
  }
  const down = health.filter((event) => event.kind === 'node-unreachable');
  expect(down.some((event) => /saving its RDB|shut down after saving its RDB/.test(event.message)), down.map((event) => event.message).join('\n')).toBe(true);
  expect(health.find((event) => event.kind === 'node-reachable')!.message).toContain('restarted');
}, 90_000);

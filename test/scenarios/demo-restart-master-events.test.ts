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
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a master the demo\'s Restart master restarts is said to be restarted by it (saving its RDB, then starting), not hung or SIGSTOPped', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 100 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  // An empty node restarts between two polls on a quiet machine (the console then sees nothing go: no health
  // event to judge). 300k keys make the save and the load before the new process listens take a few polls;
  // should the gap still fall between polls, the restart is run again, a few times at most.
  // (DEBUG POPULATE is not propagated: the keys are the master's alone, as on redis-server.)
  expect(await command({ port: master.port }, 'DEBUG', 'POPULATE', '300000')).toBe('OK');
  const since = Date.now();
  const seenDown = (): boolean => replscope.eventsWhere((event) => event.kind === 'node-unreachable' && event.nodeId === master.id && event.time >= since).length > 0;
  for (let attempt = 1; attempt <= 4 && !seenDown(); attempt++) {
    const runIdBefore = (await info({ port: master.port }, 'server')).get('run_id');
    const fromLog = replscope.logs.length;
    await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });

    // The node's truth: it shut down on request after saving its RDB, and a new process started on its port.
    expect((await info({ port: master.port }, 'server')).get('run_id')).not.toBe(runIdBefore);
    await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${replica.id} to follow the restarted ${master.id}` });
    const own = replscope.logs.slice(fromLog).filter((line) => line.startsWith(`${master.id} `));
    const at = (pattern: RegExp): number => own.findIndex((line) => pattern.test(line));
    expect(at(/User requested shutdown\.\.\./), own.join('\n')).toBeGreaterThanOrEqual(0);
    expect(at(/DB saved on disk/), own.join('\n')).toBeGreaterThan(at(/User requested shutdown\.\.\./));
    expect(at(/Ready to accept connections/), own.join('\n')).toBeGreaterThan(at(/DB saved on disk/));
    // A few polls for the console to file what it saw of this restart.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  // The console saw it go and come back, and says the demo's restart did it.
  expect(seenDown(), replscope.describeEvents()).toBe(true);
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

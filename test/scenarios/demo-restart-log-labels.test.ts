/**
 * The console's log view while the demo's chaos restarts the master. Found
 * in a new user's walk of the demo in web mode: after *Restart without
 * replid* the restarted master's first lines ("DB loaded from disk",
 * "Ignoring the replication ID and offset saved in the RDB (as asked)",
 * "Ready to accept connections") were listed under "127.0.0.1:0", a node
 * that does not exist: the worker sent them before it said which port it
 * listens on. They are the master's, labelled with its port.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a restarted master\'s start-up log lines carry its own id, and no line names port 0', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const runIdBefore = (await info({ port: master.port }, 'server')).get('run_id');

  const from = replscope.logs.length;
  await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: false });
  // The node's truth: a new process on the same port, its replica linked to it again.
  expect((await info({ port: master.port }, 'server')).get('run_id')).not.toBe(runIdBefore);
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'up', { timeoutMs: 20_000, what: `${replica.id} to follow the restarted ${master.id}` });

  const lines = replscope.logs.slice(from);
  const ready = lines.filter((line) => / \* Ready to accept connections/.test(line));
  expect(ready, lines.join('\n')).toHaveLength(1);
  expect(ready[0]!.startsWith(`${master.id} `), ready[0]).toBe(true);
  expect(lines.filter((line) => line.startsWith('127.0.0.1:0 '))).toEqual([]);
}, 60_000);

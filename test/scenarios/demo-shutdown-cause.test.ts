/**
 * SHUTDOWN typed at the demo's master (redis-cli -p <port> SHUTDOWN NOSAVE):
 * the master logs "User requested shutdown...", closes its replica's link
 * on the way out (the engine reports it, master side, with the reason
 * `shutdown`) and its port then refuses connections; the replica's link is
 * down. Nobody ran an action from this console: the link-down is the
 * master shutting down, not "operator action".
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('SHUTDOWN of the demo master: its side of the link-down says the master shut down, not an operator action', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const since = Date.now();

  await command({ port: master.port }, 'SHUTDOWN', 'NOSAVE').catch(() => undefined); // the connection closes: no reply
  // The nodes' truth: the master is gone (its port refuses), the replica's link is down.
  await waitFor(async () => command({ port: master.port }, 'PING').then(() => false, (failure: Error) => /ECONNREFUSED/.test(failure.message)), { what: 'the master port refusing connections' });
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'down', { what: 'the replica link down' });

  const masterSide = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since && /master side: shutdown/.test(event.message), 'the master side of the link-down', 10_000);
  expect(masterSide, masterSide.message).toMatchObject({ cause: 'master-shutdown', peerId: master.id, inferred: false });
  expect(replscope.eventsWhere((event) => event.time >= since && event.cause === 'manual'), replscope.describeEvents()).toEqual([]);
});

/**
 * SHUTDOWN typed at the demo's master (redis-cli -p <port> SHUTDOWN NOSAVE):
 * the master logs "User requested shutdown...", closes its replica's link
 * on the way out (the engine reports it, master side, with the reason
 * `shutdown`) and its port then refuses connections; the replica's link is
 * down. Nobody ran an action from this console: the link-down is the
 * master shutting down, not "operator action".
 *
 * Its side of the link-down names the replica's last ACK. With nothing
 * written the replica acknowledges offset 0, every second: that is an ACK
 * (the master's commandstats count each REPLCONF), not "before its first
 * ACK", which only a connection that never acknowledged may say.
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
  // The master's truth that ACKs arrived on this connection: its REPLCONF calls
  // (only the replica sends any) grow after the handshake's, once a second.
  const replconfCalls = async (): Promise<number> => Number(/calls=(\d+)/.exec((await info({ port: master.port }, 'commandstats')).get('cmdstat_replconf') ?? '')?.[1] ?? 0);
  const before = await replconfCalls();
  await waitFor(async () => (await replconfCalls()) > before, { what: 'a REPLCONF ACK from the replica' });
  const replication = await info({ port: master.port }, 'replication');
  const acked = Number(/offset=(\d+)/.exec(replication.get('slave0') ?? '')?.[1]);
  expect(acked, replication.get('slave0')).toBe(Number(replication.get('master_repl_offset')));
  const since = Date.now();

  await command({ port: master.port }, 'SHUTDOWN', 'NOSAVE').catch(() => undefined); // the connection closes: no reply
  // The nodes' truth: the master is gone (its port refuses), the replica's link is down.
  await waitFor(async () => command({ port: master.port }, 'PING').then(() => false, (failure: Error) => /ECONNREFUSED/.test(failure.message)), { what: 'the master port refusing connections' });
  await waitFor(async () => (await info({ port: replica.port }, 'replication')).get('master_link_status') === 'down', { what: 'the replica link down' });

  const masterSide = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since && /master side: shutdown/.test(event.message), 'the master side of the link-down', 10_000);
  expect(masterSide, masterSide.message).toMatchObject({ cause: 'master-shutdown', peerId: master.id, inferred: false });
  expect(masterSide.message).not.toMatch(/first ACK/);
  expect(Number(/last acknowledged offset (\d+)/.exec(masterSide.message)?.[1]), masterSide.message).toBeGreaterThanOrEqual(acked);
  expect(replscope.eventsWhere((event) => event.time >= since && event.cause === 'manual'), replscope.describeEvents()).toEqual([]);
});

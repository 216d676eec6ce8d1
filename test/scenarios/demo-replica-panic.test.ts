/**
 * A demo replica with propagation-error-behavior panic fails a command of
 * its master's stream: it logs the bug report's Guru Meditation line and
 * stops as a crashed redis-server does (EngineNode.panic). The console must
 * say so, not "shutdown": its timeline has the node crashed with the Guru
 * Meditation text as the cause, the replica's own side of its link-down
 * says the crash, the master's side says only what the master saw (the
 * connection closed by the other end, as "Connection with replica ...
 * lost." in its log), and the demo lists the node as crashed. Restart
 * master still works with the crashed replica there, and Stop + Start
 * brings it back.
 *
 * The truth is the nodes': the replica's log lines (relayed by the demo)
 * and its port and chaos proxy port refusing connections; the master's INFO
 * (a new run_id) after the restart.
 */
import { expect, it } from 'vitest';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const GURU = "Guru Meditation: This replica panicked sending an error to its master after processing the command 'incr'";

const refuses = (port: number): Promise<boolean> => command({ port }, 'PING').then(() => false, (failure: Error) => /ECONNREFUSED/.test(failure.message));

it('a demo replica that panics: the timeline says it crashed, with its Guru Meditation; the demo lists it crashed and restarts it', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  expect(replica.proxyPort, 'the replica links through a chaos proxy in its own thread').not.toBeNull();
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const replicaLog: string[] = [];
  const unsubscribe = replscope.service.onPush((message) => {
    if (message.type === 'log' && message.nodeId === replica.id) replicaLog.push(message.line);
  });

  // A list on the replica where the master has no key: the master's INCR then fails there (WRONGTYPE).
  await command({ port: replica.port }, 'CONFIG', 'SET', 'replica-read-only', 'no');
  await command({ port: replica.port }, 'LPUSH', 'panic:key', 'x');
  await command({ port: replica.port }, 'CONFIG', 'SET', 'replica-read-only', 'yes');
  await command({ port: replica.port }, 'CONFIG', 'SET', 'propagation-error-behavior', 'panic');
  const since = Date.now();
  await command({ port: master.port }, 'INCR', 'panic:key');

  // The replica's truth: its log's Guru Meditation line, then its port refuses connections.
  await waitFor(() => replicaLog.some((line) => line.includes(GURU)), { what: 'the Guru Meditation line in the replica log' });
  await waitFor(() => refuses(replica.port), { what: 'the replica port refusing connections' });
  unsubscribe();

  const crashed = await replscope.waitForEvent((event) => event.kind === 'node-crashed' && event.nodeId === replica.id, 'the replica crashed');
  expect(crashed, crashed.message).toMatchObject({ cause: 'crashed', inferred: false });
  expect(crashed.message).toContain(GURU);
  const replicaSide = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since && /replica side/.test(event.message), "the replica's side of the link-down");
  expect(replicaSide, replicaSide.message).toMatchObject({ cause: 'crashed', peerId: master.id, inferred: false });
  expect(replicaSide.message).toContain(GURU);
  const masterSide = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since && /master side/.test(event.message), "the master's side of the link-down");
  expect(masterSide, masterSide.message).toMatchObject({ cause: 'peer-closed', peerId: master.id, inferred: false });
  // A crash is neither a shutdown nor anyone's action.
  const misread = replscope.eventsWhere((event) => event.time >= since && ['master-shutdown', 'replica-shutdown', 'manual'].includes(event.cause));
  expect(misread, replscope.describeEvents()).toEqual([]);

  // The demo lists the replica crashed, with its Guru Meditation.
  await waitFor(async () => (await replscope.call('demo.status', {})).nodes.find((node) => node.id === replica.id)?.crashed?.includes(GURU) === true, { what: 'the demo listing the replica crashed' });
  const listed = await replscope.call('demo.status', {});
  expect(listed.nodes.find((node) => node.id === master.id)?.crashed).toBeNull();

  // Restart master works with the crashed replica in the demo: a new master process (a new
  // run_id) answers on the master's port.
  const runIdBefore = (await info({ port: master.port }, 'server')).get('run_id');
  expect(runIdBefore).toMatch(/^[0-9a-f]{40}$/);
  await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });
  await waitFor(async () => {
    const fields = await info({ port: master.port });
    return fields.get('run_id') !== runIdBefore && fields.get('role') === 'master';
  }, { timeoutMs: 30_000, what: 'a restarted master (new run_id) answering as master' });
  // The crashed replica's thread ended: its port and its link's chaos proxy (which lives in its thread) refuse connections.
  expect(await refuses(replica.port)).toBe(true);
  expect(await refuses(replica.proxyPort!)).toBe(true);

  // Stop + Start brings every node back: the new replica is linked, nothing is listed crashed.
  await replscope.call('demo.stop', {});
  const again = await replscope.startDemo({ topology: 'pair' });
  expect(again.nodes.map((node) => node.crashed)).toEqual([null, null]);
  const newReplica = again.nodes.find((node) => node.role === 'replica')!;
  await waitFor(async () => (await info({ port: newReplica.port }, 'replication')).get('master_link_status') === 'up', { what: 'the new replica linked' });
});

/**
 * The embedded demo's timeline files the events only polls see, as it does
 * for redis-server: a master refusing writes under min-replicas-to-write
 * and accepting them again, a replica turned writable (replica-read-only
 * no) and read-only again. The engines report their replication events
 * themselves (links, resyncs, role changes), so the demo's poll-inferred
 * events were all dropped but reachability; the engines report none of
 * these, and the demo showed the master refusing writes with nothing on
 * its timeline.
 *
 * Held against the engine's own INFO (min_slaves_good_slaves,
 * slave_read_only) and its replies (a SET answered NOREPLICAS, a SET the
 * writable replica takes); each event is filed once.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { NOREPLICAS_ERROR } from '../../shared/contract/min-replicas-text';
import { command, info } from '../support/replication';
import { RespError } from '../support/resp-connection';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const kinds = (events: readonly ReplicationEvent[]): string[] => events.map((event) => `${event.kind} ${event.nodeId}`);

it('the demo\'s master under min-replicas-to-write 1 with its replica\'s link cut: "writes refused" then "writes accepted again" on the timeline, once each', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const since = Date.now();

  // A client sets it on the demo's master, as a user would (redis-cli, or the console's config controls).
  expect(await command({ port: master.port }, 'CONFIG', 'SET', 'min-replicas-to-write', '1', 'min-replicas-max-lag', '10')).toBe('OK');
  await waitFor(async () => (await info({ port: master.port }, 'replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 10_000, what: `${master.id} to count its replica good` });
  expect(await command({ port: master.port }, 'SET', 'before-cut', '1')).toBe('OK');

  await replscope.call('demo.chaos', { kind: 'cut-link', replicaId: replica.id, seconds: 6 });
  // The engine's truth: no good replica, and a write refused.
  await waitFor(async () => (await info({ port: master.port }, 'replication')).get('min_slaves_good_slaves') === '0', { timeoutMs: 10_000, what: `${master.id} to count 0 good replicas` });
  const refused = await command({ port: master.port }, 'SET', 'during-cut', '1');
  expect(refused).toBeInstanceOf(RespError);
  expect((refused as Error).message).toBe(NOREPLICAS_ERROR);
  const refusedEvent = await replscope.waitForEvent((event) => event.kind === 'writes-refused' && event.nodeId === master.id && event.time >= since, 'the timeline to record the refusal', 5_000);
  expect(refusedEvent.message).toContain(NOREPLICAS_ERROR);
  expect(refusedEvent.message).not.toContain('first read');
  expect(refusedEvent.numbers).toMatchObject({ goodReplicas: 0, required: 1 });
  expect(refusedEvent.cause).toBe('too-few-good-replicas');

  await waitFor(async () => (await command({ port: master.port }, 'SET', 'after-cut', '1')) === 'OK', { timeoutMs: 20_000, what: `${master.id} to accept writes again` });
  expect((await info({ port: master.port }, 'replication')).get('min_slaves_good_slaves')).toBe('1');
  const accepted = await replscope.waitForEvent((event) => event.kind === 'writes-accepted' && event.nodeId === master.id && event.time >= since, 'the timeline to record writes accepted again', 5_000);
  expect(accepted.message).toContain('accepts writes again: 1 good replica, min-replicas-to-write 1');
  expect(accepted.time).toBeGreaterThan(refusedEvent.time);
  expect(accepted.cause).toBe('enough-good-replicas');
  expect(kinds(replscope.eventsWhere((event) => event.kind === 'writes-refused' || event.kind === 'writes-accepted'))).toEqual([`writes-refused ${master.id}`, `writes-accepted ${master.id}`]);
}, 60_000);

it('the demo\'s replica set to replica-read-only no and back: "replica writable" then "read-only again" on the timeline, once each', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));

  expect(await command({ port: replica.port }, 'CONFIG', 'SET', 'replica-read-only', 'no')).toBe('OK');
  // The engine's truth: INFO says so, and the replica takes a write.
  expect((await info({ port: replica.port }, 'replication')).get('slave_read_only')).toBe('0');
  expect(await command({ port: replica.port }, 'SET', 'only-on-replica', '1')).toBe('OK');
  const writable = await replscope.waitForEvent((event) => event.kind === 'replica-writable' && event.nodeId === replica.id, 'the timeline to record the replica writable', 5_000);
  expect(writable.peerId).toBe(master.id);
  expect(writable.message).toContain('slave_read_only:0');

  expect(await command({ port: replica.port }, 'CONFIG', 'SET', 'replica-read-only', 'yes')).toBe('OK');
  expect((await info({ port: replica.port }, 'replication')).get('slave_read_only')).toBe('1');
  const readOnly = await command({ port: replica.port }, 'SET', 'refused-on-replica', '1');
  expect((readOnly as Error).message).toBe('READONLY You can\'t write against a read only replica.');
  await replscope.waitForEvent((event) => event.kind === 'replica-read-only' && event.nodeId === replica.id, 'the timeline to record the replica read-only again', 5_000);
  expect(kinds(replscope.eventsWhere((event) => event.kind === 'replica-writable' || event.kind === 'replica-read-only'))).toEqual([`replica-writable ${replica.id}`, `replica-read-only ${replica.id}`]);
}, 60_000);

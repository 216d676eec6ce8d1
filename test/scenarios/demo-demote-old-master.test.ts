/**
 * Putting the demo pair back together after a Promote by REPLICAOF NO ONE.
 * Found in a new user's walk: after the promotion both nodes answer ROLE
 * master, and Controls offered no way to make the old master follow the
 * promoted one ("Only a replica can be re-pointed."). The re-point itself
 * (REPLICAOF on the old master) is the same validated action; what it needs
 * is the right verdict for a demoted master:
 *
 *  - the old master asks PSYNC with its own replid and offset, which the
 *    promoted node keeps as replid2 up to second_repl_offset. redis-server
 *    7.0 (held beside it here, same sequence) continues partially when the
 *    old master wrote nothing past the promotion, and answers a full resync
 *    ("Requested offset for second ID was N, but I can reply up to M") when
 *    it did;
 *  - the preflight's prediction says which and why (it said "unknown" for
 *    the written-past case), and the result names the promoted node's
 *    counter and the cause; both held against sync_partial_ok / sync_full.
 */
import { expect, it } from 'vitest';
import type { DemoStatus } from '../../shared/contract/demo';
import { startRedisServer } from '../support/redis-server';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

interface SyncCounters { readonly full: number; readonly partial: number }

async function syncCounters(port: number): Promise<SyncCounters> {
  const stats = await info({ port }, 'stats');
  return { full: Number(stats.get('sync_full')), partial: Number(stats.get('sync_partial_ok')) };
}

async function following(port: number, masterPort: number): Promise<boolean> {
  const replication = await info({ port }, 'replication');
  return replication.get('master_port') === String(masterPort) && replication.get('master_link_status') === 'up';
}

/** The same sequence on two real redis-server 7.0 processes: the counters' deltas on the promoted node. */
async function redisServerDeltas(writesPastPromotion: number): Promise<SyncCounters> {
  const args = ['--repl-diskless-sync-delay', '0'];
  const master = await startRedisServer({ args });
  const replica = await startRedisServer({ args: [...args, '--replicaof', '127.0.0.1', String(master.port)] });
  await master.call('SET', 'before', 'promotion');
  await waitFor(async () => (await info(replica, 'replication')).get('slave_repl_offset') === (await info(master, 'replication')).get('master_repl_offset') && await following(replica.port, master.port), { timeoutMs: 15_000, what: 'the redis-server replica in step' });
  await replica.call('REPLICAOF', 'NO', 'ONE');
  for (let index = 0; index < writesPastPromotion; index += 1) await master.call('SET', `past-${index}`, 'x');
  const before = await syncCounters(replica.port);
  await master.call('REPLICAOF', '127.0.0.1', String(replica.port));
  await waitFor(() => following(master.port, replica.port), { timeoutMs: 15_000, what: 'the old redis-server master to follow the promoted one' });
  const after = await syncCounters(replica.port);
  await Promise.all([master.stop(), replica.stop()]);
  return { full: after.full - before.full, partial: after.partial - before.partial };
}

/** The demo pair, load stopped (a write the generator lands on the old master would decide the case), replica promoted by REPLICAOF NO ONE. */
async function promotedDemoPair(): Promise<{ replscope: ConsoleUnderTest; oldMaster: DemoStatus['nodes'][number]; promoted: DemoStatus['nodes'][number] }> {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  const started = await replscope.startDemo({ topology: 'pair' });
  await replscope.call('demo.load', { ...started.load, running: false });
  const oldMaster = started.nodes.find((node) => node.role === 'master')!;
  const promoted = started.nodes.find((node) => node.role === 'replica')!;
  await command({ port: oldMaster.port }, 'SET', 'before', 'promotion');
  await replscope.waitForSteadyGroup(started.nodes.map((node) => node.id));
  const promotion = await replscope.run(await replscope.preflight({ kind: 'promote', nodeId: promoted.id, method: 'replicaof-no-one' }));
  expect(promotion.outcome, promotion.message).toBe('promoted');
  // Both answer ROLE master, and the console has seen it.
  expect(((await command({ port: oldMaster.port }, 'ROLE')) as unknown[])[0]).toBe('master');
  expect(((await command({ port: promoted.port }, 'ROLE')) as unknown[])[0]).toBe('master');
  await waitFor(() => replscope.snapshot().nodes.filter((node) => node.role === 'master').length === 2, { timeoutMs: 10_000, what: 'the console to see two masters' });
  return { replscope, oldMaster, promoted };
}

it('the old master made a replica of the promoted node continues partially when it wrote nothing past the promotion, as redis-server does', async () => {
  const { replscope, oldMaster, promoted } = await promotedDemoPair();
  const oldOffset = Number((await info({ port: oldMaster.port }, 'replication')).get('master_repl_offset'));
  const secondOffset = Number((await info({ port: promoted.port }, 'replication')).get('second_repl_offset'));
  expect(oldOffset + 1).toBeLessThanOrEqual(secondOffset);

  const preflight = await replscope.preflight({ kind: 'repoint', replicaId: oldMaster.id, masterId: promoted.id });
  expect(preflight.prediction, preflight.predictionReason).toBe('partial');
  expect(preflight.predictionReason).toContain(`PSYNC`);
  expect(preflight.predictionReason).toContain(`second_repl_offset`);
  const before = await syncCounters(promoted.port);
  const result = await replscope.run(preflight);
  await waitFor(() => following(oldMaster.port, promoted.port), { timeoutMs: 15_000, what: `${oldMaster.id} to follow ${promoted.id}` });
  const after = await syncCounters(promoted.port);
  expect({ full: after.full - before.full, partial: after.partial - before.partial }).toEqual({ full: 0, partial: 1 });
  expect(result.resync, result.message).toBe('partial');
  expect(result.predictionHeld).toBe(true);
  expect(result.message).toContain(`${promoted.id}'s sync_partial_ok +1`);
  expect(result.message).toContain('replid2');

  expect(await redisServerDeltas(0)).toEqual({ full: 0, partial: 1 });
}, 120_000);

it('the old master made a replica of the promoted node after writing past the promotion needs a full resync, as redis-server does', async () => {
  const { replscope, oldMaster, promoted } = await promotedDemoPair();
  for (let index = 0; index < 3; index += 1) await command({ port: oldMaster.port }, 'SET', `past-${index}`, 'x');
  const oldOffset = Number((await info({ port: oldMaster.port }, 'replication')).get('master_repl_offset'));
  const secondOffset = Number((await info({ port: promoted.port }, 'replication')).get('second_repl_offset'));
  expect(oldOffset + 1).toBeGreaterThan(secondOffset);
  await waitFor(() => replscope.snapshot().nodes.find((node) => node.id === oldMaster.id)?.masterReplOffset === oldOffset, { timeoutMs: 10_000, what: 'the console to read the old master\'s new offset' });

  const preflight = await replscope.preflight({ kind: 'repoint', replicaId: oldMaster.id, masterId: promoted.id });
  expect(preflight.prediction, preflight.predictionReason).toBe('full');
  expect(preflight.predictionReason).toContain(`${oldOffset + 1 - secondOffset} bytes of writes past that point`);
  const before = await syncCounters(promoted.port);
  const result = await replscope.run(preflight);
  await waitFor(() => following(oldMaster.port, promoted.port), { timeoutMs: 15_000, what: `${oldMaster.id} to follow ${promoted.id}` });
  const after = await syncCounters(promoted.port);
  expect({ full: after.full - before.full, partial: after.partial - before.partial }).toEqual({ full: 1, partial: 0 });
  expect(result.resync, result.message).toBe('full');
  expect(result.predictionHeld).toBe(true);
  expect(result.message).toContain(`${promoted.id}'s sync_full +1`);
  expect(result.message).toContain('never saw');

  expect(await redisServerDeltas(3)).toEqual({ full: 1, partial: 0 });
}, 120_000);

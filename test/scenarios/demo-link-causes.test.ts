/**
 * The embedded demo's link-downs and their causes, held against the
 * engines' own INFO counters.
 *
 * An engine sees a link closed by the other end (a FIN or a reset reached
 * it): CLIENT KILL run there, the other process stopping, the demo's chaos
 * proxy dropping both sockets. That is not "network": a network that stops
 * carrying packets closes nothing, and the link ends in a timeout. The
 * timeline says the other end closed it (cause peer-closed), or, when this
 * console knows why (its chaos), puts it down to that.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { command, info } from '../support/replication';
import { ConsoleUnderTest, useScenarioCleanup } from './harness';

useScenarioCleanup();

const counters = async (port: number): Promise<{ full: number; partialOk: number }> => {
  const stats = await info({ port }, 'stats');
  return { full: Number(stats.get('sync_full')), partialOk: Number(stats.get('sync_partial_ok')) };
};

const describe = (events: readonly ReplicationEvent[]): string => events.map((event) => `${event.kind} ${event.nodeId} [${event.cause}] ${event.message}`).join('\n');

it('CLIENT KILL TYPE replica run on the demo\'s master outside the console: the replica side says its master closed the link (peer-closed), not "network"', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const before = await counters(master.port);
  const since = Date.now();

  expect(await command({ port: master.port }, 'CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
  const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= since, 'the partial resync after the kill', 15_000);
  // The master's truth: the replica came back with one partial resync.
  expect(await counters(master.port)).toEqual({ full: before.full, partialOk: before.partialOk + 1 });
  expect(partial.message).toContain(`continued ${replica.id}`);

  const linkDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since);
  const replicaSide = linkDowns.find((event) => event.message.includes('(replica side'));
  const masterSide = linkDowns.find((event) => event.message.includes('(master side'));
  expect(replicaSide, describe(linkDowns)).toBeDefined();
  expect(replicaSide).toMatchObject({ cause: 'peer-closed', inferred: false });
  expect(replicaSide!.message).toContain('connection closed by master');
  // The master's own side knows it was killed by a command (CLIENT KILL).
  expect(masterSide).toMatchObject({ cause: 'manual' });
  expect(masterSide!.message).toContain('killed; CLIENT KILL');
  expect(replscope.eventsWhere((event) => event.time >= since && event.cause === 'network')).toEqual([]);
});

it('the demo\'s chaos "restart the master" keeping its replication id: the link-downs on both sides and the partial resync after are the chaos\'s', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  const since = Date.now();

  await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });
  const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= since, 'the partial resync after the restart', 20_000);
  // The restarted master's truth (its counters start at zero): it continued the replica, no full sync.
  expect(await counters(master.port)).toEqual({ full: 0, partialOk: 1 });
  expect((await info({ port: replica.port }, 'replication')).get('master_link_status')).toBe('up');

  const chaos = 'the demo\'s chaos (restart the master keeping its replication id)';
  expect(partial).toMatchObject({ cause: 'chaos', numbers: { attribution: 'operator' } });
  expect(partial.message).toContain(`— it reconnected after ${chaos}`);
  const linkDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= since);
  expect(linkDowns.some((event) => event.message.includes('(replica side')), describe(linkDowns)).toBe(true);
  expect(linkDowns.some((event) => event.message.includes('(master side')), describe(linkDowns)).toBe(true);
  for (const event of linkDowns) {
    expect(event.cause, event.message).toBe('chaos');
    expect(event.message).toContain(`— ${chaos}`);
  }
  expect(replscope.eventsWhere((event) => event.time >= since && event.cause === 'network')).toEqual([]);
}, 60_000);

/**
 * A replica whose port refuses the console's dial while its master still
 * lists its old connection online, and another replica's partial resync in
 * the same poll. A refused dial says the replica's listener is gone, not
 * that the connection its master lists is new: a replica killed (kill -9)
 * between its master's INFO and its own dial is still listed online by an
 * INFO read before the master saw the socket close, and one that moved its
 * listener (CONFIG SET port, used here: it reproduces that state on every
 * poll, not only in a race of milliseconds) keeps streaming on its old
 * connection. Only its next answer tells a restart (a new run_id, the case
 * of a replica restarted from its RDB that continued by PSYNC before the
 * console's dial reached it) from a connection that never dropped.
 *
 * The console took the refusing replica for the one that reconnected: the
 * other replica's partial resync was put down to it (or to none, two
 * candidates for one count).
 *
 * Held against the nodes' own truth: the master's log accepts the PSYNC of
 * the replica whose link was cut (CLIENT KILL TYPE master on it) and no
 * other, its sync_partial_ok moves by one, sync_full by none, and the
 * refusing replica keeps its run_id and its connection (master_link_status
 * up, the master's connection to it older than the cut).
 */
import { expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { command, info } from '../support/replication';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, countLog, counterDelta, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

const escaped = (id: string): string => id.replace(/\./g, '\\.');

/** The ages (s) of the master's replica connections. */
async function replicaConnectionAges(master: ScenarioNode): Promise<number[]> {
  const list = String(await master.call('CLIENT', 'LIST', 'TYPE', 'replica'));
  return list.split('\n').filter((line) => line.trim() !== '').map((line) => Number(/\bage=(\d+)/.exec(line)?.[1]));
}

it('a replica refusing the dial while its master lists it online is no candidate for another replica\'s partial resync', async () => {
  const group = await startGroup('redis', { shape: 'two-replicas' });
  const { master } = group;
  const [refusing, cut] = group.replicas as [ScenarioNode, ScenarioNode];
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  // Both replica connections older than any young-connection window the attribution may ask about.
  await waitFor(async () => (await replicaConnectionAges(master)).every((age) => age >= 20), { what: 'the replicas\' connections 20 s old', timeoutMs: 40_000 });
  const runIdBefore = (await refusing.info('server')).get('run_id');
  const before = await replicationTruth(master);
  const mark = master.mark();
  const since = Date.now();

  // The refusing replica: its listener moves, the console's connections to it are closed; its link stays.
  const movedTo = await freePort();
  expect(await refusing.call('CONFIG', 'SET', 'port', movedTo)).toBe('OK');
  expect(await command({ port: movedTo }, 'CLIENT', 'KILL', 'TYPE', 'normal')).toBeGreaterThanOrEqual(1);
  // In the same poll, the other replica's link cut: it continues by PSYNC.
  expect(await cut.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  await waitForLog(master, new RegExp(`Partial resynchronization request from ${escaped(cut.id)} accepted`), mark);

  const seen = await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === refusing.id && node.health === 'unreachable' && node.healthProblem === 'refused'), `${refusing.id} refusing`);
  expect(replscope.link(refusing.id, seen).masterSideState, 'the master lists the refusing replica online').toBe('online');
  const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.time >= since && event.peerId === master.id, 'the partial resync', 30_000);
  expect(partial.nodeId, replscope.describeEvents()).toBe(cut.id);
  expect(partial.message).toContain(`accepted a partial resync from ${cut.id}`);

  // The nodes' truth: one PSYNC accepted, the cut replica's; the refusing one never reconnected.
  const delta = counterDelta(before, await replicationTruth(master));
  expect(delta.partialOk).toBe(1);
  expect(delta.full).toBe(0);
  expect(countLog(master, LOG.partialAccepted, mark)).toBe(1);
  const moved = await info({ port: movedTo }, 'everything');
  expect(moved.get('run_id')).toBe(runIdBefore);
  expect(moved.get('master_link_status')).toBe('up');
  expect((await replicaConnectionAges(master)).filter((age) => age >= 20)).toHaveLength(1);
  expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.time >= since).map((event) => event.nodeId), replscope.describeEvents()).toEqual([cut.id]);
}, 120_000);

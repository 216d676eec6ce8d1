/**
 * Replicas restarted from their RDB, one after the other. Found in a new
 * user's walk (redis-server 7.0, a master and two replicas, `save` on): a
 * replica shut down saves its dataset with its master's replication id and
 * its offset (the RDB aux fields); started again it loads them ("Before
 * turning into a replica, using my own master parameters to synthesize a
 * cached master") and continues by PSYNC, which its master accepts
 * ("Partial resynchronization request from <replica> accepted"). The first
 * replica's partial resync was named; the second one's, restarted a few
 * seconds later, was "the replica could not be told", and its link, down
 * on the timeline, never came back there. The first replica, restarted
 * within the last 30 s, was still taken for a candidate, though its own
 * resync had been counted and its link seen online since: two candidates
 * for one count, and the second replica, not answering yet, could not be
 * picked by its connection.
 *
 * Held against the nodes' own truth: the master's log names each replica's
 * accepted PSYNC, and its sync_partial_ok moves by two, sync_full by none.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, countLog, counterDelta, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

const escaped = (id: string): string => id.replace(/\./g, '\\.');

it('two replicas restarted from their RDB a few seconds apart: each partial resync names its replica', async () => {
  const group = await startGroup('redis', { shape: 'two-replicas' });
  const { master, replicas } = group;
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  for (let index = 0; index < 50; index++) expect(await master.call('SET', `key:${index}`, 'v')).toBe('OK');
  await waitFor(async () => {
    const offset = (await replicationTruth(master)).masterReplOffset;
    return (await Promise.all(replicas.map(async (replica) => (await replicationTruth(replica)).slaveReplOffset === offset))).every(Boolean);
  }, { what: 'both replicas at the master\'s offset' });
  const before = await replicationTruth(master);
  const mark = master.mark();

  for (const replica of replicas) {
    // Persistence on: SIGTERM saves dump.rdb with the replication id and offset, which the new process loads.
    expect(await replica.call('CONFIG', 'SET', 'save', '3600 1')).toBe('OK');
    const replicaMark = replica.mark();
    const since = Date.now();
    await replica.restart();
    await waitForLog(replica, /synthesize a cached master/, replicaMark);
    await waitForLog(master, new RegExp(`Partial resynchronization request from ${escaped(replica.id)} accepted`), mark);
    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.time >= since && event.peerId === master.id, `the partial resync of ${replica.id}`);
    expect(partial.nodeId, replscope.describeEvents()).toBe(replica.id);
    expect(partial.message).toContain(`accepted a partial resync from ${replica.id}`);
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  }

  // The master's truth: two PSYNCs accepted, one per replica, and no full sync.
  const delta = counterDelta(before, await replicationTruth(master));
  expect(delta.partialOk).toBe(2);
  expect(delta.full).toBe(0);
  expect(countLog(master, LOG.partialAccepted, mark)).toBe(2);
  expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' && /could not be told/.test(event.message)), replscope.describeEvents()).toHaveLength(0);
}, 90_000);

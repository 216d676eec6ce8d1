/**
 * A replica restarted from its RDB between two polls, then another
 * replica's link cut within 30 s. redis-server 7.0: the restarted replica
 * loads its master's replication id and offset from the RDB ("synthesize a
 * cached master") and continues by PSYNC before the next poll, so no poll
 * sees its link in trouble; the console sees only its new run_id. Its
 * partial resync is counted and named at that poll. The other replica's
 * link, cut by CLIENT KILL TYPE master on it, continues by PSYNC too.
 *
 * The restarted replica stayed a candidate for 30 s (restarted lately)
 * after its own resync was counted: only a poll that saw its link in
 * trouble cleared when the link was last seen settled, and the restart had
 * none, so the settled time stayed from before the restart and the restart
 * looked never settled. The second partial resync was put down to the
 * restarted replica, or to none (two candidates for one count).
 *
 * Held against the nodes' own truth: the master's log accepts one PSYNC
 * from each replica, in that order, and its sync_partial_ok moves by two,
 * sync_full by none; the restarted replica's log synthesizes its cached
 * master.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, countLog, counterDelta, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

const escaped = (id: string): string => id.replace(/\./g, '\\.');
const accepted = (replica: ScenarioNode): RegExp => new RegExp(`Partial resynchronization request from ${escaped(replica.id)} accepted`);

/** Resolves just after the console pushes its next snapshot (a poll has ended). */
async function nextPoll(replscope: ConsoleUnderTest): Promise<void> {
  const count = replscope.snapshots.length;
  await replscope.waitForSnapshot(() => replscope.snapshots.length > count, 'the next poll');
}

it('a replica restarted from its RDB between two polls is no candidate for the next replica\'s partial resync', async () => {
  const group = await startGroup('redis', { shape: 'two-replicas' });
  const { master } = group;
  const [restarted, cut] = group.replicas as [ScenarioNode, ScenarioNode];
  // Polls 3 s apart: a redis-server restart from a small RDB (save, exit, load, PSYNC) fits between two.
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 3000 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  for (let index = 0; index < 50; index++) expect(await master.call('SET', `key:${index}`, 'v')).toBe('OK');
  await waitFor(async () => {
    const offset = (await replicationTruth(master)).masterReplOffset;
    return (await Promise.all(group.replicas.map(async (replica) => (await replicationTruth(replica)).slaveReplOffset === offset))).every(Boolean);
  }, { what: 'both replicas at the master\'s offset' });
  // Past the look-back in which the initial syncs make the links candidates.
  for (let poll = 0; poll < 3; poll++) await nextPoll(replscope);
  expect(await restarted.call('CONFIG', 'SET', 'save', '3600 1')).toBe('OK');
  const before = await replicationTruth(master);
  const mark = master.mark();

  // 1. The restart, just after a poll: the next poll sees only the new run_id.
  const runIdBefore = (await restarted.info('server')).get('run_id');
  await nextPoll(replscope);
  const restartedAt = Date.now();
  const polls = replscope.snapshots.length;
  const replicaMark = restarted.mark();
  await restarted.restart();
  await waitForLog(restarted, /synthesize a cached master/, replicaMark);
  await waitForLog(master, accepted(restarted), mark);
  expect((await restarted.info('server')).get('run_id')).not.toBe(runIdBefore);
  // The scenario's premise: no poll ran while the replica was away (else its link was seen in trouble).
  expect(replscope.snapshots.length, 'a poll ran during the restart').toBe(polls);
  const own = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.time >= restartedAt && event.peerId === master.id, `the partial resync of ${restarted.id}`);
  expect(own.nodeId, replscope.describeEvents()).toBe(restarted.id);
  const linkSeen = replscope.link(restarted.id);
  expect(linkSeen.state).toBe('online');

  // 2. Another replica's link cut a poll later, well within 30 s of the restart.
  await nextPoll(replscope);
  const cutAt = Date.now();
  expect(cutAt - restartedAt).toBeLessThan(15_000);
  const cutMark = master.mark();
  expect(await cut.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  await waitForLog(master, accepted(cut), cutMark);
  const other = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.time >= cutAt && event.peerId === master.id, `the partial resync of ${cut.id}`);
  expect(other.nodeId, replscope.describeEvents()).toBe(cut.id);
  expect(other.message).toContain(`accepted a partial resync from ${cut.id}`);

  // The nodes' truth: two PSYNCs accepted, one per replica, no full sync.
  const delta = counterDelta(before, await replicationTruth(master));
  expect(delta.partialOk).toBe(2);
  expect(delta.full).toBe(0);
  expect(countLog(master, LOG.partialAccepted, mark)).toBe(2);
  expect(countLog(master, accepted(restarted), mark)).toBe(1);
  expect(countLog(master, accepted(cut), mark)).toBe(1);
  expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.time >= restartedAt).map((event) => event.nodeId), replscope.describeEvents()).toEqual([restarted.id, cut.id]);
}, 120_000);

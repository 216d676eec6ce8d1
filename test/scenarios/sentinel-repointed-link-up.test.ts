/**
 * The link-ups Sentinel brings about, against the nodes' own word: three
 * redis-sentinel processes and a redis-server 7.0 master with two replicas,
 * SENTINEL FAILOVER run on a Sentinel (as redis-cli -p <sentinel> would),
 * the console attached through the Sentinels.
 *
 * Found so: the other replica, re-pointed by Sentinel (its log "+slave-
 * reconf-sent slave <replica> ... @ mymaster <old master>", the replica's
 * "Successful partial resynchronization with master", the new master's
 * "Partial resynchronization request from <replica> accepted"), got a
 * link-up with the new master that said only "link <new> -> <replica> is
 * up", cause unknown; when its PSYNC fell between two polls there was no
 * link-up at all (the link was first seen already online). So for the old
 * master Sentinel converted (+convert-to-slave).
 *
 * Each link-up now says Sentinel re-pointed the replica and how its PSYNC
 * went, and that verdict is held against the new master's log lines and
 * counters for that replica.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { escapeRegExp as escape, LOG, logLines, replicationTruth, sentinelFailoverWatched, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

/** What the new master's log says of one replica's PSYNC since `mark`: 'partial' (accepted) or 'full'. */
function psyncByLog(master: ScenarioNode, replica: ScenarioNode, mark: { offset: number }): 'partial' | 'full' | null {
  const accepted = logLines(master, new RegExp(`Partial resynchronization request from ${escape(replica.id)} accepted`), mark);
  const refused = logLines(master, new RegExp(`(Partial resynchronization not accepted|Full resync requested by replica ${escape(replica.id)})`), mark);
  if (accepted.length > 0) return 'partial';
  return refused.length > 0 ? 'full' : null;
}

it('after SENTINEL FAILOVER, the link-ups of the replicas Sentinel re-pointed name Sentinel and their PSYNC outcome, as the new master logged and counted it', async () => {
  const { group, oldMaster, newMaster, replscope, marks } = await sentinelFailoverWatched();
  const other = group.replicas.find((replica) => replica.id !== newMaster.id)!;
  const newMark = marks.get(newMaster.id)!;

  // The nodes' truth for the re-pointed replica: Sentinel sent it SLAVEOF, and its PSYNC was accepted.
  await waitForLog(other, LOG.replicaPartialOk, marks.get(other.id)!);
  await waitForLog(newMaster, new RegExp(`Partial resynchronization request from ${escape(other.id)} accepted`), newMark);
  const reconf = new RegExp(`\\+slave-reconf-sent slave ${escape(other.id)} `);
  expect(group.sentinels.some((sentinel) => reconf.test(sentinel.log()))).toBe(true);
  const afterFailover = await replicationTruth(newMaster);
  expect(afterFailover.syncPartialOk).toBeGreaterThanOrEqual(1);

  const isLinkUp = (replica: ScenarioNode) => (event: ReplicationEvent): boolean => event.kind === 'link-up' && event.nodeId === replica.id && event.peerId === newMaster.id;
  const up = await replscope.waitForEvent(isLinkUp(other), `the link-up of ${other.id} with ${newMaster.id}`, 30_000);
  expect(up, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: 'partial' } });
  expect(up.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${escape(other.id)} to the new master ${escape(newMaster.id)} after the failover \\(\\+slave-reconf-(sent|inprog|done) at `));
  expect(up.message).toContain('its PSYNC was accepted: a partial resync');
  // The count the console quotes is the new master's own: sync_partial_ok rose to at most what INFO says now.
  const quoted = /sync_partial_ok (\d+) -> (\d+)/.exec(up.message);
  expect(quoted, up.message).not.toBeNull();
  expect(Number(quoted![2])).toBeGreaterThan(Number(quoted![1]));
  expect(Number(quoted![2])).toBeLessThanOrEqual(afterFailover.syncPartialOk);

  // The old master: Sentinel converts it (+convert-to-slave) once it has reported "master" for a while;
  // its link-up with the new master names Sentinel and the PSYNC outcome the new master's log gives for it.
  const oldUp = await replscope.waitForEvent(isLinkUp(oldMaster), `the link-up of ${oldMaster.id} with ${newMaster.id}`, 40_000);
  expect((await replicationTruth(oldMaster)).masterId).toBe(newMaster.id);
  const verdict = psyncByLog(newMaster, oldMaster, newMark);
  expect(verdict, newMaster.logSince(newMark)).not.toBeNull();
  expect(oldUp, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: verdict! } });
  expect(oldUp.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${escape(oldMaster.id)} to ${escape(newMaster.id)} \\(\\+convert-to-slave at `));
  expect(oldUp.message).toContain(verdict === 'partial' ? 'its PSYNC was accepted: a partial resync' : 'its PSYNC could not continue: a full resync');
  expect(replscope.eventsWhere((event) => event.kind === 'link-up' && event.cause === 'unknown' && event.peerId === newMaster.id)).toEqual([]);
}, 120_000);

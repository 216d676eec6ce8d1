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
 *
 * Either verdict can be the truth for the other replica: the old master
 * stays a master until Sentinel converts it, and the Sentinels' hello
 * PUBLISHes it keeps propagating can carry the other replica past the
 * offset the promoted one stopped at. Its PSYNC is then refused ("Requested
 * offset for second ID was 828, but I can reply up to 694") and it does a
 * full sync, as seen under load. So the test reads which one happened from
 * both nodes' logs, then holds the link-up to it.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { escapeRegExp as escape, LOG, replicationTruth, sentinelFailoverWatched, useScenarioCleanup, waitForLog, type ScenarioNode } from './harness';
import { CAUSE_LABELS } from '../../shared/contract/cause-labels';

useScenarioCleanup();

/**
 * What the new master's log says of one replica's first PSYNC since `mark`: 'partial' (accepted) or
 * 'full'. "Partial resynchronization not accepted" names no replica: it is the line right after that
 * replica's "Replica <id> asks for synchronization" (one command, one thread: nothing comes between);
 * "Unable to partial resync with replica <id> for lack of backlog" is 7.0's third refusal. Null while
 * the answer is not logged yet.
 */
function psyncByLog(master: ScenarioNode, replica: ScenarioNode, mark: { offset: number }): 'partial' | 'full' | null {
  const lines = master.logSince(mark).split('\n');
  const asked = lines.findIndex((line) => line.includes(`Replica ${replica.id} asks for synchronization`));
  const answer = asked === -1 ? undefined : lines[asked + 1];
  if (answer === undefined) return null;
  if (new RegExp(`Partial resynchronization request from ${escape(replica.id)} accepted`).test(answer)) return 'partial';
  if (new RegExp(`Unable to partial resync with replica ${escape(replica.id)} for lack of backlog`).test(answer)) return 'full';
  return LOG.partialNotAccepted.test(answer) || new RegExp(`Full resync requested by replica ${escape(replica.id)}`).test(answer) ? 'full' : null;
}

/**
 * psyncByLog once the new master has logged its answer. It writes +CONTINUE to the replica before it
 * logs "Partial resynchronization request ... accepted", so the replica's "Successful partial
 * resynchronization" can come first: wait for the master's line, not for the replica's.
 */
async function psyncLogged(master: ScenarioNode, replica: ScenarioNode, mark: { offset: number }): Promise<'partial' | 'full' | null> {
  await waitFor(() => psyncByLog(master, replica, mark) !== null, { timeoutMs: 20_000, what: `${master.id}'s answer to the PSYNC of ${replica.id} in its log` }).catch(() => undefined);
  return psyncByLog(master, replica, mark);
}

/** The link-up's words and quoted counter for a PSYNC outcome: the counter the new master moved for it. */
const OUTCOME = {
  partial: { words: 'its PSYNC was accepted: a partial resync', counter: 'sync_partial_ok', truth: 'syncPartialOk' },
  full: { words: 'its PSYNC could not continue: a full resync', counter: 'sync_full', truth: 'syncFull' },
} as const;

it('after SENTINEL FAILOVER, the link-ups of the replicas Sentinel re-pointed name Sentinel and their PSYNC outcome, as the new master logged and counted it', async () => {
  const { group, oldMaster, newMaster, replscope, marks } = await sentinelFailoverWatched();
  const other = group.replicas.find((replica) => replica.id !== newMaster.id)!;
  const newMark = marks.get(newMaster.id)!;

  // The nodes' truth for the re-pointed replica: Sentinel sent it SLAVEOF, and its PSYNC was accepted
  // (its "Successful partial resynchronization", the new master's "... request from <it> accepted") or
  // refused (its "Full resync from master", the new master's refusal after its "asks for synchronization").
  const otherMark = marks.get(other.id)!;
  const replicaSaid = await waitForLog(other, new RegExp(`${LOG.replicaPartialOk.source}|${LOG.replicaFullResync.source}`), otherMark);
  const otherVerdict = LOG.replicaPartialOk.test(replicaSaid) ? 'partial' : 'full';
  expect(await psyncLogged(newMaster, other, newMark), newMaster.logSince(newMark)).toBe(otherVerdict);
  const reconf = new RegExp(`\\+slave-reconf-sent slave ${escape(other.id)} `);
  expect(group.sentinels.some((sentinel) => reconf.test(sentinel.log()))).toBe(true);

  const isLinkUp = (replica: ScenarioNode) => (event: ReplicationEvent): boolean => event.kind === 'link-up' && event.nodeId === replica.id && event.peerId === newMaster.id;
  const up = await replscope.waitForEvent(isLinkUp(other), `the link-up of ${other.id} with ${newMaster.id}`, 30_000);
  const afterFailover = await replicationTruth(newMaster);
  const outcome = OUTCOME[otherVerdict];
  expect(afterFailover[outcome.truth]).toBeGreaterThanOrEqual(1);
  expect(up, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: otherVerdict } });
  expect(up.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${escape(other.id)} to the new master ${escape(newMaster.id)} after the failover \\(\\+slave-reconf-(sent|inprog|done) at `));
  expect(up.message).toContain(outcome.words);
  // The count the console quotes is the new master's own: the counter of that outcome rose, to at most what INFO says now.
  const quoted = new RegExp(`${outcome.counter} (\\d+) -> (\\d+)`).exec(up.message);
  expect(quoted, up.message).not.toBeNull();
  expect(Number(quoted![2])).toBeGreaterThan(Number(quoted![1]));
  expect(Number(quoted![2])).toBeLessThanOrEqual(afterFailover[outcome.truth]);

  // The old master: Sentinel converts it (+convert-to-slave) once it has reported "master" for a while;
  // its link-up with the new master names Sentinel and the PSYNC outcome the new master's log gives for it.
  const oldUp = await replscope.waitForEvent(isLinkUp(oldMaster), `the link-up of ${oldMaster.id} with ${newMaster.id}`, 40_000);
  expect((await replicationTruth(oldMaster)).masterId).toBe(newMaster.id);
  const verdict = await psyncLogged(newMaster, oldMaster, newMark);
  expect(verdict, newMaster.logSince(newMark)).not.toBeNull();
  expect(oldUp, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: verdict! } });
  expect(oldUp.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${escape(oldMaster.id)} to ${escape(newMaster.id)} \\(\\+convert-to-slave at `));
  expect(oldUp.message).toContain(OUTCOME[verdict!].words);
  expect(replscope.eventsWhere((event) => event.kind === 'link-up' && event.cause === 'unknown' && event.peerId === newMaster.id)).toEqual([]);
  // A full resync's cause is named in the timeline's words, as its own line shows it ("demoted master
  // resyncing"), not by the contract's id: the link-up said "cause demoted-master".
  for (const [linkUp, replica] of [[up, other], [oldUp, oldMaster]] as const) {
    if (linkUp.numbers.psync !== 'full') continue;
    const full = replscope.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.peerId === newMaster.id).at(-1);
    expect(full, replscope.describeEvents()).toBeDefined();
    expect(linkUp.message).toContain(`cause: ${CAUSE_LABELS[full!.cause]})`);
    expect(linkUp.message).not.toContain(`cause ${full!.cause}`);
  }
}, 120_000);

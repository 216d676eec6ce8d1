/**
 * A replica Sentinel re-points whose full sync outlasts failover-timeout.
 * Found in a new user's walk (redis-server 7.0, three Sentinels,
 * failover-timeout 5 s, the new master's repl-diskless-sync-delay 5 s):
 * after SENTINEL FAILOVER the other replica's PSYNC was refused (its log
 * "Trying a partial resynchronization", then "Full resync from master"),
 * and the leader, its failover-timeout gone by with the replica not yet
 * done, sent SLAVEOF once more, best effort (+slave-reconf-sent-be), which
 * the replica, already following the new master, ignored. The console
 * filed the replica's link-up with the new master against that last
 * notice, found no resync since it, and said "no resync counter of <new
 * master> moved for it in 15 s, so how its PSYNC went is not known", while
 * the same timeline had the full resync from the first SLAVEOF; its
 * replication id change cited +slave-reconf-sent-be too.
 *
 * Held against the nodes' own word: the leader's log has +slave-reconf-sent
 * then +slave-reconf-sent-be for the replica, the replica's log a full
 * resync from the new master; the link-up must say so (a full resync, from
 * +slave-reconf-sent) and the replid change cite +slave-reconf-sent.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, escapeRegExp as escape, startSentinelScenario, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

it('a re-pointed replica whose full sync outlasts failover-timeout: its link-up says the full resync of the first SLAVEOF, not "not known" after +slave-reconf-sent-be', async () => {
  // The full sync waits 8 s for more replicas (repl-diskless-sync-delay), past Sentinel's failover-timeout of 5 s.
  const group = await startSentinelScenario({ kind: 'redis', args: ['--repl-diskless-sync-delay', '8'] });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const marks = new Map(group.nodes.map((node) => [node.id, node.mark()]));
  const sentinelMarks = group.sentinels.map((sentinel) => sentinel.log().length);

  // Writes on the old master while Sentinel fails over: the other replica takes some past the promotion point,
  // so its PSYNC to the new master is refused and it full-syncs.
  const load = WriteLoad.start(oldMaster, { opsPerSec: 2000 });
  expect(await group.sentinels[1]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  const newMaster = group.node(await group.waitForNewMaster(oldMaster.id));
  const other = group.replicas.find((replica) => replica.id !== newMaster.id)!;
  const sentLine = new RegExp(`\\+slave-reconf-sent slave ${escape(other.id)} `);
  const bestEffortLine = new RegExp(`\\+slave-reconf-sent-be slave ${escape(other.id)} `);
  const sentinelLogs = (): string[] => group.sentinels.map((sentinel, index) => sentinel.log().slice(sentinelMarks[index]));
  await waitFor(() => sentinelLogs().some((log) => sentLine.test(log)), { timeoutMs: 15_000, what: `a Sentinel to log +slave-reconf-sent for ${other.id}` });
  await load.stop();

  // The nodes' truth: a full resync of the other replica from the new master, and the leader's best-effort resend
  // of SLAVEOF while that full sync was still held (failover-timeout gone by).
  await waitForLog(other, new RegExp(`Full resync from master: ${(await newMaster.info('replication')).get('master_replid') ?? '?'}:`), marks.get(other.id)!);
  await waitFor(() => sentinelLogs().some((log) => bestEffortLine.test(log)), { timeoutMs: 20_000, what: `a Sentinel to log +slave-reconf-sent-be for ${other.id}` });
  await waitForLog(newMaster, new RegExp(`Synchronization with replica ${escape(other.id)} succeeded`), marks.get(newMaster.id)!, 20_000);

  const isLinkUp = (event: ReplicationEvent): boolean => event.kind === 'link-up' && event.nodeId === other.id && event.peerId === newMaster.id;
  const up = await replscope.waitForEvent(isLinkUp, `the link-up of ${other.id} with ${newMaster.id}`, 30_000);
  expect(up, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: 'full' } });
  expect(up.message).toMatch(new RegExp(`re-pointed ${escape(other.id)} to the new master ${escape(newMaster.id)} after the failover \\(\\+slave-reconf-sent at `));
  expect(up.message).toContain('its PSYNC could not continue: a full resync');
  const full = replscope.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === other.id && event.peerId === newMaster.id);
  expect(full).toHaveLength(1);
  expect(up.time).toBeGreaterThanOrEqual(full[0]!.time);

  const change = await replscope.waitForEvent((event) => event.kind === 'replid-change' && event.nodeId === other.id && event.cause === 'sentinel-failover', `the replid change of ${other.id}`, 10_000);
  expect(change.message).toMatch(/\(\+slave-reconf-sent at /);
}, 120_000);

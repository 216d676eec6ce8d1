/**
 * Promote through Sentinel (the console's SENTINEL FAILOVER): Sentinel turns
 * the old master into a replica of the new one only once it has reported
 * "master" for 8 s after the switch (+convert-to-slave), and its full resync
 * then waits for the new master's repl-diskless-sync-delay (5 s by default).
 * Found in a new-user trial (redis-server 7.0, three redis-sentinel): the
 * result said "<old master> was not seen following it within 15 s" while its
 * INFO had said `role:slave`, `master_port:<new master>` for 4 s, its log
 * "REPLICAOF <new master> enabled (user request from ... sentinel-...)" and
 * "Trying a partial resynchronization": it did follow, its resync had not
 * finished.
 *
 * Here the replicas' repl-diskless-sync-delay is 25 s (with 12 s, the other
 * replica's sync, re-pointed at once, started the snapshot the old master
 * joined, within the 15 s), so the old master is a replica of the new one,
 * still syncing, when the console's 15 s of watching end:
 * the result says it follows, its resync not finished, never that it was not
 * seen following. On a loaded machine Sentinel's conversion may come after
 * the 15 s: the result then says the old master still answered as a master
 * (the state it was in), and the test checks that the conversion came.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

it('SENTINEL FAILOVER from Promote: an old master converted but still syncing when the watch ends is said to follow, not "not seen following"', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const target = group.replicas[0]!;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  await replscope.waitForSteadyGroup([oldMaster.id, ...group.replicas.map((replica) => replica.id)]);
  // On both replicas: Sentinel picks the one it promotes (SENTINEL FAILOVER, not necessarily the target).
  for (const replica of group.replicas) expect(await replica.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '25')).toBe('OK');
  const mark = oldMaster.mark();

  const preflight = await replscope.preflight({ kind: 'promote', nodeId: target.id, method: 'sentinel-failover' });
  const result = await replscope.run(preflight);
  const promotedId = String(result.observed['promoted']);
  expect(result.outcome, result.message).toBe('promoted');
  expect(result.message).not.toContain('was not seen following it');
  // Sentinel made the old master a replica of the promoted one (within the watch, or just after it under load).
  await waitForLog(oldMaster, new RegExp(`REPLICAOF ${promotedId.replace(/\./g, '\\.')} enabled`), mark);
  const truth = await replicationTruth(oldMaster);
  expect(truth.role).toBe('slave');
  expect(truth.masterId).toBe(promotedId);
  // Its sync waits for the new master's 25 s repl-diskless-sync-delay: not finished when the watch ended.
  expect(truth.masterLinkStatus, result.message).toBe('down');
  if (result.message.includes(`${oldMaster.id} still answered as a master`)) return; // the conversion came after the 15 s watched
  expect(result.message).toContain(`${oldMaster.id} follows it (its replica, link `);
  expect(result.message).toMatch(/resync (has )?not finished/);
}, 90_000);

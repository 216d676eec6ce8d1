/**
 * A CLIENT KILL TYPE master on an old master Sentinel has converted, once
 * its resync from the new master is over. Found walking the console against
 * redis-server / redis-sentinel 7.0 (SENTINEL FAILOVER, then the kill 10 s
 * after +convert-to-slave): the kill's link drop and partial resync were
 * put down to Sentinel ("it continued after Sentinel ... re-pointed ...
 * (+convert-to-slave ...)") and the link-down to "cause unknown", while the
 * old master's INFO commandstats counted the CLIENT KILL and its log said
 * "Connection with master lost" 10 s after its full sync. Sentinel's
 * SLAVEOF drops the link once; the resync that follows it is Sentinel's, a
 * later one is not.
 *
 * Held against the old master's INFO commandstats (cmdstat_client|kill)
 * and log, and the new master's "Partial resynchronization request ...
 * accepted" and sync_partial_ok.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, LOG, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

function clientKills(commandstats: Map<string, string>): number {
  return Number(/calls=(\d+)/.exec(commandstats.get('cmdstat_client|kill') ?? '')?.[1] ?? 0);
}

it('a CLIENT KILL TYPE master on the converted old master, after its resync: put down to the CLIENT KILL, not to Sentinel\'s re-pointing', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 500, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  const load = WriteLoad.start(oldMaster, { opsPerSec: 200 });
  expect(await group.sentinels[0]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK');
  const newMasterId = await group.waitForNewMaster(oldMaster.id);
  await load.stop();
  const newMaster = group.node(newMasterId);
  await replscope.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === oldMaster.id && event.cause === 'sentinel-failover', `Sentinel's conversion of ${oldMaster.id}`, 40_000);
  await waitFor(async () => (await oldMaster.info('replication')).get('master_link_status') === 'up', { timeoutMs: 30_000, what: `${oldMaster.id} synced from ${newMasterId}` });
  await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of ${oldMaster.id}`, 20_000);
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === oldMaster.id && link.masterId === newMasterId && link.state === 'online'), 'the link online in a poll');

  const partialBefore = (await replicationTruth(newMaster)).syncPartialOk;
  const killsBefore = clientKills(await oldMaster.info('commandstats'));
  const mark = oldMaster.mark();
  const newMasterMark = newMaster.mark();
  expect(await oldMaster.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
  // The nodes' truth: the old master dropped its master link and continued; the new master accepted and counted it.
  await waitForLog(oldMaster, /Connection with master lost/, mark);
  await waitForLog(newMaster, LOG.partialAccepted, newMasterMark);
  expect(clientKills(await oldMaster.info('commandstats')) - killsBefore).toBe(1);
  expect((await replicationTruth(newMaster)).syncPartialOk - partialBefore).toBe(1);

  const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === oldMaster.id, `the partial resync of ${oldMaster.id}`, 20_000);
  expect(resync.cause, resync.message).toBe('client-kill');
  expect(resync.message).not.toMatch(/Sentinel/);
  expect(resync.message).toContain(`CLIENT KILL on ${oldMaster.id} (not by this console): cmdstat_client|kill rose by 1`);
  const down = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === oldMaster.id && event.peerId === newMasterId);
  expect(down.map((event) => event.cause)).toEqual(['client-kill']);
}, 120_000);

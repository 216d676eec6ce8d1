/**
 * A killed master that comes back with its RDB. Found in a new user's walk
 * (redis-server 7.0, three Sentinels): the old master, kill -9'd after a
 * failover, restarted from the dump.rdb in its directory ("Done loading
 * RDB, keys loaded: N"), was converted by Sentinel and full-synced from
 * the new master; the console said "it restarted without its data". It
 * had its data: what it lacked was a history the new master knows (a
 * restarted node draws a new replication id; its PSYNC asks with it, and
 * the new master logs "Replication ID mismatch").
 *
 * Held against the nodes' own word: the restarted node's INFO
 * rdb_last_load_keys_loaded and keyspace, its PSYNC refused by the new
 * master as a mismatch; the console's full resync names the keys it came
 * back with and the new replication id, not "without its data".
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, LOG, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

const KEYS = 120;

it('a killed master restarted from its RDB and converted by Sentinel: its full resync says it came back with its keys and a new replication id', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  for (let index = 0; index < KEYS; index += 1) expect(await oldMaster.call('SET', `key:${index}`, 'v')).toBe('OK');
  // An operator's persistence: the master saves its dataset (with its replication id and offset) to dump.rdb.
  expect(await oldMaster.call('SAVE')).toBe('OK');

  oldMaster.signal('SIGKILL');
  const newMasterId = await group.waitForNewMaster(oldMaster.id);
  const newMaster = group.node(newMasterId);
  await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === newMasterId, `the promotion of ${newMasterId}`, 30_000);
  const mark = newMaster.mark();

  await oldMaster.restart();
  // The node's truth: it came back with its data, as a master, until Sentinel converts it.
  const loaded = await oldMaster.info('persistence');
  expect(loaded.get('rdb_last_load_keys_loaded')).toBe(String(KEYS));
  const restartedReplid = (await oldMaster.info('replication')).get('master_replid')!;
  await waitFor(async () => (await oldMaster.info('replication')).get('master_link_status') === 'up', { timeoutMs: 40_000, what: `${oldMaster.id} converted and synced` });
  await waitForLog(newMaster, new RegExp(`${LOG.replidMismatch.source} \\(Replica asked for '${restartedReplid}'`), mark);

  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of ${oldMaster.id}`, 20_000);
  expect(resync.cause).toBe('demoted-master');
  expect(resync.message).not.toMatch(/without its data/);
  expect(resync.message).toContain(`it restarted (run_id changed) and came back with ${KEYS} keys loaded from its RDB (INFO rdb_last_load_keys_loaded) but a new replication id, which ${newMasterId} does not know`);
}, 120_000);

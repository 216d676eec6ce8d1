/**
 * A demoted master that restarts and resyncs between two polls. What it
 * loaded at start is INFO rdb_last_load_keys_loaded, which the console can
 * only read in a poll after the restart and before the resync (the full
 * sync's load overwrites it). When no poll fell in between, the console
 * said "it restarted without its data" of a node that had loaded its RDB
 * ("Done loading RDB, keys loaded: N" in its log): it does not know, and
 * must say so.
 *
 * Held against the node's own word: its INFO rdb_last_load_keys_loaded
 * read by the test right after the restart, its log line, and the new
 * master's "Replication ID mismatch" for its PSYNC.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, LOG, startGroup, useScenarioCleanup, waitForLog } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

const KEYS = 50;
/** Long enough that the restart and the resync (well under a second on loopback) fall between two polls. */
const POLL_MS = 5_000;

it('a demoted master restarted from its RDB and resynced between two polls: the console says it cannot tell what it loaded, not "without its data"', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const oldMaster = group.master;
  const promoted = group.node('replica-1');
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: POLL_MS, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id), 30_000);
  for (let index = 0; index < KEYS; index += 1) expect(await oldMaster.call('SET', `key:${index}`, 'v')).toBe('OK');

  expect(await promoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === promoted.id, 'the promotion', 30_000);
  // The old master saves its dataset to dump.rdb, which its restart loads.
  expect(await oldMaster.call('SAVE')).toBe('OK');
  const oldRunId = (await oldMaster.info('server')).get('run_id');

  // Right after a poll's snapshot, so the next poll is POLL_MS away: restart, then demote it by hand.
  const polledAt = replscope.snapshot().time;
  await replscope.waitForSnapshot((snapshot) => snapshot.time > polledAt, 'a fresh poll', 2 * POLL_MS);
  const restartedAt = Date.now();
  const mark = promoted.mark();
  const oldMasterMark = oldMaster.mark();
  await oldMaster.restart();
  // The node's truth: it came back with its data.
  expect((await oldMaster.info('persistence')).get('rdb_last_load_keys_loaded')).toBe(String(KEYS));
  await waitForLog(oldMaster, new RegExp(`Done loading RDB, keys loaded: ${KEYS}`), oldMasterMark);
  const newRunId = (await oldMaster.info('server')).get('run_id');
  expect(newRunId).not.toBe(oldRunId);
  expect(await oldMaster.call('REPLICAOF', '127.0.0.1', String(promoted.port))).toBe('OK');
  await waitForLog(promoted, LOG.replidMismatch, mark);
  await waitFor(async () => (await oldMaster.info('replication')).get('master_link_status') === 'up', { timeoutMs: 10_000, what: `${oldMaster.id} synced from ${promoted.id}` });
  // No poll of the console saw the restarted node before it had synced: the restart and the resync fell between two polls.
  const syncedAt = Date.now();
  const seenRestarted = replscope.snapshotsSince(restartedAt).filter((received) => received.receivedAt <= syncedAt && received.snapshot.nodes.some((node) => node.id === oldMaster.id && node.runId === newRunId));
  expect(seenRestarted).toEqual([]);

  const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of ${oldMaster.id}`, 4 * POLL_MS);
  expect(resync.cause).toBe('demoted-master');
  expect(resync.message).not.toMatch(/without its data/);
  expect(resync.message).toContain(`${oldMaster.id} is a demoted master resyncing: it restarted (run_id changed) with a new replication id, which ${promoted.id} does not know`);
  expect(resync.message).toContain('whether it came back with data is not known');
}, 90_000);

/**
 * A full sync from a master with repl-diskless-sync no: the master first
 * writes the RDB to its disk (log: "Starting BGSAVE for SYNC with target:
 * disk"; INFO persistence rdb_bgsave_in_progress:1, with
 * current_save_keys_processed of current_save_keys_total), and only then
 * sends the file. Found in a new-user walk on redis-server 7.0: for the
 * whole BGSAVE (6 s here) the replica's Sync tab said "Waiting" ("the master
 * has accepted the full sync and waits to start a snapshot"), 0 B of an
 * unknown total, while the master was writing that very snapshot.
 *
 * The replica already holds +FULLRESYNC (INFO master_sync_in_progress:1,
 * master_sync_read_bytes:0): a disk-target master answers it only when it
 * starts the BGSAVE for the replica or attaches it to one running for
 * another (a replica that must wait for the next BGSAVE gets no answer
 * yet). So the BGSAVE in progress is this replica's snapshot: the phase is
 * Snapshot, with the master's own keys written of its keys to write. Held
 * against the master's INFO read just before and just after the poll the
 * console shows. A replica that arrives while a BGSAVE not for it runs (an
 * operator's: "Can't attach the replica to the current BGSAVE. Waiting for
 * next BGSAVE for SYNC") has no answer yet and stays Waiting until the
 * master starts the save for it.
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, countLog, LOG, logLines, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, type ScenarioNode } from './harness';

useScenarioCleanup();

interface SaveFigures { readonly inProgress: boolean; readonly processed: number; readonly total: number; readonly replicaState: string | undefined }

async function saveFigures(master: ScenarioNode): Promise<SaveFigures> {
  const fields = await master.info('everything');
  const slave0 = fields.get('slave0') ?? '';
  return {
    inProgress: fields.get('rdb_bgsave_in_progress') === '1',
    processed: Number(fields.get('current_save_keys_processed')),
    total: Number(fields.get('current_save_keys_total')),
    replicaState: /state=([a-z_]+)/.exec(slave0)?.[1],
  };
}

it('a replica of a disk-based master while the master writes its RDB: the Snapshot phase with the keys the master has written, not "Waiting"', async () => {
  // 20,000 keys at 250 µs each: a BGSAVE of some 5 s.
  const group = await startGroup('redis', { shape: 'pair', masterArgs: ['--repl-diskless-sync', 'no', '--rdb-key-save-delay', '250', '--enable-debug-command', 'yes'] });
  const { master } = group;
  const replica = group.node('replica-1');
  expect(await master.call('DEBUG', 'POPULATE', '20000', 'key', '100')).toBe('OK');
  await waitForGroupInSync(master, [replica]);
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

  // A history the master does not know: a full sync, for which the master saves to disk first.
  const mark = master.mark();
  expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await replica.call('REPLICAOF', '127.0.0.1', master.port)).toBe('OK');
  let before = await saveFigures(master);
  for (const deadline = Date.now() + 10_000; !(before.inProgress && before.processed > 0) && Date.now() < deadline; before = await saveFigures(master)) await sleep(50);
  const beforeAt = Date.now();
  expect(before.inProgress, 'the master saving its RDB').toBe(true);
  expect(before.replicaState).toBe('wait_bgsave');
  expect(countLog(master, LOG.replidMismatch, mark)).toBe(1);
  expect(logLines(master, /Starting BGSAVE for SYNC with target: disk/, mark)).toHaveLength(1);
  const replicaInfo = await replica.info('replication');
  expect(replicaInfo.get('master_sync_in_progress'), 'the replica holds +FULLRESYNC').toBe('1');
  expect(replicaInfo.get('master_sync_read_bytes')).toBe('0');

  const askedAt = Date.now();
  const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt && replscope.node(replica.id, snapshot).sampledAt > askedAt, 'a poll of both nodes during the save', 5_000);
  const after = await saveFigures(master);
  expect(after.inProgress, 'still saving after that poll (slow it with a higher rdb-key-save-delay if not)').toBe(true);
  const sync = replscope.node(replica.id, shown).sync;
  expect(replscope.link(replica.id, shown).state).toBe('syncing');
  expect(sync?.phase).toBe('snapshot');
  expect(sync?.unit).toBe('keys');
  expect(sync?.bytesTotal).toBe(before.total);
  expect(sync?.bytesDone).toBeGreaterThanOrEqual(before.processed);
  expect(sync?.bytesDone).toBeLessThanOrEqual(after.processed);
  expect(sync?.percent).toBeCloseTo((sync!.bytesDone * 100) / before.total, 5);
  expect(sync?.percent).toBeLessThan(100);

  // The master's child reports its count in steps (about once a second): a rate between two polls would
  // read 0 between steps, then spike. Taken over the phase, it stays above 0 once the count has moved,
  // near the master's own pace. Each pushed snapshot is read once, until the count has stepped twice.
  const watchFrom = Date.now();
  const phaseReadings = (): Array<{ done: number; rate: number | null }> => replscope.snapshotsSince(watchFrom)
    .map(({ snapshot }) => replscope.node(replica.id, snapshot).sync)
    .filter((progress) => progress?.phase === 'snapshot')
    .map((progress) => ({ done: progress!.bytesDone, rate: progress!.rateBytesPerSec }));
  await waitFor(() => new Set(phaseReadings().map((entry) => entry.done)).size >= 3, { timeoutMs: 8_000, intervalMs: 50, what: 'two steps of the master\'s count in the Snapshot phase' });
  const later = await saveFigures(master);
  const laterAt = Date.now();
  const readings = phaseReadings();
  expect(later.inProgress, 'still saving after two steps (raise rdb-key-save-delay if not)').toBe(true);
  expect(later.processed, 'the master\'s count moved meanwhile').toBeGreaterThan(before.processed);
  const masterRate = ((later.processed - before.processed) * 1000) / (laterAt - beforeAt);
  const moved = readings.filter((entry) => entry.done > readings[0]!.done);
  expect(new Set(moved.map((entry) => entry.done)).size, JSON.stringify(readings)).toBeGreaterThanOrEqual(2);
  for (const entry of moved) {
    expect(entry.rate, `${JSON.stringify(readings)} against the master's ${masterRate.toFixed(0)} keys/s`).toBeGreaterThanOrEqual(0.3 * masterRate);
    expect(entry.rate, `${JSON.stringify(readings)} against the master's ${masterRate.toFixed(0)} keys/s`).toBeLessThanOrEqual(3 * masterRate);
  }

  // Then the file travels and loads, and the replica streams.
  await waitForGroupInSync(master, [replica]);
  await waitForLog(master, /Synchronization with replica .* succeeded/, mark);
  expect(logLines(master, /Background saving terminated with success/, mark)).toHaveLength(1);
  await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).state === 'online' && replscope.node(replica.id, snapshot).sync === null, 'the replica streaming', 10_000);
}, 60_000);

it('a replica that must wait for the next BGSAVE (one not for it is running) is Waiting, then Snapshot once the master saves for it', async () => {
  const group = await startGroup('redis', { shape: 'pair', masterArgs: ['--repl-diskless-sync', 'no', '--rdb-key-save-delay', '250', '--enable-debug-command', 'yes'] });
  const { master } = group;
  const replica = group.node('replica-1');
  // 10,000 keys at 250 µs each: saves of some 2.5 s.
  expect(await master.call('DEBUG', 'POPULATE', '10000', 'key', '100')).toBe('OK');
  await waitForGroupInSync(master, [replica]);
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

  // An operator's BGSAVE runs when the replica asks for a full sync: the master cannot attach it to that save.
  const mark = master.mark();
  expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await master.call('BGSAVE')).toBe('Background saving started');
  expect(await replica.call('REPLICAOF', '127.0.0.1', master.port)).toBe('OK');
  await waitForLog(master, /Can't attach the replica to the current BGSAVE\. Waiting for next BGSAVE for SYNC/, mark);
  const askedAt = Date.now();
  const waiting = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt && replscope.node(replica.id, snapshot).sampledAt > askedAt, 'a poll during the operator\'s save', 5_000);
  expect((await saveFigures(master)).inProgress, 'the operator\'s save still running (raise rdb-key-save-delay if not)').toBe(true);
  expect(countLog(master, /Starting BGSAVE for SYNC/, mark)).toBe(0);
  expect((await replica.info('replication')).get('master_sync_in_progress'), 'no +FULLRESYNC yet').toBe('0');
  expect(replscope.node(replica.id, waiting).sync?.phase).toBe('waiting-for-snapshot');

  // The operator's save ends; the master starts one for the replica and answers +FULLRESYNC.
  await waitForLog(master, /Starting BGSAVE for SYNC with target: disk/, mark, 15_000);
  await replscope.waitForSnapshot((snapshot) => replscope.node(replica.id, snapshot).sync?.phase === 'snapshot', 'the Snapshot phase of the save for the replica', 5_000);
  await waitForGroupInSync(master, [replica]);
}, 60_000);

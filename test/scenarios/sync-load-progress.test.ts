/**
 * A redis-server replica loading the RDB of a full sync from disk. Found in
 * a new-user trial: while the replica's INFO said loading:1 with
 * loading_loaded_perc 20%, then 54%, and loading_eta_seconds 3, the Sync
 * tab showed the Load phase with the finished transfer's figures: "30 MiB /
 * 30 MiB, 100%, 0 B/s, ETA —" for as long as the load took.
 *
 * In the Load phase the figures are the load's: loading_loaded_bytes of
 * loading_total_bytes, and Redis's own loading_eta_seconds. Provoked with a
 * disk-based sync (repl-diskless-sync no) of 30,000 keys into a replica
 * slowed by key-load-delay (µs per key), held against the replica's INFO
 * read just before and just after the poll the console shows. The RDB is
 * written uncompressed (DEBUG POPULATE's values compress to almost
 * nothing): a loading replica answers only every 2 MB of file it reads
 * (loading-process-events-interval-bytes).
 */
import { expect, it } from 'vitest';
import { parseInfo } from '../support/replication';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, startGroup, useScenarioCleanup, waitForGroupInSync } from './harness';

useScenarioCleanup();

async function loadingFigures(node: { call(...args: Array<string | number>): Promise<unknown> }): Promise<{ loading: boolean; loaded: number; total: number; eta: number }> {
  const fields = parseInfo(String(await node.call('INFO', 'persistence')));
  return { loading: fields.get('loading') === '1', loaded: Number(fields.get('loading_loaded_bytes') ?? -1), total: Number(fields.get('loading_total_bytes') ?? -1), eta: Number(fields.get('loading_eta_seconds') ?? -1) };
}

it('a replica loading a full sync\'s RDB: the Load phase shows the bytes loaded of the RDB and Redis\'s ETA, not the finished transfer', async () => {
  const group = await startGroup('redis', { shape: 'pair', masterArgs: ['--repl-diskless-sync', 'no', '--rdbcompression', 'no', '--enable-debug-command', 'yes'], replicaArgs: ['--key-load-delay', '150'] });
  const { master } = group;
  const replica = group.node('replica-1');
  expect(await master.call('DEBUG', 'POPULATE', '30000', 'key', '800')).toBe('OK');
  await waitForGroupInSync(master, [replica]);
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

  // A history the master does not know: a full sync, whose RDB the replica loads from disk.
  expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await replica.call('REPLICAOF', '127.0.0.1', master.port)).toBe('OK');
  let before = await loadingFigures(replica);
  for (const deadline = Date.now() + 15_000; !(before.loading && before.loaded > 0) && Date.now() < deadline; before = await loadingFigures(replica)) await sleep(50);
  expect(before.loading, 'the replica loading its RDB').toBe(true);

  const askedAt = Date.now();
  const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(replica.id, snapshot).sampledAt > askedAt, 'a poll of the loading replica', 5_000);
  const after = await loadingFigures(replica);
  expect(after.loading, 'still loading after that poll (slow it with a higher key-load-delay if not)').toBe(true);
  const sync = replscope.node(replica.id, shown).sync;
  expect(sync?.phase).toBe('loading');
  expect(sync?.bytesTotal).toBe(before.total);
  expect(sync?.bytesDone).toBeGreaterThanOrEqual(before.loaded);
  expect(sync?.bytesDone).toBeLessThanOrEqual(after.loaded);
  expect(sync?.percent).toBeLessThan(100);
  expect(sync?.etaSeconds).not.toBeNull();
  // Redis's loading_eta_seconds (elapsed × left ÷ loaded, whole seconds) wobbles from one INFO to the next.
  expect(sync!.etaSeconds!).toBeGreaterThanOrEqual(Math.min(before.eta, after.eta) - 2);
  expect(sync!.etaSeconds!).toBeLessThanOrEqual(Math.max(before.eta, after.eta) + 2);
  await waitForGroupInSync(master, [replica]);
}, 60_000);

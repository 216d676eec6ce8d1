/**
 * A replica loading a full sync straight from the socket (repl-diskless-load
 * on-empty-db) from a diskless master (repl-diskless-sync yes). Found in a
 * new-user walk on redis-server 7.0: the stream is EOF-marked, its size
 * unknown (master_sync_total_bytes and loading_total_bytes are 0), and Redis
 * then prints loading_loaded_perc and loading_eta_seconds against the
 * master's used memory at the save (the RDB's used-mem aux field, which its
 * source calls "a (bad) estimation of the rdb file size"). The Sync tab
 * showed that estimate as the Load phase's "Done" and its ETA: 30,000 keys
 * of 800 compressible bytes, a 1.17 MB stream against a used-mem of 30.3 MB,
 * read 0.12%, 0.4%, ... 3.85% with "ETA 150 s" a moment before the 6 s load
 * finished (INFO, every 200 ms); the test below failed with 0.09%.
 *
 * In a diskless load the console shows the bytes loaded, of a total it says
 * is unknown, with no percentage and no ETA. Held against the replica's INFO
 * read just before and just after the poll the console shows; the RDB is
 * compressed (DEBUG POPULATE's values compress to almost nothing), so the
 * replica answers often only with loading-process-events-interval-bytes at
 * its minimum (1 KB).
 */
import { expect, it } from 'vitest';
import { parseInfo } from '../support/replication';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, startGroup, useScenarioCleanup, waitForGroupInSync } from './harness';

useScenarioCleanup();

async function loadingFigures(node: { call(...args: Array<string | number>): Promise<unknown> }): Promise<{ loading: boolean; loaded: number; total: number; perc: number; syncTotal: number }> {
  const fields = parseInfo(`${String(await node.call('INFO', 'persistence'))}\r\n${String(await node.call('INFO', 'replication'))}`);
  const number = (name: string): number => Number(fields.get(name) ?? Number.NaN);
  return { loading: fields.get('loading') === '1', loaded: number('loading_loaded_bytes'), total: number('loading_total_bytes'), perc: number('loading_loaded_perc'), syncTotal: number('master_sync_total_bytes') };
}

it('a replica loading a diskless full sync from the socket: the Load phase shows the bytes loaded of an unknown total, with no percentage or ETA from Redis\'s used-memory estimate', async () => {
  const group = await startGroup('redis', {
    shape: 'pair',
    masterArgs: ['--repl-diskless-sync', 'yes', '--enable-debug-command', 'yes'],
    replicaArgs: ['--repl-diskless-load', 'on-empty-db', '--key-load-delay', '150', '--loading-process-events-interval-bytes', '1024'],
  });
  const { master } = group;
  const replica = group.node('replica-1');
  expect(await master.call('DEBUG', 'POPULATE', '30000', 'key', '800')).toBe('OK');
  await waitForGroupInSync(master, [replica]);
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

  // A history the master does not know, and an empty dataset (on-empty-db): a full sync loaded from the socket.
  expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  expect(await replica.call('FLUSHALL', 'SYNC')).toBe('OK');
  expect(await replica.call('REPLICAOF', '127.0.0.1', master.port)).toBe('OK');
  let before = await loadingFigures(replica);
  for (const deadline = Date.now() + 15_000; !(before.loading && before.loaded > 0 && before.perc > 0) && Date.now() < deadline; before = await loadingFigures(replica)) await sleep(50);
  expect(before.loading, 'the replica loading from the socket').toBe(true);
  // Redis's own figures of a diskless load: no size, yet a percentage (against used memory).
  expect(before.total).toBe(0);
  expect(before.syncTotal).toBeLessThanOrEqual(0);
  expect(before.perc).toBeGreaterThan(0);

  const askedAt = Date.now();
  const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(replica.id, snapshot).sampledAt > askedAt, 'a poll of the loading replica', 5_000);
  const after = await loadingFigures(replica);
  expect(after.loading, 'still loading after that poll (slow it with a higher key-load-delay if not)').toBe(true);
  const sync = replscope.node(replica.id, shown).sync;
  expect(sync?.phase).toBe('loading');
  expect(sync?.bytesDone).toBeGreaterThanOrEqual(before.loaded);
  expect(sync?.bytesDone).toBeLessThanOrEqual(after.loaded);
  expect(sync?.bytesTotal).toBeNull();
  expect(sync?.percent, `INFO said loading_loaded_perc ${before.perc} then ${after.perc} of a stream of unknown size`).toBeNull();
  expect(sync?.etaSeconds).toBeNull();
  await waitForGroupInSync(master, [replica]);
}, 60_000);

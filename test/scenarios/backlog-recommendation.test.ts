/**
 * One recommended repl-backlog-size for one outage. Found in a new-user
 * trial, on a redis-server master taking 0.5 MB/s with the default 60 s
 * outage: the Backlog tab said "505 KiB/s × 1 min × 2 (safety) → 60 MiB",
 * while the snapshot (and so the Prometheus gauge
 * replscope_node_recommended_backlog_bytes, whose help says "times two")
 * computed 1.2 times, about 36 MiB.
 *
 * On a real master under writes: every snapshot's recommendation for the
 * outage in Settings is the size the Backlog tab shows for that outage
 * (BacklogAdvisor.vue computes it with the renderer's contract helper from
 * the same peak rate), and the peak rate it starts from is one the
 * master's own offsets reached.
 */
import { expect, it } from 'vitest';
import { recommendBacklogBytes } from '../../renderer/src/api/contract';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, replicationTruth, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

it('under writes on redis-server: the recommendation the service publishes is the one the Backlog tab shows for the same outage', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const { master } = group;
  const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const start = await replicationTruth(master);
  const startedAt = Date.now();
  const load = WriteLoad.start(master, { opsPerSec: 2000, valueBytes: 200 });
  try {
    await sleep(3000);
  } finally {
    await load.stop();
  }
  const end = await replicationTruth(master);
  const snapshots = replscope.snapshotsSince(startedAt).map((received) => received.snapshot);
  const withPeak = snapshots.map((snapshot) => ({ snapshot, node: replscope.node(master.id, snapshot) })).filter(({ node }) => node.peakWriteRateBytesPerSec !== null && node.peakWriteRateBytesPerSec > 0);
  expect(withPeak.length).toBeGreaterThan(4);
  for (const { snapshot, node } of withPeak) {
    expect(node.recommendedBacklogBytes, `at ${node.sampledAt}`).toBe(recommendBacklogBytes(node.peakWriteRateBytesPerSec!, snapshot.outageSeconds));
  }
  // The peak is a rate the master's stream had: above its mean over the run, and the recommendation above 1 s of it.
  const meanRate = ((end.masterReplOffset - start.masterReplOffset) * 1000) / (Date.now() - startedAt);
  const last = withPeak[withPeak.length - 1]!.node;
  expect(last.peakWriteRateBytesPerSec!).toBeGreaterThanOrEqual(meanRate);
  expect(last.recommendedBacklogBytes!).toBeGreaterThan(last.peakWriteRateBytesPerSec! * 60);
}, 60_000);

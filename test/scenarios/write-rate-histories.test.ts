/**
 * A node's write rate is how fast its replication stream grows: Δ
 * master_repl_offset / Δt. When a node takes another history (a full sync
 * from a master, after a restart or a REPLICAOF) its offset jumps to the
 * master's, by the whole history it joined, in one poll: those bytes were
 * loaded, not written. Found in a new-user trial: a redis-server restarted
 * without its data and converted by Sentinel showed a peak of 44 MiB/s
 * (its offset went 0 -> 200 MB), while its master took 0.5 MB/s; the
 * Backlog tab then recommended 5.2 GiB for an hour.
 *
 * Held against the nodes' truth: an empty node is made a replica of a
 * master (with a replica of its own, so it keeps a backlog and counts its
 * stream) whose stream already holds ~4 MB and takes no writes during the
 * test. No poll can show the replica's stream growing faster than the
 * master's offset moved during the test (PINGs only), over the shortest gap
 * between two polls.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, startNode, useScenarioCleanup, waitForGroupInSync } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('an empty node that full-syncs a 4 MB history: no write rate, peak or recommendation from the bytes it loaded', async () => {
    const { master, replicas } = await startGroup(kind, { shape: 'pair' });
    const value = 'v'.repeat(100_000);
    for (let index = 0; index < 40; index++) expect(await master.call('SET', `big:${index}`, value)).toBe('OK');
    await waitForGroupInSync(master, replicas);
    const joining = await startNode(kind, { name: 'joining' });
    const replscope = await ConsoleUnderTest.attach(master, {
      pollIntervalMs: 250,
      profile: { seeds: [{ host: '127.0.0.1', port: master.port }, { host: '127.0.0.1', port: joining.port }] },
    });
    await replscope.waitForSnapshot((snapshot) => [master.id, joining.id].every((id) => snapshot.nodes.some((node) => node.id === id && node.health === 'up' && node.role === 'master')), 'both masters up');
    // Two polls of the empty node, so it has a rate memory to be compared with.
    const polled = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polled + 2, 'two more polls');

    const from = Date.now();
    const before = await replicationTruth(master);
    expect(before.masterReplOffset).toBeGreaterThan(4_000_000);
    expect(await joining.call('REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
    await waitForGroupInSync(master, [...replicas, joining]);
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === joining.id && link.state === 'online')
      && replscope.node(joining.id, snapshot).masterReplOffset === before.masterReplOffset, 'the console to see the replica at the master\'s offset');
    const polledAfter = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polledAfter + 3, 'three polls after the sync');
    const after = await replicationTruth(master);

    // The truth: what the master's stream grew by while the test ran (no client wrote).
    const streamBytes = after.masterReplOffset - before.masterReplOffset;
    expect(streamBytes).toBeLessThan(1000);
    const samples = replscope.snapshotsSince(from).map((received) => replscope.node(joining.id, received.snapshot)).filter((node) => node.health === 'up' && !node.stale);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    const gaps = samples.slice(1).map((node, index) => node.sampledAt - samples[index]!.sampledAt).filter((gap) => gap > 0);
    const shortestGapSeconds = Math.min(...gaps) / 1000;
    const bound = streamBytes / shortestGapSeconds + 1;
    for (const node of samples) {
      expect(node.writeRateBytesPerSec ?? 0, `write rate of ${joining.id} at ${node.sampledAt} (offset ${node.masterReplOffset})`).toBeLessThanOrEqual(bound);
      expect(node.peakWriteRateBytesPerSec ?? 0, `peak write rate of ${joining.id} at ${node.sampledAt}`).toBeLessThanOrEqual(bound);
    }
    // The recommendation follows: the minimum (1 MiB), not gigabytes.
    expect(replscope.node(joining.id).recommendedBacklogBytes ?? 0).toBeLessThanOrEqual(1024 * 1024);
  }, 60_000);
});

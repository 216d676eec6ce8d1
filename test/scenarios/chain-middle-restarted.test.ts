/**
 * A chain master -> r1 -> r2 whose middle node r1 restarts (a fresh
 * process, no persistence). Every link of r1 ends with its old process:
 * the master loses its replica, r2 loses its master. Found on redis-server
 * 7.0 and our engine: the master's link to r1, revealed by the master's
 * sync_full when r1 came back between two polls, read "[unknown] dropped
 * and came back between two polls" though r1's new run_id was seen at the
 * same poll; on our engine r2's link-down, seen by a poll, was unknown too.
 *
 *  - the link-down master -> r1 is the restart's (replica-restarted), naming
 *    r1's old and new run_id;
 *  - r2's link-down from r1 is a restart's too (master-restarted, or
 *    master-unreachable when a poll caught r1 refusing connections);
 *  - r2's full resync says its master had just restarted (upstream-resync).
 *
 * The nodes' truth: r1's INFO run_id changed and its uptime_in_seconds
 * restarted from 0; the master's log has "Full resync requested by replica
 * <r1>" (its PSYNC ? -1: a fresh process has no cached master) and r2's log
 * "Connection with master lost".
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, forEachNodeKind, LOG, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('the middle of a chain restarts: the master\'s link-down to it and its replica\'s are the restart\'s', async () => {
    const group = await startGroup(kind, { shape: 'chain' });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    // Polls 2 s apart, the restart just after one: a fresh process (no persistence) listens again before the next.
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 2000 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    const runIdBefore = (await middle.info('server')).get('run_id')!;
    const masterMark = master.mark();
    const leafMark = leaf.mark();
    const polls = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length > polls, 'the next poll');
    const since = Date.now();
    try {
      await middle.restart();
      await waitForGroupInSync(master, [middle, leaf]);
      const leafResync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === leaf.id && event.peerId === middle.id && event.time >= since, 'the leaf\'s full resync', 20_000);
      expect(leafResync.cause, replscope.describeEvents()).toBe('upstream-resync');
      expect(leafResync.message).toContain(`its own master ${middle.id} had just restarted`);
    } finally {
      await load.stop();
    }
    // The nodes' truth: a new process, a fresh sync asked of the master, the leaf's master lost.
    const server = await middle.info('server');
    const runId = server.get('run_id')!;
    expect(runId).not.toBe(runIdBefore);
    expect(Number(server.get('uptime_in_seconds'))).toBeLessThan((Date.now() - since) / 1000 + 1);
    await waitForLog(master, new RegExp(`${LOG.fullResyncRequested.source} ${middle.id.replace(/\./g, '\\.')}`), masterMark);
    await waitForLog(leaf, LOG.replicaMasterLost, leafMark);

    const middleDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === middle.id && event.peerId === master.id && event.time >= since);
    expect(middleDowns.map((event) => `[${event.cause}] ${event.message}`), replscope.describeEvents()).toHaveLength(1);
    const leafDowns = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === leaf.id && event.peerId === middle.id && event.time >= since);
    expect(leafDowns.length, replscope.describeEvents()).toBeGreaterThanOrEqual(1);
    for (const down of leafDowns) expect(['master-restarted', 'master-unreachable'], `[${down.cause}] ${down.message}`).toContain(down.cause);
    // A poll that caught r1 refusing connections says so (connection-refused, as for any process gone); when
    // none did, only the restart explains the drop the master's counters reveal.
    const refusedSeen = replscope.eventsWhere((event) => event.kind === 'node-unreachable' && event.nodeId === middle.id && event.time >= since).length > 0;
    if (refusedSeen && middleDowns[0]!.cause === 'connection-refused') return;
    expect(middleDowns[0]!.cause, replscope.describeEvents()).toBe('replica-restarted');
    expect(middleDowns[0]!.message).toContain(`run_id ${runIdBefore.slice(0, 8)} -> ${runId.slice(0, 8)}`);
  }, 60_000);
});

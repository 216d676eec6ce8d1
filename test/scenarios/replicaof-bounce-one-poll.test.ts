/**
 * REPLICAOF NO ONE, then REPLICAOF <its master> on the same replica, both
 * between two polls (a middle node of the full shape: master -> r1 -> r3).
 * No poll sees r1 as a master nor the replication id it held for an
 * instant; found on redis-server 7.0 and our engine: the link-down of r1
 * said "[unknown] dropped and came back between two polls", and its full
 * resync named the id mismatch with no word of who caused it, although r1's
 * INFO commandstats counted both commands.
 *
 *  - r1's link-down is operator-command, naming REPLICAOF ×2 counted on r1;
 *  - r1's full resync keeps its protocol cause (replid-mismatch: its PSYNC
 *    asked with the id REPLICAOF NO ONE gave it) and says who did it;
 *  - r3's link-down names no command run on r3 (none was).
 *
 * The nodes' truth: r1's cmdstat_replicaof calls +2; the master's log
 * "Partial resynchronization not accepted: Replication ID mismatch" and its
 * sync_full +1, sync_partial_err +1; r1's replication id is the master's
 * again.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

const replicaofCalls = (commandstats: Map<string, string>): number => Number(/calls=(\d+)/.exec(commandstats.get('cmdstat_replicaof') ?? '')?.[1] ?? 0);

forEachNodeKind((kind) => {
  it('REPLICAOF NO ONE and back between two polls: the link-down and the full resync name the REPLICAOFs counted on the replica', async () => {
    const group = await startGroup(kind, { shape: 'full' });
    const { master } = group;
    const replica = group.node('replica-1');
    const sub = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 1000 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    const callsBefore = replicaofCalls(await replica.info('commandstats'));
    const before = await replicationTruth(master);
    const mark = master.mark();
    // Right after a poll, so both commands land before the next one.
    const count = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length > count, 'the next poll');
    const since = replscope.snapshot().time;
    try {
      expect(await replica.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
      expect(await replica.call('REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
      await waitForGroupInSync(master, [replica]);
      await waitForGroupInSync(replica, [sub]);
    } finally {
      await load.stop();
    }
    // The nodes' truth.
    expect(replicaofCalls(await replica.info('commandstats')) - callsBefore).toBe(2);
    await waitForLog(master, LOG.replidMismatch, mark);
    const delta = counterDelta(before, await replicationTruth(master));
    expect(delta.full).toBe(1);
    expect(delta.partialErr).toBe(1);
    expect((await replicationTruth(replica)).replid).toBe((await replicationTruth(master)).replid);
    // Still one poll apart: no poll saw the replica as a master.
    expect(replscope.snapshotsSince(since).some((received) => received.snapshot.nodes.some((node) => node.id === replica.id && node.role === 'master'))).toBe(false);

    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= since, 'the replica\'s full resync');
    expect(resync.cause, replscope.describeEvents()).toBe('replid-mismatch');
    expect(resync.numbers).toMatchObject({ attribution: 'operator' });
    expect(resync.message).toContain(`REPLICAOF ×2 ran on ${replica.id}`);
    const downs = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.peerId === master.id && event.time >= since - 1000);
    expect(downs.map((event) => `[${event.cause}] ${event.message}`), replscope.describeEvents()).toHaveLength(1);
    expect(downs[0]!.cause, replscope.describeEvents()).toBe('operator-command');
    expect(downs[0]!.message).toContain(`REPLICAOF ×2 ran on ${replica.id} (INFO commandstats), not from this console`);
    // Nothing was run on the sub-replica: its link-downs do not name commands counted on it.
    for (const down of replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === sub.id && event.time >= since - 1000)) {
      expect(down.cause, down.message).not.toBe('operator-command');
    }
  }, 60_000);
});

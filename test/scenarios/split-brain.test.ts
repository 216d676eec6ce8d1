/**
 * Issue 15 point 5: a master with two replicas, watched from the master as a
 * standalone profile. An operator runs REPLICAOF NO ONE on a replica by hand
 * (not through the console): both nodes now take writes, and they share one
 * replication history (the promoted node keeps the master's id as replid2).
 * The console must say split-brain, loudly: an event and the snapshot's
 * split-brain list, with the promotion put down to the REPLICAOF it saw run
 * on that node (INFO commandstats); and say when it ends. Two unrelated
 * masters given as seeds are not a split-brain. The UI side (the banner) is
 * in test/e2e/sentinel.e2e.test.ts.
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, startNode, useScenarioCleanup, waitForGroupInSync } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('REPLICAOF NO ONE on a replica by hand: two writable masters of one history, reported as split-brain until it ends', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master } = group;
    const promoted = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    expect(replscope.eventsWhere((event) => event.kind === 'split-brain')).toEqual([]);

    expect(await promoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    // The nodes' truth: both are masters, both take writes, one history.
    const [masterTruth, promotedTruth] = await Promise.all([replicationTruth(master), replicationTruth(promoted)]);
    expect([masterTruth.role, promotedTruth.role]).toEqual(['master', 'master']);
    expect(promotedTruth.replid2).toBe(masterTruth.replid);
    expect(await master.call('SET', 'written-on', 'the old master')).toBe('OK');
    expect(await promoted.call('SET', 'written-on', 'the promoted replica')).toBe('OK');

    const promotion = await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === promoted.id, 'the promotion');
    expect(promotion.cause).toBe('operator-command');
    expect(promotion.numbers).toMatchObject({ attribution: 'operator' });
    expect(promotion.message).toMatch(/REPLICAOF ×1 ran on/);
    const split = await replscope.waitForEvent((event) => event.kind === 'split-brain', 'a split-brain event');
    expect(String(split.numbers.masters).split(',').sort()).toEqual([master.id, promoted.id].sort());
    expect(split.message).toMatch(/^SPLIT-BRAIN: .* are both writable masters of one replication history/);
    const snapshot = await replscope.waitForSnapshot((current) => current.splitBrains.length === 1, 'the split-brain in the snapshot');
    expect([...snapshot.splitBrains[0]!.masterIds].sort()).toEqual([master.id, promoted.id].sort());
    expect(snapshot.splitBrains[0]!.masterIds).not.toContain(group.node('replica-2').id);

    // Repaired by hand: the split-brain ends, and the console says so.
    expect(await promoted.call('REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
    await waitForGroupInSync(master, [promoted]);
    await replscope.waitForEvent((event) => event.kind === 'split-brain-ended', 'the split-brain to end');
    expect(replscope.snapshot().splitBrains).toEqual([]);
    expect(replscope.eventsWhere((event) => event.kind === 'split-brain')).toHaveLength(1);
  });

  it('two unrelated masters given as seeds are not a split-brain', async () => {
    const one = await startNode(kind, { name: 'one' });
    const other = await startNode(kind, { name: 'other' });
    const replscope = await ConsoleUnderTest.attach(one, { pollIntervalMs: 250, profile: { seeds: [{ host: '127.0.0.1', port: one.port }, { host: '127.0.0.1', port: other.port }] } });
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.filter((node) => node.role === 'master' && node.health === 'up').length === 2, 'both masters polled');
    const polled = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polled + 3, 'three more polls');
    expect(replscope.snapshotsSince(0).every((received) => received.snapshot.splitBrains.length === 0)).toBe(true);
    expect(replscope.eventsWhere((event) => event.kind === 'split-brain')).toEqual([]);
  });
});

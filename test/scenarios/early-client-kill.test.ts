/**
 * A replica's master link killed (CLIENT KILL TYPE master, run elsewhere)
 * right after the console saw the other replica's initial full sync end:
 * the partial resync it makes is put down to the killed replica, not to the
 * one that just synced. That sync is still within the few seconds in which
 * a link's trouble makes it a candidate for a counter move, and it was seen
 * ending only after the master's previous INFO was read, but the master
 * listed that replica's connection with that INFO: its sync was counted
 * there already, and only the killed replica's connection is new.
 *
 * replica-2 is started after the console attached, with the master's
 * diskless sync delayed by a second, so that the console's polls see its
 * initial sync in flight (as at an attach to a group still syncing), then
 * online; replica-1 is killed as soon as they do.
 *
 * Held against the master's own truth: sync_full unchanged, sync_partial_ok
 * +1, and its log line "Partial resynchronization request from <replica-1>
 * accepted".
 */
import { expect, it } from 'vitest';
import {
  ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, startNode, useScenarioCleanup, waitForGroupInSync, waitForLog,
} from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a CLIENT KILL right after another replica\'s initial sync ended: the partial resync is the killed replica\'s', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const first = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    expect(await master.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '1')).toBe('OK');
    const second = await startNode(kind, { name: 'replica-2', replicaOf: master });
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === second.id && link.state === 'syncing'), 'the console to see replica-2 in its initial sync');
    await replscope.waitForSteadyGroup([master.id, first.id, second.id]);

    const before = await replicationTruth(master);
    const mark = master.mark();
    const startedAt = Date.now();
    expect(await first.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    await waitForLog(master, LOG.partialAccepted, mark);
    await waitForGroupInSync(master, [first, second]);
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
    expect(countLog(master, LOG.partialAccepted, mark)).toBe(1);
    expect(master.logSince(mark)).toContain(`Partial resynchronization request from ${first.id} accepted`);

    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.peerId === master.id && event.time >= startedAt - 1000, 'the partial resync after the kill');
    expect(partial.nodeId, replscope.describeEvents()).toBe(first.id);
    const polled = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polled + 8, 'two more seconds of polls');
    // replica-2's own initial full sync and link-up were detected just before the kill; nothing of it after.
    const resyncs = replscope.eventsWhere((event) => (event.time >= startedAt - 1000 && (event.kind === 'partial-resync' || event.kind === 'link-down')) || (event.time >= startedAt && event.kind === 'full-resync'));
    expect(resyncs.filter((event) => event.nodeId === second.id), replscope.describeEvents()).toHaveLength(0);
    expect(resyncs.filter((event) => event.nodeId === first.id && event.kind === 'partial-resync'), replscope.describeEvents()).toHaveLength(1);
  }, 60_000);
});

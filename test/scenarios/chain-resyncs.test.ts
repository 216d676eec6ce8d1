/**
 * Issue 15 point 6: every move of sync_full, sync_partial_ok and
 * sync_partial_err on a node that serves replicas — a master, or a replica
 * in the middle of a chain — is put down to the replica that caused it,
 * with that replica's link-down first.
 *
 *  - a chain master -> replica-1 -> sub-replica whose middle node restarts
 *    without persistence under writes: the middle full-syncs from the
 *    master, then the sub-replica full-syncs from the middle (whose backlog
 *    started anew); both events, each naming its replica;
 *  - the same chain with the middle frozen by DEBUG SLEEP past the master's
 *    repl-timeout while writes overflow the master's 16 KB backlog: the same
 *    two full syncs, and the leaf's link-down put down to the middle's own
 *    full sync, which dropped it;
 *  - CLIENT KILL TYPE replica on a master with two replicas: both reconnect
 *    within one poll; one link-down then one partial resync per replica,
 *    each naming its replica, as many as sync_partial_ok moved and as the
 *    master's log accepted.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';
import {
  ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog, WriteLoad, type ScenarioNode,
} from './harness';

useScenarioCleanup();

const fullResyncOf = (replica: ScenarioNode, master: ScenarioNode) => (event: ReplicationEvent): boolean => event.kind === 'full-resync' && event.nodeId === replica.id && event.peerId === master.id;

/** The replica's link-down is on the timeline before its resync. */
function expectLinkDownBefore(replscope: ConsoleUnderTest, resync: ReplicationEvent): void {
  const events = replscope.eventsWhere(() => true);
  const down = events.findIndex((event) => event.kind === 'link-down' && event.nodeId === resync.nodeId && event.peerId === resync.peerId);
  expect(down, `a link-down of ${resync.nodeId} before its ${resync.kind}\n${replscope.describeEvents()}`).toBeGreaterThanOrEqual(0);
  expect(down).toBeLessThan(events.indexOf(resync));
  expect(events[down]!.time).toBeLessThanOrEqual(resync.time);
}

forEachNodeKind((kind) => {
  it('the middle of a chain restarts without persistence: its own full sync and its sub-replica\'s, each named', async () => {
    const group = await startGroup(kind, { shape: 'chain' });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // Writes go on while the middle is away: the leaf's offset then lies before anything the restarted middle can serve.
    const load = WriteLoad.start(master, { opsPerSec: 500 });
    try {
      await middle.restart();
      const middleResync = await replscope.waitForEvent(fullResyncOf(middle, master), 'the full resync of the restarted middle node');
      expect(middleResync.cause, replscope.describeEvents()).toBe('replica-restarted-without-cache');
      const leafResync = await replscope.waitForEvent(fullResyncOf(leaf, middle), 'the full resync of the leaf from the middle node');
      expect(leafResync.cause).toBe('upstream-resync');
      expect(leafResync.message).toContain(`its own master ${middle.id} had just restarted`);
      expectLinkDownBefore(replscope, leafResync);
    } finally {
      await load.stop();
    }
    await waitForGroupInSync(master, [middle, leaf]);
    // The middle node's truth: one full sync served since it restarted, the leaf's PSYNC refused for lack of backlog.
    expect((await replicationTruth(middle)).syncFull).toBe(1);
    await waitForLog(middle, LOG.lackOfBacklog, { offset: 0 });
    expect(replscope.eventsWhere((event) => event.kind === 'full-resync' && event.peerId === middle.id)).toHaveLength(1);
  });

  it('DEBUG SLEEP on the middle of a chain past the master\'s repl-timeout: both full syncs, each named, link-down first', async () => {
    const group = await startGroup(kind, { shape: 'chain', masterArgs: ['--repl-timeout', '1', '--repl-backlog-size', '16kb'] });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const before = { master: await replicationTruth(master), middle: await replicationTruth(middle) };
    const mark = master.mark();

    const sleeping = middle.call('DEBUG', 'SLEEP', '5');
    // Once the master has dropped it (repl-timeout 1 s), far more than the
    // 16 KB backlog is written: it can only full-sync when it wakes.
    await waitFor(async () => (await replicationTruth(master)).replicas.length === 0, { timeoutMs: 4000, what: 'the master to drop the sleeping middle node' });
    const writer = new RespConnection('127.0.0.1', master.port);
    for (let i = 0; i < 400; i++) await writer.call('SET', `filler:${i}`, 'x'.repeat(200));
    writer.close();
    await sleeping;

    const middleResync = await replscope.waitForEvent(fullResyncOf(middle, master), 'the full resync of the middle node', 40_000);
    expect(middleResync.cause).toBe('out-of-backlog');
    const leafResync = await replscope.waitForEvent(fullResyncOf(leaf, middle), 'the full resync of the leaf', 40_000);
    expect(leafResync.cause).toBe('upstream-resync');
    expectLinkDownBefore(replscope, middleResync);
    expectLinkDownBefore(replscope, leafResync);
    // The leaf's link-down is that full sync's doing too: the middle drops its replicas as its own full sync
    // begins (its log: "Connection with replica <leaf> lost."). It said "cause unknown" beside the resync.
    await waitForLog(middle, new RegExp(`Connection with replica ${leaf.id.replace(/\./g, '\\.')} lost`), { offset: 0 });
    const leafDown = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === leaf.id && event.peerId === middle.id);
    expect(leafDown.map((event) => event.cause), replscope.describeEvents()).toEqual(['upstream-resync']);
    expect(leafDown[0]!.message).toContain(`${middle.id} dropped its replicas as its own full sync from ${master.id} began`);
    await waitForGroupInSync(master, [middle, leaf]);
    // The nodes' truth.
    await waitForLog(master, new RegExp(`Unable to partial resync with replica ${middle.id.replace(/\./g, '\\.')} for lack of backlog`), mark);
    expect(counterDelta(before.master, await replicationTruth(master)).full).toBe(1);
    expect(counterDelta(before.middle, await replicationTruth(middle)).full).toBe(1);
    expect(replscope.eventsWhere((event) => event.kind === 'full-resync')).toHaveLength(2);
  });

  it('CLIENT KILL TYPE replica: one link-down then one partial resync per replica, each naming its replica', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master, replicas } = group;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const before = await replicationTruth(master);
    const mark = master.mark();

    expect(await master.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(2);
    for (const replica of replicas) {
      const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id, `the partial resync of ${replica.id}`);
      expect(partial.peerId).toBe(master.id);
      expectLinkDownBefore(replscope, partial);
    }
    await waitForGroupInSync(master, replicas);
    const polled = replscope.snapshots.length;
    await replscope.waitForSnapshot(() => replscope.snapshots.length >= polled + 4, 'a few more polls (nothing else may follow)');
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 2, partialErr: 0 });
    expect(countLog(master, LOG.partialAccepted, mark)).toBe(2);
    for (const replica of replicas) {
      expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.nodeId === replica.id)).toHaveLength(1);
      expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id)).toHaveLength(1);
      expect(master.logSince(mark)).toContain(`Partial resynchronization request from ${replica.id} accepted`);
    }
    expect(replscope.eventsWhere((event) => event.kind === 'partial-resync')).toHaveLength(2);
  });
});

/**
 * A chain's middle node stopped (SIGSTOP) past repl-timeout, then woken
 * (SIGCONT). Found by a QA run on redis-server 7.0 (master -> middle ->
 * leaf): the leaf's link-down was put down to a timeout, and its partial
 * resync from the middle after SIGCONT ("Successful partial
 * resynchronization with master" in the leaf's log) named no cause. The
 * leaf reconnected because of that timed-out link, and continued: the
 * resync carries the link-down's cause.
 *
 * Held against the leaf's own log (its "MASTER timeout" while the middle was
 * stopped, its partial resync after) and the middle's sync_partial_ok.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('the leaf\'s partial resync after its middle was stopped past repl-timeout carries the link-down\'s cause (timeout)', async () => {
    const group = await startGroup(kind, { shape: 'chain', args: ['--repl-timeout', '4', '--repl-ping-replica-period', '1'] });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const leafMark = leaf.mark();
    const before = await replicationTruth(middle);
    middle.signal('SIGSTOP');
    let down: ReplicationEvent | undefined;
    try {
      // The leaf's own word that it timed out on the stopped middle.
      await waitForLog(leaf, /MASTER timeout: no data nor PING received/, leafMark, 20_000);
      down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === leaf.id && event.peerId === middle.id, `the link-down of ${leaf.id}`, 20_000);
      await sleep(1_000);
    } finally {
      middle.signal('SIGCONT');
    }
    if (down === undefined) throw new Error('no link-down');
    const downTime = down.time;
    expect(down.cause, down.message).toBe('timeout');
    const continued = await waitForLog(leaf, LOG.replicaPartialOk, leafMark, 30_000);
    const after = await replicationTruth(middle);
    expect(after.syncFull, 'the middle served no full sync').toBe(before.syncFull);
    const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === leaf.id && event.time >= downTime, `the partial resync of ${leaf.id}`, 20_000);
    expect(resync.peerId).toBe(middle.id);
    expect(resync.cause, `${resync.message} | leaf: ${continued}\n${replscope.describeEvents()}`).toBe('timeout');
    expect(resync.message).toContain(`it reconnected after its link-down at ${new Date(downTime).toISOString()} (cause timeout)`);
    expect(replscope.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === leaf.id)).toEqual([]);
  }, 90_000);
});

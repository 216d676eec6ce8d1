/**
 * A stopped replica its master drops (repl-timeout) while writes overrun a
 * small backlog: a full resync is certain before the replica wakes, and the
 * console must say so then. Found in a new-user walk (redis-server 7.0,
 * repl-timeout 5, repl-backlog-size 16kb, 1,000 writes/s of 100 bytes): once
 * the master logged "Disconnecting timedout replica" and stopped listing the
 * replica, the link read down with "partial resync possible" blank and no
 * countdown, for as long as the replica hung, although the master's backlog
 * had long left every offset the replica could be at.
 *
 * What bounds the stopped replica's position: at least its last polled
 * offset (it only moves forward), at most the master's offset at the first
 * poll that no longer lists it (a dropped replica receives nothing more; it
 * may still apply what its socket holds when it wakes). When even that
 * upper bound is before the backlog's first byte, a reconnect now can only
 * be a full resync; when the lower bound is inside the window, any position
 * up to the master's is too, and a partial resync is possible.
 *
 * Held against the master's INFO (repl_backlog_first_byte_offset past the
 * bound) before SIGCONT, then its log ("Unable to partial resync ... for
 * lack of backlog") and sync_partial_err / sync_full after it: the full
 * resync is filed as out-of-backlog.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

const TIMED_OUT = /Disconnecting timedout replica \(streaming sync\)/;

forEachNodeKind((kind) => {
  it('a stopped replica dropped after repl-timeout while writes overrun the backlog: a full resync is predicted before it wakes, then filed as out-of-backlog', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '5', '--repl-backlog-size', '16kb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const load = WriteLoad.start(master, { opsPerSec: 1000, valueBytes: 100 });
    try {
      await waitFor(async () => replscope.link(replica.id).partialResyncPossible === true, { timeoutMs: 5_000, what: 'the streaming replica inside the backlog' });
      const before = await replicationTruth(master);
      const mark = master.mark();
      replica.signal('SIGSTOP');
      try {
        await waitForLog(master, TIMED_OUT, mark, 20_000);
        await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
        // The most the replica can have: everything the master had written when it was seen dropped.
        const droppedAt = (await replicationTruth(master)).masterReplOffset;
        // Well past it (64 KB, half a second of the load), past any offset the console read a poll later too.
        await waitFor(async () => (await replicationTruth(master)).backlogFirstByte > droppedAt + 65_536, { timeoutMs: 10_000, what: `${master.id}'s backlog to move 64 KB past offset ${droppedAt}` });
        const askedAt = Date.now();
        const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt && snapshot.links.some((link) => link.id === linkId), 'a poll of the master after its backlog moved on', 5_000);
        const link = shown.links.find((candidate) => candidate.id === linkId)!;
        const truth = await replicationTruth(master);
        expect(truth.replicas.map((entry) => entry.id), 'the master no longer lists the stopped replica').not.toContain(replica.id);
        expect(link.state, `the link while ${master.id} no longer lists ${replica.id}`).toBe('down');
        expect(link.partialResyncPossible, `a reconnect now: the backlog starts at ${truth.backlogFirstByte}, the replica can be at most at ${droppedAt}`).toBe(false);
        expect(link.partialResyncCountdownSeconds).toBe(0);
      } finally {
        replica.signal('SIGCONT');
      }
      const line = await waitForLog(master, LOG.lackOfBacklog, mark, 20_000);
      const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id, `the full resync of ${replica.id}`, 20_000);
      expect(resync.cause, `${resync.message} | master: ${line}`).toBe('out-of-backlog');
      const after = await replicationTruth(master);
      expect(after.syncPartialErr - before.syncPartialErr).toBeGreaterThanOrEqual(1);
      expect(after.syncFull - before.syncFull).toBeGreaterThanOrEqual(1);
      expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= resync.time - 5_000)).toEqual([]);
    } finally {
      await load.stop();
    }
  }, 90_000);
});

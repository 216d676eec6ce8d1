/**
 * A stopped replica its master still lists online, whose last ACK has left
 * the backlog. Found in a new-user walk (redis-server 7.0, repl-backlog-size
 * 1mb, a chained pair under a write load; the replica SIGSTOPped while 1.6 MB
 * was written): the Backlog tab read "not possible: its offset left the
 * backlog; ... if it disconnected now its reconnect would be a full resync"
 * from the ACK the master held (384,106, first byte 776,721). Then `CLIENT
 * KILL TYPE replica` on the master and SIGCONT: the replica applied what the
 * master had already written to its socket, and its PSYNC was accepted
 * ("Partial resynchronization request ... accepted ... starting from offset
 * 2040117"). The master goes on streaming to a silent replica, so its ACK
 * bounds nothing from above: where a reconnect starts is not known, and the
 * console must not predict a full resync.
 *
 * Held against the master's INFO (the replica listed online, its ACK + 1
 * before repl_backlog_first_byte_offset) while the prediction is read, and
 * its log line and sync_partial_ok after.
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a stopped replica still listed online whose ACK left the backlog: no full resync is predicted, and its reconnect is a partial resync', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-backlog-size', '16kb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const load = WriteLoad.start(master, { opsPerSec: 300, valueBytes: 100 });
    await sleep(1_000); // a streaming replica first, with an ACK past the start
    let before = await replicationTruth(master);
    const mark = master.mark();
    replica.signal('SIGSTOP');
    try {
      // Seen silent by the console (its figures from the ACK the master holds), and the master still lists it
      // online, with that ACK well before the backlog's first byte.
      await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.id === linkId && link.stale && link.offsetSource === 'ack'), `${replica.id} seen silent`, 10_000);
      await waitFor(async () => {
        const truth = await replicationTruth(master);
        const line = truth.replicas.find((entry) => entry.id === replica.id);
        return line?.state === 'online' && line.ackOffset + 1 + 8_192 < truth.backlogFirstByte;
      }, { timeoutMs: 20_000, what: `${replica.id}'s ACK to leave ${master.id}'s backlog` });
      // Stopped at once: what the master sent since fits its socket, all of it reaches the replica when it wakes.
      await load.stop();
      const askedAt = Date.now();
      const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt && snapshot.links.some((link) => link.id === linkId), 'a poll of the master after the ACK left its backlog', 5_000);
      const truth = await replicationTruth(master);
      const line = truth.replicas.find((entry) => entry.id === replica.id);
      const link = replscope.link(replica.id, shown);
      const said = `${JSON.stringify(link)}; master: ${JSON.stringify(line)}, first byte ${truth.backlogFirstByte}`;
      expect(line?.state, said).toBe('online');
      expect(link.state, said).toBe('online');
      expect(link.offsetSource, said).toBe('ack');
      expect(link.replicaOffset! + 1, said).toBeLessThan(truth.backlogFirstByte);
      // Not "full": it was sent up to the master's offset, and applies all of it before it reconnects.
      expect(link.partialResyncPossible, said).toBeNull();
      expect(link.outageCoveredSeconds, said).toBeNull();
      before = truth;
      await master.call('CLIENT', 'KILL', 'TYPE', 'replica');
    } finally {
      replica.signal('SIGCONT');
      await load.stop();
    }
    // The outcome the prediction must not contradict: the master accepted its PSYNC.
    const accepted = await waitForLog(master, LOG.partialAccepted, mark, 20_000);
    expect(accepted).toContain(replica.id);
    await waitFor(async () => (await replicationTruth(master)).syncPartialOk > before.syncPartialOk, { timeoutMs: 10_000, what: `${master.id}'s sync_partial_ok to move` });
    const after = await replicationTruth(master);
    expect(after.syncFull, 'no full sync').toBe(before.syncFull);
  }, 60_000);
});

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
 * its log line and sync_partial_ok after. The same walk: the partial resync
 * after the link-down put down to the CLIENT KILL came with no cause; it is
 * the kill's too.
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
      // Woken well after the kill (as in the walk, 10 s): the resync is not in the polls right after it.
      await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id, `the link-down of ${replica.id}`, 10_000);
      await sleep(5_000);
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
    // The timeline: the link-down put down to the kill on the master, and the partial resync after it too (it
    // came with no cause: the kill was looked for only behind a link that dropped and came back between polls).
    const down = await replscope.waitForEvent((event) => event.kind === 'link-down' && event.nodeId === replica.id, `the link-down of ${replica.id}`, 10_000);
    expect(down.cause, down.message).toBe('client-kill');
    const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= down.time, `the partial resync of ${replica.id}`, 10_000);
    expect(resync.cause, `${resync.message} | master: ${accepted}`).toBe('client-kill');
    expect(resync.message).toContain(`it reconnected after its link-down at ${new Date(down.time).toISOString()}: a client connection killed by CLIENT KILL on ${master.id} (not by this console)`);
    expect(replscope.eventsWhere((event) => event.kind === 'full-resync' && event.nodeId === replica.id)).toEqual([]);
  }, 60_000);
});

/**
 * A replica restarted from an RDB whose replication offset has left its
 * master's backlog. It loads the RDB with its master's id and offset
 * ("synthesize a cached master") and asks PSYNC with them ("Trying a
 * partial resynchronization (request <replid>:<offset + 1>)"); the master
 * refuses for the offset ("Unable to partial resync with replica ... for
 * lack of backlog (Replica request was: N)") and full-syncs it: sync_full
 * +1 and sync_partial_err +1. The console said "restarted (run_id changed)
 * and had no cached master to continue from" (replica-restarted-without-
 * cache), the cause of a replica that asks PSYNC ? -1, which Redis counts
 * in sync_full alone. It had one: the cause is out-of-backlog.
 *
 * The RDB is made stale on purpose: SAVE on the replica, then more writes
 * to the master than its backlog (16 kB) holds, which every replica applies
 * (its shutdown does not save again: save ""), then a restart.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, escapeRegExp, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a replica restarted from an RDB past its master\'s backlog: its full resync is out-of-backlog, not "no cached master"', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas', masterArgs: ['--repl-backlog-size', '16kb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    for (let index = 0; index < 10; index++) expect(await master.call('SET', `before-save:${index}`, 'v')).toBe('OK');
    await waitFor(async () => (await replicationTruth(replica)).slaveReplOffset === (await replicationTruth(master)).masterReplOffset, { what: 'the replica at the master\'s offset' });
    expect(await replica.call('CONFIG', 'SET', 'save', '')).toBe('OK');
    expect(await replica.call('SAVE')).toBe('OK');
    const savedAt = (await replicationTruth(replica)).slaveReplOffset!;
    for (let index = 0; index < 100; index++) expect(await master.call('SET', `after-save:${index}`, 'x'.repeat(500))).toBe('OK');
    await waitFor(async () => (await replicationTruth(replica)).slaveReplOffset === (await replicationTruth(master)).masterReplOffset, { what: 'the replica at the master\'s offset' });
    // The master trims its backlog only once no replica still holds its first block: every replica has
    // acknowledged the last byte (the master's INFO slaveN offset). A replica whose link is up may not be
    // streamed yet: redis-server 7.0 starts the stream after a diskless full sync at the first ACK that
    // finds the sync's child reaped, up to a second later, and until then keeps the stream from the first block.
    await waitFor(async () => {
      const truth = await replicationTruth(master);
      return truth.replicas.length === group.replicas.length && truth.replicas.every((line) => line.ackOffset === truth.masterReplOffset);
    }, { what: 'every replica to acknowledge the master\'s offset' });
    const before = await replicationTruth(master);
    expect(before.backlogFirstByte, 'the RDB\'s offset has left the backlog').toBeGreaterThan(savedAt + 1);
    const mark = master.mark();
    const replicaMark = replica.mark();
    const since = Date.now();

    await replica.restart();
    // The nodes' truth: the replica presented the RDB's history, the master refused it for its offset.
    // Both kinds log what the replica asked for (redis-server also logs "synthesize a cached master" before it, our
    // engine "Restored replication ID and offset from the RDB"): the RDB's history and the byte after its offset.
    await waitForLog(replica, new RegExp(`Trying a partial resynchronization \\(request ${before.replid}:${savedAt + 1}\\)`), replicaMark);
    const refused = await waitForLog(master, new RegExp(`Unable to partial resync with replica ${escapeRegExp(replica.id)} for lack of backlog \\(Replica request was: (\\d+)\\)`), mark);
    expect(refused).toContain(`Replica request was: ${savedAt + 1}`);
    expect(LOG.lackOfBacklog.test(refused)).toBe(true);
    await waitFor(async () => (await replicationTruth(replica)).masterLinkStatus === 'up', { what: 'the replica synced again' });
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 1, partialOk: 0, partialErr: 1 });

    const full = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= since, `the full resync of ${replica.id}`, 30_000);
    expect(full.peerId).toBe(master.id);
    expect(full.cause, full.message).toBe('out-of-backlog');
    expect(full.message).toContain('sync_partial_err');
    expect(full.message).toContain('presented the replication history of the RDB it loaded');
    expect(full.message).not.toMatch(/no cached master/);
  }, 60_000);
});

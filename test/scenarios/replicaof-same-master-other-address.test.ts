/**
 * REPLICAOF naming the replica's own master under another address
 * (localhost for 127.0.0.1). Redis compares the host string, not the node:
 * the replica logs "REPLICAOF localhost:<port> enabled (user request",
 * counts it (cmdstat_replicaof +1), drops its link and reconnects, and its
 * master accepts its PSYNC again (sync_partial_ok +1). Found in review: the
 * console compared the raw master_host:master_port, so it said "re-pointed
 * from 127.0.0.1:M to localhost:M", and named the re-point's masters
 * otherwise than the links do (through the monitor's address aliases), so
 * the resync that followed was never matched to it.
 *
 * The console watches the master under both addresses (two seeds, one
 * node by its run_id): localhost:M is an alias of 127.0.0.1:M from the start.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, escapeRegExp, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('REPLICAOF localhost <master port>: the resync after it is said to be a re-point to the same master, with the REPLICAOF counted', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: { seeds: [{ host: '127.0.0.1', port: master.port }, { host: 'localhost', port: master.port }] } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const before = await replicationTruth(master);
    const calls = async (): Promise<number> => Number(/calls=(\d+)/.exec((await replica.info('commandstats')).get('cmdstat_replicaof') ?? '')?.[1] ?? 0);
    const callsBefore = await calls();
    const mark = replica.mark();
    const masterMark = master.mark();
    const since = Date.now();

    expect(await replica.call('REPLICAOF', 'localhost', String(master.port))).toBe('OK');
    // The nodes' truth: the replica took it as a new master and reconnected; its master continued it.
    await waitForLog(replica, new RegExp(`REPLICAOF localhost:${master.port} enabled \\(user request`), mark);
    expect(await calls()).toBe(callsBefore + 1);
    await waitForLog(master, new RegExp(`Partial resynchronization request from ${escapeRegExp(replica.id)} accepted`), masterMark);
    await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'up', { what: 'the replica linked again' });
    expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 0, partialOk: 1, partialErr: 0 });

    const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= since, 'the partial resync after the REPLICAOF');
    expect(resync.peerId).toBe(master.id);
    expect(resync.cause, replscope.describeEvents()).toBe('operator-command');
    expect(resync.message).toContain(`${replica.id} was re-pointed to its own master ${master.id} under another address`);
    expect(resync.message).toContain(`went from 127.0.0.1:${master.port} to localhost:${master.port}`);
    expect(resync.message).not.toContain('re-pointed from');
    expect(resync.numbers).toMatchObject({ repointedFrom: master.id, repointedTo: master.id });
  }, 60_000);
});

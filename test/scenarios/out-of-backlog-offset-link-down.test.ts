/**
 * A replica awake with its link down (its master refuses its AUTH, so it
 * cannot reconnect) while the master writes past its backlog: its own INFO,
 * polled with master_link_status:down, holds the exact offset it will ask
 * to continue from (a replica whose link is down applies nothing more; its
 * PSYNC asks for the byte after its cached master's offset). The full
 * resync then names that offset exactly, not as "at least" (the lower
 * bound out-of-backlog-offset.test.ts keeps for a stopped replica, which
 * may still apply what its socket held).
 *
 * Held against the master's log, "Unable to partial resync with replica
 * ... for lack of backlog (Replica request was: N)", and its
 * sync_partial_err.
 */
import { expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a replica held down by a refused AUTH falls out of a 16 KB backlog: the full resync names its offset exactly, the master\'s "Replica request was" minus one', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-backlog-size', '16kb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    // Some stream first, so the offset named is no zero.
    const first = new RespConnection('127.0.0.1', master.port);
    for (let i = 0; i < 50; i++) await first.call('SET', `before:${i}`, 'x'.repeat(100));
    first.close();
    await waitForGroupInSync(master, [replica]);
    const before = await replicationTruth(master);

    await replica.call('CONFIG', 'SET', 'masterauth', 'not-the-password');
    const mark = master.mark();
    const replicaMark = replica.mark();
    expect(await master.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
    await waitForLog(replica, /Unable to AUTH to MASTER/, replicaMark);
    const downAt = (await replicationTruth(replica)).slaveReplOffset!;
    // The console polls the replica awake with its link down at that offset.
    await replscope.waitForSnapshot((snapshot) => {
      const node = snapshot.nodes.find((candidate) => candidate.id === replica.id);
      return node !== undefined && !node.stale && node.masterLinkStatus === 'down' && node.slaveReplOffset === downAt;
    }, `${replica.id} polled with its link down`);
    const writer = new RespConnection('127.0.0.1', master.port);
    for (let i = 0; i < 200; i++) await writer.call('SET', `filler:${i}`, 'x'.repeat(200));
    writer.close();
    expect((await replicationTruth(master)).backlogFirstByte).toBeGreaterThan(downAt + 1);
    await replica.call('CONFIG', 'SET', 'masterauth', '');

    const line = await waitForLog(master, LOG.lackOfBacklog, mark);
    const requested = Number(/Replica request was: (\d+)/.exec(line)?.[1]);
    expect(requested, line).toBe(downAt + 1);
    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id, `the full resync of ${replica.id}`, 15_000);
    expect(resync.cause, resync.message).toBe('out-of-backlog');
    expect(resync.message, `master: ${line} | ${resync.message}`).toContain(`its offset was ${requested - 1} (polled with its link down`);
    expect(resync.message).not.toContain('at least');
    expect((await replicationTruth(master)).syncPartialErr - before.syncPartialErr).toBe(1);
  }, 60_000);
});

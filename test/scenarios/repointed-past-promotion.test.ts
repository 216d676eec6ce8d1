/**
 * A replica re-pointed to a newly promoted master after it had received
 * writes the old master took past the promotion point: its PSYNC on the old
 * history is refused and it full-syncs. Found in a new-user walk with three
 * redis-sentinel processes: after SENTINEL FAILOVER under writes, the new
 * master's log said "Partial resynchronization not accepted: Requested
 * offset for second ID was 132348, but I can reply up to 121685" for the
 * re-pointed replica, its sync_partial_err went 0 -> 1, and the console put
 * the full resync down to "full sync requested: a new replica asks for the
 * whole dataset" (PSYNC ? -1, which Redis does not count in
 * sync_partial_err), a cause the alerts take for a first sync and stay
 * silent about.
 *
 * Here the same steps as Sentinel's, done by hand and in a few milliseconds
 * so the console (polling every second) does not see the replica's offset
 * past the promotion point: REPLICAOF NO ONE on one replica, writes to the
 * old master that reach the other replica, then REPLICAOF <promoted> on that
 * other replica.
 */
import { expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a re-pointed replica refused for its offset past the promotion point: the cause says so, never "a new replica asks for the whole dataset", and the full-resync alert fires', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const oldMaster = group.master;
    const promoted = group.node('replica-1');
    const repointed = group.node('replica-2');
    const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 1000, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const mark = promoted.mark();

    const connections = [promoted, oldMaster, repointed].map((node) => new RespConnection('127.0.0.1', node.port));
    const [toPromoted, toOldMaster, toRepointed] = connections as [RespConnection, RespConnection, RespConnection];
    try {
      await Promise.all(connections.map((connection) => connection.connect()));
      expect(await toPromoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
      for (let index = 0; index < 20; index++) await toOldMaster.call('SET', `after-promotion-${index}`, 'x'.repeat(100));
      // The repointed replica has those writes (it acknowledged them) before it is re-pointed.
      expect(await toOldMaster.call('WAIT', '1', '2000')).toBe(1);
      expect(await toRepointed.call('REPLICAOF', '127.0.0.1', String(promoted.port))).toBe('OK');
    } finally {
      for (const connection of connections) connection.close();
    }

    // The promoted node's truth: the PSYNC on the old history was refused for its offset, and it counted it.
    const line = await waitForLog(promoted, LOG.secondIdOffsetTooHigh, mark);
    const [, requested, upTo] = LOG.secondIdOffsetTooHigh.exec(line)!;
    expect(Number(requested)).toBeGreaterThan(Number(upTo));
    expect(await replicationTruth(promoted)).toMatchObject({ syncFull: 1, syncPartialErr: 1 });

    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === repointed.id, `the full resync of ${repointed.id}`, 20_000);
    expect(resync.peerId).toBe(promoted.id);
    expect(resync.cause, resync.message).toBe('offset-past-promotion');
    expect(resync.message).not.toMatch(/new replica/);
    // The promotion point the console names is the one the promoted node's log gives.
    expect(resync.message).toContain(`offset ${upTo}`);
    // A resync that discarded data is an incident, not a first sync: the full-resync alert fires for it.
    await replscope.waitForAlert((alert) => alert.rule === 'full-resync' && alert.subject === repointed.id, `the full-resync alert for ${repointed.id}`);
  }, 60_000);
});

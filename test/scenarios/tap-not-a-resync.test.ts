/**
 * Starting this console's stream tap on an attached master is no resync of
 * its replica. The tap's PSYNC moves the master's sync_partial_ok by one
 * and its log names the tap ("Partial resynchronization request from
 * replscope-tap..."), while the replica's link never drops (its log says
 * nothing of its master). The console put that move down to the only
 * replica: "dropped and came back between two polls" and "accepted a
 * partial resync from <replica>". It now knows the PSYNC was its own.
 */
import { expect, it } from 'vitest';
import { infoNumber } from '../support/replication';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('the tap\'s own PSYNC on the master is not put down to its replica as a link-down and a partial resync', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 200 });
    try {
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500, profile: { streamTap: true } });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      const partialOk = await infoNumber(master, 'sync_partial_ok', 'stats');
      const masterMark = master.mark();
      const replicaMark = replica.mark();
      const since = Date.now();
      const report = await replscope.call('tap.start', { sessionId: replscope.sessionId, nodeId: master.id, confirmMinReplicas: false });
      expect(report.state).toBe('streaming');
      // The nodes' truth: the master counted the tap's PSYNC and names the tap; the replica's link stayed up.
      await waitFor(async () => (await infoNumber(master, 'sync_partial_ok', 'stats')) === partialOk + 1, { what: 'sync_partial_ok + 1' });
      expect(master.logSince(masterMark)).toMatch(/Partial resynchronization request from replscope-tap/);
      await sleep(4_000); // polls past the move, and the attribution's settling time
      await replscope.call('tap.stop', { sessionId: replscope.sessionId, nodeId: master.id });
      expect(replica.logSince(replicaMark)).not.toMatch(/Connection with master lost|MASTER <-> REPLICA sync started/);
      expect(await infoNumber(master, 'sync_partial_ok', 'stats')).toBe(partialOk + 1);
      expect(replscope.eventsWhere((event) => event.time >= since && event.nodeId === replica.id), replscope.describeEvents()).toEqual([]);
    } finally {
      await load.stop();
    }
  }, 60_000);
});

/**
 * Force full resync of a replica that has replicas of its own. The console
 * runs REPLICAOF NO ONE then REPLICAOF <its master> on it: it full-syncs
 * from the master, and its own replicas lose their place too, since the
 * history they followed is gone once it has loaded the master's snapshot.
 * Found in a new-user trial (redis-server chain 17401 -> 17402 -> 17403):
 * the preflight described only the target's full resync, and 17403 then
 * full-resynced as well (17402's log: "Partial resynchronization not
 * accepted: Replication ID mismatch").
 *
 * Which of the two the sub-replica gets depends on timing (whether it
 * reconnected between the two REPLICAOFs and took the middle's passing
 * id, whether a write came in between); the preflight names both, and the
 * timeline must report the one the middle's own counters show.
 */
import { expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('the middle of a chain: the preflight says what its sub-replica goes through, and the timeline shows what it went through', async () => {
    const group = await startGroup(kind, { shape: 'chain' });
    const { master } = group;
    const middle = group.node('replica-1');
    const leaf = group.node('sub-replica');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    try {
      await waitFor(async () => (await replicationTruth(master)).masterReplOffset > 10_000, { timeoutMs: 10_000, what: 'the load to write' });
      const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: middle.id });
      expect(preflight.allowed).toBe(true);
      expect(preflight.prediction).toBe('full');
      const leafStep = preflight.steps.find((step) => step.startsWith(`${leaf.id}, `));
      expect(leafStep, preflight.steps.join('\n')).toMatch(/loses its link too and needs a full resync of its own .* unless it did not reconnect in between and nothing was written between the two REPLICAOFs: then it continues/);

      const before = await replicationTruth(middle);
      const result = await replscope.run(preflight);
      expect(result.resync).toBe('full');
      await waitForGroupInSync(master, [middle]);
      // The middle serves its sub-replica again: a full sync, or a partial one.
      let delta = counterDelta(before, before);
      await waitFor(async () => {
        delta = counterDelta(before, await replicationTruth(middle));
        return delta.full + delta.partialOk >= 1;
      }, { timeoutMs: 20_000, what: `${middle.id} to serve ${leaf.id} again` });
      await waitForGroupInSync(middle, [leaf]);
      delta = counterDelta(before, await replicationTruth(middle));
      const resyncKind = delta.full > 0 ? 'full-resync' : 'partial-resync';
      await replscope.waitForEvent((event) => event.kind === resyncKind && event.nodeId === leaf.id && event.peerId === middle.id, `the sub-replica's ${resyncKind} on the timeline (the middle's counters moved by ${JSON.stringify(delta)})`);
    } finally {
      await load.stop();
    }
  }, 60_000);
});

/**
 * A replica that drops and reconnects in the first seconds after the
 * console attached (before it has seen any link in trouble, or any
 * connection grow old): the master's sync_partial_ok moves by one and its
 * log names the replica ("Partial resynchronization request from <replica>
 * accepted"). The console must name the same replica, as it does later on,
 * not say "the replica could not be told".
 */
import { expect, it } from 'vitest';
import { ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it.each([
    ['once every link shows online', true],
    ['at the console\'s first snapshot', false],
  ])('names the replica of a partial resync seen in the first polls after attaching: a replica reconnects %s', async (_when, steady) => {
    const group = await startGroup(kind, { shape: 'full' });
    const { master } = group;
    const target = group.node('replica-2');
    const load = WriteLoad.start(master, { opsPerSec: 2000 });
    try {
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
      if (steady) await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      else await replscope.waitForSnapshot(() => true, 'a first snapshot');
      const attachedAt = Date.now();
      const before = await replicationTruth(master);
      const masterMark = master.mark();
      const targetMark = target.mark();
      // The replica's own side of the link, closed on the replica: it reconnects at once and asks PSYNC.
      await target.call('CLIENT', 'KILL', 'TYPE', 'master');
      await waitForLog(target, LOG.replicaPartialOk, targetMark);
      const after = await replicationTruth(master);
      expect(counterDelta(before, after)).toEqual({ full: 0, partialOk: 1, partialErr: 0 });
      expect(countLog(master, LOG.partialAccepted, masterMark)).toBe(1);
      expect(master.logSince(masterMark)).toContain(`Partial resynchronization request from ${target.id}`);

      const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.peerId === master.id, 'the partial resync', 10_000);
      expect(partial.time - attachedAt).toBeLessThan(5000); // in the first polls, where it used to go wrong
      expect(partial.nodeId, replscope.describeEvents()).toBe(target.id);
      expect(partial.message).not.toMatch(/could not be told/);
      expect(replscope.eventsWhere((event) => event.kind === 'partial-resync' || event.kind === 'full-resync').map((event) => event.nodeId)).toEqual([target.id]);
    } finally {
      await load.stop();
    }
  });
});

/**
 * The timeline after each control, when one follows another on the same
 * links within half a minute, held against the master's counters and log.
 * Found in a new-user trial on redis-server (two replicas, 500 writes/s):
 * Disconnect link on replica-1, then Force full resync of it 5 s later: its
 * link-down was put down to the Disconnect link ("this console's Disconnect
 * link ... run at" the earlier time), and the full resync to "the replica
 * had fallen out of the backlog" while the master logged "Partial
 * resynchronization not accepted: Replication ID mismatch" (sync_partial_err
 * +1; the replica asked with the id REPLICAOF NO ONE gave it). Then
 * Disconnect link on replica-2 and Promote to master of it: the link-downs
 * the FAILOVER caused (replica-2's, and replica-1's, which the old master
 * drops as it turns replica) were put down to the two Disconnect links, and
 * the partial resyncs after them to nothing ("cause unknown").
 *
 * The full resync's cause depends on whether a poll saw the replica on its
 * new id before the master counted the refused PSYNC; the second scenario
 * makes sure one does (the master stopped while the replica switches).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, counterDelta, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, WriteLoad } from './harness';

useScenarioCleanup();

/** The events recorded after the first `mark` (an inferred event's time can be a poll before the action started). */
const after = (events: readonly ReplicationEvent[], mark: number, match: (event: ReplicationEvent) => boolean): ReplicationEvent[] =>
  events.slice(mark).filter(match);

/**
 * A Disconnect link's run ends when the replica streams again; the polls file its link-down and
 * partial resync (from the master's counters) a moment later. Waits for them, so that the next
 * action's mark falls after them, and holds them to the Disconnect link.
 */
async function expectRecordedAsDisconnect(replscope: ConsoleUnderTest, mark: number, replicaId: string): Promise<void> {
  const resync = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replicaId && replscope.events.indexOf(event) >= mark, `${replicaId}'s partial resync after the Disconnect link`);
  const downs = after(replscope.events, mark, (event) => event.kind === 'link-down' && event.nodeId === replicaId);
  expect(downs.length, replscope.describeEvents()).toBeGreaterThan(0);
  for (const event of [resync, ...downs]) {
    expect(event.message, replscope.describeEvents()).toContain("this console's Disconnect link");
    expect(event.cause).toBe('manual');
  }
}

forEachNodeKind((kind) => {
  // Was flaky (it.skip on 2026-12-05): replica-2's own first sync, seen by the console's first poll
  // moments before, made it the only link "in trouble", so the master's sync_full +1 of the Force full
  // resync was put down to it. Trouble a poll saw end before the master's counters were read is no
  // candidate now, and the action's target is (resync-attribution.ts).
  it('Force full resync and Promote to master right after a Disconnect link: each link-down and resync is put down to the action that caused it', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master } = group;
    const [first, second] = [group.node('replica-1'), group.node('replica-2')];
    const load = WriteLoad.start(master, { opsPerSec: 500 });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    try {
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      await waitFor(async () => (await replicationTruth(master)).masterReplOffset > 20_000, { timeoutMs: 10_000, what: 'the load to write' });

      const firstCutMark = replscope.events.length;
      const disconnected = await replscope.run(await replscope.preflight({ kind: 'disconnect-link', replicaId: first.id, side: 'master' }));
      expect(disconnected.resync).toBe('partial');
      await expectRecordedAsDisconnect(replscope, firstCutMark, first.id);

      // Force full resync of the same replica: REPLICAOF NO ONE gives it a new id, which the master refuses.
      const before = await replicationTruth(master);
      const forcedMark = replscope.events.length;
      const forced = await replscope.run(await replscope.preflight({ kind: 'force-full-resync', replicaId: first.id }));
      expect(forced.resync).toBe('full');
      const delta = counterDelta(before, await replicationTruth(master));
      expect(delta).toEqual({ full: 1, partialOk: 0, partialErr: 1 });
      const full = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === first.id && replscope.events.indexOf(event) >= forcedMark, `${first.id}'s full resync`);
      expect(full.cause, full.message).toBe('replid-mismatch');
      const forcedDowns = after(replscope.events, forcedMark, (event) => event.kind === 'link-down' && event.nodeId === first.id);
      expect(forcedDowns.length, replscope.describeEvents()).toBeGreaterThan(0);
      for (const down of forcedDowns) expect(down.message).toContain(`this console's Force full resync of ${first.id}`);
      // Its new id (REPLICAOF NO ONE's), then the master's again, when polls saw them: the action's too.
      for (const change of after(replscope.events, forcedMark, (event) => event.kind === 'replid-change' && event.nodeId === first.id)) {
        expect(change.cause, change.message).toBe('manual');
        expect(change.message).toContain(`this console's Force full resync of ${first.id}`);
      }
      await waitForGroupInSync(master, [first, second]);

      // Promote to master of the other replica, just after its own Disconnect link.
      const secondCutMark = replscope.events.length;
      const secondCut = await replscope.run(await replscope.preflight({ kind: 'disconnect-link', replicaId: second.id, side: 'replica' }));
      expect(secondCut.resync).toBe('partial');
      await expectRecordedAsDisconnect(replscope, secondCutMark, second.id);
      const promotedMark = replscope.events.length;
      const promoted = await replscope.run(await replscope.preflight({ kind: 'promote', nodeId: second.id, method: 'auto' }));
      expect(promoted.outcome).toBe('promoted');
      expect(promoted.resync).toBe('partial');
      expect((await replicationTruth(master)).role).toBe('slave');
      // The old master continued from the new one, and replica-1 from the old master (dropped as it turned replica).
      await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === master.id && event.peerId === second.id, 'the old master\'s partial resync with the new one');
      await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === first.id && replscope.events.indexOf(event) >= promotedMark, `${first.id}'s partial resync after the promotion`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // replica-1 takes the new master's id through the old master: the promotion's doing too.
      await replscope.waitForEvent((event) => event.kind === 'replid-change' && event.nodeId === first.id && replscope.events.indexOf(event) >= promotedMark, `${first.id}'s new replication id`);
      const promotedEvents = after(replscope.events, promotedMark, (event) => event.kind === 'link-down' || event.kind === 'partial-resync' || (event.kind === 'replid-change' && event.nodeId !== second.id));
      expect(promotedEvents.filter((event) => event.kind === 'link-down').length, replscope.describeEvents()).toBeGreaterThan(0);
      for (const event of promotedEvents) {
        expect(event.message, replscope.describeEvents()).toContain(`this console's Promote to master of ${second.id}`);
        expect(event.cause).toBe('manual');
      }
    } finally {
      await load.stop();
    }
  }, 90_000);

  it('Force full resync while the master is stopped for a moment: the poll sees the replica on its new id first, and the full resync is a replid mismatch, as the master logs', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    try {
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
      await waitFor(async () => (await replicationTruth(master)).masterReplOffset > 10_000, { timeoutMs: 10_000, what: 'the load to write' });
      const before = await replicationTruth(master);
      const preflight = await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id });
      master.signal('SIGSTOP');
      const running = replscope.run(preflight);
      // The replica takes its new id at once and cannot reach the master: polls see it so.
      await waitFor(async () => (await replicationTruth(replica)).replid !== before.replid, { timeoutMs: 10_000, what: 'the replica\'s new id' });
      // As a replica: a poll can fall between REPLICAOF NO ONE and REPLICAOF and see it a master for that
      // instant (a promotion with the new id, then a demotion: role changes, no replid-change), and the
      // master must stay stopped until a poll has seen the replica on the id its PSYNC carries.
      await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === replica.id && node.role === 'replica' && node.replid !== before.replid && !node.stale), 'a poll of the replica on its new id');
      master.signal('SIGCONT');
      const result = await running;
      expect(result.resync).toBe('full');
      const truth = await replicationTruth(master);
      expect(counterDelta(before, truth)).toEqual({ full: 1, partialOk: 0, partialErr: 1 });
      if (kind === 'redis') expect(master.logSince({ offset: 0 })).toMatch(/Partial resynchronization not accepted: Replication ID mismatch/);
      const full = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id, `${replica.id}'s full resync`);
      expect(full.cause, full.message).toBe('replid-mismatch');
      // The new id the poll saw is the action's, not "cause unknown".
      const change = await replscope.waitForEvent((event) => event.kind === 'replid-change' && event.nodeId === replica.id, `${replica.id}'s new replication id`);
      expect(change.cause, change.message).toBe('manual');
      expect(change.message).toContain(`this console's Force full resync of ${replica.id}`);
    } finally {
      master.signal('SIGCONT');
      await load.stop();
    }
  }, 90_000);
});

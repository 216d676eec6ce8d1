/**
 * A replica that hangs (SIGSTOP) long enough for its master to drop it.
 * Found in a new-user trial: a stopped replica whose connection the master
 * closed stayed "online" on screen, from the replica's last answer, for as
 * long as it hung, although the master's INFO no longer listed it; when it
 * woke and resumed, the timeline filed the link-down at that moment and
 * said it had "dropped and came back between two polls".
 *
 * The master's INFO is the one current fact about a link whose replica does
 * not answer: once the master no longer lists the replica, the link is down
 * (whatever the replica said before it hung), and the link-down is filed
 * when that poll saw it, before the replica wakes. Provoked with
 * repl-timeout 3 on the master, which then logs "Disconnecting timedout
 * replica" (redis-server's replicationCron, and our engine's); held against
 * that line and the master's INFO, whose reason (repl-timeout: no ACK from
 * the replica) is the link-down's cause. Found again in a new-user walk with
 * three redis-sentinel processes (a replica stopped for 62 s under the
 * default repl-timeout 60): the link-down said "cause unknown".
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

const TIMED_OUT = /Disconnecting timedout replica \(streaming sync\)/;

forEachNodeKind((kind) => {
  it('a stopped replica its master drops after repl-timeout: the link reads down from the poll that no longer finds it, and the timeline says so before it wakes', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const load = WriteLoad.start(master, { opsPerSec: 300 });
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;

    const mark = master.mark();
    const stoppedAt = Date.now();
    replica.signal('SIGSTOP');
    let wokeAt = 0;
    try {
      await waitForLog(master, TIMED_OUT, mark, 15_000);
      await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
      const droppedSeenAt = Date.now();
      await sleep(1_500); // six polls with the master's INFO lacking the replica
      const link = replscope.snapshot().links.find((candidate) => candidate.id === linkId);
      expect(link?.state, `the link while ${master.id} no longer lists ${replica.id}`).toBe('down');
      const down = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= stoppedAt);
      expect(down.map((event) => event.message), replscope.describeEvents()).toHaveLength(1);
      expect(down[0]!.time).toBeLessThanOrEqual(droppedSeenAt + 1_000);
      expect(down[0]!.message).toContain(`${master.id} no longer lists ${replica.id}`);
      // The master's reason, as its log line says: the replica sent no ACK for repl-timeout.
      expect(down[0]!.cause, down[0]!.message).toBe('timeout');
      expect(down[0]!.message).toMatch(/repl-timeout \(3 s\)/);
    } finally {
      wokeAt = Date.now();
      replica.signal('SIGCONT');
    }

    // Awake, it resumes from the backlog; that resync is its own, after the link-down above.
    await waitForLog(master, LOG.partialAccepted, mark);
    const partial = await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id && event.time >= wokeAt, 'the partial resync after it woke', 10_000);
    expect(partial.message).not.toMatch(/between two polls/);
    expect(replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id && event.time >= wokeAt).map((event) => event.message)).toEqual([]);
    await load.stop();
  }, 60_000);
});

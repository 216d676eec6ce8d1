/**
 * A stopped replica its master dropped stays down while the master's own
 * answers are overdue. Staged from hung-replica-dropped.test.ts's flake on
 * our engine under load: a poll in which the master's INFO was not in yet
 * showed the dropped link "online" again, from the stopped replica's last
 * INFO (master_link_status:up), older than the master's last answer, which
 * no longer listed it. Here the master is held still (SIGSTOP, 1.5 s) after
 * it dropped the replica, so that every poll of that window has neither end
 * answering: the later of their last answers, the master's, is the truth.
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, replicationTruth, startGroup, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

const TIMED_OUT = /Disconnecting timedout replica \(streaming sync\)/;

forEachNodeKind((kind) => {
  it('a dropped, stopped replica: its link stays down in the polls where its master\'s answer is overdue too', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const mark = master.mark();
    replica.signal('SIGSTOP');
    try {
      await waitForLog(master, TIMED_OUT, mark, 15_000);
      await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
      await waitFor(() => replscope.snapshot().links.find((link) => link.id === linkId)?.state === 'down', { what: 'the link read down' });
      const stillAt = Date.now();
      master.signal('SIGSTOP');
      try {
        await sleep(1_500);
      } finally {
        master.signal('SIGCONT');
      }
      const polls = replscope.snapshotsSince(stillAt + 500).map((received) => received.snapshot).filter((snapshot) => snapshot.time <= stillAt + 1_500);
      // The window had polls where neither end answered: the master's answer was overdue, the replica's too.
      expect(polls.some((snapshot) => snapshot.nodes.find((node) => node.id === master.id)?.stale), 'a poll with the master\'s answer overdue').toBe(true);
      expect(polls.map((snapshot) => snapshot.links.find((link) => link.id === linkId)?.state ?? 'absent').filter((state) => state !== 'down')).toEqual([]);
      const downs = replscope.eventsWhere((event) => event.kind === 'link-down' && event.nodeId === replica.id);
      expect(downs.map((event) => event.message), replscope.describeEvents()).toHaveLength(1);
    } finally {
      replica.signal('SIGCONT');
    }
  }, 60_000);
});

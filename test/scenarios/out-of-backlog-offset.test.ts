/**
 * The offset an out-of-backlog full resync names is the replica's last
 * polled one, and says so. Found in a new-user walk: repl-backlog-size set
 * to 16 KB at runtime (CONFIG SET) under 1,000 writes/s, the replica
 * stopped (SIGSTOP), its connection killed on the master (CLIENT KILL TYPE
 * replica), then resumed. The master's log: "Unable to partial resync with
 * replica ... for lack of backlog (Replica request was: 542642)"; the
 * timeline: "the replica had fallen out of the backlog: its offset was
 * 265201, the backlog started at 674521". The verdict is right, the figure
 * is not what the replica asked for: resumed, it first applied what its
 * socket still held (some 277 KB here) and only then found the link closed
 * and asked. The console cannot read the request (no INFO field keeps it);
 * what it has is a lower bound, the offset it last polled, and it now says
 * that, with when.
 */
import { expect, it } from 'vitest';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a stopped replica cut on the master falls out of a 16 KB backlog: the full resync names its last polled offset as a lower bound of the master\'s "Replica request was"', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const load = WriteLoad.start(master, { opsPerSec: 1000 });
    try {
      await sleep(1_000);
      const mark = master.mark();
      expect(await master.call('CONFIG', 'SET', 'repl-backlog-size', '16384')).toBe('OK');
      await sleep(1_000);
      replica.signal('SIGSTOP');
      try {
        await sleep(2_000);
        expect(await master.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
        await sleep(1_000);
      } finally {
        replica.signal('SIGCONT');
      }
      const line = await waitForLog(master, LOG.lackOfBacklog, mark);
      const requested = Number(/Replica request was: (\d+)/.exec(line)?.[1]);
      expect(requested, line).toBeGreaterThan(0);
      const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id, `the full resync of ${replica.id}`, 15_000);
      expect(resync.cause, resync.message).toBe('out-of-backlog');
      const stated = /its offset was (?:at least )?(\d+)/.exec(resync.message);
      expect(stated, resync.message).not.toBeNull();
      const offset = Number(stated![1]);
      // The replica asks for the byte after the last it applied: whatever the console names is at most that.
      expect(offset, `${resync.message} | master: ${line}`).toBeLessThanOrEqual(requested - 1);
      // An exact claim must be the replica's own; anything older is named as the lower bound it is.
      if (offset !== requested - 1) expect(resync.message, `master: ${line}`).toMatch(/its offset was at least \d+ \(last polled [\d.]+ s before the master's counters showed its PSYNC refused\)/);
      const truth = await replicationTruth(master);
      expect(truth.syncPartialErr).toBeGreaterThanOrEqual(1);
    } finally {
      await load.stop();
    }
  }, 60_000);
});

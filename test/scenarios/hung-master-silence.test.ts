/**
 * A master that hangs (SIGSTOP) under writes: its replica still answers, and
 * its own INFO says how long it has heard nothing from the master
 * (master_last_io_seconds_ago, pings included) while master_link_status
 * stays up until repl-timeout. The console used to show the link as
 * "0 B · ack 1 s", flagged stale: the hung master's last figures against
 * each other, a lag nobody measured.
 *
 *  - while the master cannot be polled, the link carries the replica's own
 *    figure (masterSilentSeconds), held against the replica's INFO read just
 *    after the snapshot arrived (one-second resolution on both sides);
 *  - once the master answers again, the figure goes (its own offsets say
 *    the lag again).
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('SIGSTOP of the master: its replica\'s link shows how long the replica has heard nothing from it, by the replica\'s own INFO', async () => {
    const group = await startGroup(kind, { shape: 'pair', args: ['--repl-ping-replica-period', '1'] });
    const master = group.master;
    const replica = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup([master.id, replica.id]);
    const load = WriteLoad.start(master, { opsPerSec: 500 });
    try {
      await sleep(1000);
      expect(replscope.link(replica.id).masterSilentSeconds).toBeNull();
      master.signal('SIGSTOP');
      // The replica's truth: silence growing, link still up (repl-timeout is 60 s).
      await waitFor(async () => Number((await replica.info('replication')).get('master_last_io_seconds_ago')) >= 3, { timeoutMs: 10_000, what: `${replica.id} to have heard nothing for 3 s` });
      const shown = await replscope.waitForSnapshot((snapshot) => (replscope.link(replica.id, snapshot).masterSilentSeconds ?? 0) >= 3, `the link to show ${replica.id}'s own silence figure`);
      const truth = await replica.info('replication');
      const link = replscope.link(replica.id, shown);
      const silentSeconds = Number(truth.get('master_last_io_seconds_ago'));
      console.info(`${kind}: replica says ${silentSeconds} s silent; link ${JSON.stringify({ silent: link.masterSilentSeconds, lag: link.lagBytes, stale: link.staleReason })}`);
      expect(truth.get('master_link_status')).toBe('up');
      expect(replscope.node(master.id, shown).stale).toBe(true);
      expect(link.stale).toBe(true);
      // Both in whole seconds, the replica's read a moment after the snapshot's.
      expect(silentSeconds - link.masterSilentSeconds!).toBeGreaterThanOrEqual(0);
      expect(silentSeconds - link.masterSilentSeconds!).toBeLessThanOrEqual(1);
    } finally {
      master.signal('SIGCONT');
      await load.stop();
    }
    await replscope.waitForSnapshot((snapshot) => {
      const link = replscope.link(replica.id, snapshot);
      return !link.stale && link.state === 'online' && link.masterSilentSeconds === null && link.lagBytes !== null;
    }, 'the link fresh again, its lag from the master\'s own offsets');
  }, 60_000);
});

/**
 * A full resync within one replication history is no apply rate. A replica
 * that fell out of its master's backlog asks to continue with the master's
 * own replid; the master refuses ("for lack of backlog"), sends a snapshot,
 * and the replica's slave_repl_offset jumps to the master's by everything it
 * missed, under the same replid. The replid check cannot see that; the
 * console must not show the jump divided by one poll interval as bytes
 * applied per second (a spike on the charts and a catch-up estimate made
 * from it), nor as the replica's write rate (its master_repl_offset jumps
 * too; the peak would set the backlog recommended for its replicas).
 *
 * Two ways the sync meets the polls: a slow one (repl-diskless-sync-delay 2,
 * polls every 250 ms) that a poll sees loading, and a quick one (no delay,
 * polls every second) that starts and ends between two polls.
 */
import { expect, it } from 'vitest';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, countLog, counterDelta, forEachNodeKind, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForGroupInSync, waitForLog } from './harness';

useScenarioCleanup();

const BACKLOG_BYTES = 16 * 1024;

forEachNodeKind((kind) => {
  for (const { delaySeconds, pollIntervalMs } of [{ delaySeconds: 2, pollIntervalMs: 250 }, { delaySeconds: 0, pollIntervalMs: 1000 }]) {
    it(`a replica out of the backlog full-resyncs under the same replid: no apply rate across the jump (sync delay ${delaySeconds} s, polls every ${pollIntervalMs} ms)`, async () => {
      const group = await startGroup(kind, { shape: 'pair', args: ['--repl-backlog-size', String(BACKLOG_BYTES), '--repl-diskless-sync-delay', String(delaySeconds)] });
      const { master } = group;
      const replica = group.node('replica-1');
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

      // Keep the link down (the master has no password: "ERR AUTH <password> called without any password configured"),
      // then write four backlogs' worth: the replica's offset leaves the window.
      await replica.call('CONFIG', 'SET', 'masterauth', 'not-the-password');
      await replica.call('CLIENT', 'KILL', 'TYPE', 'master');
      for (let index = 0; index < 64; index++) await master.call('SET', `filler:${index}`, 'x'.repeat(1024));
      const since = Date.now();
      await sleep(pollIntervalMs * 3);
      const before = await replicationTruth(master);
      const replicaBefore = await replicationTruth(replica);
      expect(replicaBefore.masterLinkStatus).toBe('down');
      expect(before.masterReplOffset - replicaBefore.slaveReplOffset!).toBeGreaterThan(BACKLOG_BYTES);
      const masterMark = master.mark();
      await replica.call('CONFIG', 'SET', 'masterauth', '');
      await waitForLog(master, LOG.lackOfBacklog, masterMark);
      await waitForGroupInSync(master, [replica]);
      await sleep(pollIntervalMs * 3);

      // The nodes' truth: one refused PSYNC and one full resync, the replica on the master's history all along.
      expect(counterDelta(before, await replicationTruth(master))).toEqual({ full: 1, partialOk: 0, partialErr: 1 });
      expect(countLog(master, LOG.lackOfBacklog, masterMark)).toBe(1);
      const replicaAfter = await replicationTruth(replica);
      expect(replicaAfter.replid).toBe(replicaBefore.replid);

      // The poll that first shows the replica past the jump gives no apply rate; the next ones measure again.
      const readings = replscope.snapshotsSince(since).map(({ snapshot }) => ({ node: snapshot.nodes.find((node) => node.id === replica.id), link: snapshot.links.find((link) => link.replicaId === replica.id) }))
        .filter((reading) => reading.node?.health === 'up' && !reading.node.stale && reading.node.slaveReplOffset !== null);
      const jump = readings.findIndex((reading) => reading.node!.slaveReplOffset! >= before.masterReplOffset);
      expect(jump, 'a poll showing the replica after the full resync').toBeGreaterThan(0);
      expect(readings[jump - 1]!.node!.slaveReplOffset).toBe(replicaBefore.slaveReplOffset);
      expect(readings[jump]!.link?.applyRateBytesPerSec, `the apply rate across a jump of ${readings[jump]!.node!.slaveReplOffset! - replicaBefore.slaveReplOffset!} bytes`).toBeNull();
      expect(readings[jump]!.node!.replid).toBe(readings[jump - 1]!.node!.replid);
      // Its own master_repl_offset jumps too: no write rate either, and no peak (the backlog recommended for its replicas) from the jump.
      expect(readings[jump]!.node!.writeRateBytesPerSec).toBeNull();
      const jumpRate = ((readings[jump]!.node!.masterReplOffset! - readings[jump - 1]!.node!.masterReplOffset!) * 1000) / (readings[jump]!.node!.sampledAt - readings[jump - 1]!.node!.sampledAt);
      for (const reading of readings.slice(jump)) expect(reading.node!.peakWriteRateBytesPerSec ?? 0).toBeLessThan(jumpRate / 2);
      expect(readings.slice(jump + 2).some((reading) => reading.link?.applyRateBytesPerSec !== null && reading.link?.applyRateBytesPerSec !== undefined), 'apply rates measured again after it').toBe(true);
    }, 60_000);
  }
});

/**
 * A master frozen with SIGSTOP, failed over by three redis-sentinel
 * processes (+sdown, +odown, +try-failover, +selected-slave,
 * +promoted-slave, +switch-master), then woken with SIGCONT: it comes back
 * believing it is the master, Sentinel turns it into a replica of the new
 * master (+convert-to-slave), and it resyncs. What the console says of
 * each step is held against the nodes' word: the Sentinels' logs, the new
 * master's INFO counters and its log lines for the old master's PSYNC
 * ("Partial resynchronization request from <old> accepted", or "Partial
 * resynchronization not accepted" with "Full resync requested by replica
 * <old>" when the old master asks for everything).
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { ConsoleUnderTest, escapeRegExp as escape, LOG, logLines, replicationTruth, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';
import { waitFor } from '../support/wait';

useScenarioCleanup();

it('a SIGSTOPped master failed over and woken: its demotion, resync and link-up say what Sentinel and the new master did', async () => {
  const group = await startSentinelScenario({ kind: 'redis' });
  const oldMaster = group.master;
  const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  const sentinelMarks = group.sentinels.map((sentinel) => sentinel.log().length);
  const marks = new Map(group.nodes.map((node) => [node.id, node.mark()]));

  oldMaster.signal('SIGSTOP');
  let woken = false;
  try {
    const newMasterId = await group.waitForNewMaster(oldMaster.id);
    const newMaster = group.node(newMasterId);
    const sentinelLogs = (): string[] => group.sentinels.map((sentinel, index) => sentinel.log().slice(sentinelMarks[index]));
    await waitFor(() => sentinelLogs().some((log) => /\+failover-end /.test(log)), { timeoutMs: 30_000, what: 'a Sentinel to log +failover-end' });
    for (const step of ['+sdown master', '+odown master', '+try-failover master', '+selected-slave slave', '+promoted-slave slave', '+switch-master']) {
      expect(sentinelLogs().some((log) => log.includes(step)), step).toBe(true);
    }
    const promotion = await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === newMasterId, `the promotion of ${newMasterId}`, 20_000);
    expect(promotion).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', trigger: '+odown' } });
    // The stopped master accepted connections and answered nothing: hung, a timeout, never "refused".
    const hung = await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === oldMaster.id, `${oldMaster.id} hung`, 10_000);
    expect(hung.cause).toBe('timeout');

    const newMark = marks.get(newMasterId)!;
    const before = await replicationTruth(newMaster);
    oldMaster.signal('SIGCONT');
    woken = true;
    const demotion = await replscope.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === oldMaster.id, `the demotion of ${oldMaster.id}`, 40_000);
    expect(demotion.cause).toBe('sentinel-failover');
    expect(demotion.message).toMatch(/\+convert-to-slave/);
    await waitFor(async () => (await replicationTruth(oldMaster)).masterLinkStatus === 'up', { timeoutMs: 30_000, what: `${oldMaster.id} streaming from ${newMasterId}` });
    const after = await replicationTruth(newMaster);
    const oldName = escape(oldMaster.id);
    const accepted = logLines(newMaster, new RegExp(`Partial resynchronization request from ${oldName} accepted`), newMark).length > 0;
    if (!accepted) await waitForLog(newMaster, new RegExp(`Replica ${oldName} asks for synchronization`), newMark);
    const verdict = accepted ? 'partial' : 'full';
    // The counters agree with the log: a partial resync moves sync_partial_ok, a full one sync_full.
    if (accepted) expect(after.syncPartialOk).toBeGreaterThan(before.syncPartialOk);
    else expect(after.syncFull).toBeGreaterThan(before.syncFull);

    const resyncKind = verdict === 'partial' ? 'partial-resync' : 'full-resync';
    const isResync = (event: ReplicationEvent): boolean => event.kind === resyncKind && event.nodeId === oldMaster.id && event.peerId === newMasterId;
    const resync = await replscope.waitForEvent(isResync, `the ${resyncKind} of ${oldMaster.id}`, 30_000);
    if (!accepted) {
      // Woken, the old master ran what had queued up for it (Sentinel's hello PUBLISHes): its offset passed the
      // promotion point, and the new master said by how much. The console's resync names the same two offsets.
      const [line] = logLines(newMaster, LOG.secondIdOffsetTooHigh, newMark);
      expect(line, newMaster.logSince(newMark)).toBeDefined();
      const [, requested, upTo] = LOG.secondIdOffsetTooHigh.exec(line!)!;
      expect(resync.cause).toBe('demoted-master');
      expect(resync.message).toContain(`it had ${Number(requested) - Number(upTo)} bytes of replication stream past the point where ${newMasterId} was promoted`);
      expect(resync.message).toContain(`its PSYNC asked for offset ${requested} of history`);
      expect(resync.message).toContain(`can serve only up to ${upTo}`);
    }
    // Its link with the new master came up because Sentinel converted it, and the link-up says how its PSYNC went.
    const up = await replscope.waitForEvent((event) => event.kind === 'link-up' && event.nodeId === oldMaster.id && event.peerId === newMasterId, `the link-up of ${oldMaster.id}`, 30_000);
    expect(up, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: verdict } });
    expect(up.message).toMatch(new RegExp(`— Sentinel \\S+ re-pointed ${oldName} to ${escape(newMasterId)} \\(\\+convert-to-slave at `));
    expect(up.message).toContain(accepted ? 'its PSYNC was accepted: a partial resync' : `its PSYNC could not continue: a full resync (${newMasterId}'s sync_full`);
    // So does the other replica's, which Sentinel re-pointed during the failover (+slave-reconf-*).
    const other = group.replicas.find((replica) => replica.id !== newMasterId)!;
    const otherUp = await replscope.waitForEvent((event) => event.kind === 'link-up' && event.nodeId === other.id && event.peerId === newMasterId, `the link-up of ${other.id}`, 10_000);
    const otherAccepted = logLines(newMaster, new RegExp(`Partial resynchronization request from ${escape(other.id)} accepted`), newMark).length > 0;
    expect(otherUp, replscope.describeEvents()).toMatchObject({ cause: 'sentinel-failover', numbers: { attribution: 'sentinel', psync: otherAccepted ? 'partial' : 'full' } });
    expect(otherUp.message).toMatch(new RegExp(`re-pointed ${escape(other.id)} to the new master ${escape(newMasterId)} after the failover \\(\\+slave-reconf-`));
    expect(replscope.eventsWhere((event) => event.kind === 'link-up' && event.cause === 'unknown')).toEqual([]);
  } finally {
    if (!woken) oldMaster.signal('SIGCONT');
  }
}, 150_000);

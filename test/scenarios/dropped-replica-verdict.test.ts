/**
 * A stopped replica its master dropped (repl-timeout): whether its reconnect
 * will be partial, said once, the same in the link's Info panel
 * (partialResyncPossible) and the Backlog tab's row (partialResyncAnswer over
 * the same snapshot), and held against the master's own word when it wakes.
 *
 *  - its last ACK still inside the backlog: it can only be further on, up to
 *    the master's offset, all inside. Found in a new-user walk: the row said
 *    "possible" while the Info panel's "partial resync possible" was blank.
 *    The master accepts its PSYNC (sync_partial_ok +1, sync_full unchanged).
 *  - its master freed the backlog after repl-backlog-ttl without replicas:
 *    redis-server 7.0 then also changes its replid and clears replid2
 *    (replicationCron), so the replica's history is gone and the reconnect is
 *    a full resync, certain before it wakes. The console said "not known".
 *    The master logs "Replication ID mismatch" and counts sync_full +1.
 *
 *  - a killed replica (kill -9) its master dropped at once, its last ACK
 *    inside the backlog: "it can only be further on" holds only for a
 *    process that lives (stopped, hung, partitioned). A process that is gone
 *    comes back, if at all, as a new process: with no RDB a new replid, a
 *    full sync (PSYNC ? -1, "Full resync requested by replica"); with one,
 *    the replid and offset saved in it, which can be behind its last ACK.
 *    The console never says "possible" for it: a replica that refuses
 *    connections keeps no INFO, so no link (and no verdict) is shown.
 *  - the backlog freed while the console's polls stalled (the first poll
 *    that no longer lists the replica already sees the new replid): the
 *    reason is still the changed replication ID the replica was on, where it
 *    read "backlog is not active".
 *
 * The Disconnect link preflight's prediction gives the same answer and reason
 * (it said "the replica offset null is inside" and "the replica offset is
 * already outside the master backlog window" for these).
 */
import { expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { backlogGeometry } from '../../renderer/src/utils/backlog-geometry';
import { partialResyncAnswer } from '../../renderer/src/utils/partial-resync-answer';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { ConsoleUnderTest, forEachNodeKind, escapeRegExp, LOG, replicationTruth, startGroup, useScenarioCleanup, waitForLog, WriteLoad } from './harness';

useScenarioCleanup();

const TIMED_OUT = /Disconnecting timedout replica \(streaming sync\)/;
const BACKLOG_FREED = /Replication backlog freed after \d+ seconds without connected replicas/;

/** The Backlog tab's answer for the replica's row, as the renderer computes it from this snapshot when it arrives. */
function backlogRowAnswer(snapshot: TopologySnapshot, masterId: string, replicaId: string): boolean | null | 'no row' {
  const master = snapshot.nodes.find((node) => node.id === masterId)!;
  if (master.backlog === null) return 'no row';
  const geometry = backlogGeometry({ backlog: master.backlog, writeRateBytesPerSec: master.writeRateBytesPerSec, links: snapshot.links.filter((link) => link.masterId === masterId), sampledAt: master.sampledAt, now: master.sampledAt });
  const marker = geometry.markers.find((candidate) => candidate.replicaId === replicaId);
  return marker === undefined ? 'no row' : partialResyncAnswer(marker).possible;
}

forEachNodeKind((kind) => {
  it('a stopped replica dropped with its last ACK inside the backlog: partial resync possible in the Info panel and the Backlog row alike, and the master accepts its PSYNC', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3', '--repl-backlog-size', '10mb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const load = WriteLoad.start(master, { opsPerSec: 100, valueBytes: 100 });
    try {
      await waitFor(async () => replscope.link(replica.id).partialResyncPossible === true, { timeoutMs: 5_000, what: 'the streaming replica inside the backlog' });
      const mark = master.mark();
      replica.signal('SIGSTOP');
      let before;
      try {
        await waitForLog(master, TIMED_OUT, mark, 20_000);
        await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 5_000, what: `${master.id} to stop listing ${replica.id}` });
        const askedAt = Date.now();
        const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt + 500 && snapshot.links.some((link) => link.id === linkId), 'polls of the master after it dropped the replica', 5_000);
        const link = shown.links.find((candidate) => candidate.id === linkId)!;
        before = await replicationTruth(master);
        expect(before.replicas.map((entry) => entry.id)).not.toContain(replica.id);
        expect(link.state).toBe('down');
        expect(link.partialResyncPossible, `Info panel (${link.partialResyncWhy ?? 'no reason'}); backlog first byte ${before.backlogFirstByte}, master at ${before.masterReplOffset}`).toBe(true);
        expect(link.partialResyncWhy).toMatch(/last ACK .* still inside/);
        expect(backlogRowAnswer(shown, master.id, replica.id), 'the Backlog row, same snapshot').toBe(link.partialResyncPossible);
        // The Disconnect link preflight predicts from the same verdict, with its reason (not "the replica offset null").
        const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
        expect(preflight.prediction).toBe('partial');
        expect(preflight.predictionReason).toMatch(/last ACK .* still inside/);
        expect(preflight.predictionReason).not.toMatch(/null/);
      } finally {
        replica.signal('SIGCONT');
      }
      await waitForLog(master, LOG.partialAccepted, mark, 20_000);
      const after = await replicationTruth(master);
      expect(after.syncPartialOk - before.syncPartialOk, 'the master accepted the PSYNC').toBe(1);
      expect(after.syncFull - before.syncFull, 'no full sync').toBe(0);
    } finally {
      await load.stop();
    }
  }, 90_000);

  it('a stopped replica dropped, then its master freed the backlog (repl-backlog-ttl) and changed replid: a full resync is certain before it wakes, and the master does one', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3', '--repl-backlog-ttl', '1'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const streaming = await replicationTruth(master);
    const mark = master.mark();
    replica.signal('SIGSTOP');
    let before;
    try {
      await waitForLog(master, TIMED_OUT, mark, 20_000);
      await waitForLog(master, BACKLOG_FREED, mark, 20_000);
      before = await replicationTruth(master);
      // The master's own word: a new history, no second id, no backlog.
      expect(before.replid, 'master_replid changed when the backlog was freed').not.toBe(streaming.replid);
      expect(before.replid2).toMatch(/^0+$/);
      expect(before.backlogHistlen).toBe(0);
      const askedAt = Date.now();
      const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt && snapshot.links.some((link) => link.id === linkId), 'a poll of the master after it freed its backlog', 5_000);
      const link = shown.links.find((candidate) => candidate.id === linkId)!;
      expect(replscope.node(master.id, shown).replid).toBe(before.replid);
      expect(link.state).toBe('down');
      expect(link.partialResyncPossible, `Info panel: ${link.partialResyncWhy ?? 'no reason'}`).toBe(false);
      expect(link.partialResyncWhy).toMatch(/changed replication ID/);
      expect(link.partialResyncCountdownSeconds).toBe(0);
      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      expect(preflight.prediction).toBe('full');
      expect(preflight.predictionReason, 'not "the replica offset is already outside the master backlog window"').toMatch(/changed replication ID/);
      // No row in the Backlog tab to disagree: its offsets are of the old history.
      expect(backlogRowAnswer(shown, master.id, replica.id)).toBe('no row');
    } finally {
      replica.signal('SIGCONT');
    }
    await waitForLog(master, LOG.replidMismatch, mark, 20_000);
    await waitFor(async () => (await replicationTruth(master)).syncFull > before.syncFull, { timeoutMs: 20_000, what: 'the full sync on the master' });
    const after = await replicationTruth(master);
    expect(after.syncPartialOk - before.syncPartialOk).toBe(0);
  }, 90_000);

  it('a killed replica (kill -9) its master dropped at once, its last ACK inside the backlog: never "possible" (its process is gone), and restarted without an RDB it does a full sync', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-backlog-size', '10mb'] });
    const { master } = group;
    const replica = group.node('replica-1');
    // Ops, not monitor-only: it only asks for preflights, and monitor-only would deny them before their own refusal.
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'ops' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const load = WriteLoad.start(master, { opsPerSec: 100, valueBytes: 100 });
    try {
      await waitFor(async () => replscope.link(replica.id).partialResyncPossible === true, { timeoutMs: 15_000, what: 'the streaming replica inside the backlog' });
      // The replica's connection on the master, by its client id: redis-server names the replica in its log by
      // the peer address, which it reads with getpeername() as it logs (replicationGetSlaveName). When the kill
      // left unread bytes in the replica's socket (as under load), the kernel answered with a reset, getpeername
      // fails, and the line reads "Connection with replica client id #<id> lost." (seen: no line naming the
      // replica in 30 s).
      const replicaConnections = String(await master.call('CLIENT', 'LIST', 'TYPE', 'replica')).split('\n').filter((line) => line.startsWith('id='));
      expect(replicaConnections, 'the master\'s one replica connection').toHaveLength(1);
      const replicaClientId = /^id=(\d+) /.exec(replicaConnections[0]!)![1]!;
      const mark = master.mark();
      const killedAt = Date.now();
      replica.signal('SIGKILL');
      // The master drops it at once (the kernel closed its socket); its backlog still holds every offset.
      // At once is milliseconds (1 ms redis-server, 214 ms engine, under two busy loops); the limits are for
      // a starved test process, whose log reads and INFO calls can themselves wait seconds for the CPU.
      await waitForLog(master, new RegExp(`Connection with replica (${escapeRegExp(replica.id)}|client id #${replicaClientId}) lost`), mark, 30_000);
      await waitFor(async () => !(await replicationTruth(master)).replicas.some((entry) => entry.id === replica.id), { timeoutMs: 15_000, what: `${master.id} to stop listing ${replica.id}` });
      expect((await replicationTruth(master)).backlogFirstByte).toBeLessThanOrEqual(1);
      const askedAt = Date.now();
      // The polls since the kill whose answers both nodes gave after it took effect: the master's own INFO
      // says connected_slaves:0 (it dropped the replica) and the replica's address refuses connections. A poll
      // in flight at the kill can hold the living replica's last answer (master_link_status:up) or a master
      // answer from before it read the close: the link was streaming then, and "possible" its right answer
      // (under load such a snapshot arrived after the kill, read "at up: partial resync possible").
      // Once both hold they hold for good (the process stays dead until restarted), so every later poll counts.
      const afterDrop = (): TopologySnapshot[] => {
        const since = replscope.snapshotsSince(killedAt).map(({ snapshot }) => snapshot);
        const first = since.findIndex((snapshot) => replscope.node(master.id, snapshot).connectedReplicas === 0);
        return first === -1 ? [] : since.slice(first);
      };
      // A second of polls, and at least four of them: on a loaded machine a second may hold fewer.
      await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > askedAt + 1_000 && replscope.node(replica.id, snapshot).healthProblem === 'refused'
        && afterDrop().length >= 4, 'a second of polls, and four snapshots, after the master dropped the killed replica', 30_000);
      // Restarted, it would come back from its RDB's offset if it had one, else with a full sync: never
      // "possible" from its last ACK, in the Info panel or the Backlog row, at any poll since the master dropped it.
      const since = afterDrop();
      expect(since.length).toBeGreaterThanOrEqual(4);
      for (const snapshot of since) {
        const link = snapshot.links.find((candidate) => candidate.id === linkId);
        if (link?.partialResyncPossible === true) expect.fail(`at ${replscope.node(replica.id, snapshot).health}, link ${link.state}: partial resync possible (${link.partialResyncWhy ?? 'no reason'})`);
        expect(backlogRowAnswer(snapshot, master.id, replica.id)).not.toBe(true);
      }
      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      expect(preflight.prediction).toBe('unknown');
      // With no INFO from it and no link, no plan can name its master: the steps say so, not "null:null"
      // (Disconnect link, master side) or "REPLICAOF null null" (Force full resync).
      for (const plan of [preflight, await replscope.preflight({ kind: 'force-full-resync', replicaId: replica.id })]) {
        expect(plan.steps.join(' '), plan.action.kind).not.toMatch(/null/);
        expect(plan.steps.join(' '), plan.action.kind).toContain(`the console shows no link from ${replica.id} to a master and ${replica.id} has not said whom it replicates from`);
        expect(plan.commands, plan.action.kind).toEqual([]);
      }
      // Promote names its master only when known: "its master", never "null:null"; FAILOVER TO is refused for want of it.
      for (const method of ['auto', 'failover'] as const) {
        const promote = await replscope.preflight({ kind: 'promote', nodeId: replica.id, method });
        expect([...promote.steps, ...promote.commands].join(' '), method).not.toMatch(/null/);
      }
      // Refused because its master is unknown, by that reason (not the guard's "its master is not reachable
      // right now", which would deny it even without the refusal), and with no command built from "its master".
      const failover = await replscope.preflight({ kind: 'promote', nodeId: replica.id, method: 'failover' });
      expect(failover.allowed).toBe(false);
      expect(failover.deniedReason).toContain(`the console shows no link from ${replica.id} to a master and ${replica.id} has not said whom it replicates from`);
      expect(failover.commands).toEqual([]);
      // The real outcome: restarted without an RDB, it asks for everything and the master does a full sync.
      const before = await replicationTruth(master);
      await replica.restart();
      await waitForLog(master, LOG.fullResyncRequested, mark, 20_000);
      await waitFor(async () => (await replicationTruth(master)).syncFull > before.syncFull, { timeoutMs: 20_000, what: 'the full sync on the master' });
      expect((await replicationTruth(master)).syncPartialOk - before.syncPartialOk).toBe(0);
    } finally {
      await load.stop();
    }
  }, 150_000);

  it('a stopped replica dropped, then the backlog freed and the replid changed while the console\'s polls stalled: the reason is still the replication ID it was on', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-timeout', '3', '--repl-backlog-ttl', '1'] });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const linkId = `${master.id}->${replica.id}`;
    const streaming = await replicationTruth(master);
    const mark = master.mark();
    replica.signal('SIGSTOP');
    let before;
    try {
      // A poll of the master that still lists it, then none for 20 s (the interval restarts at the change).
      const stoppedAt = Date.now();
      await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > stoppedAt && (snapshot.links.find((link) => link.id === linkId)?.ackOffset ?? null) !== null, 'a poll of the master still listing the stopped replica', 5_000);
      await replscope.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: 20_000 });
      // A poll in flight when the interval changed still ends (and its snapshot still arrives) after the
      // change: the stall starts after it, still well inside repl-timeout 3 (the master lists the replica).
      await sleep(1_000);
      const stalledFrom = replscope.node(master.id).sampledAt;
      await waitForLog(master, TIMED_OUT, mark, 20_000);
      await waitForLog(master, BACKLOG_FREED, mark, 20_000);
      before = await replicationTruth(master);
      expect(before.replid).not.toBe(streaming.replid);
      expect(before.backlogHistlen).toBe(0);
      const resumedAt = Date.now();
      await replscope.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: 250 });
      const shown = await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).sampledAt > resumedAt && snapshot.links.some((link) => link.id === linkId), 'a poll of the master after the polls resumed', 5_000);
      // The premise: no poll of the master between the last that listed the replica and this one, on the new replid.
      const between = replscope.snapshotsSince(0).map(({ snapshot }) => replscope.node(master.id, snapshot).sampledAt).filter((at) => at > stalledFrom && at <= resumedAt);
      expect(between, 'polls of the master while stalled').toEqual([]);
      expect(replscope.node(master.id, shown).replid).toBe(before.replid);
      const link = shown.links.find((candidate) => candidate.id === linkId)!;
      expect(link.state).toBe('down');
      expect(link.partialResyncPossible, `Info panel: ${link.partialResyncWhy ?? 'no reason'}`).toBe(false);
      expect(link.partialResyncWhy).toMatch(new RegExp(`changed replication ID .*\\(${streaming.replid.slice(0, 8)}…`));
      const preflight = await replscope.preflight({ kind: 'disconnect-link', replicaId: replica.id, side: 'master' });
      expect(preflight.prediction).toBe('full');
      expect(preflight.predictionReason).toMatch(/changed replication ID/);
    } finally {
      replica.signal('SIGCONT');
    }
    await waitForLog(master, LOG.replidMismatch, mark, 20_000);
    await waitFor(async () => (await replicationTruth(master)).syncFull > before.syncFull, { timeoutMs: 20_000, what: 'the full sync on the master' });
  }, 90_000);
});

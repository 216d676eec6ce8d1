/**
 * A master refusing every write under min-replicas-to-write. Found in a
 * new-user walk (a master, two replicas, three sentinels): with
 * min-replicas-to-write 2, min-replicas-max-lag 3 and one replica stopped
 * (SIGSTOP), INFO said min_slaves_good_slaves:1 and every write got
 * "NOREPLICAS Not enough good replicas to write.", while the console showed
 * the master "up" with no warning and no min_slaves_good_slaves row.
 *
 * Held against the master's own INFO and a write it answers NOREPLICAS: the
 * master's snapshot says it refuses writes, with its good replicas against
 * those required and the stopped replica named as not good; once the
 * replica wakes and ACKs again, writes are accepted and the warning goes.
 * The timeline records both (writes refused, accepted again), and the
 * writes-refused alert fires, then clears.
 *
 * A console attached while the master already refuses writes files the
 * refusal it finds as "writes refused" (with its cause, the replica not
 * good), so the acceptance that follows has its start: it used to take the
 * first poll as the baseline and record only "Writes accepted again".
 *
 * A refusing master that misses polls (SIGSTOP for a few seconds: stale,
 * then hung) has not stopped refusing, as its own reply after SIGCONT says:
 * the console keeps the refusal as its last known state, marked stale, and
 * its alert stays open (it used to drop both while the figures were stale,
 * the alert cleared after 3 s and fired again once the master answered).
 */
import { expect, it } from 'vitest';
import type { Alert } from '../../shared/contract/alerts';
import { assessNode } from '../../renderer/src/utils/thresholds';
import { NOREPLICAS_ERROR } from '../../shared/contract/min-replicas-text';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, type Group, type NodeKind, type ScenarioNode } from './harness';

useScenarioCleanup();

/**
 * A master with two replicas, min-replicas-to-write 2 and min-replicas-max-lag 3, once it counts both
 * replicas good by its own INFO (it counts a replica only once it lists it online, its first ACK after
 * the transfer, so it refuses writes for a moment after the replicas say their link is up); `stopped`
 * is the replica the scenarios SIGSTOP.
 */
async function startGroupCountingTwoGoodReplicas(kind: NodeKind): Promise<{ group: Group; master: ScenarioNode; stopped: ScenarioNode }> {
  const group = await startGroup(kind, { shape: 'two-replicas', masterArgs: ['--min-replicas-to-write', '2', '--min-replicas-max-lag', '3'] });
  const { master } = group;
  await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '2', { timeoutMs: 15_000, what: `${master.id} to count 2 good replicas` });
  return { group, master, stopped: group.node('replica-2') };
}

forEachNodeKind((kind) => {
  it('a master with too few good replicas for min-replicas-to-write shows that it refuses writes, how many are good of how many, and which are not', async () => {
    const { group, master, stopped } = await startGroupCountingTwoGoodReplicas(kind);
    // Attached once both replicas are good by the master's own count: attached in the moment before, the
    // console rightly records the refusal ending.
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    expect(await master.call('SET', 'before', '1')).toBe('OK');
    expect(assessNode(replscope.node(master.id)).reasons).toEqual([]);

    stopped.signal('SIGSTOP');
    try {
      // The master's truth: its own count, and a write refused.
      await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 15_000, what: `${master.id} to count 1 good replica` });
      const refused = await master.call('SET', 'during', '1');
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe(NOREPLICAS_ERROR);

      await waitFor(async () => replscope.node(master.id).minReplicas?.refusesWrites === true, { timeoutMs: 5_000, what: 'the console to see the refusal' });
      const node = replscope.node(master.id);
      expect(node.health).toBe('up');
      expect(node.minReplicas).toMatchObject({ goodReplicas: 1, required: 2, maxLagSeconds: 3, refusesWrites: true });
      expect(node.minReplicas?.notGood.map((replica) => replica.id)).toEqual([stopped.id]);
      expect(node.minReplicas?.notGood[0]!.lagSeconds).toBeGreaterThan(3);
      const assessment = assessNode(node);
      expect(assessment.level).toBe('critical');
      expect(assessment.reasons.join('\n')).toContain(NOREPLICAS_ERROR);
      const refusedEvent = await replscope.waitForEvent((event) => event.kind === 'writes-refused' && event.nodeId === master.id, 'the timeline to record the refusal', 5_000);
      expect(refusedEvent.message).toContain(NOREPLICAS_ERROR);
      expect(refusedEvent.message).toContain(`not good: ${stopped.id}`);
      expect(refusedEvent.numbers).toMatchObject({ goodReplicas: 1, required: 2 });
      expect(refusedEvent.cause).toBe('too-few-good-replicas');
      const alert = await replscope.waitForAlert((candidate) => candidate.rule === 'writes-refused' && candidate.nodeId === master.id, 'the writes-refused alert', 5_000);
      expect(alert.severity).toBe('critical');
      expect(alert.message).toContain(NOREPLICAS_ERROR);
      expect(alert.message).toContain(`not good: ${stopped.id}`);
      expect(assessment.reasons.join('\n')).toMatch(new RegExp(`1 good replica of the 2 min-replicas-to-write needs; not good: ${stopped.id.replace(/\./g, '\\.')} \\(lag \\d+ s > min-replicas-max-lag 3 s\\)`));
    } finally {
      stopped.signal('SIGCONT');
    }

    await waitFor(async () => (await master.call('SET', 'after', '1')) === 'OK', { timeoutMs: 15_000, what: `${master.id} to accept writes again` });
    await waitFor(async () => replscope.node(master.id).minReplicas?.refusesWrites === false, { timeoutMs: 5_000, what: 'the console to see writes accepted' });
    expect(replscope.node(master.id).minReplicas?.goodReplicas).toBe(2);
    const accepted = await replscope.waitForEvent((event) => event.kind === 'writes-accepted' && event.nodeId === master.id, 'the timeline to record writes accepted again', 5_000);
    expect(accepted.message).toContain('accepts writes again');
    expect(accepted.cause).toBe('enough-good-replicas');
    // The alert clears once the condition has been gone for 3 s (session-alerts.ts).
    await replscope.waitForAlert((candidate) => candidate.rule === 'writes-refused' && candidate.nodeId === master.id && candidate.clearedAt !== null, 'the writes-refused alert cleared', 10_000);
    expect(replscope.eventsWhere((event) => event.kind === 'writes-refused' || event.kind === 'writes-accepted').map((event) => event.kind)).toEqual(['writes-refused', 'writes-accepted']);
  }, 60_000);

  it('min-replicas-to-write set to 0 while the master refuses: writes accepted again, put down to the rule being off', async () => {
    const { group, master, stopped } = await startGroupCountingTwoGoodReplicas(kind);
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    stopped.signal('SIGSTOP');
    try {
      await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 15_000, what: `${master.id} to count 1 good replica` });
      expect((await master.call('SET', 'during', '1') as Error).message).toBe(NOREPLICAS_ERROR);
      const refusedEvent = await replscope.waitForEvent((event) => event.kind === 'writes-refused' && event.nodeId === master.id, 'the timeline to record the refusal', 5_000);
      expect(refusedEvent.cause).toBe('too-few-good-replicas');

      // The rule turned off while the replica is still stopped: the master's truth is its INFO printing no
      // count any more and a write accepted, with only 1 replica it would call good.
      expect(await master.call('CONFIG', 'SET', 'min-replicas-to-write', '0')).toBe('OK');
      expect((await master.info('replication')).has('min_slaves_good_slaves')).toBe(false);
      expect(await master.call('SET', 'rule-off', '1')).toBe('OK');
      const accepted = await replscope.waitForEvent((event) => event.kind === 'writes-accepted' && event.nodeId === master.id, 'the timeline to record writes accepted again', 5_000);
      expect(accepted.cause).toBe('min-replicas-off');
      expect(accepted.message).toContain('min-replicas-to-write is no longer in force');
    } finally {
      stopped.signal('SIGCONT');
    }
    expect(replscope.eventsWhere((event) => event.kind === 'writes-refused' || event.kind === 'writes-accepted').map((event) => [event.kind, event.cause])).toEqual([['writes-refused', 'too-few-good-replicas'], ['writes-accepted', 'min-replicas-off']]);
  }, 60_000);

  it('a console attached while the master refuses writes files that refusal, so the acceptance after it has its start', async () => {
    const { master, stopped } = await startGroupCountingTwoGoodReplicas(kind);
    stopped.signal('SIGSTOP');
    let replscope!: ConsoleUnderTest;
    try {
      // The master's truth before the console attaches: its own count, and a write refused.
      await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 15_000, what: `${master.id} to count 1 good replica` });
      const refused = await master.call('SET', 'before-attach', '1');
      expect((refused as Error).message).toBe(NOREPLICAS_ERROR);

      replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
      const refusedEvent = await replscope.waitForEvent((event) => event.kind === 'writes-refused' && event.nodeId === master.id, 'the timeline to file the refusal found at attach', 10_000);
      expect(refusedEvent.message).toContain(NOREPLICAS_ERROR);
      expect(refusedEvent.message).toContain(`not good: ${stopped.id}`);
      expect(refusedEvent.message).toContain('so already when this console first read it');
      expect(refusedEvent.peerId).toBe(stopped.id);
      expect(refusedEvent.numbers).toMatchObject({ goodReplicas: 1, required: 2 });
      expect((await master.call('SET', 'still-refused', '1') as Error).message).toBe(NOREPLICAS_ERROR);
    } finally {
      stopped.signal('SIGCONT');
    }

    await waitFor(async () => (await master.call('SET', 'after', '1')) === 'OK', { timeoutMs: 15_000, what: `${master.id} to accept writes again` });
    await replscope.waitForEvent((event) => event.kind === 'writes-accepted' && event.nodeId === master.id, 'the timeline to record writes accepted again', 5_000);
    expect(replscope.eventsWhere((event) => event.kind === 'writes-refused' || event.kind === 'writes-accepted').map((event) => event.kind)).toEqual(['writes-refused', 'writes-accepted']);
  }, 60_000);

  it('a refusing master that misses polls keeps its refusal, marked stale, and its one alert open', async () => {
    const { group, master, stopped } = await startGroupCountingTwoGoodReplicas(kind);
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const isRefusedAlert = (alert: Alert): boolean => alert.rule === 'writes-refused' && alert.nodeId === master.id;

    stopped.signal('SIGSTOP');
    try {
      await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 15_000, what: `${master.id} to count 1 good replica` });
      expect((await master.call('SET', 'before-stop', '1') as Error).message).toBe(NOREPLICAS_ERROR);
      await replscope.waitForAlert(isRefusedAlert, 'the writes-refused alert', 5_000);

      // The master misses polls for longer than an alert takes to clear (3 s): stale, then hung.
      const stopStart = Date.now();
      master.signal('SIGSTOP');
      try {
        await replscope.waitForSnapshot((snapshot) => replscope.node(master.id, snapshot).stale, `${master.id} stale`, 5_000);
        await sleep(4_500);
      } finally {
        master.signal('SIGCONT');
      }
      // The master's truth: it still refuses, by its own count and reply.
      expect((await master.call('SET', 'after-stop', '1') as Error).message).toBe(NOREPLICAS_ERROR);
      expect((await master.info('replication')).get('min_slaves_good_slaves')).toBe('1');
      await replscope.waitForSnapshot((snapshot) => !replscope.node(master.id, snapshot).stale && replscope.node(master.id, snapshot).health === 'up', `${master.id} answering again`, 10_000);

      const staleShown = replscope.snapshotsSince(stopStart).map((received) => replscope.node(master.id, received.snapshot)).filter((node) => node.stale);
      expect(staleShown.length).toBeGreaterThan(0);
      for (const node of staleShown) {
        expect(node.minReplicas, JSON.stringify(node.minReplicas)).toMatchObject({ goodReplicas: 1, required: 2, refusesWrites: true });
        if (node.health !== 'up') continue;
        const assessment = assessNode(node);
        expect(assessment.level).toBe('critical');
        expect(assessment.reasons[0]).toMatch(/^Figures not current: /);
        expect(assessment.reasons.join('\n')).toContain(`Last known: Refuses every write ("${NOREPLICAS_ERROR}")`);
      }
      expect(staleShown.some((node) => node.health === 'up')).toBe(true);
      // One alert, open all along: never cleared while the master was stale.
      expect(replscope.alertPushesWhere((alert) => isRefusedAlert(alert) && alert.clearedAt !== null)).toEqual([]);
      expect(new Set(replscope.alertPushesWhere(isRefusedAlert).map((push) => push.alert.id)).size).toBe(1);
    } finally {
      stopped.signal('SIGCONT');
    }

    await waitFor(async () => (await master.call('SET', 'after', '1')) === 'OK', { timeoutMs: 15_000, what: `${master.id} to accept writes again` });
    await replscope.waitForAlert((alert) => isRefusedAlert(alert) && alert.clearedAt !== null, 'the writes-refused alert cleared', 10_000);
    expect(new Set(replscope.alertPushesWhere(isRefusedAlert).map((push) => push.alert.id)).size).toBe(1);
    expect(replscope.eventsWhere((event) => event.kind === 'writes-refused' || event.kind === 'writes-accepted').map((event) => event.kind)).toEqual(['writes-refused', 'writes-accepted']);
  }, 60_000);
});

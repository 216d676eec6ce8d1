/**
 * A master refusing writes under min-replicas-to-write, watched by an ACL
 * user that may not run CONFIG GET. Found in a new-user walk: with
 * min-replicas-to-write 2 and one replica, every write got NOREPLICAS, a
 * full user saw "Refuses every write", and this user saw no refusal at all
 * (the verdict needed the required count, which only CONFIG GET gives).
 *
 * INFO proves less but not nothing, and the console now says what it
 * proves, never a required count it did not read: a rise of INFO errorstats
 * errorstat_NOREPLICAS between polls (redis-server counts each NOREPLICAS
 * reply there) means writes were refused in that interval, and
 * min_slaves_good_slaves:0 (printed only while the rule is on) means every
 * write is refused whatever the count required.
 *
 * Held against the master's own truth: a SET answered NOREPLICAS, its INFO
 * errorstat_NOREPLICAS rising, its min_slaves_good_slaves, and the user's
 * own NOPERM for CONFIG GET.
 */
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import type { Alert } from '../../shared/contract/alerts';
import { DEFAULT_ALERT_RULES } from '../../shared/contract/alerts';
import { assessNode } from '../../renderer/src/utils/thresholds';
import { NOREPLICAS_ERROR } from '../../shared/contract/min-replicas-text';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

const RULES = ['on', '>limited-pw', '-@all', '+ping', '+info', '+replconf', '+client|list'];

async function noReplicasCount(node: ScenarioNode): Promise<number> {
  const line = (await node.info('errorstats')).get('errorstat_NOREPLICAS') ?? 'count=0';
  return Number(/count=(\d+)/.exec(line)![1]);
}

forEachNodeKind((kind) => {
  it('a user without CONFIG GET sees the refusal INFO proves, with the required count unknown', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--min-replicas-to-write', '2', '--min-replicas-max-lag', '10'] });
    const { master } = group;
    const replica = group.node('replica-1');
    for (const node of group.nodes) await node.call('ACL', 'SETUSER', 'limited', ...RULES);
    // The user may not read the setting: the node's own refusal.
    const probe = new Redis({ port: master.port, host: '127.0.0.1', username: 'limited', password: 'limited-pw', lazyConnect: true, maxRetriesPerRequest: 0 });
    await probe.connect();
    await expect(probe.call('CONFIG', 'GET', 'min-replicas-to-write')).rejects.toThrow(/^NOPERM /);
    probe.disconnect();
    await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '1', { timeoutMs: 15_000, what: `${master.id} to count 1 good replica` });

    const replscope = await ConsoleUnderTest.attach(master, { profile: { username: 'limited', safetyMode: 'monitor-only' }, secrets: { password: 'limited-pw' }, pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.call('alerts.rules.set', { profileId: null, rules: DEFAULT_ALERT_RULES });
    expect(replscope.node(master.id).deniedCommands).toEqual(['config|get']);
    // One good replica and no write yet: INFO proves nothing, and nothing is claimed.
    expect(replscope.node(master.id).minReplicas).toMatchObject({ goodReplicas: 1, required: null, refusesWrites: false });

    // Writes refused: the master's reply and its errorstats.
    const before = await noReplicasCount(master);
    const isRefused = (alert: Alert): boolean => alert.rule === 'writes-refused' && alert.subject === master.id;
    let writes = 0;
    const writer = setInterval(() => { writes += 1; void master.call('SET', `w:${writes}`, '1'); }, 100);
    try {
      const refused = await master.call('SET', 'during', '1');
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe(NOREPLICAS_ERROR);
      expect(await noReplicasCount(master)).toBeGreaterThan(before);
      await waitFor(async () => replscope.node(master.id).minReplicas?.refusesWrites === true, { timeoutMs: 5_000, what: 'the console to see the refusal' });
      const state = replscope.node(master.id).minReplicas!;
      expect(state).toMatchObject({ goodReplicas: 1, required: null });
      expect(state.refusedSinceLastPoll).toBeGreaterThan(0);
      const reasons = assessNode(replscope.node(master.id)).reasons.join('; ');
      expect(reasons).toContain(NOREPLICAS_ERROR);
      expect(reasons).toContain('errorstat_NOREPLICAS');
      expect(reasons).toContain('required count unknown: the ACL user may not run config|get');
      const alert = await replscope.waitForAlert(isRefused, 'the Writes refused alert', 5_000);
      expect(alert.message).toContain('required count unknown');
      // Never a required count it did not read.
      expect(alert.message).not.toMatch(/of the \d+ min-replicas-to-write/);
    } finally {
      clearInterval(writer);
    }

    // No good replica at all (the replica's link kept down: its AUTH refused): every write refused, no write needed to prove it.
    expect(await replica.call('CONFIG', 'SET', 'masteruser', 'no-such-user', 'masterauth', 'wrong')).toBe('OK');
    expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await master.info('replication')).get('min_slaves_good_slaves') === '0', { timeoutMs: 15_000, what: `${master.id} to count 0 good replicas` });
    const quiet = await noReplicasCount(master);
    await sleep(1_000);
    await waitFor(async () => replscope.node(master.id).minReplicas?.goodReplicas === 0, { timeoutMs: 5_000, what: 'the console to read 0 good replicas' });
    const state = replscope.node(master.id).minReplicas!;
    expect(state).toMatchObject({ goodReplicas: 0, required: null, refusesWrites: true, refusedSinceLastPoll: 0 });
    expect(await noReplicasCount(master)).toBe(quiet);
    const reasons = assessNode(replscope.node(master.id)).reasons.join('; ');
    expect(reasons).toContain('min_slaves_good_slaves:0');
    expect(reasons).toContain('required count unknown');
    const refused = await master.call('SET', 'after', '1');
    expect((refused as Error).message).toBe(NOREPLICAS_ERROR);
  }, 60_000);
});

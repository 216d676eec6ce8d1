/**
 * One lag episode, one Byte lag alert, also when the master misses polls in
 * the middle of it. A replica held behind its master (CLIENT PAUSE WRITE on
 * the replica: redis-server 7.0 stops applying its master's stream while
 * paused, but keeps answering INFO and keeps sending its ACK, whose offset
 * stays behind), then the master stopped (SIGSTOP) for longer than an alert
 * takes to clear (3 s): the link's figures are stale while the master does
 * not answer, but the replica has not caught up. The lag and ACK-age alerts
 * used to be dropped with the stale figures, clear after 3 s and fire again
 * (a second notification) once the master answered. They stay open now, as
 * Link down does (link-down-alert-stale.test.ts).
 *
 * redis-server only: the engine does not pause the link from its own master
 * (client-pause.ts, a documented deviation), and a stopped replica makes
 * the link stale from the start, so there is no other way to hold an
 * answering engine replica behind.
 *
 * Held against the nodes' own truth: the master's master_repl_offset and the
 * replica's slave_repl_offset (behind before, during and after the stop),
 * and the replica's master_link_status (up throughout).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, replicationTruth, scenarioNodeKinds, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0', () => {
  it('a replica held behind while its master misses polls for ~5 s: one Byte lag alert, never cleared while it is behind', async () => {
    const group = await startGroup('redis', { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.call('alerts.rules.set', {
      profileId: null,
      rules: { ...DEFAULT_ALERT_RULES, lagBytes: { enabled: true, bytes: 1024, forSeconds: 1 }, nodeDown: { enabled: true, forSeconds: 1 } },
    });
    const isLag = (alert: Alert): boolean => alert.rule === 'lag-bytes' && alert.subject === replica.id;
    const behind = async (): Promise<number> => {
      const [top, below] = await Promise.all([replicationTruth(master), replicationTruth(replica)]);
      return top.masterReplOffset - below.slaveReplOffset!;
    };

    // The replica stops applying its master's stream; 200 writes put it some 8 KB behind.
    expect(await replica.call('CLIENT', 'PAUSE', '60000', 'WRITE')).toBe('OK');
    try {
      for (let i = 0; i < 200; i += 1) await master.call('SET', `lag:${i}`, 'x'.repeat(10));
      expect(await behind()).toBeGreaterThan(4096);
      const fired = await replscope.waitForAlert(isLag, 'the Byte lag alert', 10_000);
      expect(fired.clearedAt).toBeNull();

      master.signal('SIGSTOP');
      try {
        await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).stale, 'the link stale', 5_000);
        // Longer than an alert takes to clear (3 s) and fire again (the rule's 1 s).
        await sleep(5_000);
        // The replica's truth while its master is stopped: still linked, still behind.
        const info = await replica.info('replication');
        expect(info.get('master_link_status')).toBe('up');
      } finally {
        master.signal('SIGCONT');
      }
      expect(await behind()).toBeGreaterThan(4096);
      await replscope.waitForSnapshot((snapshot) => !replscope.link(replica.id, snapshot).stale && replscope.node(master.id, snapshot).health === 'up', `${master.id} answering again`, 10_000);
      await sleep(1_500);
      expect(await behind()).toBeGreaterThan(4096);

      const pushes = replscope.alertPushesWhere(isLag);
      const shown = JSON.stringify(pushes.map((push) => ({ id: push.alert.id, firedAt: push.alert.firedAt, clearedAt: push.alert.clearedAt, notify: push.notify, message: push.alert.message })));
      expect(new Set(pushes.map((push) => push.alert.id)).size, shown).toBe(1);
      expect(pushes.filter((push) => push.notify).length, shown).toBe(1);
      expect(pushes.filter((push) => push.alert.clearedAt !== null), shown).toEqual([]);
      expect(replscope.alertPushesWhere((alert) => alert.rule === 'node-down' && alert.subject === replica.id)).toEqual([]);
    } finally {
      await replica.call('CLIENT', 'UNPAUSE');
    }

    // Caught up: the alert clears.
    await waitFor(async () => (await behind()) < 1024, { timeoutMs: 10_000, what: `${replica.id} caught up` });
    await replscope.waitForAlert((alert) => isLag(alert) && alert.clearedAt !== null, 'the Byte lag alert cleared', 10_000);
    expect(new Set(replscope.alertPushesWhere(isLag).map((push) => push.alert.id)).size).toBe(1);
  }, 60_000);
});

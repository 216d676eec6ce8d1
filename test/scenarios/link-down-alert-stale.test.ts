/**
 * One link outage, one Link down alert, also when the master misses polls
 * in the middle of it. A replica's link kept down (its AUTH refused by the
 * master: masteruser set to a user the master does not have), then the
 * master stopped (SIGSTOP) for longer than an alert takes to clear (3 s):
 * the link's figures are stale while the master does not answer (its side
 * is an old reading), but the replica answers all along that its link is
 * down, and the link has not come back. The alert used to be dropped with
 * the stale figures, clear after 3 s and fire again (a second notification)
 * once the master answered. It stays open now, and the master's silence is
 * the Node down alert's, for the master only.
 *
 * Held against the nodes' own truth: the replica's INFO master_link_status
 * (down before, during and after the stop) and the master's connected_slaves.
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a link kept down while its master misses polls for ~5 s: one Link down alert, never cleared while the link is down', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, linkDown: { enabled: true, forSeconds: 1 }, nodeDown: { enabled: true, forSeconds: 1 } } });
    const isLinkDown = (alert: Alert): boolean => alert.rule === 'link-down' && alert.subject === replica.id;

    // The link is cut and stays down: the replica's AUTH is refused at every retry.
    expect(await replica.call('CONFIG', 'SET', 'masteruser', 'no-such-user', 'masterauth', 'wrong')).toBe('OK');
    expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await master.info('replication')).get('connected_slaves') === '0', { timeoutMs: 10_000, what: `${master.id} to list no replica` });
    expect((await replica.info('replication')).get('master_link_status')).toBe('down');
    const fired = await replscope.waitForAlert(isLinkDown, 'the Link down alert', 10_000);
    expect(fired.clearedAt).toBeNull();

    master.signal('SIGSTOP');
    try {
      await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).stale, 'the link stale', 5_000);
      // Longer than an alert takes to clear (3 s) and fire again (the rule's 1 s).
      await sleep(5_000);
      // The replica's truth while its master is stopped: its link is still down.
      expect((await replica.info('replication')).get('master_link_status')).toBe('down');
    } finally {
      master.signal('SIGCONT');
    }
    expect((await master.info('replication')).get('connected_slaves')).toBe('0');
    await replscope.waitForSnapshot((snapshot) => !replscope.link(replica.id, snapshot).stale && replscope.node(master.id, snapshot).health === 'up', `${master.id} answering again`, 10_000);
    await sleep(1_500);
    expect((await replica.info('replication')).get('master_link_status')).toBe('down');

    const pushes = replscope.alertPushesWhere(isLinkDown);
    const shown = JSON.stringify(pushes.map((push) => ({ id: push.alert.id, firedAt: push.alert.firedAt, clearedAt: push.alert.clearedAt, notify: push.notify })));
    expect(new Set(pushes.map((push) => push.alert.id)).size, shown).toBe(1);
    expect(pushes.filter((push) => push.notify).length, shown).toBe(1);
    expect(pushes.filter((push) => push.alert.clearedAt !== null), shown).toEqual([]);
    // The master's silence is its own Node down alert; the replica, which answered all along, has none.
    expect(replscope.alertPushesWhere((alert) => alert.rule === 'node-down' && alert.subject === replica.id)).toEqual([]);

    // The link back: the alert clears.
    expect(await replica.call('CONFIG', 'SET', 'masteruser', '', 'masterauth', '')).toBe('OK');
    await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'up', { timeoutMs: 15_000, what: `${replica.id}'s link up` });
    await replscope.waitForAlert((alert) => isLinkDown(alert) && alert.clearedAt !== null, 'the Link down alert cleared', 10_000);
    expect(new Set(replscope.alertPushesWhere(isLinkDown).map((push) => push.alert.id)).size).toBe(1);
  }, 60_000);

  it('a link that goes down while its master is stopped: the master\'s Node down alert only, no Link down beside it', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, linkDown: { enabled: true, forSeconds: 1 }, nodeDown: { enabled: true, forSeconds: 1 } } });
    // The replica drops a silent master after 2 s.
    expect(await replica.call('CONFIG', 'SET', 'repl-timeout', '2')).toBe('OK');

    master.signal('SIGSTOP');
    try {
      await replscope.waitForAlert((alert) => alert.rule === 'node-down' && alert.subject === master.id, `${master.id}'s Node down alert`, 15_000);
      // The replica's truth: its link went down while its master was stopped.
      await waitFor(async () => (await replica.info('replication')).get('master_link_status') === 'down', { timeoutMs: 10_000, what: `${replica.id}'s link down` });
      await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).state !== 'online', 'the link seen down', 5_000);
      // Longer than the rule's 1 s, with the link down by the replica's word.
      await sleep(3_000);
      expect((await replica.info('replication')).get('master_link_status')).toBe('down');
      expect(replscope.alertPushesWhere((alert) => alert.rule === 'link-down')).toEqual([]);
      expect(replscope.alertPushesWhere((alert) => alert.rule === 'node-down' && alert.subject !== master.id)).toEqual([]);
    } finally {
      master.signal('SIGCONT');
    }
  }, 60_000);
});

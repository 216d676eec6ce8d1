/**
 * One outage, one alert: a master that hangs (SIGSTOP) and is then killed
 * (SIGKILL) is hung, then unreachable (the kill may first reset the
 * connection the console waited on), then refuses connections. The
 * timeline tells each step (hung-master-killed.test.ts); the Node down
 * alert fires once for the whole outage, with one notification, and stays
 * open while the node is gone.
 *
 * Held against the killed node's own truth: its port refuses a PING
 * (ECONNREFUSED).
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('a master hung (SIGSTOP), then killed (SIGKILL): Node down fires once for the outage and stays open', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, nodeDown: { enabled: true, forSeconds: 1 } } });
    const isNodeDown = (alert: Alert): boolean => alert.rule === 'node-down' && alert.subject === master.id;

    master.signal('SIGSTOP');
    const hung = await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === master.id, `${master.id} hung`, 15_000);
    expect(hung.cause).toBe('timeout');
    await replscope.waitForAlert(isNodeDown, 'the Node down alert', 10_000);
    await sleep(2_000);

    master.signal('SIGKILL');
    // Its port refuses connections now (the node's truth: a dial is refused).
    await waitFor(async () => {
      try {
        await master.call('PING');
        return false;
      } catch (error) {
        return /ECONNREFUSED/.test(String((error as Error).message ?? error));
      }
    }, { what: `${master.id}'s port to refuse connections` });
    await replscope.waitForEvent((event) => event.kind === 'node-unreachable' && event.nodeId === master.id && event.cause === 'connection-refused', `${master.id}'s death on the timeline`, 10_000);
    // Longer than an alert takes to clear (3 s) and fire again (the rule's 1 s).
    await sleep(6_000);
    expect(replscope.node(master.id).health).toBe('unreachable');

    const pushes = replscope.alertPushesWhere(isNodeDown);
    const shown = JSON.stringify(pushes.map((push) => ({ id: push.alert.id, firedAt: push.alert.firedAt, clearedAt: push.alert.clearedAt, notify: push.notify, message: push.alert.message })));
    expect(new Set(pushes.map((push) => push.alert.id)).size, shown).toBe(1);
    expect(pushes.filter((push) => push.notify).length, shown).toBe(1);
    expect(pushes.filter((push) => push.alert.clearedAt !== null), shown).toEqual([]);
  }, 60_000);
});

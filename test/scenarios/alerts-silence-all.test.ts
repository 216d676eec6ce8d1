/**
 * Issue 18 leftovers: a rule silenced for all nodes of a deployment (subject
 * null), through the API the bell uses, on real nodes (redis-server 7.0 and
 * our engine), a master with two replicas and Node down at 1 s. One replica
 * hangs (SIGSTOP): its alert fires and notifies. Silencing Node down for all
 * nodes marks that open alert silenced (unread drops to 0) and covers the
 * other replica when it hangs too (listed silenced, no notification);
 * alerts.silences lists the one silence with no subject, and silencing again
 * replaces it; once lifted, the next hang notifies again. Bad requests are
 * refused with the field named.
 */
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, type ScenarioNode } from './harness';

useScenarioCleanup();

/** Replicas stopped by a test, continued whatever happens. */
const stopped = new Set<ScenarioNode>();
afterEach(() => {
  for (const node of stopped) node.signal('SIGCONT');
  stopped.clear();
});
const hang = (node: ScenarioNode): void => {
  stopped.add(node);
  node.signal('SIGSTOP');
};
const answer = (node: ScenarioNode): void => {
  node.signal('SIGCONT');
  stopped.delete(node);
};

forEachNodeKind((kind) => {
  it('Silence for all nodes covers the rule on every replica, is listed once, and lifts', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const [first, second] = [group.node('replica-1'), group.node('replica-2')];
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250 });
    await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, nodeDown: { enabled: true, forSeconds: 1 } } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    const nodeDown = (node: ScenarioNode) => (alert: Alert): boolean => alert.rule === 'node-down' && alert.subject === node.id;
    const notified = (): string[] => replscope.alertPushesWhere((alert) => alert.rule === 'node-down').filter((push) => push.notify).map((push) => push.alert.id);

    hang(first);
    const fired = await replscope.waitForAlert(nodeDown(first), 'Node down on the first replica');
    expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ firing: 1, unacknowledged: 1 });

    const silence = await replscope.call('alerts.silence', { sessionId: replscope.sessionId, rule: 'node-down', subject: null, minutes: 60 });
    expect(silence).toMatchObject({ sessionId: replscope.sessionId, rule: 'node-down', subject: null });
    // The open alert is now silenced: it stops counting as unread.
    await replscope.waitForAlert((alert) => alert.id === fired.id && alert.silenced, 'the open alert marked silenced');
    expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ firing: 1, unacknowledged: 0 });

    hang(second);
    const covered = await replscope.waitForAlert(nodeDown(second), 'Node down on the second replica');
    expect(covered.silenced).toBe(true);
    expect(notified()).toEqual([fired.id]);
    expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ firing: 2, unacknowledged: 0 });

    // One silence with no subject: silencing again replaces it rather than adding a second.
    const again = await replscope.call('alerts.silence', { sessionId: replscope.sessionId, rule: 'node-down', subject: null, minutes: 240 });
    expect(await replscope.call('alerts.silences', { sessionId: replscope.sessionId })).toEqual([again]);
    expect(again.until - silence.until).toBeGreaterThanOrEqual(179 * 60_000);

    // Lifted: once the replicas answer and the alerts clear, the next hang notifies again.
    expect(await replscope.call('alerts.unsilence', { sessionId: replscope.sessionId, rule: 'node-down', subject: null })).toEqual({ lifted: true });
    expect(await replscope.call('alerts.unsilence', { sessionId: replscope.sessionId, rule: 'node-down', subject: null })).toEqual({ lifted: false });
    expect(await replscope.call('alerts.silences', {})).toEqual([]);
    answer(first);
    answer(second);
    await replscope.waitForAlert((alert) => alert.id === fired.id && alert.clearedAt !== null, 'the first alert cleared');
    await replscope.waitForAlert((alert) => alert.id === covered.id && alert.clearedAt !== null, 'the second alert cleared');
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    hang(second);
    const loud = await replscope.waitForAlert((alert) => nodeDown(second)(alert) && alert.id !== covered.id, 'Node down after the lift');
    expect(loud.silenced).toBe(false);
    expect(notified()).toEqual([fired.id, loud.id]);
    answer(second);

    // Refused with the field named: an empty subject (null is "all nodes"), an unknown rule, too short a time, an unknown session.
    const refused = async (method: 'alerts.silence' | 'alerts.unsilence', payload: unknown): Promise<string> => {
      const envelope = await replscope.service.call(method, payload);
      return envelope.ok ? 'accepted' : `${envelope.code}: ${envelope.message}`;
    };
    const ref = { sessionId: replscope.sessionId, rule: 'node-down', subject: null };
    expect(await refused('alerts.silence', { ...ref, subject: '', minutes: 5 })).toMatch(/^invalid-request: invalid payload for alerts\.silence: subject: /);
    expect(await refused('alerts.silence', { ...ref, minutes: 0 })).toBe('invalid-request: Silence for (minutes) must be from 1 to 10080 (a whole number); 0 was given.');
    expect(await refused('alerts.unsilence', { ...ref, rule: 'everything' })).toMatch(/^invalid-request: invalid payload for alerts\.unsilence: rule: /);
    expect(await refused('alerts.silence', { ...ref, sessionId: 'no-such-session', minutes: 5 })).toBe('not-found: no session no-such-session');
  });
});

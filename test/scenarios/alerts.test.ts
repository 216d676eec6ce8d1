/**
 * Issue 18 part 2: alerts, judged by the console service from its own
 * snapshots and events, on real nodes (redis-server 7.0 and our engine).
 *
 * Each scenario provokes one condition for longer than its rule's
 * forSeconds, checks it against the nodes' own truth (INFO), and holds the
 * no-storm rule: the alert fires once (one push with notify) however many
 * polls see the condition, and clears once when it ends. Acknowledge,
 * silence and the per-session summary are checked through the API the
 * renderer uses.
 */
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert, type AlertRuleKind, type AlertRules } from '../../shared/contract/alerts';
import { BACKLOG_SAFETY_FACTOR, recommendBacklogBytes } from '../../shared/contract/backlog-recommendation';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, fullResyncByHand, replicationTruth, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

/** The default rules with the given changes; every rule stays on. */
function rules(changes: Partial<AlertRules>): AlertRules {
  return { ...DEFAULT_ALERT_RULES, ...changes };
}

const about = (rule: AlertRuleKind, subject: string) => (alert: Alert): boolean => alert.rule === rule && alert.subject === subject;

/** The pushes of one alert rule and subject: how many fired (with notify), how many cleared. */
function pushesOf(replscope: ConsoleUnderTest, rule: AlertRuleKind, subject: string): { fired: number; notified: number; cleared: number; ids: Set<string> } {
  const pushes = replscope.alertPushesWhere(about(rule, subject));
  const ids = new Set(pushes.map((push) => push.alert.id));
  const firstOf = new Map<string, { alert: Alert; notify: boolean }>();
  for (const push of pushes) if (!firstOf.has(push.alert.id)) firstOf.set(push.alert.id, push);
  return {
    fired: firstOf.size,
    notified: pushes.filter((push) => push.notify).length,
    cleared: new Set(pushes.filter((push) => push.alert.clearedAt !== null).map((push) => push.alert.id)).size,
    ids,
  };
}

forEachNodeKind((kind) => {
  it('a replica that hangs (SIGSTOP) for 4 s: Node down fires once with one notification, no link alert beside it, and clears when it answers', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250 });
    await replscope.call('alerts.rules.set', { profileId: null, rules: rules({ nodeDown: { enabled: true, forSeconds: 1 }, linkDown: { enabled: true, forSeconds: 1 } }) });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    replica.signal('SIGSTOP');
    try {
      const fired = await replscope.waitForAlert(about('node-down', replica.id), 'a node-down alert');
      expect(fired).toMatchObject({ severity: 'critical', nodeId: replica.id, clearedAt: null, title: 'Node down' });
      expect(fired.message).toMatch(new RegExp(`^${replica.id.replace(/\./g, '\\.')} is hung`));
      await sleep(2000); // eight more polls see it hung
      expect(pushesOf(replscope, 'node-down', replica.id)).toMatchObject({ fired: 1, notified: 1, cleared: 0 });
    } finally {
      replica.signal('SIGCONT');
    }
    await replscope.waitForAlert((alert) => about('node-down', replica.id)(alert) && alert.clearedAt !== null, 'the node-down alert cleared');
    expect((await replicationTruth(replica)).masterLinkStatus).toBe('up');
    expect(pushesOf(replscope, 'node-down', replica.id)).toMatchObject({ fired: 1, notified: 1, cleared: 1 });
    // The link's figures were stale (its replica did not answer): no second alert for the same cause.
    expect(replscope.alertPushesWhere((alert) => alert.rule === 'link-down')).toEqual([]);
  });

  it('a link held down (its replica may not log in) for longer than the rule: Link down fires once and clears when the link is back', async () => {
    const group = await startGroup(kind, {
      shape: 'pair', masterArgs: ['--user', 'repl', 'on', '>repl-secret', '+psync', '+replconf', '+ping'], replicaArgs: ['--masteruser', 'repl', '--masterauth', 'repl-secret'],
    });
    const { master } = group;
    const replica = group.node('replica-1');
    const replicationUser = (state: 'on' | 'off') => master.call('ACL', 'SETUSER', 'repl', state);
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.call('alerts.rules.set', { profileId: null, rules: rules({ linkDown: { enabled: true, forSeconds: 2 } }) });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    // The replica's user is switched off on the master, and its link closed: it cannot log in again.
    expect(await replicationUser('off')).toBe('OK');
    expect(await replica.call('CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    const fired = await replscope.waitForAlert(about('link-down', replica.id), 'a link-down alert');
    // The nodes' truth at that moment: the replica's link is down.
    expect((await replicationTruth(replica)).masterLinkStatus).toBe('down');
    expect(fired.message).toContain(`The link from ${replica.id} to its master ${master.id}`);
    await sleep(1500);
    expect(pushesOf(replscope, 'link-down', replica.id)).toMatchObject({ fired: 1, notified: 1, cleared: 0 });

    expect(await replicationUser('on')).toBe('OK');
    await replscope.waitForAlert((alert) => about('link-down', replica.id)(alert) && alert.clearedAt !== null, 'the link-down alert cleared', 30_000);
    expect((await replicationTruth(replica)).masterLinkStatus).toBe('up');
    expect(pushesOf(replscope, 'link-down', replica.id)).toMatchObject({ fired: 1, notified: 1, cleared: 1 });
  });

  it('a backlog holding less than the outage of the rule under 2,000 writes/s fires once, and clears when repl-backlog-size is raised', async () => {
    const group = await startGroup(kind, { shape: 'pair', args: ['--repl-backlog-size', '64kb'] });
    const { master } = group;
    const load = WriteLoad.start(master, { opsPerSec: 2000 });
    try {
      const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
      await replscope.call('alerts.rules.set', { profileId: null, rules: rules({ backlogCoverage: { enabled: true, outageSeconds: 30, forSeconds: 1 } }) });
      await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

      const fired = await replscope.waitForAlert(about('backlog-coverage', master.id), 'a backlog-coverage alert');
      // The nodes' truth: 64 KiB against the bytes the master produces per second.
      const before = await replicationTruth(master);
      await sleep(1000);
      const after = await replicationTruth(master);
      const ratePerSecond = after.masterReplOffset - before.masterReplOffset;
      expect(before.backlogSize).toBe(65536);
      expect(before.backlogSize / ratePerSecond).toBeLessThan(30);
      expect(fired.message).toMatch(/^The backlog of .* \(repl-backlog-size 64\.0 KiB\) holds \d+\.\d s of writes at .*: a replica cut off for the rule's 30 s would need a full resync\. Raise repl-backlog-size to at least /);
      // The size it asks for is the Backlog tab's: the shared recommendation for the rule's 30 s at the peak
      // write rate of the snapshot it fired on (not rate x outage), and it holds 30 s of what the master writes.
      const firedOn = replscope.snapshots.find((received) => received.snapshot.sessionId === replscope.sessionId && received.snapshot.time === fired.firedAt)!.snapshot;
      const masterThen = replscope.node(master.id, firedOn);
      const recommended = recommendBacklogBytes(masterThen.peakWriteRateBytesPerSec!, 30);
      expect(fired.message).toContain(`(${recommended} bytes: peak write rate `);
      expect(fired.message).toContain(` × 30 s × ${BACKLOG_SAFETY_FACTOR} for safety, as the Backlog tab recommends).`);
      expect(recommended / ratePerSecond).toBeGreaterThan(30);

      expect(await master.call('CONFIG', 'SET', 'repl-backlog-size', String(256 * 1024 * 1024))).toBe('OK');
      await replscope.waitForAlert((alert) => about('backlog-coverage', master.id)(alert) && alert.clearedAt !== null, 'the backlog alert cleared');
      expect(pushesOf(replscope, 'backlog-coverage', master.id)).toMatchObject({ fired: 1, notified: 1, cleared: 1 });
    } finally {
      await load.stop();
    }
  });

  it('REPLICAOF NO ONE by hand: Split-brain fires once and clears when the replica follows its master again', async () => {
    const group = await startGroup(kind, { shape: 'two-replicas' });
    const { master } = group;
    const promoted = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250, profile: { safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

    expect(await promoted.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const subject = [master.id, promoted.id].sort().join(', ');
    const fired = await replscope.waitForAlert(about('split-brain', subject), 'a split-brain alert');
    expect(fired.severity).toBe('critical');
    expect([(await replicationTruth(master)).role, (await replicationTruth(promoted)).role]).toEqual(['master', 'master']);
    await sleep(1000);
    expect(pushesOf(replscope, 'split-brain', subject)).toMatchObject({ fired: 1, notified: 1, cleared: 0 });

    expect(await promoted.call('REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
    await replscope.waitForAlert((alert) => about('split-brain', subject)(alert) && alert.clearedAt !== null, 'the split-brain alert cleared');
    expect(pushesOf(replscope, 'split-brain', subject)).toMatchObject({ fired: 1, notified: 1, cleared: 1 });
  });

  it('a full resync fires its alert once; acknowledge, silence and the summary as the bell uses them', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const { master } = group;
    const replica = group.node('replica-1');
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    expect(await replscope.call('alerts.summary', {})).toEqual([{ sessionId: replscope.sessionId, firing: 0, unacknowledged: 0, worstFiring: null, lastFiredAt: null }]);

    // A full resync nobody asked the console for: REPLICAOF NO ONE and back, typed in a client on the replica.
    await fullResyncByHand(master, replica);
    const fired = await replscope.waitForAlert(about('full-resync', replica.id), 'a full-resync alert');
    expect(fired).toMatchObject({ severity: 'warning', silenced: false, acknowledgedAt: null });
    expect(await replscope.call('alerts.summary', {})).toEqual([{ sessionId: replscope.sessionId, firing: 1, unacknowledged: 1, worstFiring: 'warning', lastFiredAt: fired.firedAt }]);

    expect(await replscope.call('alerts.acknowledge', { sessionId: replscope.sessionId, alertIds: [fired.id] })).toEqual({ acknowledged: 1 });
    const [listed] = await replscope.call('alerts.list', { sessionId: replscope.sessionId });
    expect(listed).toMatchObject({ id: fired.id, clearedAt: null });
    expect(listed!.acknowledgedAt).not.toBeNull();
    expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ firing: 1, unacknowledged: 0 });

    // Silenced for an hour: the next full resync (after this one clears) is listed, but neither notified nor unread.
    await replscope.call('alerts.silence', { sessionId: replscope.sessionId, rule: 'full-resync', subject: replica.id, minutes: 60 });
    await replscope.call('alerts.rules.set', { profileId: null, rules: rules({ quietSeconds: 5 }) });
    await replscope.waitForAlert((alert) => alert.id === fired.id && alert.clearedAt !== null, 'the full-resync alert cleared after 5 quiet seconds', 15_000);
    await fullResyncByHand(master, replica);
    const second = await replscope.waitForAlert((alert) => about('full-resync', replica.id)(alert) && alert.id !== fired.id, 'the second full-resync alert');
    expect(second.silenced).toBe(true);
    expect(pushesOf(replscope, 'full-resync', replica.id)).toMatchObject({ fired: 2, notified: 1 });
    expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ firing: 1, unacknowledged: 0 });
  });
});

it('the demo: its first full sync is no alert; Cut link for 5 s fires Link down once (the rule waits 2 s) and clears when the link heals; a cut of half a second fires nothing', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: 250 });
  await replscope.call('alerts.rules.set', { profileId: null, rules: rules({ linkDown: { enabled: true, forSeconds: 2 } }) });
  await replscope.startDemo({ topology: 'pair' });
  const steady = await replscope.waitForSnapshot((snapshot) => snapshot.links.length === 1 && snapshot.links[0]!.state === 'online', 'the demo link online', 30_000);
  const replicaId = steady.links[0]!.replicaId;
  // The replica's first sync is a full resync the replica asked for (PSYNC ? -1): on the timeline, not an alert.
  const first = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replicaId, 'the first full sync');
  expect(first.cause).toBe('requested-full');
  expect(replscope.alertPushesWhere((alert) => alert.rule === 'full-resync')).toEqual([]);

  // A cut keeps the link down longer than it lasts: the replica retries its master once a second, so a
  // 1 s cut was seen down for 1.25-2.02 s (12 cuts, 250 ms polls), at the edge of the rule's 2 s. Half a
  // second is down for at most 1.5 s and the handshake, well short of the rule.
  await replscope.call('demo.chaos', { kind: 'cut-link', replicaId, seconds: 0.5 });
  await replscope.waitForSnapshot((snapshot) => snapshot.links[0]?.state !== 'online', 'the short cut seen', 10_000).catch(() => null);
  await replscope.waitForSnapshot((snapshot) => snapshot.links[0]?.state === 'online', 'the link back after the short cut', 20_000);
  await sleep(500);
  expect(replscope.alertPushesWhere((alert) => alert.rule === 'link-down')).toEqual([]);

  await replscope.call('demo.chaos', { kind: 'cut-link', replicaId, seconds: 5 });
  const fired = await replscope.waitForAlert(about('link-down', replicaId), 'a link-down alert', 15_000);
  expect(fired.clearedAt).toBeNull();
  await replscope.waitForAlert((alert) => alert.id === fired.id && alert.clearedAt !== null, 'the link-down alert cleared', 30_000);
  await waitFor(() => replscope.snapshot().links[0]?.state === 'online', { timeoutMs: 10_000, what: 'the link online' });
  expect(pushesOf(replscope, 'link-down', replicaId)).toMatchObject({ fired: 1, notified: 1, cleared: 1 });
});

/**
 * Issue 18 leftovers: alerts outlive a restart of the console. A
 * redis-server pair is watched; a full resync typed by hand fires an alert, which
 * is acknowledged, and the rule is silenced on that replica. The console is
 * closed and started again on the same data directory and the profile
 * connected again: the alert is listed under the new session with the same
 * id, still acknowledged and still open (the console stopped watching, it
 * did not see it end), pushed without a notification; the state machine
 * clears it by its usual rule; and the silence still holds, so the next full
 * resync is listed silenced and notifies nobody.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type Alert } from '../../shared/contract/alerts';
import { ConsoleUnderTest, fullResyncByHand, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a fired, acknowledged alert and a silence are kept across a restart of the console', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const replica = group.node('replica-1');
  const fullResyncOfReplica = (alert: Alert): boolean => alert.rule === 'full-resync' && alert.subject === replica.id;
  let replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250 });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));

  // A full resync nobody asked the console for (its own Force full resync raises no alert).
  await fullResyncByHand(group.master, replica);
  const fired = await replscope.waitForAlert(fullResyncOfReplica, 'the full-resync alert');
  expect(await replscope.call('alerts.acknowledge', { sessionId: replscope.sessionId, alertIds: [fired.id] })).toEqual({ acknowledged: 1 });
  const silence = await replscope.call('alerts.silence', { sessionId: replscope.sessionId, rule: 'full-resync', subject: replica.id, minutes: 60 });
  const [acknowledged] = await replscope.call('alerts.list', { sessionId: replscope.sessionId });
  expect(acknowledged).toMatchObject({ id: fired.id, clearedAt: null });

  // On disk, as the format says: version 1, the alert as listed, the silence.
  const file = JSON.parse(readFileSync(path.join(replscope.dataDir, 'alerts', `${replscope.profileId}.json`), 'utf8')) as { version: number; alerts: Alert[]; silences: unknown[] };
  expect(file.version).toBe(1);
  expect(file.alerts).toEqual([acknowledged]);
  expect(file.silences).toEqual([silence]);

  const before = replscope.sessionId;
  replscope = await replscope.restart();
  expect(replscope.sessionId).not.toBe(before);
  const kept = await replscope.call('alerts.list', { sessionId: replscope.sessionId });
  expect(kept).toEqual([{ ...acknowledged!, sessionId: replscope.sessionId }]);
  expect(replscope.alertPushesWhere(fullResyncOfReplica)).toEqual([{ alert: kept[0], notify: false }]);
  expect((await replscope.call('alerts.summary', {}))[0]).toMatchObject({ sessionId: replscope.sessionId, firing: 1, unacknowledged: 0 });

  // The kept alert is open in the state machine again: with nothing new for 5 s it clears.
  await replscope.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, quietSeconds: 5 } });
  await replscope.waitForAlert((alert) => alert.id === fired.id && alert.clearedAt !== null, 'the kept alert cleared after 5 quiet seconds', 20_000);

  // The silence made before the restart still covers the replica.
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  await fullResyncByHand(group.master, replica);
  const second = await replscope.waitForAlert((alert) => fullResyncOfReplica(alert) && alert.id !== fired.id, 'the second full-resync alert');
  expect(second.silenced).toBe(true);
  expect(replscope.alertPushesWhere(fullResyncOfReplica).filter((push) => push.notify)).toEqual([]);
  expect((await replscope.call('alerts.list', { sessionId: replscope.sessionId })).map((alert) => alert.id)).toEqual([second.id, fired.id]);
}, 90_000);

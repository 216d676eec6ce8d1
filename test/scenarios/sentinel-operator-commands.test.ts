/**
 * An operator's commands to the Sentinels reach the timeline: SENTINEL SET
 * (each Sentinel it ran on, one line each, since the setting is that
 * Sentinel's alone) and SENTINEL RESET. Found in a new-user walk with three
 * redis-sentinel 7.0.15: SENTINEL SET mymaster quorum 3 and SENTINEL RESET
 * were published (+set, +reset-master) and logged by the Sentinels, yet the
 * timeline showed neither, while the reset Sentinel answered CKQUORUM with
 * NOQUORUM until it had heard the others' hellos again.
 *
 * Held against the Sentinels' own logs (+set ... quorum 3, +reset-master) and
 * SENTINEL MASTER (quorum 3 on the two it was set on, 2 on the third). A
 * password set with SENTINEL SET auth-pass is never repeated.
 */
import { expect, it } from 'vitest';
import type { ReplicationEvent } from '../../shared/contract/events';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

const SECRET = 'n0t-for-the-timeline';

function fieldOf(reply: unknown, name: string): string | undefined {
  const fields = reply as string[];
  return fields[fields.indexOf(name) + 1];
}

it('SENTINEL SET on two Sentinels and SENTINEL RESET on the third are on the timeline, per Sentinel, without a password', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const [first, second, third] = group.sentinels as [typeof group.sentinels[0], typeof group.sentinels[0], typeof group.sentinels[0]];
  const logsBefore = group.sentinels.map((sentinel) => sentinel.log().length);
  const id = (sentinel: { port: number }): string => `127.0.0.1:${sentinel.port}`;

  expect(await first.call('SENTINEL', 'SET', group.name, 'quorum', '3')).toBe('OK');
  expect(await second.call('SENTINEL', 'SET', group.name, 'quorum', '3')).toBe('OK');
  expect(await third.call('SENTINEL', 'SET', group.name, 'auth-pass', SECRET)).toBe('OK');
  expect(await third.call('SENTINEL', 'SET', group.name, 'auth-pass', '')).toBe('OK');
  expect(await third.call('SENTINEL', 'RESET', group.name)).toBe(1);

  // The Sentinels' truth: their settings and their own log lines.
  expect(fieldOf(await first.call('SENTINEL', 'MASTER', group.name), 'quorum')).toBe('3');
  expect(fieldOf(await second.call('SENTINEL', 'MASTER', group.name), 'quorum')).toBe('3');
  expect(fieldOf(await third.call('SENTINEL', 'MASTER', group.name), 'quorum')).toBe('2');
  const setLine = new RegExp(`\\+set master ${group.name} 127\\.0\\.0\\.1 ${group.master.port} quorum 3`);
  await waitFor(() => setLine.test(first.log().slice(logsBefore[0])) && setLine.test(second.log().slice(logsBefore[1])) && /\+reset-master master /.test(third.log().slice(logsBefore[2])), { timeoutMs: 5000, what: 'the Sentinels to log +set and +reset-master' });

  const fromSentinel = (sentinelId: string, channel: string) => (event: ReplicationEvent): boolean => event.kind === 'sentinel' && event.numbers?.sentinel === sentinelId && event.numbers?.channel === channel;
  const setOnFirst = await replscope.waitForEvent(fromSentinel(id(first), '+set'), '+set from the first Sentinel', 10_000);
  const setOnSecond = await replscope.waitForEvent(fromSentinel(id(second), '+set'), '+set from the second Sentinel', 10_000);
  for (const event of [setOnFirst, setOnSecond]) {
    expect(event.message).toMatch(new RegExp(`${group.name}: quorum set to 3 on this Sentinel only \\(SENTINEL SET`));
    expect(event.nodeId).toBe(group.master.id);
  }
  const reset = await replscope.waitForEvent(fromSentinel(id(third), '+reset-master'), '+reset-master from the third Sentinel', 10_000);
  expect(reset.message).toMatch(new RegExp(`${group.name} reset on this Sentinel \\(SENTINEL RESET\\): it forgot the group's replicas, the other Sentinels`));
  const authPass = await replscope.waitForEvent((event) => fromSentinel(id(third), '+set')(event) && /auth-pass/.test(event.message), '+set auth-pass from the third Sentinel', 10_000);
  expect(authPass.message).toMatch(/auth-pass changed \(value not shown\)/);
  expect(JSON.stringify(replscope.eventsWhere(() => true))).not.toContain(SECRET);
}, 60_000);

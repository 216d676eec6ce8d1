/**
 * A Sentinel SLAVEOF that never takes effect (the node's CONFIG renamed
 * away: the transaction's EXEC fails, sentinel.c sentinelSendSlaveOf) is
 * re-sent at every INFO period, and its +convert-to-slave notices are one
 * timeline line with a repeat count (sentinel-slaveof-lines.ts). The line
 * keeps its first notice's time; an incident bundle of a range that starts
 * after it, while the notices go on, left the line out: the repeats inside
 * the range, their count and times, were nowhere in the export. The bundle
 * holds the line with its first and last notice times and the count.
 *
 * Held against the Sentinel's log: its +convert-to-slave lines before and
 * within the range.
 */
import { expect, it } from 'vitest';
import { IncidentBundle } from '../../shared/contract/incident-bundle';
import { waitFor } from '../support/wait';
import { escapeRegExp, startSentinelSlaveofStuck, useScenarioCleanup, type ConsoleUnderTest } from './harness';

useScenarioCleanup();

it('a repeated +convert-to-slave line first seen before an incident range and repeated within it is in the bundle, with its times and count', async () => {
  const { stuck, sentinel, replscope } = await startSentinelSlaveofStuck();

  const since = Date.now();
  const mark = sentinel.log().length;
  expect(await stuck.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(stuck.id)} `, 'g');
  const logged = (from = mark): number => sentinel.log().slice(from).match(converted)?.length ?? 0;
  const line = (): ReturnType<ConsoleUnderTest['eventsWhere']>[number] | undefined => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since)[0];
  await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since, 'the first +convert-to-slave line', 30_000);

  // The range starts after the line's first notice; Sentinel goes on sending within it.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const fromMs = Date.now();
  const markInRange = sentinel.log().length;
  await waitFor(() => logged(markInRange) >= 3, { timeoutMs: 30_000, what: 'three +convert-to-slave lines in the Sentinel\'s log within the range' });
  expect(await sentinel.call('SENTINEL', 'REMOVE', 'mymaster')).toBe('OK');
  const sent = logged();
  await waitFor(() => line()?.numbers.notices === sent, { timeoutMs: 10_000, what: `the line counting ${sent} notices` }).catch(() => undefined);
  const toMs = Date.now();
  const kept = line();
  expect(kept, replscope.describeEvents()).toBeDefined();
  expect(kept!.time).toBeLessThan(fromMs);
  expect(kept!.numbers.notices).toBe(sent);

  const bundle = IncidentBundle.parse(JSON.parse((await replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs, toMs })).json));
  const exported = bundle.events.filter((event) => event.id === kept!.id);
  expect(exported, bundle.events.map((event) => `${event.kind} ${event.message}`).join('\n')).toHaveLength(1);
  const numbers = exported[0]!.numbers;
  expect(numbers.notices).toBe(sent);
  expect(numbers.firstNoticeAt).toBe(kept!.time);
  expect(numbers.lastNoticeAt as number).toBeGreaterThanOrEqual(fromMs);
  expect(numbers.lastNoticeAt as number).toBeLessThanOrEqual(toMs);
  expect(exported[0]!.message).toContain(`from ${new Date(kept!.time).toISOString()} to ${new Date(numbers.lastNoticeAt as number).toISOString()}`);
}, 90_000);

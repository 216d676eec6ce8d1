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

/**
 * The other end: a range that ends while Sentinel goes on re-sending. The
 * line was exported as it stood at the export (the count and last notice of
 * repeats after the range's end); it is exported as it stood at the range's
 * end, held against the Sentinel's log up to then and the line the console
 * had pushed by then.
 */
it('a repeated +convert-to-slave line that goes on repeating after an incident range is exported with its count and last time within the range', async () => {
  const { stuck, sentinel, replscope } = await startSentinelSlaveofStuck();

  const since = Date.now();
  const mark = sentinel.log().length;
  expect(await stuck.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
  const converted = new RegExp(`\\+convert-to-slave slave ${escapeRegExp(stuck.id)} `, 'g');
  const logged = (from = mark, to?: number): number => sentinel.log().slice(from, to).match(converted)?.length ?? 0;
  const line = (): ReturnType<ConsoleUnderTest['eventsWhere']>[number] | undefined => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since)[0];
  await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+convert-to-slave' && event.nodeId === stuck.id && event.time >= since, 'the first +convert-to-slave line', 30_000);
  const fromMs = Date.now();
  await waitFor(() => Number(line()?.numbers.notices ?? 1) >= 3, { timeoutMs: 30_000, what: 'the line repeated three times' });

  // The range ends here: the line as the console had it then, and the Sentinel's log up to then.
  const toMs = Date.now();
  const atEnd = line()!;
  const loggedAtEnd = sentinel.log().length;
  await waitFor(() => logged(loggedAtEnd) >= 3 && Number(line()?.numbers.notices) >= Number(atEnd.numbers.notices) + 3, { timeoutMs: 30_000, what: 'three more notices after the range' });
  expect(await sentinel.call('SENTINEL', 'REMOVE', 'mymaster')).toBe('OK');
  const later = line()!;
  expect(Number(later.numbers.lastNoticeAt)).toBeGreaterThan(toMs);

  const bundle = IncidentBundle.parse(JSON.parse((await replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs, toMs })).json));
  const exported = bundle.events.filter((event) => event.id === atEnd.id);
  expect(exported, bundle.events.map((event) => `${event.kind} ${event.message}`).join('\n')).toHaveLength(1);
  const numbers = exported[0]!.numbers;
  expect(numbers.notices, exported[0]!.message).toBe(atEnd.numbers.notices);
  expect(numbers.notices as number).toBeLessThanOrEqual(logged(mark, loggedAtEnd));
  expect(numbers.lastNoticeAt as number).toBeLessThanOrEqual(toMs);
  expect(numbers.lastNoticeAt).toBe(atEnd.numbers.lastNoticeAt);
  expect(exported[0]!.message).toBe(atEnd.message);
}, 90_000);

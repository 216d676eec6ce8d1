/**
 * Every failover attempt is its own Sentinel's, and shown as often as the
 * Sentinels' logs show it. Three redis-sentinel 7.0 (quorum 2,
 * failover-timeout 2 s) watch a master whose one replica has
 * replica-priority 0, so no attempt can succeed: each Sentinel whose turn
 * comes (it waits 2 × failover-timeout after its own attempt or its last
 * vote for another) raises the epoch and publishes '+try-failover', is
 * elected ('+elected-leader'), looks for a replica
 * ('+failover-state-select-slave') and gives up
 * ('-failover-abort-no-good-slave'): four notices, all naming the master,
 * from that one Sentinel, about every 4 s, the same Sentinel sometimes
 * twice in a row. Seen by hand with redis-sentinel 7.0.15: eight attempts in
 * 30 s, epochs 1-8, by the three Sentinels in turn (one led epochs 2 and 3).
 *
 * Before, the timeline keyed these notices on the master alone for 30 s, so
 * it showed only the first attempt's four lines. The Sentinels' own logs
 * are the truth: one line per logged notice, from the Sentinel that logged it.
 */
import { expect, it } from 'vitest';
import type { RedisProcess } from '../support/redis-server';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

const STEPS = ['+try-failover', '+elected-leader', '+failover-state-select-slave', '-failover-abort-no-good-slave'];
const STEP_LINE = new RegExp(`\\s#\\s(${STEPS.map((step) => step.replace(/[+]/g, '\\+')).join('|')}) (master .*)$`);

/** '<the Sentinel's address> <channel> <text>' for each failover step a Sentinel logged since `from`. */
const stepsLogged = (sentinel: RedisProcess, from: number): string[] =>
  sentinel.log().slice(from).split('\n').flatMap((line) => {
    const step = STEP_LINE.exec(line);
    return step ? [`127.0.0.1:${sentinel.port} ${step[1]} ${step[2]}`] : [];
  });

it('a master no replica can replace: each Sentinel\'s failover attempts are on the timeline as often as its log shows them', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1, failoverTimeoutMs: 2000, args: ['--replica-priority', '0'] });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);
  const logged = (): string[] => group.sentinels.flatMap((sentinel, index) => stepsLogged(sentinel, marks[index]!)).sort();

  // A stopped master answers nothing: +sdown, +odown, then attempts until it answers again.
  group.master.signal('SIGSTOP');
  try {
    await waitFor(() => logged().filter((line) => line.includes(' -failover-abort-no-good-slave ')).length >= 3, { timeoutMs: 40_000, intervalMs: 200, what: 'three aborted attempts in the Sentinels\' logs' });
  } finally {
    group.master.signal('SIGCONT');
  }
  // Once every Sentinel has seen it answer again (-odown, or -sdown for one that never held it +odown), no attempt starts.
  const odownEnded = new RegExp(`[-](odown|sdown) master ${group.name} `);
  await waitFor(() => group.sentinels.every((sentinel, index) => odownEnded.test(sentinel.log().slice(marks[index]!))), { timeoutMs: 20_000, what: 'every Sentinel to see the master again' });
  await sleep(1000); // an attempt already under way takes some 150 ms to abort
  const truth = logged();
  // The premise: several attempts, each with all four steps from its Sentinel.
  for (const step of STEPS) expect(truth.filter((line) => line.includes(` ${step} `)).length, truth.join('\n')).toBeGreaterThanOrEqual(3);

  const shown = (): string[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && STEPS.includes(String(event.numbers.channel)))
    .map((event) => `${String(event.numbers.sentinel)} ${String(event.numbers.channel)} ${String(event.numbers.text)}`).sort();
  await waitFor(() => shown().length >= truth.length, { timeoutMs: 10_000, what: `${truth.length} failover steps on the timeline` }).catch(() => undefined);
  expect(shown(), `${replscope.describeEvents()}\n--- logged:\n${truth.join('\n')}`).toEqual(truth);
}, 120_000);

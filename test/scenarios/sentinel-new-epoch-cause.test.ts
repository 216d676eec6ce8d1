/**
 * A failover's +new-epoch is the failover's. Found in a walk with three
 * redis-sentinel 7.0: after SENTINEL FAILOVER on a master with one replica,
 * the timeline filed '+new-epoch' with cause unknown between steps filed as
 * sentinel-failover. Sentinel raises its epoch only to start a failover
 * (sentinelStartFailover: '+new-epoch <epoch>' then '+try-failover', in that
 * order, in the same turn of its event loop) and publishes it again on the
 * other Sentinels as they learn it (a vote request or a hello), so the
 * console's first +new-epoch comes before the +try-failover that explains it.
 *
 * Held against the Sentinels' logs: in the leader's log '+new-epoch <n>' is
 * the line just before '+try-failover', for a forced failover (SENTINEL
 * FAILOVER) and for one after +odown (kill -9 of the master); its vote for
 * itself, '+vote-for-leader <its run id> <n>', is a failover step too.
 * After kill -9 more than one Sentinel may try (each raising an epoch, or
 * the same one), and only one is elected: the leader is the Sentinel that
 * logs +failover-end, and every epoch the Sentinels logged is on the
 * timeline once, as a failover's.
 */
import { describe, expect, it } from 'vitest';
import type { RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, scenarioNodeKinds, startSentinelScenario, useScenarioCleanup, type SentinelScenario } from './harness';

useScenarioCleanup();

/** The Sentinel event lines ("+new-epoch 1", "+try-failover master ...") a Sentinel logged since `from`. */
const eventLines = (sentinel: RedisProcess, from: number): string[] =>
  sentinel.log().slice(from).split('\n').flatMap((line) => /\s[#*.-]\s([+-][a-z-]+ .*)$/.exec(line)?.[1] ?? []);

async function failoverAndCheck(group: SentinelScenario, replscope: ConsoleUnderTest, start: () => Promise<void>): Promise<void> {
  // Listening to all three before the failover starts: a try's epoch may be published by its Sentinel alone.
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const marks = group.sentinels.map((sentinel) => sentinel.log().length);
  await start();
  await group.waitForNewMaster(group.master.id);
  await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+failover-end', 'the failover to end', 30_000);
  // The leader is the Sentinel that logged +failover-end (after kill -9 several may +try-failover, each in an
  // epoch of its own or in the same one, and only one is elected); in its log its last +try-failover before
  // its last +elected-leader is the one it won, and the line just before that is its +new-epoch.
  const logs = group.sentinels.map((sentinel, index) => eventLines(sentinel, marks[index]!));
  const described = logs.map((lines) => lines.join(' | ')).join('\n');
  const leaders = logs.filter((lines) => lines.some((line) => line.startsWith('+failover-end ')));
  expect(leaders, described).toHaveLength(1);
  const leader = leaders[0]!;
  const electedAt = leader.findLastIndex((line) => line.startsWith('+elected-leader '));
  const tryAt = leader.findLastIndex((line, index) => line.startsWith('+try-failover ') && index < electedAt);
  expect(tryAt, leader.join(' | ')).toBeGreaterThan(0);
  expect(leader[tryAt - 1], leader.join(' | ')).toMatch(/^\+new-epoch \d+$/);
  const epoch = leader[tryAt - 1]!.split(' ')[1]!;
  // Every epoch a Sentinel raised or learned (a try that was not elected raised one too), each once on the timeline.
  const raised = [...new Set(logs.flatMap((lines) => lines.flatMap((line) => /^\+new-epoch (\d+)$/.exec(line)?.[1] ?? [])))].sort((a, b) => Number(a) - Number(b));
  expect(raised, described).toContain(epoch);

  await waitFor(() => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+new-epoch').length >= raised.length, { timeoutMs: 10_000, what: `the +new-epoch of epochs ${raised.join(', ')} on the timeline` });
  const epochs = replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+new-epoch');
  const shown = epochs.map((event) => `${event.cause}: ${event.message}`).join('\n');
  expect(epochs.map((event) => String(event.numbers.text)), shown).toEqual(raised);
  expect(epochs.map((event) => event.cause), shown).toEqual(raised.map(() => 'sentinel-failover'));
  expect(epochs.find((event) => String(event.numbers.text) === epoch)!.message, shown).toContain(`new epoch ${epoch}`);
  // It stays in its place on the timeline: before the +try-failover it led to.
  const all = replscope.eventsWhere(() => true);
  const tried = all.findIndex((event) => event.kind === 'sentinel' && event.numbers.channel === '+try-failover');
  expect(all.findIndex((event) => event.id === epochs[0]!.id), shown).toBeLessThan(tried);

  // The leader's vote for itself, '+vote-for-leader <its SENTINEL MYID> <epoch>' in its log, is on the timeline as a failover step.
  const leaderId = String(await group.sentinels[logs.indexOf(leader)]!.call('SENTINEL', 'MYID'));
  expect(leader, leader.join(' | ')).toContain(`+vote-for-leader ${leaderId} ${epoch}`);
  const votes = replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+vote-for-leader');
  const voted = votes.map((event) => `${event.cause}: ${event.message}`).join('\n');
  const vote = votes.find((event) => String(event.numbers.text) === `${leaderId} ${epoch}`);
  expect(vote, voted).toBeDefined();
  expect(vote!.message, voted).toContain(`voted for the Sentinel with run id ${leaderId.slice(0, 8)} to lead the failover of epoch ${epoch}`);
  expect(votes.map((event) => event.cause), voted).toEqual(votes.map(() => 'sentinel-failover'));
}

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels, one replica', () => {
  it('SENTINEL FAILOVER: the +new-epoch before its +try-failover is filed as the failover\'s', async () => {
    const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await failoverAndCheck(group, replscope, async () => { expect(await group.sentinels[1]!.call('SENTINEL', 'FAILOVER', group.name)).toBe('OK'); });
  }, 90_000);

  it('kill -9 of the master (a failover after +odown): the +new-epoch is filed as the failover\'s', async () => {
    const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await failoverAndCheck(group, replscope, async () => { group.master.signal('SIGKILL'); });
  }, 90_000);
});

/**
 * Every Sentinel's vote is its own event. After kill -9 of a master watched
 * by three redis-sentinel 7.0 (quorum 2), the Sentinel that starts the
 * failover asks the others for their votes; each one that votes logs and
 * publishes '+vote-for-leader <leader's run id> <epoch>' on its own pub/sub
 * (sentinelVoteLeader: one vote per Sentinel per epoch), so two Sentinels
 * voting the same leader in one epoch publish the same text. The leader
 * needs a majority of the three, so at least two such lines exist. The
 * console's timeline must show one +vote-for-leader per line of the
 * Sentinels' logs, each from the Sentinel that logged it, not one per text.
 */
import { describe, expect, it } from 'vitest';
import type { RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, scenarioNodeKinds, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

/** The '+vote-for-leader <run id> <epoch>' texts a Sentinel logged since `from`. */
const votesLogged = (sentinel: RedisProcess, from: number): string[] =>
  sentinel.log().slice(from).split('\n').flatMap((line) => /\s[#*.-]\s\+vote-for-leader (\S+ \d+)$/.exec(line)?.[1] ?? []);

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels', () => {
  it('kill -9 of the master: one +vote-for-leader per vote each Sentinel logged, from that Sentinel', async () => {
    const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
    const marks = group.sentinels.map((sentinel) => sentinel.log().length);
    group.master.signal('SIGKILL');
    await group.waitForNewMaster(group.master.id);
    await replscope.waitForEvent((event) => event.kind === 'sentinel' && event.numbers.channel === '+failover-end', 'the failover to end', 30_000);

    // The Sentinels' truth: each vote, as "<the voter's address> <leader's run id> <epoch>".
    const logged = group.sentinels.flatMap((sentinel, index) => votesLogged(sentinel, marks[index]!).map((vote) => `127.0.0.1:${sentinel.port} ${vote}`)).sort();
    const byText = new Map<string, number>();
    for (const vote of logged) byText.set(vote.slice(vote.indexOf(' ') + 1), (byText.get(vote.slice(vote.indexOf(' ') + 1)) ?? 0) + 1);
    // The premise: a majority of the three voted the leader, so at least two Sentinels logged the same vote.
    expect(Math.max(...byText.values()), logged.join('\n')).toBeGreaterThanOrEqual(2);

    const shown = (): string[] => replscope.eventsWhere((event) => event.kind === 'sentinel' && event.numbers.channel === '+vote-for-leader')
      .map((event) => `${String(event.numbers.sentinel)} ${String(event.numbers.text)}`).sort();
    await waitFor(() => shown().length >= logged.length, { timeoutMs: 10_000, what: `${logged.length} votes on the timeline` }).catch(() => undefined);
    expect(shown(), replscope.describeEvents()).toEqual(logged);
  }, 90_000);
});

/**
 * FAILOVER (Redis 7.0, run on the master) returns OK at once; the master
 * pauses writes and waits for its target replica to acknowledge its whole
 * offset (INFO replication master_failover_state:waiting-for-sync), then
 * demotes itself and the replica is promoted by a PSYNC FAILOVER. Without
 * TIMEOUT it waits indefinitely, so no fixed window counts back to it. Polls
 * can therefore fall between the command and the role change: FAILOVER is
 * counted in the master's INFO commandstats while both nodes still show their
 * old roles. Here the replica sleeps (DEBUG SLEEP 1) over a write and the
 * FAILOVER, so it acknowledges late and polls (every 250 ms) certainly fall in
 * between; the promotion and the demotion are still the operator's FAILOVER,
 * as the master's log and commandstats say.
 *
 * redis-server only: the engine runs FAILOVER too, but this is about how the
 * console reads redis-server's INFO around it.
 */
import { describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, scenarioNodeKinds, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0', () => {
  it('a FAILOVER whose promotion lags the command by polls is still put down to it, for the promotion and the old master\'s demotion', async () => {
    const group = await startGroup('redis', { shape: 'pair' });
    const master = group.master;
    const replica = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(master, { pollIntervalMs: 250 });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await sleep(1_500); // commandstats baselines taken with the group steady

    // The replica sleeps before the write, so it cannot acknowledge the master's new offset for a second.
    const asleep = replica.call('DEBUG', 'SLEEP', '1');
    await sleep(150);
    expect(await master.call('SET', 'lagging-failover', '1')).toBe('OK');
    expect(await master.call('FAILOVER')).toBe('OK');
    expect((await master.info('replication')).get('master_failover_state')).toBe('waiting-for-sync');
    expect(await asleep).toBe('OK');
    await waitFor(() => /Failover target .* is synced, failing over\./.test(master.log()), { timeoutMs: 10_000, what: 'the master to log that its target is synced' });
    expect(master.log()).toMatch(/FAILOVER requested to /);
    expect(String(await master.call('INFO', 'commandstats'))).toMatch(/cmdstat_failover:calls=1,/);
    await waitFor(async () => (await replica.info('replication')).get('role') === 'master', { timeoutMs: 10_000, what: 'the replica to report role:master' });

    const promoted = await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === replica.id, 'the promotion');
    expect(promoted.numbers.attribution, replscope.describeEvents()).toBe('operator');
    expect(promoted.message).toContain(`FAILOVER ×1 ran on its former master ${master.id}`);
    const demoted = await replscope.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === master.id, 'the old master\'s demotion');
    expect(demoted.peerId).toBe(replica.id);
    expect(demoted.numbers.attribution, replscope.describeEvents()).toBe('operator');
    expect(demoted.message).toContain(`FAILOVER ×1 ran on ${master.id}`);
  }, 60_000);
});

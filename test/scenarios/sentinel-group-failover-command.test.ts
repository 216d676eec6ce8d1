/**
 * An operator's FAILOVER in a Sentinel-watched group is put on the timeline
 * as soon as the polls see it. FAILOVER TO run on the master by hand
 * (redis-cli, not Sentinel: Sentinel only ever sends REPLICAOF/SLAVEOF):
 * the old master hands over and continues from its replica by a partial
 * resync ("Successful partial resynchronization with master" in its log,
 * sync_partial_ok +1 on the new master). Where Sentinels are watched, a role
 * change waits up to 5 s for their notices (role-attribution.ts), and the
 * old master's partial resync waits for its demotion's verdict: both were
 * recorded some 5 s after the node's log said they happened, though
 * FAILOVER counted in the old master's INFO commandstats already said who
 * did it. A FAILOVER (or CLUSTER FAILOVER) counted on the node needs no
 * Sentinel notice to be told apart from Sentinel's doing, and settles the
 * verdict at once.
 */
import { describe, expect, it } from 'vitest';
import { sleep } from '../support/wait';
import { ConsoleUnderTest, LOG, replicationTruth, scenarioNodeKinds, startSentinelScenario, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels', () => {
  it('FAILOVER TO by hand: the demotion and the old master\'s partial resync are recorded within 2 s of its log line, put down to the operator', async () => {
    const group = await startSentinelScenario({ kind: 'redis' });
    const oldMaster = group.master;
    const target = group.replicas[0]!;
    const replscope = await ConsoleUnderTest.attach(oldMaster, { pollIntervalMs: 250, profile: { ...group.profile(), safetyMode: 'monitor-only' } });
    await replscope.waitForSteadyGroup(group.nodes.map((node) => node.id));
    await sleep(3_000); // commandstats baselines taken with the group steady
    const mark = oldMaster.mark();
    const seen = new Map<string, number>();
    const watch = setInterval(() => { for (const event of replscope.eventsWhere(() => true)) if (!seen.has(event.id)) seen.set(event.id, Date.now()); }, 20);
    try {
      expect(await oldMaster.call('FAILOVER', 'TO', '127.0.0.1', String(target.port), 'TIMEOUT', '10000')).toBe('OK');
      const line = await waitForLog(oldMaster, LOG.replicaPartialOk, mark);
      const loggedAt = Date.now();
      expect((await replicationTruth(target)).syncPartialOk).toBeGreaterThanOrEqual(1);
      // waitForEvent can return an event before the 20 ms watcher's next turn: it was pushed by then at the latest (an upper bound: the 2 s checks stay as strict).
      const pushedBy = <T extends { id: string }>(event: T): T => {
        if (!seen.has(event.id)) seen.set(event.id, Date.now());
        return event;
      };
      const resync = pushedBy(await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === oldMaster.id && event.peerId === target.id, `the partial resync of ${oldMaster.id}`, 15_000));
      const demotion = pushedBy(await replscope.waitForEvent((event) => event.kind === 'demotion' && event.nodeId === oldMaster.id, `the demotion of ${oldMaster.id}`, 15_000));
      const shown = `${line} (seen by the test at ${new Date(loggedAt).toISOString()}) | demotion pushed ${new Date(seen.get(demotion.id)!).toISOString()}: ${demotion.message} | resync pushed ${new Date(seen.get(resync.id)!).toISOString()}: ${resync.message}`;
      expect(demotion.cause, shown).toBe('operator-command');
      expect(demotion.message, shown).toContain('FAILOVER ×1');
      expect(resync.cause, shown).toBe('operator-command');
      expect(seen.get(demotion.id)! - loggedAt, shown).toBeLessThan(2_000);
      expect(seen.get(resync.id)! - loggedAt, shown).toBeLessThan(2_000);
    } finally {
      clearInterval(watch);
    }
  }, 90_000);
});
